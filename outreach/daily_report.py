"""The daily report for supervisors: what came in, what the team decided, how fast, with which versions.

Counts and version names only (the report is kept two years, like the audit log). A day is
a calendar day in the service's time zone; building a day twice replaces the first report.
"""

from __future__ import annotations

import json
from datetime import date

from core import audit

_DAY = "(%(day)s::date::timestamp AT TIME ZONE %(tz)s)"
_NEXT_DAY = "((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"


def _counts(cur, sql: str, params: dict) -> dict[str, int]:
    cur.execute(sql, params)
    return {str(row["key"]): int(row["n"]) for row in cur.fetchall()}


def build_report(cur, day: date, timezone: str) -> dict:
    """The report for ``day`` from the stored rows (posts, scores, suggestions, checks, opt-outs)."""
    params = {"day": day.isoformat(), "tz": timezone}
    window = f"BETWEEN {_DAY} AND {_NEXT_DAY}"
    collected = _counts(cur, f"SELECT language AS key, count(*) AS n FROM posts WHERE collected_at {window} "
                             "GROUP BY language", params)
    scored = _counts(cur, f"SELECT level AS key, count(*) AS n FROM scores WHERE scored_at {window} GROUP BY level",
                     params)
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
    cur.execute(f"SELECT count(*) FILTER (WHERE NOT passed) AS failed, count(*) AS n FROM quality_checks "
                f"WHERE checked_at {window}", params)
    checks = cur.fetchone()
    cur.execute("SELECT count(*) AS n FROM suggestions g JOIN posts p ON p.id = g.post_id "
                "WHERE g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL")
    still_open = int(cur.fetchone()["n"])
    cur.execute("SELECT version FROM model_versions WHERE active")
    model = cur.fetchone()
    cur.execute("SELECT version FROM filter_policies ORDER BY first_used_at DESC LIMIT 1")
    policy = cur.fetchone()
    return {
        "day": day.isoformat(), "timezone": timezone,
        "collected_by_language": collected, "scored_by_level": scored, "queued_by_level": queued,
        "decisions": decided, "outcomes": outcomes, "sla_by_level": sla, "open_at_report_time": still_open,
        "quality_checks": {"run": int(checks["n"]), "failed": int(checks["failed"])},
        "model_version": model["version"] if model else "lexicon baseline",
        "filter_version": policy["version"] if policy else None,
    }


def store_report(cur, report: dict) -> None:
    """Insert or replace the report of its day, and note it in the audit log."""
    cur.execute(
        """INSERT INTO daily_reports (day, report) VALUES (%s, %s)
           ON CONFLICT (day) DO UPDATE SET report = EXCLUDED.report, created_at = now()""",
        (report["day"], json.dumps(report)),
    )
    audit.record(cur, actor="system:report", role=audit.SYSTEM_ROLE, action="report.daily", object_type="report",
                 object_id=report["day"], details={"queued": sum(report["queued_by_level"].values())})


def recent_reports(cur, days: int = 7) -> list[dict]:
    cur.execute("SELECT report FROM daily_reports ORDER BY day DESC LIMIT %s", (days,))
    return [row["report"] for row in cur.fetchall()]
