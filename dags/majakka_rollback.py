"""Majakka rollback: one task that re-activates the model version active before the current one.

Manual only. Scores keep the version that produced them, so nothing is rescored: the next
scoring run uses the restored version, and suggestions already queued stay as they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task

from app.dag_defaults import task_defaults

DEFAULT_ARGS = task_defaults(retries=2, retry_delay=timedelta(seconds=30), max_retry_delay=timedelta(minutes=5),
                             execution_timeout=timedelta(minutes=10))


@dag(
    dag_id="majakka_rollback",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={"actor": Param("airflow", type="string", description="who rolls back, for the audit log")},
    tags=["majakka", "models"],
    doc_md=__doc__,
)
def majakka_rollback():
    @task
    def rollback(params: dict | None = None) -> str:
        """Switch the active model back; returns the version now active."""
        from app.tasks import rollback_model

        return rollback_model(f"airflow:{(params or {}).get('actor', 'airflow')}")

    rollback()


rollback_dag = majakka_rollback()

if __name__ == "__main__":
    rollback_dag.test()
