"""The daily report for supervisors: what came in, what the team decided, how fast, with which versions.

Counts and version names only (the report is kept two years, like the audit log). A day is
a calendar day in the service's time zone; building a day twice replaces the first report.
Each partner gets its own report of its scope (its communities and queue, and the national
ones if it shares them): a partner's supervisors never see another partner's volumes.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import audit
from core.db.connection import Cursor
from governance.partners import IN_SCOPE, POST_IN_SCOPE, Scope, scope_params
from models.lifecycle import registry
from privacy.policy_history import latest_policy_version
from quality import results

_DAY = "(%(day)s::date::timestamp AT TIME ZONE %(tz)s)"
_NEXT_DAY = "((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"


def _counts(cur: Cursor, sql: str, params: dict) -> dict[str, int]:
    cur.execute(sql, params)
    return {str(row["key"]): int(row["n"]) for row in cur.fetchall()}


def build_report(cur: Cursor, day: date, timezone: str, scope: Scope) -> dict:
    """``scope``'s report for ``day`` from the stored rows (posts, scores, suggestions, checks)."""
    params = {"day": day.isoformat(), "tz": timezone, **scope_params(scope)}
    window = f"BETWEEN {_DAY} AND {_NEXT_DAY}"
    start = datetime.combine(day, time(), ZoneInfo(timezone))
    end = datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone))
    collected = _counts(cur, f"SELECT p.language AS key, count(*) AS n FROM posts p WHERE p.collected_at {window} "
                             f"AND {POST_IN_SCOPE} GROUP BY p.language", params)
    scored = _counts(cur, f"SELECT s.level AS key, count(*) AS n FROM scores s JOIN posts p ON p.id = s.post_id "
                          f"WHERE s.scored_at {window} AND {POST_IN_SCOPE} GROUP BY s.level", params)
    suggestions = f"FROM suggestions g WHERE {IN_SCOPE} AND"
    queued = _counts(cur, f"SELECT g.level AS key, count(*) AS n {suggestions} g.created_at {window} "
                          "GROUP BY g.level", params)
    decided = _counts(cur, f"SELECT g.status AS key, count(*) AS n {suggestions} g.decided_at {window} "
                           "GROUP BY g.status", params)
    outcomes = _counts(cur, f"SELECT g.outcome AS key, count(*) AS n {suggestions} g.decided_at {window} "
                            "AND g.outcome IS NOT NULL GROUP BY g.outcome", params)
    cur.execute(
        f"""SELECT g.level, count(*) AS decided, count(*) FILTER (WHERE g.decided_at <= g.sla_due) AS on_time
            {suggestions} g.decided_at {window} GROUP BY g.level ORDER BY g.level""", params)
    sla = {str(r["level"]): {"decided": int(r["decided"]), "on_time": int(r["on_time"])} for r in cur.fetchall()}
    cur.execute(f"SELECT count(*) AS n FROM suggestions g JOIN posts p ON p.id = g.post_id "
                f"WHERE g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL AND {IN_SCOPE}", params)
    still_open = int(cur.fetchone()["n"])
    model = registry.active_version(cur)
    return {
        "day": day.isoformat(), "timezone": timezone, "partner": scope.partner,
        "collected_by_language": collected, "scored_by_level": scored, "queued_by_level": queued,
        "decisions": decided, "outcomes": outcomes, "sla_by_level": sla, "open_at_report_time": still_open,
        "quality_checks": results.summary(cur, start, end),
        "model_version": model or "lexicon baseline",
        "filter_version": latest_policy_version(cur),
    }


def store_report(cur: Cursor, report: dict) -> None:
    """Insert or replace the report of its day and partner, and note it in the audit log."""
    cur.execute(
        """INSERT INTO daily_reports (day, partner, report) VALUES (%s, %s, %s)
           ON CONFLICT (day, partner) DO UPDATE SET report = EXCLUDED.report, created_at = now()""",
        (report["day"], report["partner"], json.dumps(report)),
    )
    audit.record(cur, actor="system:report", role=audit.SYSTEM_ROLE, action="report.daily", object_type="partner",
                 object_id=report["partner"],
                 details={"day": report["day"], "queued": sum(report["queued_by_level"].values())})


def recent_reports(cur: Cursor, partner: str, days: int = 7) -> list[dict]:
    """``partner``'s reports of the last ``days`` days, newest first."""
    cur.execute("SELECT report FROM daily_reports WHERE partner = %s ORDER BY day DESC LIMIT %s", (partner, days))
    return [row["report"] for row in cur.fetchall()]


def purge_expired(cur: Cursor) -> int:
    cur.execute("DELETE FROM daily_reports WHERE purge_after < now()")
    return cur.rowcount
