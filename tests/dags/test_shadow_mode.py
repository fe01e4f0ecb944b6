"""Shadow mode through the score DAG: the candidate scores every post, the queue never sees it."""

from __future__ import annotations

from core.db.connection import transaction
from models.lifecycle import registry
from models.lifecycle.shadow import compare_shadow
from outreach.workflow import Worker, relabel
from tests.factories import shipped_model_twin


def _queue(conn) -> list[tuple]:
    with transaction(conn) as cur:
        cur.execute("SELECT g.post_id, s.model_version, g.level FROM suggestions g JOIN scores s ON s.id = g.score_id "
                    "ORDER BY g.post_id")
        return [tuple(row.values()) for row in cur.fetchall()]


def test_a_shadow_candidate_scores_beside_the_active_model_without_touching_the_queue(dagbag, conn, settings,
                                                                                    reddit_state, sample_items,
                                                                                    tmp_path):
    reddit_state.add(sample_items[:120])
    twin = shipped_model_twin(tmp_path, "e5ft2-shadow-twin")
    active = registry.ensure_shipped_active(conn).version
    registry.register(conn, twin, actor="test", role="ml_engineer")
    registry.set_shadow(conn, twin.name, actor="test", role="ml_engineer")

    assert dagbag.dags["majakka_collect"].test().state == "success"
    assert dagbag.dags["majakka_score"].test().state == "success"

    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        stored = cur.fetchone()["n"]
        cur.execute("SELECT model_version, count(*) AS n FROM shadow_scores GROUP BY model_version")
        assert {row["model_version"]: row["n"] for row in cur.fetchall()} == {twin.name: stored}
        cur.execute("SELECT DISTINCT model_version FROM scores")
        assert {row["model_version"] for row in cur.fetchall()} == {active}
    queue = _queue(conn)
    assert queue and {version for _, version, _ in queue} == {active}

    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('sanna', 'Sanna', 'supervisor') "
                    "RETURNING id")
        supervisor = Worker(cur.fetchone()["id"], "sanna", "supervisor", None)
        cur.execute("SELECT id FROM suggestions ORDER BY id LIMIT 2")
        decided = [row["id"] for row in cur.fetchall()]
    for suggestion_id in decided:
        relabel(conn, supervisor, suggestion_id, 0)
    with transaction(conn) as cur:
        report = compare_shadow(cur, active, twin.name)
    assert report.compared == stored
    assert report.agreement == 1.0, "an identical twin agrees on every level"
    assert report.would_add == report.would_drop == 0
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM scores WHERE level >= 2")
        flagged = cur.fetchone()["n"]  # the queue holds fewer: the cool-down skips repeat authors
    assert report.queued_by_shadow == report.queued_by_active == flagged >= len(queue)
    assert report.labelled == 2 and report.active_accuracy == report.shadow_accuracy == 0.0
    assert sum(map(sum, report.confusion)) == stored

    assert dagbag.dags["majakka_score"].test().state == "success"
    assert _queue(conn) == queue, "a re-run adds nothing"

    registry.set_shadow(conn, None, actor="test", role="ml_engineer")
    assert registry.shadow(conn) is None
