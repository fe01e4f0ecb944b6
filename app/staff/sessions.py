"""Server-side web sessions with idle and absolute timeouts, and login throttling.

The cookie carries a random token; the database keeps only its SHA-256, the user, a CSRF
token and the timestamps. Ending a session (logout, idle timeout, password change,
deactivation) deletes the row, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor

THROTTLE_WINDOW_MINUTES = 15
CLIENT_FAILURE_FACTOR = 4
#: Longest wait between attempts on an account failing from many clients.
MAX_ACCOUNT_DELAY_SECONDS = 300
#: Sessions one account may hold at once (a phone, a desk, a laptop, with room to spare).
MAX_SESSIONS_PER_USER = 5
#: A client an account signed in from within this many days is its owner's, for throttling.
KNOWN_CLIENT_DAYS = 60


@dataclass(frozen=True)
class Session:
    user_id: int
    csrf_token: str
    created_at: datetime
    #: the password was right; the one-time code is still to come (nothing else opens until it does)
    second_factor_pending: bool = False


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(cur: Cursor, user_id: int, *, hours: float, client: str = "", user_agent: str = "",
          second_factor_pending: bool = False) -> str:
    """Create a session and return the cookie token (shown to the browser only).

    An account keeps at most :data:`MAX_SESSIONS_PER_USER` sessions: the least recently used go first,
    so a stolen password cannot quietly keep a session open beside the owner's forever.
    """
    token = secrets.token_urlsafe(32)
    cur.execute(
        """INSERT INTO web_sessions (token_hash, user_id, csrf_token, expires_at, client, user_agent,
                                    second_factor_pending)
           VALUES (%s, %s, %s, now() + make_interval(secs => %s), %s, %s, %s)""",
        (_hash(token), user_id, secrets.token_urlsafe(32), hours * 3600, client[:64], user_agent[:200],
         second_factor_pending),
    )
    cur.execute("""DELETE FROM web_sessions WHERE user_id = %(u)s AND token_hash NOT IN (
                       SELECT token_hash FROM web_sessions WHERE user_id = %(u)s
                       ORDER BY last_seen_at DESC, created_at DESC LIMIT %(keep)s)""",
                {"u": user_id, "keep": MAX_SESSIONS_PER_USER})
    return token


@dataclass(frozen=True)
class SessionInfo:
    """One of a person's sessions as they see it on their settings page (never the token)."""

    created_at: datetime
    last_seen_at: datetime
    client: str
    user_agent: str
    current: bool


def of_user(cur: Cursor, user_id: int, current_token: str) -> list[SessionInfo]:
    """The person's live sessions, the one making this request marked, most recently used first."""
    cur.execute("""SELECT created_at, last_seen_at, client, user_agent, token_hash = %s AS current
                   FROM web_sessions WHERE user_id = %s AND expires_at > now() ORDER BY last_seen_at DESC""",
                (_hash(current_token), user_id))
    return [SessionInfo(r["created_at"], r["last_seen_at"], r["client"], r["user_agent"], r["current"])
            for r in cur.fetchall()]


