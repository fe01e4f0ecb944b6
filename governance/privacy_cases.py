"""Data-subject requests as cases: erasure, access and unproven opt-outs, each with a deadline.

GDPR Art. 12(3) gives the controller one month from receipt to answer. A case records the
request's reference, when it was received, its deadline, who handled it and the outcome, and
holds the person's keyed pseudonyms (never the username) only while it is open: confirming
executes the request with them, rejecting drops them, and either way they are cleared.

Nothing is deleted when a case opens. A public opt-out without proof that the requester owns
the account lands here instead of purging at once, so a hostile stranger cannot quietly remove
someone in crisis from outreach; the DPO confirms once ownership is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core import audit
from core.db.connection import Cursor
from governance import opt_out
from governance.erasure import delete_author_rows

KINDS = ("erasure", "access", "opt_out")
#: GDPR Art. 12(3): one month from receipt (30 days, the shortest month-long reading).
RESPONSE_DAYS = 30
#: Open cases due within this many days are listed as due soon.
DUE_SOON_DAYS = 7


class CaseError(ValueError):
    """The case does not exist, is closed already, or the request is not one Majakka handles."""


@dataclass(frozen=True)
class PrivacyCase:
    id: int
    kind: str
    source: str
    verified: bool
    received_on: date
    due_on: date
    opened_by: str
    status: str
    handled_by: str | None
    handled_at: datetime | None
    outcome: dict = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """The reference a person and the DPO quote in letters: year of receipt and number."""
        return f"DSR-{self.received_on.year}-{self.id:05d}"

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


_COLUMNS = "id, kind, source, verified, received_on, due_on, opened_by, status, handled_by, handled_at, outcome"


def _case(row: dict) -> PrivacyCase:
    return PrivacyCase(row["id"], row["kind"], row["source"], row["verified"], row["received_on"], row["due_on"],
                       row["opened_by"], row["status"], row["handled_by"], row["handled_at"], row["outcome"])


def open_case(cur: Cursor, *, kind: str, source: str, pseudonyms: dict[str, str], received_on: date,
              actor: str, role: str, verified: bool = False) -> PrivacyCase:
    """Record a request; deletes nothing. ``pseudonyms`` maps key id to pseudonym (every key in the ring)."""
    if kind not in KINDS:
        raise CaseError(f"unknown request kind {kind!r}")
    if not pseudonyms:
        raise CaseError("a request needs the person's pseudonyms")
    if received_on > date.today() + timedelta(days=1):
        raise CaseError("a request cannot be received in the future")
    cur.execute(
        f"""INSERT INTO privacy_cases (kind, source, pseudonyms, verified, received_on, due_on, opened_by)
            VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}""",
        (kind, source, json.dumps(pseudonyms), verified, received_on,
         received_on + timedelta(days=RESPONSE_DAYS), actor),
    )
    case = _case(cur.fetchone())
    audit.record(cur, actor=actor, role=role, action="case.open", object_type="case", object_id=case.reference,
                 details={"kind": kind, "source": source, "verified": verified,
                          "received_on": received_on.isoformat(), "due_on": case.due_on.isoformat()})
    return case


def get(cur: Cursor, case_id: int) -> PrivacyCase | None:
    cur.execute(f"SELECT {_COLUMNS} FROM privacy_cases WHERE id = %s", (case_id,))
    row = cur.fetchone()
    return None if row is None else _case(row)


def listing(cur: Cursor, *, open_only: bool = False, limit: int = 200) -> list[PrivacyCase]:
    """Open cases first, earliest deadline first; then closed ones, latest handled first."""
    cur.execute(f"""SELECT {_COLUMNS} FROM privacy_cases {"WHERE status = 'open'" if open_only else ""}
                    ORDER BY status <> 'open', CASE WHEN status = 'open' THEN due_on END, handled_at DESC
                    LIMIT %s""", (limit,))
    return [_case(row) for row in cur.fetchall()]


def due_soon(cur: Cursor, today: date) -> list[PrivacyCase]:
    """Open cases due within :data:`DUE_SOON_DAYS` days, or overdue."""
    cur.execute(f"SELECT {_COLUMNS} FROM privacy_cases WHERE status = 'open' AND due_on <= %s ORDER BY due_on",
                (today + timedelta(days=DUE_SOON_DAYS),))
    return [_case(row) for row in cur.fetchall()]


def stored_counts(cur: Cursor, case_id: int) -> dict[str, int]:
    """What confirming would touch: the person's stored posts and suggestions (counts only)."""
    case, candidates = _open(cur, case_id)
    cur.execute("""SELECT (SELECT count(*) FROM posts WHERE source = %(s)s AND author_pseudonym = ANY(%(p)s)) AS posts,
                          (SELECT count(*) FROM suggestions WHERE author_pseudonym = ANY(%(p)s)) AS suggestions""",
                {"s": case.source, "p": list(candidates.values())})
    row = cur.fetchone()
    return {"posts": int(row["posts"]), "suggestions": int(row["suggestions"])}


