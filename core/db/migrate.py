"""Ordered SQL migrations, applied once each and safe to re-run.

Plain numbered ``.sql`` files keep the schema readable by a DPO as well as by
engineers; an advisory lock stops two processes (two Airflow workers, say) from
migrating at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.config import Settings
from core.db.connection import Connection, connect, migration_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x4D414A41  # "MAJA"


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path


def available(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Migrations on disk, in version order (file names start with a number)."""
    return [Migration(p.stem, p) for p in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql"))]


def applied(conn: Connection) -> set[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.schema_migrations') IS NOT NULL")
        if not cur.fetchone()[0]:
            return set()
        cur.execute("SELECT version FROM schema_migrations")
        return {row[0] for row in cur.fetchall()}


def migrate(conn: Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply every pending migration in its own transaction; return the versions applied."""
    done: list[str] = []
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    conn.commit()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        conn.commit()
        already = applied(conn)
        for migration in available(directory):
            if migration.version in already:
                continue
            try:
                with conn.cursor() as cur:
                    cur.execute(migration.path.read_text(encoding="utf-8"))
                    cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (migration.version,))
                conn.commit()
            except Exception:
                conn.rollback()
                raise
            done.append(migration.version)
    finally:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
        conn.commit()
    return done


def migrate_database(settings: Settings) -> list[str]:
    """Apply pending migrations as the schema owner's role, over a connection of its own; returns the
    versions applied. (Every other job connects as the app role, which may not change the schema.)"""
    conn = connect(dsn=migration_url(settings))
    try:
        return migrate(conn)
    finally:
        conn.close()
