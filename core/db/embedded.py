"""The embedded PostgreSQL server (pgserver) used when no ``MAJAKKA_DATABASE_URL`` is set.

pgserver ships real PostgreSQL 16 binaries in a wheel, so a fresh machine gets the
system of record without apt or Docker. The server keeps running after the process
that started it exits (``cleanup_mode=None``): Airflow tasks, the CLI and the web app
are separate processes and must all reach the same server. ``majakka db stop`` ends it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

APP_DATABASE = "majakka"

log = logging.getLogger(__name__)


def data_dir(home: Path) -> Path:
    """The PostgreSQL data directory inside Majakka's home."""
    return home / "pgdata"


def start(home: Path):  # -> pgserver.PostgresServer
    """Start (or attach to) the embedded server; returns the pgserver handle."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); pgserver copes.
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = data_dir(home)
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
    ensure_database(server, APP_DATABASE)
    return server


def ensure_database(server, name: str) -> None:
    """Create database ``name`` on the embedded server unless it exists."""
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
        log.info("created database %s", name)


def url(server, database: str = APP_DATABASE) -> str:
    """A libpq URL for ``database`` on the embedded server (unix socket, trust auth)."""
    return server.get_uri(database)


def stop(home: Path) -> bool:
    """Stop the embedded server if it runs; returns whether it was running."""
    from pgserver._commands import pg_ctl

    pgdata = data_dir(home)
    if not (pgdata / "postmaster.pid").exists():
        return False
    pg_ctl(["-w", "stop"], pgdata=pgdata, user="pgserver" if _is_root() else None)
    return True


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def redact_url(dsn: str) -> str:
    """The DSN with any password masked, safe to print."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    netloc = parts.netloc.replace(f":{parts.password}@", f":{quote('***')}@")
    return urlunsplit(parts._replace(netloc=netloc))
