"""The backfill DAG, loaded against a stub of the Airflow API it uses (airflow_stub/): its shape,
its params, the checks of its form and the CLI commands each task runs.

Run: python3 -m unittest discover -s deploy/airflow/tests (the backfill module's build does)."""

import importlib.util
import json
import re
import shlex
import sys
import unittest
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "airflow_stub"))

spec = importlib.util.spec_from_file_location(
    "service_health_backfill", HERE.parent / "service_health_backfill.py"
)
backfill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(backfill)
DAG = backfill.dag
TASKS = DAG.tasks
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def params(**overrides):
    values = {
        "from": "2026-11-30T13:00Z",
        "to": "2026-12-01T11:00Z",
        "reason": "429 was counted as available",
        "generation": 3,
        "grains": "service;drilldown;saturation",
        "auto_apply": False,
        "approved_digest": None,
        "runner": "kubernetes",
        "snowflake": False,
        "requested_by": "alice",
    }
    values.update(overrides)
    return values


def downstream(task_id):
    return TASKS[task_id].downstream


class DagShape(unittest.TestCase):
    def test_one_run_at_a_time_triggered_by_hand_with_timeouts_retries_and_a_failure_callback(self):
        self.assertEqual(DAG.dag_id, "service_health_backfill")
        self.assertEqual(DAG.kwargs["max_active_runs"], 1)
        self.assertIsNone(DAG.kwargs["schedule"])
        self.assertFalse(DAG.kwargs["catchup"])
        self.assertLessEqual(DAG.kwargs["dagrun_timeout"], timedelta(hours=6))
        self.assertGreaterEqual(DAG.default_args["retries"], 1)
        self.assertIsNotNone(DAG.default_args["execution_timeout"])
        self.assertTrue(callable(DAG.default_args["on_failure_callback"]))

    def test_the_steps_run_in_the_order_of_the_issue(self):
        self.assertEqual(downstream("validate"), {"check"})
        self.assertEqual(downstream("check"), {"stage"})
        self.assertEqual(downstream("stage"), {"submit"})
        self.assertEqual(downstream("submit"), {"submit_kubernetes", "compute_local"})
        self.assertEqual(downstream("submit_kubernetes"), {"wait", "abort"})
        self.assertEqual(downstream("wait"), {"computed", "abort"})
        self.assertEqual(downstream("computed"), {"dry_run_diff", "abort"})
        self.assertEqual(downstream("compute_local"), {"dry_run_diff", "abort"})
        self.assertEqual(downstream("dry_run_diff"), {"approval", "abort"})
        self.assertEqual(downstream("approval"), {"apply", "not_approved", "abort"})
        self.assertEqual(downstream("apply"), {"verify"})
        self.assertEqual(downstream("verify"), {"snowflake_enabled"})
        self.assertEqual(downstream("snowflake_enabled"), {"snowflake_load"})
        self.assertEqual(downstream("snowflake_load"), {"notify"})

    def test_the_diff_waits_for_either_runner_and_a_failure_aborts(self):
        self.assertEqual(TASKS["dry_run_diff"].trigger_rule, "none_failed_min_one_success")
        self.assertEqual(TASKS["abort"].trigger_rule, "one_failed")
        self.assertEqual(TASKS["notify"].trigger_rule, "all_done")
        self.assertEqual(TASKS["approval"].kwargs["kind"], "branch")
        self.assertEqual(TASKS["snowflake_enabled"].kwargs["kind"], "short_circuit")
        self.assertFalse(
            TASKS["snowflake_enabled"].kwargs["ignore_downstream_trigger_rules"],
            "a skipped load must not skip notify",
        )

    def test_what_changes_gold_or_the_staged_rows_is_not_retried_and_the_sensor_reschedules(self):
        for task_id in ("stage", "submit_kubernetes", "compute_local", "computed", "apply"):
            with self.subTest(task_id):
                self.assertEqual(TASKS[task_id].setting("retries"), 0)
        self.assertEqual(TASKS["wait"].kwargs["mode"], "reschedule")
        self.assertLessEqual(TASKS["wait"].kwargs["timeout"], 2 * 3600)


class Params(unittest.TestCase):
    def test_the_form_requires_a_reason_a_generation_and_a_digest_of_sixteen_hex_digits(self):
        schema = {name: p.schema for name, p in DAG.params.items()}
        self.assertEqual(schema["reason"]["minLength"], 10)
        self.assertEqual((schema["generation"]["minimum"], schema["generation"]["maximum"]), (0, 65535))
        self.assertEqual(schema["runner"]["enum"], ["kubernetes", "local"])
        pattern = re.compile(schema["approved_digest"]["pattern"])
        self.assertTrue(pattern.match("0123456789abcdef"))
        self.assertFalse(pattern.match("0123456789abcde"))
        self.assertFalse(DAG.params["auto_apply"].value, "dry run and review first")

    def test_a_closed_range_within_the_horizon_passes(self):
        self.assertEqual(backfill.check_params(params(), NOW), [])

    def test_refuses_what_the_cli_would_refuse_before_anything_is_staged(self):
        cases = {
            "not on a minute": params(**{"from": "2026-11-30T13:00:30Z"}),
            "older than the 24 h horizon": params(**{"from": "2026-11-30T11:59Z"}),
            "not closed until 12:01": params(to="2026-12-01T11:51Z"),
            "is not before": params(to="2026-11-30T13:00Z"),
            "reason is required": params(reason="  fix  "),
            "grains must be": params(grains="service;tenant"),
            "generation must be": params(generation=70000),
            "UTC times": params(to="tomorrow"),
        }
        for expected, form in cases.items():
            with self.subTest(expected):
                problems = backfill.check_params(form, NOW)
                self.assertTrue(any(expected in p for p in problems), problems)

    def test_a_reason_of_any_text_reaches_the_cli_as_one_argument(self):
        reason = "it's $(rm -rf /) \"quoted\"; really"
        args = backfill.range_args(params(reason=reason))
        self.assertEqual(shlex.split(args["shell"]), args["argv"])
        self.assertIn(reason, args["argv"])


