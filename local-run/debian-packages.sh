# shellcheck shell=bash
# Sourced by run-tests and service-health-local: installs the Debian packages of the servers that
# run for real (Prometheus, Alertmanager) when this machine lacks them, with apt-get, as root or
# through sudo.

# ensure_debian_packages COMMAND=PACKAGE ...: installs each PACKAGE whose COMMAND is not on the PATH
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  ((${#missing[@]} > 0)) || return 0
  echo "installing what is needed: ${missing[*]}"
  local as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "the Debian packages ${missing[*]} are needed: install them as root" >&2
      exit 2
    }
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
