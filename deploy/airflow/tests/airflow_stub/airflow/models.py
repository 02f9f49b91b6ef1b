"""Tasks and DAGs as declared: what the stub keeps of them."""

from __future__ import annotations

# the trigger rules of Airflow 3 (airflow.utils.trigger_rule.TriggerRule)
TRIGGER_RULES = {
    "all_success", "all_failed", "all_done", "all_done_min_one_success", "all_skipped",
    "one_success", "one_failed", "one_done", "none_failed", "none_failed_min_one_success",
    "none_skipped", "always",
}

# BaseOperator's arguments that the DAG may use
BASE_ARGUMENTS = {
    "task_id", "owner", "retries", "retry_delay", "execution_timeout", "trigger_rule",
    "on_failure_callback", "on_success_callback", "do_xcom_push", "doc_md",
}

_current = []


def current_dag():
    if not _current:
        raise RuntimeError("a task was declared outside a DAG")
    return _current[-1]


class Task:
    """One task: its id, arguments and neighbours."""

    allowed = BASE_ARGUMENTS

    def __init__(self, **kwargs):
        unknown = set(kwargs) - self.allowed
        if unknown:
            raise TypeError(f"{type(self).__name__} takes no argument {sorted(unknown)}")
        if "task_id" not in kwargs:
            raise TypeError("task_id is required")
        rule = kwargs.get("trigger_rule", "all_success")
        if rule not in TRIGGER_RULES:
            raise ValueError(f"no trigger rule {rule!r}")
        self.task_id = kwargs["task_id"]
        self.kwargs = kwargs
        self.trigger_rule = rule
        self.upstream = set()
        self.downstream = set()
        self.dag = current_dag()
        self.dag.add(self)

    def setting(self, name):
        """The argument as given, else the DAG's default."""
        if name in self.kwargs:
            return self.kwargs[name]
        return self.dag.default_args.get(name)

    def __rshift__(self, other):
        for task in other if isinstance(other, list) else [other]:
            self.downstream.add(task.task_id)
            task.upstream.add(self.task_id)
        return other

    def __rrshift__(self, other):
        for task in other if isinstance(other, list) else [other]:
            task >> self
        return self


class Dag:
    allowed = {
        "dag_id", "description", "schedule", "start_date", "catchup", "max_active_runs",
        "dagrun_timeout", "default_args", "params", "tags", "doc_md",
    }

    def __init__(self, **kwargs):
        unknown = set(kwargs) - self.allowed
        if unknown:
            raise TypeError(f"DAG takes no argument {sorted(unknown)}")
        self.kwargs = kwargs
        self.dag_id = kwargs["dag_id"]
        self.default_args = kwargs.get("default_args", {})
        self.params = kwargs.get("params", {})
        self.tasks = {}

    def add(self, task):
        if task.task_id in self.tasks:
            raise ValueError(f"two tasks called {task.task_id}")
        self.tasks[task.task_id] = task

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()
        return False