class Approval(unittest.TestCase):
    def test_applies_the_reviewed_diff_or_with_auto_apply_and_otherwise_stops(self):
        self.assertEqual(backfill.approval_branch(params(approved_digest="ab" * 8), "ab" * 8), "apply")
        self.assertEqual(backfill.approval_branch(params(auto_apply=True), "cd" * 8), "apply")
        self.assertEqual(
            backfill.approval_branch(params(approved_digest="ab" * 8), "cd" * 8), "not_approved"
        )
        self.assertEqual(backfill.approval_branch(params(), "cd" * 8), "not_approved")

    def test_runner_chooses_the_cluster_or_this_machine(self):
        submit = TASKS["submit"].kwargs["python_callable"]
        self.assertEqual(submit(params=params()), "submit_kubernetes")
        self.assertEqual(submit(params=params(runner="local")), "compute_local")


class Commands(unittest.TestCase):
    MODES = {
        "check": "--check",
        "stage": "--stage-only",
        "compute_local": "--compute",
        "computed": "--await-computed",
        "dry_run_diff": "--diff",
        "apply": "--apply",
        "abort": "--abort",
        "not_approved": "--abort",
        "verify": "--verify",
    }

    def test_each_step_runs_its_phase_of_the_cli_with_the_validated_arguments(self):
        for task_id, mode in self.MODES.items():
            with self.subTest(task_id):
                command = TASKS[task_id].kwargs["bash_command"]
                self.assertIn(backfill.CLI + " " + mode, command)
                self.assertIn(backfill.ARGS, command)
                self.assertIn(backfill.CONNECTION, command)

    def test_the_apply_takes_the_digest_of_the_diff_and_the_diff_fails_with_the_cli(self):
        self.assertIn("--approved-digest " + backfill.DIGEST, TASKS["apply"].kwargs["bash_command"])
        self.assertTrue(TASKS["dry_run_diff"].kwargs["bash_command"].startswith("set -o pipefail;"))

    def test_abort_does_nothing_when_nothing_was_staged(self):
        command = TASKS["abort"].kwargs["bash_command"]
        self.assertTrue(command.startswith("[ '" + backfill.BACKFILL_ID + "' = None ] && exit 0;"))

    def test_every_xcom_a_template_reads_comes_from_a_task_before_it(self):
        for task in TASKS.values():
            text = json.dumps({k: v for k, v in task.kwargs.items() if isinstance(v, str)})
            for source in re.findall(r"xcom_pull\(task_ids='([a-z_]+)'\)", text):
                with self.subTest(task=task.task_id, source=source):
                    self.assertIn(source, TASKS)
                    self.assertIn(source, ancestors(task.task_id))

    def test_the_flink_deployment_is_a_batch_job_of_the_backfill_with_its_id(self):
        text = TASKS["submit_kubernetes"].kwargs["application_file"]
        self.assertIn("\"args\": " + backfill.JOB_ARGS, text, "the args render to a JSON list")
        self.assertIn("ti.xcom_pull(task_ids='validate')['argv']", backfill.JOB_ARGS)
        self.assertIn("['--backfill-id', ti.xcom_pull(task_ids='stage')", backfill.JOB_ARGS)
        self.assertNotIn("backfill_connection_args", backfill.JOB_ARGS, "no worker key-file path")
        rendered = text.replace(backfill.JOB_ARGS, json.dumps(["--from", "x"]))
        rendered = re.sub(r"\{\{.*?\}\}", "bf-1", rendered)
        deployment = json.loads(rendered)
        self.assertEqual(deployment["kind"], "FlinkDeployment")
        self.assertEqual(deployment["spec"]["flinkConfiguration"]["execution.runtime-mode"], "BATCH")
        self.assertEqual(deployment["spec"]["job"]["entryClass"], "dev.servicehealth.backfill.BackfillJob")
        env = deployment["spec"]["podTemplate"]["spec"]["containers"][0]["env"]
        self.assertEqual(env[0]["name"], "SERVICE_HEALTH_TENANT_KEY", "the key from a secret")
        self.assertEqual(
            TASKS["wait"].kwargs["application_name"], deployment_name_template(text)
        )


def ancestors(task_id):
    seen = set()
    todo = list(TASKS[task_id].upstream)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(TASKS[current].upstream)
    return seen


def deployment_name_template(application_file):
    return re.search(r'"name": "([^"]+)"', application_file).group(1)


if __name__ == "__main__":
    unittest.main()
