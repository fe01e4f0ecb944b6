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

from core.config import ConfigError, Settings
from core.db import embedded

_CONNECT_ATTEMPTS = 5

#: An open connection to the system of record (autocommit off).
Connection: TypeAlias = psycopg2.extensions.connection
#: A cursor inside :func:`transaction`: rows come back as dictionaries keyed by column name.
Cursor: TypeAlias = psycopg2.extras.RealDictCursor


def database_url(settings: Settings) -> str:
    """The DSN every job uses: configured, or the embedded server's app role (started on demand)."""
    if settings.database_url:
        return _libpq(settings.database_url)
    passwords = embedded_passwords(settings)
    return embedded.url(embedded.start(settings.home, passwords), role=embedded.APP_ROLE, password=passwords.app)


def migration_url(settings: Settings) -> str:
    """The DSN migrations use: the schema owner's role (configured, embedded, or the one configured URL)."""
    if settings.migration_database_url:
        return _libpq(settings.migration_database_url)
    if settings.database_url:
        return _libpq(settings.database_url)
    passwords = embedded_passwords(settings)
    return embedded.url(embedded.start(settings.home, passwords), role=embedded.OWNER_ROLE,
                        password=passwords.owner)


def embedded_passwords(settings: Settings) -> embedded.Passwords:
    """The embedded server's role passwords from the secrets file; a clear error when they are missing."""
    values = (settings.db_superuser_password, settings.db_owner_password, settings.db_app_password)
    if any(value is None for value in values):
        raise ConfigError("MAJAKKA_DB_APP_PASSWORD, MAJAKKA_DB_OWNER_PASSWORD and MAJAKKA_DB_SUPERUSER_PASSWORD: "
                          "missing; expected generated passwords for the embedded database's roles "
                          "(run `majakka secrets-init`, which adds them to an existing secrets file)")
    return embedded.Passwords(*(value.get_secret_value() for value in values))  # type: ignore[union-attr]


def _libpq(dsn: str) -> str:
    return dsn.replace("postgresql+psycopg2://", "postgresql://")


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
