"""Majakka pipeline: collect -> language ID -> privacy filter -> store -> check -> score -> check -> enqueue.

Collection, language ID, redaction and storage run as one task because raw text may
live only in the memory of the task that fetched it; the tasks after it read redacted,
encrypted rows from PostgreSQL. Great Expectations checks sit between the stages: a failed
check quarantines the posts it covered (kept, never queued). XCom carries counts only. All logic lives in
``majakka.tasks`` and the packages it calls.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from majakka.dag_defaults import FREQUENT

DEFAULT_ARGS = FREQUENT


@dag(
    dag_id="majakka_pipeline",
    schedule=timedelta(minutes=10),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "pipeline"],
    doc_md=__doc__,
)
def majakka_pipeline():
    @task
    def collect_filter_store() -> dict[str, int]:
        """Fetch new items, drop non-fi/sv, redact and pseudonymise in memory, store encrypted."""
        from majakka.tasks import collect_filter_store as run

        return run()

    @task
    def check_collected() -> dict[str, int]:
        """Stored-batch schema and the identifier safety net; failures quarantine the batch."""
        from majakka.tasks import check_collected as run

        return run()

    @task
    def score() -> dict[str, int]:
        """Score stored posts the active model has not scored yet."""
        from majakka.tasks import score_pending

        return score_pending()

    @task
    def check_scores() -> dict[str, int]:
        """Score distributions and levels; failures quarantine the scored posts."""
        from majakka.tasks import check_scores as run

        return run()

    @task
    def enqueue() -> dict[str, int]:
        """Create prioritised, de-duplicated outreach suggestions for levels 2-4."""
        from majakka.tasks import enqueue as run

        return run()

    collect_filter_store() >> check_collected() >> score() >> check_scores() >> enqueue()


pipeline_dag = majakka_pipeline()

if __name__ == "__main__":
    pipeline_dag.test()
