"""The retention DAG under ``dag.test()``: source deletions and expired rows disappear."""

from __future__ import annotations

from app import components
from core.db.connection import transaction
from tests.factories import make_item


def test_retention_dag_purges_deleted_and_expired(dagbag, settings, conn, reddit_state):
    reddit_state.add([make_item(f"p{i:05d}", f"En jaksa enää, päivä {i}", author=f"user_{i}", age_minutes=10 + i)
                      for i in range(3)])
    components.ingestor(settings, conn).run(conn)
    reddit_state.remove_at_source("t3_p00000")
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET purge_after = now() - interval '1 hour' WHERE source_id = 't3_p00001'")
    run = dagbag.dags["majakka_retention"].test()
    assert run.state == "success"
    with transaction(conn) as cur:
        cur.execute("SELECT source_id FROM posts")
        assert [row["source_id"] for row in cur.fetchall()] == ["t3_p00002"]
        cur.execute("SELECT action FROM audit_log WHERE action LIKE 'retention.%' ORDER BY id")
        assert [row["action"] for row in cur.fetchall()] == ["retention.deletion_sync", "retention.purge"]
