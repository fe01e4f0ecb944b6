"""The daily report for supervisors: what came in, what the team decided, how fast, with which versions.

Counts and version names only (the report is kept two years, like the audit log). A day is
a calendar day in the service's time zone; building a day twice replaces the first report.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import audit
from core.db.connection import Cursor
from models.lifecycle import registry
from models.serving import scores
from privacy import posts
from privacy.policy_history import latest_policy_version
from quality import results

_DAY = "(%(day)s::date::timestamp AT TIME ZONE %(tz)s)"
_NEXT_DAY = "((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"


def _counts(cur: Cursor, sql: str, params: dict) -> dict[str, int]:
    cur.execute(sql, params)
    return {str(row["key"]): int(row["n"]) for row in cur.fetchall()}


def build_report(cur: Cursor, day: date, timezone: str) -> dict:
    """The report for ``day`` from the stored rows (posts, scores, suggestions, checks, opt-outs)."""
    params = {"day": day.isoformat(), "tz": timezone}
    window = f"BETWEEN {_DAY} AND {_NEXT_DAY}"
    start = datetime.combine(day, time(), ZoneInfo(timezone))
    end = datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone))
    collected = posts.collected_by_language(cur, start, end)
    scored = scores.counts_by_level(cur, start, end)
    queued = _counts(cur, f"SELECT level AS key, count(*) AS n FROM suggestions WHERE created_at {window} "
                          "GROUP BY level", params)
    decided = _counts(cur, f"SELECT status AS key, count(*) AS n FROM suggestions WHERE decided_at {window} "
                           "GROUP BY status", params)
    outcomes = _counts(cur, f"SELECT outcome AS key, count(*) AS n FROM suggestions WHERE decided_at {window} "
                            "AND outcome IS NOT NULL GROUP BY outcome", params)
    cur.execute(
        f"""SELECT level, count(*) AS decided, count(*) FILTER (WHERE decided_at <= sla_due) AS on_time
            FROM suggestions WHERE decided_at {window} GROUP BY level ORDER BY level""", params)
    sla = {str(r["level"]): {"decided": int(r["decided"]), "on_time": int(r["on_time"])} for r in cur.fetchall()}
    cur.execute("SELECT count(*) AS n FROM suggestions g JOIN posts p ON p.id = g.post_id "
                "WHERE g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL")
    still_open = int(cur.fetchone()["n"])
    model = registry.active_version(cur)
    return {
        "day": day.isoformat(), "timezone": timezone,
        "collected_by_language": collected, "scored_by_level": scored, "queued_by_level": queued,
        "decisions": decided, "outcomes": outcomes, "sla_by_level": sla, "open_at_report_time": still_open,
        "quality_checks": results.summary(cur, start, end),
        "model_version": model or "lexicon baseline",
        "filter_version": latest_policy_version(cur),
    }


def store_report(cur: Cursor, report: dict) -> None:
    """Insert or replace the report of its day, and note it in the audit log."""
    cur.execute(
        """INSERT INTO daily_reports (day, report) VALUES (%s, %s)
           ON CONFLICT (day) DO UPDATE SET report = EXCLUDED.report, created_at = now()""",
        (report["day"], json.dumps(report)),
    )
    audit.record(cur, actor="system:report", role=audit.SYSTEM_ROLE, action="report.daily", object_type="report",
                 object_id=report["day"], details={"queued": sum(report["queued_by_level"].values())})


def recent_reports(cur: Cursor, days: int = 7) -> list[dict]:
    cur.execute("SELECT report FROM daily_reports ORDER BY day DESC LIMIT %s", (days,))
    return [row["report"] for row in cur.fetchall()]


def purge_expired(cur: Cursor) -> int:
    cur.execute("DELETE FROM daily_reports WHERE purge_after < now()")
    return cur.rowcount
