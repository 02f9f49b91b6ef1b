"""airflow.sdk as far as the DAG uses it: DAG, Param and the task decorators."""

from __future__ import annotations

import inspect

from airflow.models import BASE_ARGUMENTS, Dag, Task

DAG = Dag

# JSON-schema keywords Param passes on
PARAM_SCHEMA = {"type", "format", "minLength", "maxLength", "minimum", "maximum", "enum",
                "pattern", "description", "title"}


class Param:
    def __init__(self, default=None, **schema):
        unknown = set(schema) - PARAM_SCHEMA
        if unknown:
            raise TypeError(f"Param takes no argument {sorted(unknown)}")
        self.value = default
        self.schema = schema


class PythonTask(Task):
    allowed = BASE_ARGUMENTS | {"python_callable", "kind", "ignore_downstream_trigger_rules"}


def _decorator(kind, **arguments):
    def wrap(function):
        parameters = inspect.signature(function).parameters
        for name, parameter in parameters.items():
            if parameter.default is not None:
                raise TypeError(f"{function.__name__}: context argument {name} needs default None")

        def declare(*args, **kwargs):
            if args or kwargs:
                raise TypeError(f"{function.__name__} takes its arguments from the context")
            return PythonTask(
                task_id=function.__name__, python_callable=function, kind=kind, **arguments
            )

        declare.function = function
        return declare

    return wrap


class _TaskDecorator:
    def __call__(self, function=None, **arguments):
        if function is not None:
            return _decorator("python")(function)
        return _decorator("python", **arguments)

    def branch(self, function=None, **arguments):
        if function is not None:
            return _decorator("branch")(function)
        return _decorator("branch", **arguments)

    def short_circuit(self, function=None, **arguments):
        if function is not None:
            return _decorator("short_circuit")(function)
        return _decorator("short_circuit", **arguments)


task = _TaskDecorator()
