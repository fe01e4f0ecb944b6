"""The hourly privacy-requests DAG under ``dag.test()``: late rows of opted-out authors are purged."""

from __future__ import annotations

from app import components
from core.db.connection import transaction
from governance import opt_out
from tests.app.review.conftest import seed_suggestions


def test_sweep_removes_rows_stored_after_an_opt_out_and_is_idempotent(dagbag, settings, conn):
    pseudonymizer = components.pseudonymizer(settings)
    opt_out.register(conn, source="reddit", username="Myöhäinen", pseudonymizer=pseudonymizer, actor="t",
                     role="counsellor")
    late = pseudonymizer.pseudonym("reddit", "Myöhäinen")
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": late},
                                      {"text": "Väsyttää", "level": 2}])
    dag = dagbag.dags["majakka_privacy_requests"]
    assert dag.test().state == "success"
    assert dag.test().state == "success"
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        assert cur.fetchone()["n"] == 1  # the other author's post stays
        cur.execute("SELECT count(*) AS n FROM posts WHERE author_pseudonym = %s", (late,))
        assert cur.fetchone()["n"] == 0
        cur.execute("SELECT details FROM audit_log WHERE action = 'optout.sweep' ORDER BY id")
        assert [row["details"]["posts_removed"] for row in cur.fetchall()] == [1, 0]
