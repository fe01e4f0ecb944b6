"""Erasure requests: "delete everything about u/x" (GDPR Art. 17).

The username is never stored, not even in the audit log: the request recomputes the
author's pseudonym under every key in the ring (rotation keeps old rows findable),
deletes the matching posts (scores and suggestions cascade), and audits only a random
request id and counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from core import audit
from core.db.connection import Connection, Cursor, transaction
from privacy import posts
from privacy.pseudonym import Pseudonymizer, normalise_username


@dataclass(frozen=True)
class ErasureResult:
    request_id: str
    posts_removed: int
    suggestions_removed: int
    keys_checked: int


def delete_author_rows(cur: Cursor, source: str, pseudonyms: list[str]) -> tuple[int, int]:
    """Delete the posts of these pseudonyms (scores, suggestions and notes cascade): (posts, suggestions).

    Suggestions are counted before the posts go, for the request's record; they cascade with them.
    """
    cur.execute("SELECT count(*) AS n FROM suggestions WHERE author_pseudonym = ANY(%s)", (pseudonyms,))
    suggestions = int(cur.fetchone()["n"])
    return posts.delete_by_authors(cur, source, pseudonyms), suggestions


def erase_author(conn: Connection, *, source: str, username: str, pseudonymizer: Pseudonymizer, actor: str,
                 role: str) -> ErasureResult:
    """Delete every stored row about ``username`` at ``source`` in one transaction."""
    if not normalise_username(username):
        raise ValueError("an erasure request needs a username")
    pseudonyms = list(pseudonymizer.candidates(source, username).values())
    request_id = uuid.uuid4().hex
    with transaction(conn) as cur:
        removed, suggestions = delete_author_rows(cur, source, pseudonyms)
        result = ErasureResult(request_id, removed, suggestions, len(pseudonyms))
        audit.record(cur, actor=actor, role=role, action="erasure.request", object_type="erasure",
                     object_id=request_id, details={"source": source, "posts_removed": removed,
                                                    "suggestions_removed": suggestions,
                                                    "keys_checked": len(pseudonyms)})
    return result
