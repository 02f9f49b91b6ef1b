"""Backfill of a closed range of the last 24 hours: the DAG data engineers trigger after a fix.

The logic is in ``./backfill-range`` (the backfill module); this DAG only orders its phases and
carries what one phase hands the next:

    validate -> check -> stage -> submit (Flink Kubernetes operator, or the CLI locally) -> wait
             -> computed -> dry_run_diff -> approval -> apply (gold, daily usage, Pinot upserts)
             -> verify -> snowflake_enabled -> snowflake_load -> notify
    approval -> not_approved (staged rows dropped, lock released; the digest to approve logged)
    a step from submit to approval failed -> abort (the same)

Approval: the first run of a range computes and diffs it, then stops at ``approval`` unless
``auto_apply`` is set; the diff's digest is in the log and the XCom. Trigger again with
``approved_digest`` set to it: that run applies only if its own diff has the same digest, so what
is applied is what was reviewed.
"""

from __future__ import annotations

import json
import logging
import shlex
from datetime import datetime, timedelta, timezone

from airflow.providers.apache.flink.operators.flink_kubernetes import FlinkKubernetesOperator
from airflow.providers.apache.flink.sensors.flink_kubernetes import FlinkKubernetesSensor
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, task

LOG = logging.getLogger(__name__)

HORIZON = timedelta(hours=24)
LATENESS = timedelta(minutes=10)
GRAINS = ("service", "drilldown", "saturation")
NAMESPACE = "service-health"
KUBERNETES_CONN_ID = "kubernetes_default"

# the CLI and its connection options, as the deployment sets them (Airflow Variables)
CLI = "{{ var.value.get('backfill_cli', './backfill-range') }}"
CONNECTION = "{{ var.value.get('backfill_connection_args', '') }}"
ARGS = "{{ ti.xcom_pull(task_ids='validate')['shell'] }}"
BACKFILL_ID = "{{ ti.xcom_pull(task_ids='stage') | replace('backfill-id=', '') }}"
# a Kubernetes name: lower case, digits and dashes
DEPLOYMENT = (
    "backfill-{{ ti.xcom_pull(task_ids='stage') | replace('backfill-id=', '') | replace('_', '-') }}"
)
DIGEST = "{{ ti.xcom_pull(task_ids='dry_run_diff') | replace('diff digest: ', '') }}"
# the job's own connection: no key file (the pod takes the tenant key from a secret)
JOB_ARGS = (
    "{{ (ti.xcom_pull(task_ids='validate')['argv']"
    " + var.value.get('backfill_job_connection_args', '').split()"
    " + ['--backfill-id', ti.xcom_pull(task_ids='stage') | replace('backfill-id=', '')]) | tojson }}"
)


def cli(mode: str, *more: str) -> str:
    """One phase of the CLI, with the run's validated arguments and the deployment's connection."""
    return " ".join([CLI, mode, *more, ARGS, CONNECTION])


