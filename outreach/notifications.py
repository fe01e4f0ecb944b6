"""In-app notifications: telling a person that something needs them, until they acknowledge it.

One model for every kind: a row per person to tell, naming an object (a suggestion) and a kind,
never post text. The header shows each person's unread count on every page; the notifications
page lists them and acknowledges them. Escalations are the first kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from core import audit
from core.db.connection import Cursor


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    suggestion_id: int | None
    details: dict
    created_at: datetime
    acknowledged_at: datetime | None


def notify(cur: Cursor, user_ids: list[int], *, kind: str, suggestion_id: int | None, details: dict) -> int:
    """Tell each of ``user_ids``; returns how many were told."""
    for user_id in user_ids:
        cur.execute("INSERT INTO notifications (user_id, kind, suggestion_id, details) VALUES (%s, %s, %s, %s)",
                    (user_id, kind, suggestion_id, json.dumps(details)))
    return len(user_ids)


def unread_count(cur: Cursor, user_id: int) -> int:
    cur.execute("SELECT count(*) AS n FROM notifications WHERE user_id = %s AND acknowledged_at IS NULL", (user_id,))
    return int(cur.fetchone()["n"])


def recent(cur: Cursor, user_id: int, *, limit: int = 50) -> list[Notification]:
    """``user_id``'s notifications, unread first, newest first."""
    cur.execute("""SELECT id, kind, suggestion_id, details, created_at, acknowledged_at FROM notifications
                   WHERE user_id = %s ORDER BY acknowledged_at IS NOT NULL, created_at DESC LIMIT %s""",
                (user_id, limit))
    return [Notification(r["id"], r["kind"], r["suggestion_id"], r["details"], r["created_at"], r["acknowledged_at"])
            for r in cur.fetchall()]


def acknowledge(cur: Cursor, user_id: int, notification_id: int, *, actor: str, role: str) -> bool:
    """Mark one of ``user_id``'s own notifications read (audited); False if there is no such unread one."""
    cur.execute("UPDATE notifications SET acknowledged_at = now() WHERE id = %s AND user_id = %s "
                "AND acknowledged_at IS NULL RETURNING kind, suggestion_id", (notification_id, user_id))
    row = cur.fetchone()
    if row is None:
        return False
    audit.record(cur, actor=actor, role=role, action="notification.acknowledge", object_type="suggestion",
                 object_id=str(row["suggestion_id"]) if row["suggestion_id"] else None,
                 details={"notification_id": notification_id, "kind": row["kind"]})
    return True


def acknowledge_all(cur: Cursor, suggestion_id: int, *, kind: str) -> int:
    """Mark everyone's unread ``kind`` notifications about a suggestion read (someone took it on)."""
    cur.execute("UPDATE notifications SET acknowledged_at = now() WHERE suggestion_id = %s AND kind = %s "
                "AND acknowledged_at IS NULL", (suggestion_id, kind))
    return cur.rowcount


def acknowledge_case(cur: Cursor, case_id: int) -> int:
    """Mark every DPO's unread notice about a data-subject request read (the case was closed)."""
    cur.execute("UPDATE notifications SET acknowledged_at = now() WHERE kind = 'privacy_case' "
                "AND details->>'case_id' = %s AND acknowledged_at IS NULL", (str(case_id),))
    return cur.rowcount


def acknowledge_account(cur: Cursor, user_id: int) -> int:
    """Mark every approver's unread notice about an account's access request read (it was decided)."""
    cur.execute("UPDATE notifications SET acknowledged_at = now() WHERE kind = 'account_approval' "
                "AND details->>'user_id' = %s AND acknowledged_at IS NULL", (str(user_id),))
    return cur.rowcount
