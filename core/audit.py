"""The append-only audit log (invariant 6): who did what to which object, never post text."""

from __future__ import annotations

import json
from typing import Any

SYSTEM_ROLE = "system"
DEFAULT_AUDIT_RETENTION_DAYS = 730


def record(cur, *, actor: str, role: str, action: str, object_type: str | None = None,
           object_id: str | None = None, details: dict[str, Any] | None = None,
           retention_days: int = DEFAULT_AUDIT_RETENTION_DAYS) -> None:
    """Append one event inside the caller's transaction, so the event and the act commit together."""
    cur.execute(
        """
        INSERT INTO audit_log (actor, actor_role, action, object_type, object_id, details, purge_after)
        VALUES (%s, %s, %s, %s, %s, %s, now() + make_interval(days => %s))
        """,
        (actor, role, action, object_type, object_id, json.dumps(details or {}), retention_days),
    )


def purge_expired(cur) -> int:
    """Delete audit events past their own retention; the table's trigger allows nothing else."""
    cur.execute("SET LOCAL majakka.audit_retention_purge = 'on'")
    cur.execute("DELETE FROM audit_log WHERE purge_after < now()")
    return cur.rowcount
