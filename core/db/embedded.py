"""The embedded PostgreSQL server (pgserver) used when no ``MAJAKKA_DATABASE_URL`` is set.

pgserver ships real PostgreSQL 16 binaries in a wheel, so a fresh machine gets the
system of record without apt or Docker. The server keeps running after the process
that started it exits (``cleanup_mode=None``): Airflow tasks, the CLI and the web app
are separate processes and must all reach the same server. ``majakka db stop`` ends it.

pgserver initialises its cluster with password-less ``trust`` authentication. Starting it
here hardens it before anything else connects (:func:`harden`): three roles with passwords
from the git-ignored secrets file (the superuser, the schema owner that migrations run as,
and the app role that owns nothing), scram-sha-256 for every connection, and the schema's
objects owned by the owner role. The app role's grants come from the migrations.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from core.config import ConfigError

APP_DATABASE = "majakka"
#: Owns every table, type and function; migrations connect as it.
OWNER_ROLE = "majakka_owner"
#: What the review app, the CLI and the DAG tasks connect as: owns nothing, may not alter or
#: disable anything, and only reads and appends to the audit log.
APP_ROLE = "majakka_app"
SUPERUSER = "postgres"

#: Every connection authenticates; pgserver listens on a unix socket only.
PG_HBA = """# Written by Majakka (core/db/embedded.py): every connection proves its password.
local   all   all                 scram-sha-256
host    all   all   127.0.0.1/32  scram-sha-256
host    all   all   ::1/128       scram-sha-256
"""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Passwords:
    """The three roles' passwords (from the secrets file)."""

    superuser: str
    owner: str
    app: str


def data_dir(home: Path) -> Path:
    """The PostgreSQL data directory inside Majakka's home."""
    return home / "pgdata"


def start(home: Path, passwords: Passwords):  # -> pgserver.PostgresServer
    """Start (or attach to) the embedded server, hardened, with the app database; returns the handle."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); pgserver copes.
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = data_dir(home)
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
    harden(server, passwords)
    ensure_database(server, APP_DATABASE, passwords)
    return server


def url(server, *, role: str, password: str, database: str = APP_DATABASE) -> str:
    """A libpq URL for ``database`` on the embedded server's socket, as ``role``."""
    parts = urlsplit(server.get_uri(database))
    host = parse_qs(parts.query).get("host", [""])[0]
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@"
    return urlunsplit(("postgresql", netloc, f"/{database}", urlencode({"host": host}) if host else "", ""))


def _superuser(server, passwords: Passwords, database: str = "postgres"):
    try:
        conn = psycopg2.connect(url(server, role=SUPERUSER, password=passwords.superuser, database=database),
                                application_name="majakka-setup")
    except psycopg2.OperationalError as error:
        if "password authentication failed" not in str(error):
            raise
        raise ConfigError("MAJAKKA_DB_SUPERUSER_PASSWORD: refused by the embedded database; expected the password "
                          "it was set up with (restore the secrets file it was created with)") from None
    conn.autocommit = True
    return conn


def harden(server, passwords: Passwords) -> None:
    """Give the roles their passwords and require them (idempotent; a fresh cluster still trusts)."""
    conn = _superuser(server, passwords)
    try:
        with conn.cursor() as cur:
            cur.execute("SET password_encryption = 'scram-sha-256'")
            cur.execute(sql.SQL("ALTER ROLE {} WITH PASSWORD %s").format(sql.Identifier(SUPERUSER)),
                        (passwords.superuser,))
            for role, password in ((OWNER_ROLE, passwords.owner), (APP_ROLE, passwords.app)):
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
                verb = "ALTER" if cur.fetchone() else "CREATE"
                cur.execute(sql.SQL(verb + " ROLE {} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
                                    "NOREPLICATION PASSWORD %s").format(sql.Identifier(role)), (password,))
            cur.execute("SHOW hba_file")
            hba = Path(cur.fetchone()[0])
            if hba.read_text(encoding="utf-8") != PG_HBA:
                hba.write_text(PG_HBA, encoding="utf-8")  # rewriting in place keeps the file's owner
                cur.execute("SELECT pg_reload_conf()")
                log.info("embedded PostgreSQL now requires scram-sha-256 passwords")
    finally:
        conn.close()


def ensure_database(server, name: str, passwords: Passwords) -> None:
    """Create database ``name`` owned by the owner role unless it exists, and hand its objects to that role
    (a database made before the roles existed belongs to the superuser)."""
    conn = _superuser(server, passwords)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                         sql.Identifier(OWNER_ROLE)))
                log.info("created database %s", name)
            else:
                cur.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name),
                                                                           sql.Identifier(OWNER_ROLE)))
    finally:
        conn.close()
    conn = _superuser(server, passwords, database=name)
    try:
        with conn.cursor() as cur:
            cur.execute(_HAND_OVER)
    finally:
        conn.close()


#: Tables (their sequences follow), enum types and functions of the public schema not yet the owner's.
_HAND_OVER = """
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
               AND pg_get_userbyid(c.relowner) <> 'majakka_owner' LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO majakka_owner', r.name);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> 'majakka_owner' LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO majakka_owner', r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'majakka_owner' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO majakka_owner', r.name);
    END LOOP;
END
$$;
"""


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
