"""Least privilege in the database: the embedded server requires passwords, migrations run as the schema
owner, and the app role owns nothing and can only read and append to the audit log."""

from __future__ import annotations

import json
import secrets

import psycopg2
import pytest

from core.db import embedded
from core.db.migrate import migrate


@pytest.fixture(scope="module")
def hardened(tmp_path_factory):
    """A fresh embedded server started the way Majakka starts it, migrated as the owner role."""
    home = tmp_path_factory.mktemp("least-privilege")
    passwords = embedded.Passwords(*(secrets.token_urlsafe(16) for _ in range(3)))
    server = embedded.start(home, passwords)
    owner = psycopg2.connect(embedded.url(server, role=embedded.OWNER_ROLE, password=passwords.owner))
    migrate(owner)
    owner.close()
    yield server, passwords
    embedded.stop(home)


def _as(server, role: str, password: str):
    conn = psycopg2.connect(embedded.url(server, role=role, password=password))
    conn.autocommit = True
    return conn


def _refusal(conn, statement: str) -> str:
    """The server's reason for refusing ``statement`` ("" if it was allowed)."""
    with conn.cursor() as cur:
        try:
            cur.execute(statement)
        except psycopg2.errors.InsufficientPrivilege as error:
            return str(error)
    return ""


def test_every_role_needs_its_password(hardened):
    server, passwords = hardened
    for role in (embedded.SUPERUSER, embedded.OWNER_ROLE, embedded.APP_ROLE):
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
            psycopg2.connect(embedded.url(server, role=role, password="not-" + passwords.app))
    with _as(server, embedded.SUPERUSER, passwords.superuser) as conn, conn.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_authid WHERE rolname LIKE 'majakka%%' "
                    "AND rolpassword LIKE 'SCRAM-SHA-256$%%' ORDER BY rolname")
        assert [row[0] for row in cur.fetchall()] == [embedded.APP_ROLE, embedded.OWNER_ROLE]


def test_the_schema_belongs_to_the_owner_and_the_app_role_owns_nothing(hardened):
    server, passwords = hardened
    with _as(server, embedded.APP_ROLE, passwords.app) as conn, conn.cursor() as cur:
        cur.execute("""SELECT count(*) FILTER (WHERE pg_get_userbyid(c.relowner) = 'majakka_owner'),
                              count(*) FILTER (WHERE pg_get_userbyid(c.relowner) <> 'majakka_owner')
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind = 'r'""")
        owned, others = cur.fetchone()
        assert owned > 25 and others == 0
        cur.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = %s",
                    (embedded.APP_ROLE,))
        assert cur.fetchone() == (False, False, False, False)


def test_the_app_role_reads_and_appends_to_the_audit_log_and_cannot_change_it(hardened):
    server, passwords = hardened
    app = _as(server, embedded.APP_ROLE, passwords.app)
    with app.cursor() as cur:
        for days in (-1, 30):  # one event already past its deadline, one not
            cur.execute("INSERT INTO audit_log (actor, actor_role, action, details, purge_after) "
                        "VALUES ('t', 'system', 'test.event', %s, now() + make_interval(days => %s))",
                        (json.dumps({"days": days}), days))
        cur.execute("SELECT count(*) FROM audit_log WHERE action = 'test.event'")
        assert cur.fetchone()[0] == 2
    # refused by the grants themselves (not only by the trigger, which the table's owner could disable)
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log",
                      "TRUNCATE audit_log", "SET LOCAL majakka.audit_retention_purge = 'on'; DELETE FROM audit_log",
                      "INSERT INTO schema_migrations (version) VALUES ('9999_mine')"):
        assert "permission denied for table" in _refusal(app, statement), statement
    for statement in ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                      "DROP TRIGGER audit_log_append_only ON audit_log", "ALTER TABLE posts ADD COLUMN smuggled text"):
        assert "must be owner" in _refusal(app, statement), statement
    assert "permission denied" in _refusal(app, "SET session_replication_role = replica")
    with app.cursor() as cur:  # the purge goes through the owner's function: only the expired event goes
        cur.execute("SELECT purge_expired_audit_events()")
        assert cur.fetchone()[0] == 1
        cur.execute("SELECT details->>'days' FROM audit_log WHERE action = 'test.event'")
        assert [row[0] for row in cur.fetchall()] == ["30"]
    app.close()


def test_the_app_role_works_every_other_table_of_later_migrations_too(hardened):
    server, passwords = hardened
    with _as(server, embedded.APP_ROLE, passwords.app) as conn, conn.cursor() as cur:
        cur.execute("""SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind = 'r'
                         AND c.relname NOT IN ('audit_log', 'schema_migrations')
                         AND NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                                  AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))""")
        assert cur.fetchall() == []
        cur.execute("INSERT INTO privacy_cases (kind, source, pseudonyms, received_on, due_on, opened_by) "
                    "VALUES ('erasure', 'reddit', '{}', current_date, current_date + 30, 't') RETURNING id")
        assert cur.fetchone()[0] > 0


def test_restarting_keeps_the_passwords_and_hands_older_objects_to_the_owner(hardened, tmp_path):
    server, passwords = hardened
    with _as(server, embedded.SUPERUSER, passwords.superuser) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE legacy_made_by_superuser (id int)")  # as an install from before the roles
    embedded.ensure_database(server, embedded.APP_DATABASE, passwords)
    embedded.harden(server, passwords)
    with _as(server, embedded.OWNER_ROLE, passwords.owner) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'legacy_made_by_superuser'")
        assert cur.fetchone()[0] == embedded.OWNER_ROLE
        cur.execute("DROP TABLE legacy_made_by_superuser")


def test_a_secrets_file_that_lost_the_passwords_gets_a_clear_error(hardened):
    from core.config import ConfigError

    server, passwords = hardened
    wrong = embedded.Passwords("not-the-superuser-password", passwords.owner, passwords.app)
    with pytest.raises(ConfigError, match="MAJAKKA_DB_SUPERUSER_PASSWORD"):
        embedded.harden(server, wrong)
