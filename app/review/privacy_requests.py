"""Opening a data-subject request as a case and telling the DPOs, for the public form and the DPO's own.

The username is turned into pseudonyms under every key in the ring here and then forgotten: the
case, its audit events and the DPOs' notifications hold only the pseudonyms and the reference.
"""

from __future__ import annotations

from datetime import date

from app import components
from app.staff import accounts
from core.config import Settings
from core.db.connection import Connection, transaction
from governance.privacy_cases import CaseError, PrivacyCase, open_case
from outreach import notifications
from privacy.pseudonym import normalise_username

SOURCE = "reddit"


def open_request(conn: Connection, settings: Settings, *, kind: str, username: str, received_on: date, actor: str,
                 role: str) -> PrivacyCase:
    """Open a case for ``username`` and notify every active DPO; raises :class:`CaseError` on a bad request."""
    if not normalise_username(username):
        raise CaseError("a request needs a username")
    candidates = components.pseudonymizer(settings).candidates(SOURCE, username)
    with transaction(conn) as cur:
        case = open_case(cur, kind=kind, source=SOURCE, pseudonyms=candidates, received_on=received_on,
                         actor=actor, role=role)
        dpos = [user.id for user in accounts.list_users(cur, roles=("dpo",))]
        notifications.notify(cur, dpos, kind="privacy_case", suggestion_id=None,
                             details={"reference": case.reference, "case_id": case.id, "request": kind,
                                      "due_on": case.due_on.isoformat()})
    return case