def _open(cur: Cursor, case_id: int) -> tuple[PrivacyCase, dict[str, str]]:
    """An open case, locked for this transaction, with its pseudonyms (key id -> pseudonym)."""
    cur.execute(f"SELECT {_COLUMNS}, pseudonyms FROM privacy_cases WHERE id = %s AND status = 'open' FOR UPDATE",
                (case_id,))
    row = cur.fetchone()
    if row is None:
        raise CaseError("no such open case")
    return _case(row), row["pseudonyms"]


def confirm(cur: Cursor, case_id: int, *, actor: str, role: str) -> PrivacyCase:
    """Carry out an open erasure or opt-out case (access cases close with :func:`answer_access`)."""
    case, candidates = _open(cur, case_id)
    if case.kind == "access":
        raise CaseError("an access request is answered with its export")
    if case.kind == "opt_out":
        opt_out.add_pseudonyms(cur, case.source, candidates, request_id=case.reference)
    posts_removed, suggestions_removed = delete_author_rows(cur, case.source, list(candidates.values()))
    return _close(cur, case, status="done", actor=actor, role=role,
                  outcome={"posts_removed": posts_removed, "suggestions_removed": suggestions_removed})


def access_pseudonyms(cur: Cursor, case_id: int) -> tuple[PrivacyCase, list[str]]:
    """An open access case (locked) and the pseudonyms its export is built from."""
    case, candidates = _open(cur, case_id)
    if case.kind != "access":
        raise CaseError("no such open access case")
    return case, list(candidates.values())


def answer_access(cur: Cursor, case: PrivacyCase, *, actor: str, role: str, posts_exported: int) -> PrivacyCase:
    """Close an access case (from :func:`access_pseudonyms`, same transaction) once its export has been
    produced; the export itself is not kept."""
    if case.status != "open" or case.kind != "access":
        raise CaseError("no such open access case")
    return _close(cur, case, status="done", actor=actor, role=role, outcome={"posts_exported": posts_exported})


def reject(cur: Cursor, case_id: int, *, actor: str, role: str, reason: str) -> PrivacyCase:
    """Close a case without acting on it (for example, ownership was never shown); the reason is kept."""
    case, _ = _open(cur, case_id)
    if not reason.strip():
        raise CaseError("a rejection needs a reason")
    return _close(cur, case, status="rejected", actor=actor, role=role, outcome={"reason": reason.strip()[:500]})


def _close(cur: Cursor, case: PrivacyCase, *, status: str, actor: str, role: str, outcome: dict) -> PrivacyCase:
    """Record the outcome and drop the pseudonyms: a closed case no longer identifies anyone."""
    cur.execute(f"""UPDATE privacy_cases SET status = %s, handled_by = %s, handled_at = now(), outcome = %s,
                        pseudonyms = '{{}}'::jsonb
                    WHERE id = %s RETURNING {_COLUMNS}""", (status, actor, json.dumps(outcome), case.id))
    closed = _case(cur.fetchone())
    audit.record(cur, actor=actor, role=role, action=f"case.{status}", object_type="case", object_id=case.reference,
                 details={"kind": case.kind, **outcome, "days_left": case.days_left(date.today())})
    return closed
