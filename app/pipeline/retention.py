"""Retention purge: delete every row whose purge deadline has passed (invariant 5)."""

from __future__ import annotations

from app.staff import sessions
from core import audit
from core.db.connection import Connection, transaction
from outreach import daily_report
from privacy import posts
from quality import results

ACTOR = "system:retention"


def purge_expired(conn: Connection) -> dict[str, int]:
    """Expired posts (their scores, suggestions and notes cascade), audit events, quality results, reports.

    Also clears ended web sessions and old login failures, which hold no post data but need not linger.
    """
    with transaction(conn) as cur:
        removed_posts = posts.delete_expired(cur)
    with transaction(conn) as cur:
        removed_audit = audit.purge_expired(cur)
        removed_checks = results.purge_expired(cur)
        removed_reports = daily_report.purge_expired(cur)
        sessions.purge_expired(cur)
    counts = {"posts": removed_posts, "audit_events": removed_audit, "quality_checks": removed_checks,
              "daily_reports": removed_reports}
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="retention.purge", details=counts)
    return counts
