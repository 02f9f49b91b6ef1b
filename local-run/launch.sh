# shellcheck shell=bash
# Sourced by the launchers at the project's root (service-health-local, oncall, simulator; Linux,
# bash 4.4 or later, flock from util-linux): builds
# the local run's modules once, again only when a source, a POM, a seed or a Pinot manifest changed
# since (a Maven run costs a minute, a query 15 ms), then starts a main class on their classpath.

# what Flink's own launch scripts open to Kryo, for a JVM that runs jobs in process (the parent
# POM's flink.jvm.opens gives the same to the tests)
# shellcheck disable=SC2034
FLINK_JVM_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

# launch MAIN_CLASS [JVM_OPTION ...] -- [ARGUMENT ...]
launch() {
  local main=$1
  shift
  local jvm=()
  while (($# > 0)) && [[ $1 != -- ]]; do
    jvm+=("$1")
    shift
  done
  (($# > 0)) && shift

  local stamp=local-run/target/launcher.stamp
  mkdir -p local-run/target
  (
    # two launchers started at once build once
    flock 9
    if [[ ! -f $stamp || ! -f local-run/target/classpath.txt ]] || [[ -n $(changed_since "$stamp") ]]; then
      echo "building (first time: downloads dependencies) …" >&2
      # stamped before the build: a file saved while it runs is newer, so the next launch rebuilds
      touch "$stamp.building"
      # no job jars: the local run starts the jobs from their classes
      if ! mvn -q -B -DskipTests -Dspotless.check.skip=true -Djob.jar.phase=none \
        -pl local-run -am package >local-run/target/launcher-build.log 2>&1; then
        cat local-run/target/launcher-build.log >&2
        exit 1
      fi
      mv "$stamp.building" "$stamp"
    fi
  ) 9>local-run/target/launcher.lock
  exec java "${jvm[@]}" -cp "local-run/target/classes:$(cat local-run/target/classpath.txt)" \
    "$main" "$@"
}

# the first source file newer than $1, if any (not deploy/grafana: the build writes it)
changed_since() {
  find pom.xml */pom.xml */src seeds deploy/pinot -newer "$1" -type f -print -quit 2>/dev/null
}
