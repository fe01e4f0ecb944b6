"""A bounded connection pool whose borrowers wait for a free connection instead of failing.

psycopg2's own pools raise ``PoolError`` the moment every connection is lent out, which
turned ten concurrent requests into 500s for every counsellor. Here a borrower waits (up
to ``wait_seconds``) for a connection to come back; only when none comes back in time, or
the server cannot be reached at all, does it get :class:`DatabaseUnavailableError`, which
the web app answers with a 503 and a ``Retry-After``.

A connection that comes back broken (the server restarted, the network dropped) is
closed rather than lent again, and one that sat idle long enough for the server to have
gone away in the meantime is checked with a trivial query before it is lent out.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque

import psycopg2

from core.db.connection import Connection

#: Idle seconds after which a connection is checked with ``SELECT 1`` before it is lent out.
_CHECK_AFTER_IDLE_SECONDS = 5.0


class DatabaseUnavailableError(RuntimeError):
    """No connection within the wait (all busy for too long) or the server cannot be reached."""


class WaitingPool:
    """At most ``size`` open connections; ``getconn`` waits up to ``wait_seconds`` for one."""

    def __init__(self, dsn: str, *, size: int, wait_seconds: float, application_name: str) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one connection")
        self.size = size
        self.wait_seconds = wait_seconds
        self._dsn = dsn
        self._application_name = application_name
        self._slots = threading.BoundedSemaphore(size)
        self._idle: deque[tuple[Connection, float]] = deque()
        self._lock = threading.Lock()
        self._closed = False

    def getconn(self) -> Connection:
        """A live connection, waiting for one to come back if all are lent out."""
        if self._closed:
            raise DatabaseUnavailableError("the pool is closed")
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise DatabaseUnavailableError(f"no database connection became free within {self.wait_seconds:g} s")
        try:
            return self._live_connection()
        except BaseException:
            self._slots.release()
            raise

    def putconn(self, conn: Connection) -> None:
        """Give a connection back, rolled back; a broken one is closed instead of kept."""
        try:
            if not conn.closed:
                conn.rollback()
            keep = not conn.closed and not self._closed
        except psycopg2.Error:
            keep = False
        if keep:
            with self._lock:
                self._idle.append((conn, time.monotonic()))
        else:
            _close_quietly(conn)
        self._slots.release()

    def closeall(self) -> None:
        """Close every idle connection; connections still lent out are closed when they come back."""
        self._closed = True
        with self._lock:
            idle, self._idle = list(self._idle), deque()
        for conn, _ in idle:
            _close_quietly(conn)

    def _live_connection(self) -> Connection:
        while True:
            with self._lock:
                if not self._idle:
                    break
                conn, returned_at = self._idle.pop()  # the most recently used is the likeliest alive
            if not conn.closed and (time.monotonic() - returned_at < _CHECK_AFTER_IDLE_SECONDS or _answers(conn)):
                return conn
            _close_quietly(conn)
        try:
            conn = psycopg2.connect(self._dsn, application_name=self._application_name)
        except psycopg2.OperationalError as error:
            raise DatabaseUnavailableError("the database server cannot be reached") from error
        conn.autocommit = False
        return conn


def _answers(conn: Connection) -> bool:
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        conn.rollback()
        return True
    except psycopg2.Error:
        return False


def _close_quietly(conn: Connection) -> None:
    with contextlib.suppress(psycopg2.Error):
        conn.close()
