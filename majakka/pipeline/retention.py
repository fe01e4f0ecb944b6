"""Retention purge: delete every row whose purge deadline has passed (invariant 5)."""

from __future__ import annotations

from majakka.db.connection import transaction
from majakka.store import audit, posts

ACTOR = "system:retention"


def purge_expired(conn) -> dict[str, int]:
    """Expired posts (their scores and suggestions cascade) and expired audit events."""
    with transaction(conn) as cur:
        removed_posts = posts.delete_expired(cur)
    with transaction(conn) as cur:
        removed_audit = audit.purge_expired(cur)
    counts = {"posts": removed_posts, "audit_events": removed_audit}
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="retention.purge", details=counts)
    return counts
