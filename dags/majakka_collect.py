"""Majakka collect: fetch -> language ID -> privacy filter -> store, then the stored-batch checks.

Collection, language ID, redaction and storage run as one task because raw text may live
only in the memory of the task that fetched it. The task runs in the Reddit pool, so runs
never exceed the API's rate budget together. When the stored batch has been checked (a failed
check quarantines it), the ``majakka_stored_posts`` Asset is updated and triggers
``majakka_score``. XCom carries counts only; the logic lives in ``app.tasks``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from app.airflow_resources import REDDIT_POOL, STORED_POSTS
from app.dag_defaults import FREQUENT

DEFAULT_ARGS = FREQUENT


@dag(
    dag_id="majakka_collect",
    schedule=timedelta(minutes=10),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "pipeline"],
    doc_md=__doc__,
)
def majakka_collect():
    @task(pool=REDDIT_POOL)
    def collect_filter_store() -> dict[str, int]:
        """Fetch new items, drop non-fi/sv, redact and pseudonymise in memory, store encrypted."""
        from app.tasks import collect_filter_store as run

        return run()

    @task(outlets=[STORED_POSTS])
    def check_collected() -> dict[str, int]:
        """Stored-batch schema and the identifier safety net; failures quarantine the batch."""
        from app.tasks import check_collected as run

        return run()

    collect_filter_store() >> check_collected()


collect_dag = majakka_collect()

if __name__ == "__main__":
    collect_dag.test()
