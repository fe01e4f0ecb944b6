"""The second look: a sample of what the model did not queue, labelled by counsellors, becomes a missed-risk rate."""

from __future__ import annotations

from dataclasses import replace

from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from outreach import second_look
from outreach.queue import enqueue_scored
from tests.outreach.test_queue import VERSION, FixedScorer, _store, cipher, policy  # noqa: F401 - fixtures


def test_a_share_of_the_posts_below_the_queue_is_set_aside_and_estimates_missed_risk(conn, cipher, policy):  # noqa: F811
    for index in range(40):
        _store(conn, cipher, f"t3_{index}", f"level={index % 2} arkea", author=f"{index:064x}")
    _store(conn, cipher, "t3_q", "level=3 ei jaksa", author="f" * 64)
    score_pending(conn, FixedScorer(), cipher)
    stats = enqueue_scored(conn, model_version=VERSION, policy=replace(policy, second_look_rate=0.5))
    assert 5 <= stats.second_look <= 35 and stats.queued == 1
    assert enqueue_scored(conn, model_version=VERSION, policy=replace(policy, second_look_rate=0.5)).second_look == 0
    with transaction(conn) as cur:
        waiting = second_look.waiting(cur, None, limit=100)
        assert len(waiting) == stats.second_look
        second_look.record_label(cur, waiting[0].id, 3, None, None)
        second_look.record_label(cur, waiting[1].id, 0, None, None)
        assert not second_look.record_label(cur, waiting[1].id, 4, None, None)  # labelled once
        missed = second_look.missed_risk(cur)
    assert (missed.labelled, missed.missed, missed.waiting) == (2, 1, stats.second_look - 2)
    assert missed.rate == 0.5 and missed.interval[0] < 0.5 < missed.interval[1]


def test_collection_and_the_queue_draw_the_same_sample(conn, cipher, policy):  # noqa: F811
    """A post cleared in collection and kept for the second look must be the one the queue would sample:
    the Python bucket and the SQL bucket are one function."""
    for index in range(60):
        _store(conn, cipher, f"t3_b{index}", "level=0 arkea", author=f"{index:064x}")
    score_pending(conn, FixedScorer(), cipher)
    enqueue_scored(conn, model_version=VERSION, policy=replace(policy, second_look_rate=0.3))
    with transaction(conn) as cur:
        cur.execute("SELECT p.source, p.source_id, s.post_id IS NOT NULL AS sampled FROM posts p "
                    "LEFT JOIN second_looks s ON s.post_id = p.id")
        rows = cur.fetchall()
    assert len(rows) == 60 and 0 < sum(row["sampled"] for row in rows) < 60
    assert all(second_look.in_sample(row["source"], row["source_id"], 0.3) == row["sampled"] for row in rows)
