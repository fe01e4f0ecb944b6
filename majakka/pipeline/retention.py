"""Retention purge: delete every row whose purge deadline has passed (invariant 5)."""

from __future__ import annotations

from majakka.db.connection import transaction
from majakka.store import audit, posts

ACTOR = "system:retention"


def purge_expired(conn) -> dict[str, int]:
    """Expired posts (their scores and suggestions cascade), audit events and quality results."""
    with transaction(conn) as cur:
        removed_posts = posts.delete_expired(cur)
    with transaction(conn) as cur:
        removed_audit = audit.purge_expired(cur)
        cur.execute("DELETE FROM quality_checks WHERE purge_after < now()")
        removed_checks = cur.rowcount
    counts = {"posts": removed_posts, "audit_events": removed_audit, "quality_checks": removed_checks}
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="retention.purge", details=counts)
    return counts
