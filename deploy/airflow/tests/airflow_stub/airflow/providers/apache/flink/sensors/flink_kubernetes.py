from airflow.models import BASE_ARGUMENTS, Task

SENSOR_ARGUMENTS = {"mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff"}


class FlinkKubernetesSensor(Task):
    allowed = BASE_ARGUMENTS | SENSOR_ARGUMENTS | {
        "application_name", "attach_log", "namespace", "kubernetes_conn_id", "api_group",
        "api_version",
    }

    def __init__(self, **kwargs):
        if kwargs.get("mode", "poke") not in {"poke", "reschedule"}:
            raise ValueError(f"no sensor mode {kwargs['mode']!r}")
        super().__init__(**kwargs)
