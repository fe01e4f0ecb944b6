"""Stored results of the stage checks (table ``quality_checks``): what was checked, and the watermark.

Each stage's checks cover the posts stored (or scored) since its last recorded check, so a
re-run checks nothing twice. A result holds counts and expectation names only, never values.
"""

from __future__ import annotations

import json
from datetime import datetime

from core.db.connection import Cursor
from quality.checks import CheckResult


def watermark(cur: Cursor, stage: str) -> int:
    """The highest post id a check of ``stage`` has covered (0: none yet)."""
    cur.execute("SELECT coalesce(max(last_post_id), 0) AS last FROM quality_checks WHERE stage = %s", (stage,))
    return cur.fetchone()["last"]


def record(cur: Cursor, stage: str, post_ids: list[int], result: CheckResult, *, rows: int) -> None:
    """Keep one suite's result for the posts ``post_ids`` (first to last, in id order)."""
    cur.execute(
        "INSERT INTO quality_checks (stage, suite, first_post_id, last_post_id, rows_checked, passed, "
        "failures) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (stage, result.suite, post_ids[0], post_ids[-1], rows, result.passed,
         json.dumps(result.summary()["failures"])),
    )


def recent(cur: Cursor, limit: int = 20) -> list[dict]:
    """The latest results, newest first, for the ML engineer's page."""
    cur.execute("SELECT stage, suite, rows_checked, passed, failures, checked_at FROM quality_checks "
                "ORDER BY checked_at DESC LIMIT %s", (limit,))
    return list(cur.fetchall())


def summary(cur: Cursor, start: datetime, end: datetime) -> dict[str, int]:
    """How many checks ran between ``start`` and ``end`` (both included), and how many failed."""
    cur.execute("SELECT count(*) FILTER (WHERE NOT passed) AS failed, count(*) AS n FROM quality_checks "
                "WHERE checked_at BETWEEN %s AND %s", (start, end))
    row = cur.fetchone()
    return {"run": int(row["n"]), "failed": int(row["failed"])}


def purge_expired(cur: Cursor) -> int:
    cur.execute("DELETE FROM quality_checks WHERE purge_after < now()")
    return cur.rowcount
