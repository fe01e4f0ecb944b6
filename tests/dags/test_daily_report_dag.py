"""The daily report DAG under ``dag.test()`` and the report's contents from real rows."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from app import components
from core.db.connection import transaction
from governance.partners import Scope
from outreach import workflow
from outreach.daily_report import build_report, recent_reports
from outreach.workflow import Worker
from tests.app.review.conftest import seed_suggestions


def test_report_counts_the_day_and_a_rerun_replaces_it(dagbag, settings, conn):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3}, {"text": "Väsyttää", "level": 2}])
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('aino', 'Aino', 'counsellor') "
                    "RETURNING id")
        user = cur.fetchone()["id"]
    worker = Worker(user, "aino", "counsellor", None)
    policy = components.workflow_policy(settings)
    workflow.claim(conn, worker, policy, ids[0])
    workflow.reach_out(conn, worker, policy, ids[0], draft_edited=False)
    workflow.record_outcome(conn, worker, ids[0], "replied")

    # A report day is a calendar day in the service's time zone: run the DAG for today there (from 22:00
    # UTC on, Helsinki is already on the next day, and so are the rows just written).
    local_day = datetime.now(ZoneInfo(settings.timezone)).date()
    logical = datetime.combine(local_day, time(12), tzinfo=UTC)
    dag = dagbag.dags["majakka_daily_report"]
    assert dag.test(logical_date=logical).state == "success"
    assert dag.test(logical_date=logical).state == "success"
    with transaction(conn) as cur:
        reports = recent_reports(cur, "default")
        today = build_report(cur, local_day, settings.timezone, Scope("default", True))
    assert len(reports) == 1
    report = reports[0]
    assert report["queued_by_level"] == today["queued_by_level"] == {"2": 1, "3": 1}
    assert report["decisions"] == {"reached_out": 1} and report["outcomes"] == {"replied": 1}
    assert report["sla_by_level"] == {"3": {"decided": 1, "on_time": 1}}
    assert report["open_at_report_time"] == 1
    assert "text" not in str(report).lower()
