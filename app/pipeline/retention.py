"""Retention purge: delete every row whose purge deadline has passed (invariant 5)."""

from __future__ import annotations

from core import audit
from core.db.connection import transaction
from privacy import posts

ACTOR = "system:retention"


def purge_expired(conn) -> dict[str, int]:
    """Expired posts (their scores, suggestions and notes cascade), audit events, quality results, reports.

    Also clears ended web sessions and old login failures, which hold no post data but need not linger.
    """
    with transaction(conn) as cur:
        removed_posts = posts.delete_expired(cur)
    with transaction(conn) as cur:
        removed_audit = audit.purge_expired(cur)
        cur.execute("DELETE FROM quality_checks WHERE purge_after < now()")
        removed_checks = cur.rowcount
        cur.execute("DELETE FROM daily_reports WHERE purge_after < now()")
        removed_reports = cur.rowcount
        cur.execute("DELETE FROM web_sessions WHERE expires_at < now()")
        cur.execute("DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'")
    counts = {"posts": removed_posts, "audit_events": removed_audit, "quality_checks": removed_checks,
              "daily_reports": removed_reports}
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="retention.purge", details=counts)
    return counts
