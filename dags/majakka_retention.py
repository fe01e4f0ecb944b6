"""Majakka retention: purge what was deleted at the source, then everything past its deadline.

Runs daily. Deletion sync re-checks every stored item at the source (Reddit's data terms
require honouring deletions); the purge removes rows whose purge deadline has passed
(posts with their scores and suggestions, and expired audit events). Both are idempotent.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from app.airflow_resources import REDDIT_POOL
from app.dag_defaults import DAILY

DEFAULT_ARGS = DAILY


@dag(
    dag_id="majakka_retention",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "privacy", "retention"],
    doc_md=__doc__,
)
def majakka_retention():
    @task(pool=REDDIT_POOL)
    def sync_deletions() -> dict[str, int]:
        """Purge stored items deleted or removed at the source."""
        from app.tasks import sync_deletions as run

        return run()

    @task(trigger_rule="all_done")
    def purge_expired() -> dict[str, int]:
        """Delete rows past their purge deadline; runs even if the source was unreachable."""
        from app.tasks import purge_expired as run

        return run()

    sync_deletions() >> purge_expired()


retention_dag = majakka_retention()

if __name__ == "__main__":
    retention_dag.test()
