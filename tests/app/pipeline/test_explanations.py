"""The explanation step: queued items only, after enqueueing, most urgent first, once each."""

from __future__ import annotations

from app.pipeline.explanations import explain_queued
from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from models.serving.scoring import Evidence
from outreach.queue import enqueue_scored
from tests.outreach.test_queue import VERSION, FixedScorer, _store, cipher, policy  # noqa: F401 - fixtures


class ExplainingScorer(FixedScorer):
    """Marks the first word of each text, and counts what it was asked to explain."""

    def __init__(self) -> None:
        self.explained: list[str] = []

    def explain(self, texts, languages=None):
        self.explained += list(texts)
        return [(Evidence(text.split()[0], 0, len(text.split()[0]), 0.4, "distress"),) for text in texts]


def test_only_queued_items_are_explained_and_only_once(conn, cipher, policy):  # noqa: F811 - fixtures
    _store(conn, cipher, "t3_q", "level=3 paha olo", author="1" * 64)
    _store(conn, cipher, "t3_n", "level=0 kahvia", author="2" * 64)
    scorer = ExplainingScorer()
    score_pending(conn, scorer, cipher)
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM scores WHERE explained_at IS NULL")
        assert cur.fetchone()["n"] == 2  # scoring explains nothing
    enqueue_scored(conn, model_version=VERSION, policy=policy)
    assert explain_queued(conn, scorer, cipher).explained == 1
    assert scorer.explained == ["level=3 paha olo"]
    assert explain_queued(conn, scorer, cipher).explained == 0
    with transaction(conn) as cur:
        cur.execute("SELECT s.explanation FROM scores s JOIN posts p ON p.id = s.post_id WHERE p.source_id = 't3_q'")
        assert cur.fetchone()["explanation"] == [{"start": 0, "end": 7, "weight": 0.4, "reason": "distress"}]
