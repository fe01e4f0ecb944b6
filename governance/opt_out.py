"""The opt-out registry: anyone can ask never to be read, suggested or contacted.

Only keyed pseudonyms are stored, one per key in the pseudonym key ring, so an opt-out made
before a key rotation still matches afterwards. When an author is matched under a retired key
only, the collector adds the pseudonym under the current key (lazy re-keying), so the opt-out
survives the retired key's eventual removal from the ring.

Registering an opt-out purges everything already stored about the author at once, in the
same transaction, and is audited with a request id and counts, never the username.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from core import audit
from core.db.connection import Connection, Cursor, transaction
from governance.erasure import delete_author_rows
from privacy import posts
from privacy.pseudonym import Pseudonymizer, normalise_username


@dataclass(frozen=True)
class OptOutResult:
    request_id: str
    posts_removed: int
    suggestions_removed: int


def register(conn: Connection, *, source: str, username: str, pseudonymizer: Pseudonymizer, actor: str,
             role: str) -> OptOutResult:
    """Record an opt-out for ``username`` and purge what is stored about them."""
    if not normalise_username(username):
        raise ValueError("an opt-out needs a username")
    candidates = pseudonymizer.candidates(source, username)
    request_id = uuid.uuid4().hex
    with transaction(conn) as cur:
        add_pseudonyms(cur, source, candidates, request_id=request_id)
        posts_removed, suggestions = delete_author_rows(cur, source, list(candidates.values()))
        result = OptOutResult(request_id, posts_removed, suggestions)
        audit.record(cur, actor=actor, role=role, action="optout.register", object_type="optout",
                     object_id=request_id, details={"source": source, "posts_removed": result.posts_removed,
                                                    "suggestions_removed": suggestions,
                                                    "keys": len(candidates)})
    return result


def add_pseudonyms(cur: Cursor, source: str, candidates: dict[str, str], *, request_id: str) -> None:
    """Register an author's pseudonyms (key id -> pseudonym) as opted out; purging is the caller's step."""
    for key, pseudonym in candidates.items():
        cur.execute(
            """INSERT INTO opt_outs (source, pseudonym, key_id, request_id) VALUES (%s, %s, %s, %s)
               ON CONFLICT (source, pseudonym) DO NOTHING""",
            (source, pseudonym, key, request_id),
        )


def registry(cur: Cursor, source: str) -> set[str]:
    """Every opted-out pseudonym for ``source`` (loaded once per collection run)."""
    cur.execute("SELECT pseudonym FROM opt_outs WHERE source = %s", (source,))
    return {row["pseudonym"] for row in cur.fetchall()}


def rekey(cur: Cursor, *, source: str, pseudonym: str, key_id: str) -> None:
    """Add the current key's pseudonym for an author matched under a retired key."""
    cur.execute(
        """INSERT INTO opt_outs (source, pseudonym, key_id, request_id) VALUES (%s, %s, %s, 'rekeyed')
           ON CONFLICT (source, pseudonym) DO NOTHING""",
        (source, pseudonym, key_id),
    )


def is_opted_out(cur: Cursor, pseudonym: str) -> bool:
    cur.execute("SELECT EXISTS (SELECT 1 FROM opt_outs WHERE pseudonym = %s) AS found", (pseudonym,))
    return bool(cur.fetchone()["found"])


def count(cur: Cursor) -> int:
    """Opt-out requests (not pseudonym rows: one request stores one row per key)."""
    cur.execute("SELECT count(DISTINCT request_id) FILTER (WHERE request_id <> 'rekeyed') AS n FROM opt_outs")
    return int(cur.fetchone()["n"])


def sweep(conn: Connection, *, actor: str = "system:opt-out") -> int:
    """Delete rows of opted-out authors that arrived after their request (e.g. collected by a run
    that had loaded the registry just before the opt-out). Runs hourly; returns posts removed."""
    with transaction(conn) as cur:
        cur.execute("SELECT source, array_agg(pseudonym) AS pseudonyms FROM opt_outs GROUP BY source")
        removed = sum(posts.delete_by_authors(cur, row["source"], row["pseudonyms"]) for row in cur.fetchall())
        audit.record(cur, actor=actor, role=audit.SYSTEM_ROLE, action="optout.sweep",
                     details={"posts_removed": removed})
    return removed
