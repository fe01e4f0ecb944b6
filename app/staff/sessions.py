"""Server-side web sessions with idle and absolute timeouts, and login throttling.

The cookie carries a random token; the database keeps only its SHA-256, the user, a CSRF
token and the timestamps. Ending a session (logout, idle timeout, password change,
deactivation) deletes the row, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor

THROTTLE_WINDOW_MINUTES = 15
CLIENT_FAILURE_FACTOR = 4


@dataclass(frozen=True)
class Session:
    user_id: int
    csrf_token: str
    created_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(cur: Cursor, user_id: int, *, hours: float) -> str:
    """Create a session and return the cookie token (shown to the browser only)."""
    token = secrets.token_urlsafe(32)
    cur.execute(
        """INSERT INTO web_sessions (token_hash, user_id, csrf_token, expires_at)
           VALUES (%s, %s, %s, now() + make_interval(secs => %s))""",
        (_hash(token), user_id, secrets.token_urlsafe(32), hours * 3600),
    )
    return token


def resume(cur: Cursor, token: str, *, idle_minutes: int) -> Session | None:
    """The live session for ``token``, touched; expired or idle sessions are deleted and give ``None``."""
    cur.execute(
        """
        DELETE FROM web_sessions
        WHERE token_hash = %s AND (expires_at < now() OR last_seen_at < now() - make_interval(mins => %s))
        """,
        (_hash(token), idle_minutes),
    )
    cur.execute(
        """UPDATE web_sessions SET last_seen_at = now() WHERE token_hash = %s
           RETURNING user_id, csrf_token, created_at""",
        (_hash(token),),
    )
    row = cur.fetchone()
    return None if row is None else Session(int(row["user_id"]), row["csrf_token"], row["created_at"])


def end(cur: Cursor, token: str) -> None:
    cur.execute("DELETE FROM web_sessions WHERE token_hash = %s", (_hash(token),))


def throttled(cur: Cursor, username: str, client: str, *, max_failures: int) -> bool:
    """Too many recent failures for this account, or for this client across accounts."""
    cur.execute(
        """
        SELECT count(*) FILTER (WHERE username = %(u)s) AS by_user, count(*) FILTER (WHERE client = %(c)s) AS by_client
        FROM login_failures
        WHERE failed_at > now() - make_interval(mins => %(window)s) AND (username = %(u)s OR client = %(c)s)
        """,
        {"u": username, "c": client, "window": THROTTLE_WINDOW_MINUTES},
    )
    row = cur.fetchone()
    return row["by_user"] >= max_failures or row["by_client"] >= max_failures * CLIENT_FAILURE_FACTOR


def record_failure(cur: Cursor, username: str, client: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE failed_at < now() - make_interval(mins => %s)",
                (THROTTLE_WINDOW_MINUTES * 4,))
    cur.execute("INSERT INTO login_failures (username, client) VALUES (%s, %s)", (username[:64], client))


def clear_failures(cur: Cursor, username: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE username = %s", (username,))


def end_all(cur: Cursor, user_id: int) -> None:
    """Sign a person out everywhere (an account deactivated or its password reset)."""
    cur.execute("DELETE FROM web_sessions WHERE user_id = %s", (user_id,))


def purge_expired(cur: Cursor) -> None:
    """Ended sessions and login failures older than a day: no post data, but no reason to linger."""
    cur.execute("DELETE FROM web_sessions WHERE expires_at < now()")
    cur.execute("DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'")
