from airflow.models import BASE_ARGUMENTS, Task


class BashOperator(Task):
    allowed = BASE_ARGUMENTS | {"bash_command", "env", "append_env", "cwd", "skip_on_exit_code"}
