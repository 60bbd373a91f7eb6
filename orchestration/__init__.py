"""What the DAGs share: the Airflow Assets that chain them (and, later, the task bodies they call)."""
