"""Majakka privacy requests: hourly, make sure nothing about an opted-out author stays stored.

Opt-outs and erasures take effect at once when they are made; this hourly sweep closes the
window in which a collection run that loaded the opt-out registry just before a request stores
one more post by that author. Idempotent: a second run finds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from app.dag_defaults import task_defaults

DEFAULT_ARGS = task_defaults(retries=3, retry_delay=timedelta(minutes=2), max_retry_delay=timedelta(minutes=20),
                             execution_timeout=timedelta(minutes=15))


@dag(
    dag_id="majakka_privacy_requests",
    schedule=timedelta(hours=1),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "privacy"],
    doc_md=__doc__,
)
def majakka_privacy_requests():
    @task
    def sweep_opt_outs() -> dict[str, int]:
        """Delete posts (and their scores, suggestions and notes) of opted-out authors."""
        from app.tasks import sweep_opt_outs as run

        return run()

    sweep_opt_outs()


privacy_requests_dag = majakka_privacy_requests()

if __name__ == "__main__":
    privacy_requests_dag.test()