def parse_time(value: str) -> datetime:
    """An ISO instant such as 2026-11-30T10:00Z, in UTC."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"{value} has no time zone: write it in UTC, e.g. 2026-11-30T10:00Z")
    return parsed.astimezone(timezone.utc)


def check_params(params: dict, now: datetime) -> list[str]:
    """What is wrong with a run's params, as sentences; empty when the backfill may be tried.

    The CLI checks the same again (and bronze's retention, and the lock): this is so that a wrong
    form fails in seconds, before anything is staged.
    """
    problems = []
    try:
        start = parse_time(params["from"])
        end = parse_time(params["to"])
    except (KeyError, ValueError) as e:
        return [f"from and to must be UTC times such as 2026-11-30T10:00Z ({e})"]
    for name, value in (("from", start), ("to", end)):
        if value.second or value.microsecond:
            problems.append(f"{name} {params[name]} is not on a minute: windows are whole minutes")
    if start >= end:
        problems.append(f"from {params['from']} is not before to {params['to']}")
    if start < now - HORIZON:
        problems.append(f"from {params['from']} is older than the 24 h horizon")
    if end + LATENESS > now:
        problems.append(
            f"the windows up to {params['to']} are not closed until {end + LATENESS:%H:%M} UTC"
        )
    if len((params.get("reason") or "").strip()) < 10:
        problems.append("reason is required: say what was wrong, in a sentence")
    grains = [g for g in (params.get("grains") or "").split(";") if g]
    if not grains or any(g not in GRAINS for g in grains):
        problems.append(f"grains must be some of {';'.join(GRAINS)}, not {params.get('grains')!r}")
    generation = params.get("generation")
    if not isinstance(generation, int) or not 0 <= generation <= 65535:
        problems.append("generation must be the aggregator's, an integer in 0..65535")
    return problems


def range_args(params: dict) -> dict:
    """The CLI's arguments for the run's range: as argv, and shell-quoted, since a reason may hold
    anything."""
    argv = [
        "--from", params["from"],
        "--to", params["to"],
        "--reason", params["reason"].strip(),
        "--generation", str(params["generation"]),
        "--grains", params["grains"],
        "--requested-by", params.get("requested_by") or "airflow",
    ]
    return {"argv": argv, "shell": " ".join(shlex.quote(a) for a in argv)}


def approval_branch(params: dict, digest: str) -> str:
    """Apply when told to without review, or when the reviewed diff is this one; else abort."""
    if params.get("auto_apply"):
        return "apply"
    if params.get("approved_digest") and params["approved_digest"] == digest:
        return "apply"
    LOG.warning(
        "backfill of [%s, %s) not applied: review the diff above and trigger again with"
        " approved_digest=%s",
        params["from"],
        params["to"],
        digest,
    )
    return "not_approved"


def flink_deployment() -> str:
    """The FlinkDeployment of the backfill's batch job, for the Flink Kubernetes operator: JSON
    (which is YAML), its name, id and arguments rendered from the run's XComs."""
    spec = {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": DEPLOYMENT, "namespace": NAMESPACE},
        "spec": {
            "image": "{{ var.value.get('backfill_image', 'service-health/backfill:latest') }}",
            "flinkVersion": "v2_1",
            "serviceAccount": "backfill",
            "flinkConfiguration": {
                "execution.runtime-mode": "BATCH",
                "taskmanager.numberOfTaskSlots": "4",
            },
            "podTemplate": {
                "spec": {
                    "containers": [
                        {
                            "name": "flink-main-container",
                            "env": [
                                {
                                    "name": "SERVICE_HEALTH_TENANT_KEY",
                                    "valueFrom": {
                                        "secretKeyRef": {
                                            "name": "service-health-tenant-key",
                                            "key": "key",
                                        }
                                    },
                                }
                            ],
                        }
                    ]
                }
            },
            "jobManager": {"resource": {"memory": "2048m", "cpu": 1}},
            "taskManager": {"resource": {"memory": "8192m", "cpu": 4}},
            "job": {
                "jarURI": "local:///opt/flink/usrlib/backfill-job.jar",
                "entryClass": "dev.servicehealth.backfill.BackfillJob",
                "args": "__JOB_ARGS__",
                "parallelism": 8,
                "upgradeMode": "stateless",
            },
        },
    }
    return json.dumps(spec, indent=2).replace('"__JOB_ARGS__"', JOB_ARGS)


def log_failure(context: dict) -> None:
    """Every failed task says which run, range and step, where the on-call data engineer looks."""
    params = context.get("params", {})
    LOG.error(
        "backfill of [%s, %s) failed at %s (run %s): see its log; a failure before the apply is"
        " aborted by the abort task, one after it is finished by triggering the range again",
        params.get("from"),
        params.get("to"),
        context["task_instance"].task_id,
        context.get("run_id"),
    )


with DAG(
    dag_id="service_health_backfill",
    description="recompute a closed range of the last 24 h from bronze; diff, approve, apply",
    schedule=None,
    start_date=datetime(2026, 11, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args={
        "owner": "data-engineering",
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
        "execution_timeout": timedelta(hours=1),
        "on_failure_callback": log_failure,
    },
    params={
        "from": Param(type="string", format="date-time", description="first window, UTC"),
        "to": Param(type="string", format="date-time", description="end of the range, UTC"),
        "reason": Param(type="string", minLength=10, description="what was wrong"),
        "generation": Param(
            type="integer", minimum=0, maximum=65535, description="the aggregator's, with the fix"
        ),
        "grains": Param("service;drilldown;saturation", type="string"),
        "auto_apply": Param(False, type="boolean", description="apply without review"),
        "approved_digest": Param(
            None, type=["null", "string"], pattern="^[0-9a-f]{16}$", description="the reviewed diff"
        ),
        "runner": Param("kubernetes", enum=["kubernetes", "local"]),
        "snowflake": Param(False, type="boolean", description="reload Snowflake afterwards"),
        "requested_by": Param(None, type=["null", "string"]),
    },
    tags=["service-health", "backfill"],
) as dag:

    @task(retries=0)
    def validate(params=None) -> dict:
        problems = check_params(params, datetime.now(timezone.utc))
        if problems:
            raise ValueError("; ".join(problems))
        return range_args(params)

    args = validate()

    check = BashOperator(
        task_id="check",
        bash_command=cli("--check"),
        retries=0,
    )
    stage = BashOperator(
        task_id="stage",
        bash_command=cli("--stage-only"),
        retries=0,
    )

    @task.branch
    def submit(params=None) -> str:
        return "submit_kubernetes" if params["runner"] == "kubernetes" else "compute_local"

    # a retried submit or compute would compute the staged rows twice: rerun the range instead
    submit_kubernetes = FlinkKubernetesOperator(
        task_id="submit_kubernetes",
        application_file=flink_deployment(),
        namespace=NAMESPACE,
        kubernetes_conn_id=KUBERNETES_CONN_ID,
        retries=0,
    )
    wait = FlinkKubernetesSensor(
        task_id="wait",
        application_name=DEPLOYMENT,
        namespace=NAMESPACE,
        kubernetes_conn_id=KUBERNETES_CONN_ID,
        attach_log=True,
        mode="reschedule",
        poke_interval=30,
        timeout=int(timedelta(hours=2).total_seconds()),
    )
    # the sensor says the deployment is up; this, that its batch job has computed to the end
    computed = BashOperator(
        task_id="computed",
        bash_command=cli("--await-computed", BACKFILL_ID),
        execution_timeout=timedelta(hours=2),
        retries=0,
    )
    compute_local = BashOperator(
        task_id="compute_local",
        bash_command=cli("--compute", BACKFILL_ID),
        execution_timeout=timedelta(hours=2),
        retries=0,
    )
    # the digest is the last line, for the approval
    dry_run_diff = BashOperator(
        task_id="dry_run_diff",
        bash_command="set -o pipefail; "
        + cli("--diff", BACKFILL_ID)
        + " | tee /dev/stderr | grep '^diff digest: ' | tail -1",
        trigger_rule="none_failed_min_one_success",
    )

    @task.branch
    def approval(params=None, ti=None) -> str:
        digest = ti.xcom_pull(task_ids="dry_run_diff").replace("diff digest: ", "")
        return approval_branch(params, digest)

    apply = BashOperator(
        task_id="apply",
        bash_command=cli("--apply", BACKFILL_ID, "--approved-digest", DIGEST),
        # an apply that failed half way is finished by running the backfill again, not retried
        retries=0,
        execution_timeout=timedelta(hours=2),
    )
    abort = BashOperator(
        task_id="abort",
        # after any failure between submit and approval; nothing to do if nothing was staged
        bash_command=f"[ '{BACKFILL_ID}' = None ] && exit 0; " + cli("--abort", BACKFILL_ID),
        trigger_rule="one_failed",
    )
    not_approved = BashOperator(
        task_id="not_approved",
        bash_command=cli("--abort", BACKFILL_ID),
    )
    verify = BashOperator(
        task_id="verify",
        bash_command=cli("--verify", BACKFILL_ID),
    )

    # skips the load only: notify runs whatever
    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def snowflake_enabled(params=None) -> bool:
        return bool(params["snowflake"])

    # the loader is the snowflake-loader issue's; until it is deployed the param stays false
    snowflake_load = BashOperator(
        task_id="snowflake_load",
        bash_command="{{ var.value.get('snowflake_loader_cli', './snowflake-loader') }} reload"
        " --from {{ params['from'] }} --to {{ params['to'] }}",
    )

    @task(trigger_rule="all_done")
    def notify(params=None, ti=None) -> str:
        states = {t: ti.xcom_pull(task_ids=t) for t in ("dry_run_diff", "verify")}
        summary = (
            f"backfill of [{params['from']}, {params['to']}) generation {params['generation']}:"
            f" {states}"
        )
        LOG.info(summary)
        return summary

    chosen = submit()
    decided = approval()
    args >> check >> stage >> chosen
    chosen >> submit_kubernetes >> wait >> computed >> dry_run_diff
    chosen >> compute_local >> dry_run_diff
    dry_run_diff >> decided
    decided >> apply >> verify >> snowflake_enabled() >> snowflake_load >> notify()
    decided >> not_approved
    [submit_kubernetes, wait, computed, compute_local, dry_run_diff, decided] >> abort
