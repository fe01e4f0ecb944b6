"""Quality gates against real PostgreSQL: good batches pass once, bad ones are quarantined, never queued."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app import components
from app.pipeline.quality_gates import check_collected, check_scores
from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from outreach.queue import enqueue_scored
from privacy import posts
from privacy.posts import RedactedPost
from tests.factories import make_item

LEAK = "040 765 4321"


def _store_unfiltered(conn, cipher, source_id: str, text: str) -> None:
    """What a broken privacy filter would store: the identifier left in the text."""
    with transaction(conn) as cur:
        posts.insert(cur, RedactedPost("reddit", source_id, "post", "Suomi", f"https://x/{source_id}", "b" * 64,
                                       "key1", "fi", cipher.encrypt(text), len(text), {}, "filter-2.0.0",
                                       datetime.now(UTC)), 30)


def _quarantined(conn) -> dict[str, str]:
    with transaction(conn) as cur:
        cur.execute("SELECT source_id, quarantine_reason FROM posts WHERE quarantined_at IS NOT NULL")
        return {row["source_id"]: row["quarantine_reason"] for row in cur.fetchall()}


@pytest.fixture
def cipher(settings):
    return components.cipher(settings)


def test_a_clean_batch_passes_and_is_not_checked_twice(settings, conn, reddit_state, cipher):
    reddit_state.add([make_item("p00001", "En jaksa enää, soita mulle 040 123 4567")])
    components.ingestor(settings, conn).run(conn)
    first = check_collected(conn, cipher)
    assert (first.checked, first.quarantined, first.failed_suites) == (1, 0, ())
    assert check_collected(conn, cipher).checked == 0
    with transaction(conn) as cur:
        cur.execute("SELECT suite, passed FROM quality_checks ORDER BY suite")
        assert [tuple(r.values()) for r in cur.fetchall()] == [("identifier_safety_net", True),
                                                               ("stored_posts", True)]


def test_a_surviving_identifier_quarantines_the_batch_and_keeps_it_out_of_the_queue(settings, conn, cipher):
    _store_unfiltered(conn, cipher, "t3_leak", f"Haluun vaan kuolla, en jaksa enää. Soita {LEAK}")
    report = check_collected(conn, cipher)
    assert report.failed_suites == ("identifier_safety_net",) and report.quarantined == 1
    assert _quarantined(conn) == {"t3_leak": "collected: failed identifier_safety_net"}
    scorer = components.scorer(conn)
    score_pending(conn, scorer, cipher)
    policy = components.queue_policy(settings, conn)
    assert enqueue_scored(conn, model_version=scorer.version, policy=policy).queued == 0
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'quality.failed'")
        event = cur.fetchone()["details"]
    assert event["quarantined"] == 1
    assert LEAK not in json.dumps(event)


def test_malformed_scores_quarantine_the_scored_posts(settings, conn, cipher):
    _store_unfiltered(conn, cipher, "t3_ok", "Ahdistaa joka päivä")
    with transaction(conn) as cur:
        cur.execute("INSERT INTO scores (post_id, model_version, level, probabilities, purge_after) "
                    "SELECT id, 'broken-1', 3, ARRAY[0.1, 0.1, 0.1, 0.1, 0.1]::real[], purge_after FROM posts")
    report = check_scores(conn, "broken-1")
    assert report.failed_suites == ("scores",)
    assert _quarantined(conn) == {"t3_ok": "scored:broken-1: failed scores"}
