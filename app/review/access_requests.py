"""Telling the people who can approve it that an account waits for access to post text.

Every active DPO and every other administrator of the partner (or of the deployment) is notified
in the app; the person who asked is not, since they cannot approve their own request.
"""

from __future__ import annotations

from app.staff import accounts
from core.db.connection import Cursor
from outreach import notifications


def announce(cur: Cursor, *, user_id: int, username: str, role: str, requested_by: str, partner: str | None) -> int:
    """Notify the possible approvers; returns how many were told."""
    approvers = [u.id for u in accounts.list_users(cur, roles=accounts.APPROVER_ROLES)
                 if u.username != requested_by and u.username != username
                 and (u.role == "dpo" or partner is None or u.scope.partner == partner
                      or u.scope.administered is None)]
    return notifications.notify(cur, approvers, kind="account_approval", suggestion_id=None,
                                details={"user_id": user_id, "username": username, "role": role,
                                         "requested_by": requested_by})