def end_others(cur: Cursor, user_id: int, current_token: str) -> int:
    """Sign the person out everywhere but here; returns how many sessions ended."""
    cur.execute("DELETE FROM web_sessions WHERE user_id = %s AND token_hash <> %s", (user_id, _hash(current_token)))
    return cur.rowcount


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
           RETURNING user_id, csrf_token, created_at, second_factor_pending""",
        (_hash(token),),
    )
    row = cur.fetchone()
    return None if row is None else Session(int(row["user_id"]), row["csrf_token"], row["created_at"],
                                            bool(row["second_factor_pending"]))


#: How long a session may wait for its one-time code before it is gone.
SECOND_FACTOR_MINUTES = 10


def complete_second_factor(cur: Cursor, token: str, *, hours: float) -> None:
    """The one-time code was right: the session opens, with its full lifetime from now."""
    cur.execute("""UPDATE web_sessions SET second_factor_pending = false,
                       expires_at = now() + make_interval(secs => %s) WHERE token_hash = %s""",
                (hours * 3600, _hash(token)))


def end(cur: Cursor, token: str) -> None:
    cur.execute("DELETE FROM web_sessions WHERE token_hash = %s", (_hash(token),))


def throttle(cur: Cursor, username: str, client: str, *, max_failures: int) -> int:
    """Seconds this sign-in attempt must wait; 0 lets it through.

    Throttling slows an attacker without handing them a way to lock the real person out:
    - the pair (this account, this client) is locked for the window after ``max_failures`` failures;
    - a client guessing across many accounts is locked after ``max_failures * CLIENT_FAILURE_FACTOR``;
    - an account that fails from many clients gets a growing delay between attempts (doubling from one
      second up to :data:`MAX_ACCOUNT_DELAY_SECONDS`), except from clients it has signed in from before,
      so that its owner at their usual desk is never kept out by a stranger.
    """
    cur.execute(
        """
        SELECT count(*) FILTER (WHERE username = %(u)s AND client = %(c)s) AS pair,
               max(failed_at) FILTER (WHERE username = %(u)s AND client = %(c)s) AS pair_last,
               count(*) FILTER (WHERE client = %(c)s) AS by_client,
               max(failed_at) FILTER (WHERE client = %(c)s) AS client_last,
               count(*) FILTER (WHERE username = %(u)s) AS by_user,
               max(failed_at) FILTER (WHERE username = %(u)s) AS user_last,
               now() AS now,
               EXISTS (SELECT 1 FROM sign_in_clients k WHERE k.username = %(u)s AND k.client = %(c)s
                       AND k.last_at > now() - make_interval(days => %(known)s)) AS known
        FROM login_failures
        WHERE failed_at > now() - make_interval(mins => %(window)s) AND (username = %(u)s OR client = %(c)s)
        """,
        {"u": username, "c": client, "window": THROTTLE_WINDOW_MINUTES, "known": KNOWN_CLIENT_DAYS},
    )
    row = cur.fetchone()
    window = THROTTLE_WINDOW_MINUTES * 60
    waits = [0]
    if row["pair"] >= max_failures:
        waits.append(window - (row["now"] - row["pair_last"]).total_seconds())
    if row["by_client"] >= max_failures * CLIENT_FAILURE_FACTOR:
        waits.append(window - (row["now"] - row["client_last"]).total_seconds())
    if row["by_user"] >= max_failures and not row["known"]:
        delay = min(2 ** (row["by_user"] - max_failures), MAX_ACCOUNT_DELAY_SECONDS)
        waits.append(delay - (row["now"] - row["user_last"]).total_seconds())
    return max(0, math.ceil(max(waits)))


def record_failure(cur: Cursor, username: str, client: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE failed_at < now() - make_interval(mins => %s)",
                (THROTTLE_WINDOW_MINUTES * 4,))
    cur.execute("INSERT INTO login_failures (username, client) VALUES (%s, %s)", (username[:64], client))


def record_success(cur: Cursor, username: str, client: str) -> None:
    """Clear this pair's failures (not the account's: a stranger's elsewhere still count) and remember
    the client as one the account signs in from."""
    cur.execute("DELETE FROM login_failures WHERE username = %s AND client = %s", (username, client))
    cur.execute("""INSERT INTO sign_in_clients (username, client) VALUES (%s, %s)
                   ON CONFLICT (username, client) DO UPDATE SET last_at = now()""", (username, client))


def end_all(cur: Cursor, user_id: int) -> None:
    """Sign a person out everywhere (an account deactivated or its password reset)."""
    cur.execute("DELETE FROM web_sessions WHERE user_id = %s", (user_id,))


def purge_expired(cur: Cursor) -> None:
    """Ended sessions and login failures older than a day: no post data, but no reason to linger."""
    cur.execute("DELETE FROM web_sessions WHERE expires_at < now()")
    cur.execute("DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'")
    cur.execute("DELETE FROM sign_in_clients WHERE last_at < now() - make_interval(days => %s)",
                (KNOWN_CLIENT_DAYS,))
