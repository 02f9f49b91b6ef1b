from airflow.models import BASE_ARGUMENTS, Task


class FlinkKubernetesOperator(Task):
    allowed = BASE_ARGUMENTS | {
        "application_file", "namespace", "kubernetes_conn_id", "api_group", "api_version",
        "in_cluster", "cluster_context", "config_file", "plural",
    }
