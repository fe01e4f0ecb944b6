"""Schema migrations from an empty database, re-runs, and the append-only audit log."""

from __future__ import annotations

import psycopg2
import pytest

from core import audit
from core.db.connection import transaction
from core.db.migrate import available, migrate

EXPECTED_TABLES = {"schema_migrations", "source_cursors", "posts", "scores", "suggestions", "users", "audit_log",
                   "filter_policies", "model_versions", "quality_checks", "teams", "web_sessions", "login_failures",
                   "suggestion_notes", "communities", "consent_records", "opt_outs",
                   "daily_reports", "score_references", "shadow_scores", "model_evaluations", "second_looks",
                   "partners", "partner_communities", "service_directories", "notifications",
                   "privacy_cases", "sign_in_clients"}


def test_migrates_from_empty_then_reruns_as_no_op(empty_database_url):
    conn = psycopg2.connect(empty_database_url)
    try:
        assert migrate(conn) == [m.version for m in available()]
        assert migrate(conn) == []
        with transaction(conn) as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            assert {row["tablename"] for row in cur.fetchall()} == EXPECTED_TABLES
    finally:
        conn.close()


def test_every_data_table_has_a_purge_deadline(conn):
    with transaction(conn) as cur:
        cur.execute("SELECT table_name FROM information_schema.columns "
                    "WHERE column_name = 'purge_after' AND is_nullable = 'NO'")
        assert {row["table_name"] for row in cur.fetchall()} == {"posts", "scores", "suggestions", "audit_log",
                                                                 "quality_checks", "daily_reports",
                                                                 "shadow_scores", "second_looks"}


def _one_event(conn) -> None:
    with transaction(conn) as cur:
        audit.record(cur, actor="tester", role="dpo", action="test.event", details={"n": 1})


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
])
def test_audit_log_refuses_changes(conn, statement):
    _one_event(conn)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"), transaction(conn) as cur:
        cur.execute(statement)
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM audit_log")
        assert cur.fetchone()["n"] == 1


def test_retention_purge_removes_only_expired_audit_events(conn):
    _one_event(conn)
    with transaction(conn) as cur:
        audit.record(cur, actor="tester", role="dpo", action="old.event", retention_days=-1)  # already expired
    with transaction(conn) as cur:
        assert audit.purge_expired(cur) == 1
        cur.execute("SELECT action FROM audit_log")
        assert [row["action"] for row in cur.fetchall()] == ["test.event"]


def test_unexpired_audit_events_survive_even_the_purge_switch(conn):
    _one_event(conn)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), transaction(conn) as cur:
        cur.execute("SET LOCAL majakka.audit_retention_purge = 'on'")
        cur.execute("DELETE FROM audit_log")
