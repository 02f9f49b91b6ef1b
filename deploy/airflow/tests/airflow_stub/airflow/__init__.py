"""A minimal stand-in for the parts of Airflow 3 the backfill DAG imports, so that python3 can
load and check the DAG file here, where Airflow cannot be installed. It keeps what the DAG
declares (tasks, their arguments, their order) and refuses arguments the real classes do not
take; it runs nothing."""
