"""Majakka daily report: volumes, levels, SLA, outcomes, model and filter versions for supervisors.

Runs once a day for the previous day (the data interval); re-running a day replaces its
report. Supervisors read the reports on the review app's supervision page.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from app.dag_defaults import DAILY

DEFAULT_ARGS = DAILY


@dag(
    dag_id="majakka_daily_report",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "report"],
    doc_md=__doc__,
)
def majakka_daily_report():
    @task
    def build(ds: str | None = None) -> dict[str, int]:
        """Build and store the report for the run's logical day."""
        from app.tasks import daily_report

        return daily_report(ds)

    build()


daily_report_dag = majakka_daily_report()

if __name__ == "__main__":
    daily_report_dag.test()
