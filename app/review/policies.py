"""Who may use which part of the app: every role policy in one table.

Least privilege: post text is shown only to the people who work the queue (counsellors
and supervisors). Data-protection officers audit without reading posts; ML engineers see
aggregate numbers; admins manage accounts and teams. Every route names exactly one policy
(``review.web.require``) and a test walks the route table to check it, role by role.
"""

from __future__ import annotations

from enum import StrEnum

from app.staff.accounts import APPROVER_ROLES, ROLES


class Policy(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    QUEUE = "queue"
    SUPERVISE = "supervise"
    PRIVACY = "privacy"
    MODELS = "models"
    ADMIN = "admin"
    APPROVE = "approve"


ALLOWED_ROLES: dict[Policy, frozenset[str]] = {
    Policy.PUBLIC: frozenset(),
    Policy.SIGNED_IN: frozenset(ROLES),
    Policy.QUEUE: frozenset({"counsellor", "supervisor"}),
    Policy.SUPERVISE: frozenset({"supervisor"}),
    Policy.PRIVACY: frozenset({"dpo"}),
    Policy.MODELS: frozenset({"ml_engineer", "dpo"}),
    Policy.ADMIN: frozenset({"admin"}),
    # a second person for access to post text: another admin, or the DPO
    Policy.APPROVE: frozenset(APPROVER_ROLES),
}

#: Where each role lands after signing in.
HOME_PAGE = {
    "counsellor": "/queue",
    "supervisor": "/supervisor",
    "dpo": "/dpo/audit",
    "ml_engineer": "/models",
    "admin": "/admin/users",
}


def allows(policy: Policy, role: str | None) -> bool:
    """Whether a signed-in ``role`` (``None``: anonymous) may use a route under ``policy``."""
    if policy is Policy.PUBLIC:
        return True
    return role is not None and role in ALLOWED_ROLES[policy]
