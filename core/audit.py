"""The append-only audit log (invariant 6): who did what to which object, never post text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.db.connection import Cursor

SYSTEM_ROLE = "system"
DEFAULT_AUDIT_RETENTION_DAYS = 730
COLUMNS = ("id", "occurred_at", "actor", "actor_role", "action", "object_type", "object_id", "details")


@dataclass(frozen=True)
class AuditQuery:
    """A search of the log; every field but ``limit`` is optional (``None``: no filter)."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    #: one object ("who did what to item 42": object_type suggestion, object_id 42)
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 1000
    offset: int = 0
    #: actions left out (a DPO's own searches would fill the first page)
    exclude_actions: tuple[str, ...] = ()
    #: only events of this partner: by its staff, on its suggestions, or on the partner itself
    #: (``None``: the whole deployment, for the operator's DPO and the command line)
    partner: str | None = None


def record(cur: Cursor, *, actor: str, role: str, action: str, object_type: str | None = None,
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


def purge_expired(cur: Cursor) -> int:
    """Delete audit events past their own retention, through the one function allowed to (it runs with the
    schema owner's rights; the app role itself may not delete from the log, and the trigger refuses the rest)."""
    cur.execute("SELECT purge_expired_audit_events() AS removed")
    return int(cur.fetchone()["removed"])


#: SQL: an ``audit_log`` event is one of partner ``%(partner)s``'s: by its staff, on its suggestions,
#: or on the partner itself (what the partner's DPO audits).
AUDIT_OF_PARTNER = """(EXISTS (SELECT 1 FROM users u WHERE u.username = audit_log.actor AND u.partner = %(partner)s)
     OR (audit_log.object_type = 'suggestion' AND EXISTS (
             SELECT 1 FROM suggestions g WHERE g.id::text = audit_log.object_id AND g.partner = %(partner)s))
     OR (audit_log.object_type = 'partner' AND audit_log.object_id = %(partner)s))"""


_MATCHES = """
        (%(actor)s::text IS NULL OR actor = %(actor)s)
          AND (%(action)s::text IS NULL OR action LIKE %(action)s)
          AND (%(object_type)s::text IS NULL OR object_type = %(object_type)s)
          AND (%(object_id)s::text IS NULL OR object_id = %(object_id)s)
          AND (%(since)s::timestamptz IS NULL OR occurred_at >= %(since)s)
          AND (%(until)s::timestamptz IS NULL OR occurred_at < %(until)s)
          AND NOT (action = ANY(%(excluded)s::text[]))
          AND (%(partner)s::text IS NULL OR """ + AUDIT_OF_PARTNER + ")"


def _params(query: AuditQuery) -> dict:
    action_prefix = None if not query.action else query.action.replace("%", r"\%").replace("_", r"\_") + "%"
    return {"actor": query.actor or None, "action": action_prefix, "object_type": query.object_type or None,
            "object_id": query.object_id or None, "since": query.since, "until": query.until,
            "limit": query.limit, "offset": query.offset, "partner": query.partner,
            "excluded": list(query.exclude_actions)}


def search(cur: Cursor, query: AuditQuery) -> list[dict]:
    """Matching events, newest first. ``action`` matches as a prefix ("queue." finds all queue events)."""
    cur.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log WHERE {_MATCHES} "
                "ORDER BY occurred_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s", _params(query))
    return list(cur.fetchall())


def count(cur: Cursor, query: AuditQuery) -> int:
    """How many events match ``query`` in all (its limit and offset aside)."""
    cur.execute(f"SELECT count(*) AS n FROM audit_log WHERE {_MATCHES}", _params(query))
    return int(cur.fetchone()["n"])


def actions(cur: Cursor) -> list[str]:
    """Every action the log holds, for a search form's picker."""
    cur.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")
    return [row["action"] for row in cur.fetchall()]


def recorded_recently(cur: Cursor, *, action: str, object_id: str, hours: int) -> bool:
    """Whether ``action`` was recorded for ``object_id`` within the last ``hours`` (alerts that must not flood)."""
    cur.execute("SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = %s AND object_id = %s "
                "AND occurred_at > now() - make_interval(hours => %s)) AS found", (action, object_id, hours))
    return bool(cur.fetchone()["found"])


def details_since(cur: Cursor, actions: list[str], since: datetime) -> list[dict]:
    """(``action``, ``details``) of events of ``actions`` since ``since``, oldest first: stage counts for the demo."""
    cur.execute("SELECT action, details FROM audit_log WHERE action = ANY(%s) AND occurred_at >= %s ORDER BY id",
                (actions, since))
    return list(cur.fetchall())
