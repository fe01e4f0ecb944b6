"""Connections to the system of record.

One place decides where the database is: ``MAJAKKA_DATABASE_URL`` when set, the
embedded server otherwise. Every stage opens short transactions through
:func:`transaction` so a killed task leaves either a whole batch or nothing.

Opening a connection and migrating the schema are separate steps (:func:`open_connection`
here, :func:`core.db.migrate.migrate_database` there), so that each can run under its own
database role. ``Connection`` and ``Cursor`` are the types every query function takes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeAlias

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from core.config import Settings
from core.db import embedded

_CONNECT_ATTEMPTS = 5

#: An open connection to the system of record (autocommit off).
Connection: TypeAlias = psycopg2.extensions.connection
#: A cursor inside :func:`transaction`: rows come back as dictionaries keyed by column name.
Cursor: TypeAlias = psycopg2.extras.RealDictCursor


def database_url(settings: Settings) -> str:
    """The DSN to use: configured, or the embedded server's (started on demand)."""
    if settings.database_url:
        return settings.database_url.replace("postgresql+psycopg2://", "postgresql://")
    return embedded.url(embedded.start(settings.home))


def connect(settings: Settings | None = None, *, dsn: str | None = None) -> Connection:
    """Open a connection, retrying briefly so a restarting server does not fail a task."""
    if dsn is None:
        if settings is None:
            raise ValueError("connect() needs settings or a dsn")
        dsn = database_url(settings)
    delay = 0.5
    for attempt in range(1, _CONNECT_ATTEMPTS + 1):
        try:
            conn = psycopg2.connect(dsn, application_name="majakka")
            conn.autocommit = False
            return conn
        except psycopg2.OperationalError:
            if attempt == _CONNECT_ATTEMPTS:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


@contextmanager
def open_connection(settings: Settings) -> Iterator[Connection]:
    """A connection for one job, closed on exit (the schema is not touched: see ``migrate_database``)."""
    conn = connect(settings)
    try:
        yield conn
    finally:
        conn.close()


def responds(conn: Connection) -> bool:
    """Whether the server answers a trivial query (the health check)."""
    with transaction(conn) as cur:
        cur.execute("SELECT 1 AS ok")
        return cur.fetchone()["ok"] == 1


@contextmanager
def transaction(conn: Connection) -> Iterator[Cursor]:
    """A cursor inside one transaction: commit on success, roll back on any error."""
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            yield cur
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
