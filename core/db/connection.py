"""Connections to the system of record.

One place decides where the database is: ``MAJAKKA_DATABASE_URL`` when set, the
embedded server otherwise. Every stage opens short transactions through
:func:`transaction` so a killed task leaves either a whole batch or nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from core.config import Settings
from core.db import embedded

_CONNECT_ATTEMPTS = 5


def database_url(settings: Settings) -> str:
    """The DSN to use: configured, or the embedded server's (started on demand)."""
    if settings.database_url:
        return settings.database_url.replace("postgresql+psycopg2://", "postgresql://")
    return embedded.url(embedded.start(settings.home))


def connect(settings: Settings | None = None, *, dsn: str | None = None) -> psycopg2.extensions.connection:
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
def migrated_connection(settings: Settings) -> Iterator[psycopg2.extensions.connection]:
    """A connection whose schema is up to date (migrations are idempotent), closed on exit."""
    from core.db.migrate import migrate

    conn = connect(settings)
    try:
        migrate(conn)
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: psycopg2.extensions.connection) -> Iterator[psycopg2.extras.RealDictCursor]:
    """A cursor inside one transaction: commit on success, roll back on any error."""
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            yield cur
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
