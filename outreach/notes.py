"""Internal notes on a suggestion, and asking a colleague for a second opinion.

Notes are counsellors' own words about a person in distress, so they are encrypted with
the same key ring as post text and disappear with the suggestion (cascade on purge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import audit
from core.db.connection import Connection, Cursor, transaction
from outreach.workflow import ActionRefusedError, Worker
from privacy.encryption import TextCipher

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    addressed_to: str | None
    text: str
    created_at: datetime
    answered: bool


@dataclass(frozen=True)
class OpinionRequest:
    """A colleague asked ``requested_by`` for a second opinion on a suggestion (no text in lists)."""

    note_id: int
    suggestion_id: int
    requested_by: str
    created_at: datetime


def add_note(conn: Connection, cipher: TextCipher, worker: Worker, suggestion_id: int, text: str, *,
             addressed_to: int | None = None) -> int:
    """Add a note; with ``addressed_to`` it is a second-opinion request to that colleague."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise ActionRefusedError("note_length")
    with transaction(conn) as cur:
        cur.execute("SELECT partner FROM suggestions WHERE id = %s", (suggestion_id,))
        row = cur.fetchone()
        if row is None or (worker.scope is not None and not worker.scope.covers(row["partner"])):
            raise ActionRefusedError("not_found")  # another partner's item does not exist for this worker
        if addressed_to is not None:
            cur.execute("SELECT partner FROM users WHERE id = %s AND active AND role IN ('counsellor', 'supervisor') "
                        "AND id <> %s", (addressed_to, worker.user_id))
            colleague = cur.fetchone()
            if colleague is None or (worker.scope is not None and colleague["partner"] != worker.scope.partner):
                raise ActionRefusedError("invalid_colleague")  # a note never reaches another partner's staff
        cur.execute(
            """INSERT INTO suggestion_notes (suggestion_id, author_id, addressed_to, note_encrypted)
               VALUES (%s, %s, %s, %s) RETURNING id""",
            (suggestion_id, worker.user_id, addressed_to, cipher.encrypt(text)),
        )
        note_id = int(cur.fetchone()["id"])
        action = "second_opinion_requested" if addressed_to is not None else "note"
        audit.record(cur, actor=worker.username, role=worker.role, action=f"suggestion.{action}",
                     object_type="suggestion", object_id=str(suggestion_id),
                     details={"note_id": note_id, "addressed_to": addressed_to})
    if addressed_to is None:
        _answer_requests(conn, worker, suggestion_id)
    return note_id


def _answer_requests(conn: Connection, worker: Worker, suggestion_id: int) -> None:
    """A note from a colleague who was asked for an opinion answers the request."""
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestion_notes SET answered_at = now() WHERE suggestion_id = %s AND addressed_to = %s "
                    "AND answered_at IS NULL", (suggestion_id, worker.user_id))


def notes_for(cur: Cursor, cipher: TextCipher, suggestion_id: int) -> list[Note]:
    cur.execute(
        """
        SELECT n.id, a.display_name AS author, t.display_name AS addressed_to, n.note_encrypted, n.created_at,
               n.answered_at IS NOT NULL AS answered
        FROM suggestion_notes n JOIN users a ON a.id = n.author_id LEFT JOIN users t ON t.id = n.addressed_to
        WHERE n.suggestion_id = %s ORDER BY n.created_at, n.id
        """,
        (suggestion_id,),
    )
    return [Note(r["id"], r["author"], r["addressed_to"], cipher.decrypt(bytes(r["note_encrypted"])),
                 r["created_at"], r["answered"]) for r in cur.fetchall()]


def open_requests(cur: Cursor, user_id: int) -> list[OpinionRequest]:
    """Second opinions still waiting for ``user_id``."""
    cur.execute(
        """
        SELECT n.id, n.suggestion_id, a.display_name AS requested_by, n.created_at
        FROM suggestion_notes n JOIN users a ON a.id = n.author_id
        WHERE n.addressed_to = %s AND n.answered_at IS NULL ORDER BY n.created_at
        """,
        (user_id,),
    )
    return [OpinionRequest(r["id"], r["suggestion_id"], r["requested_by"], r["created_at"]) for r in cur.fetchall()]
