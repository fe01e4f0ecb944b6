"""Whose risk it is decides where a score goes: the writer, the post a helper answers, or nowhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.pipeline.scoring import score_pending
from core.config import get_settings
from core.db.connection import transaction
from core.levels import RiskLevel
from models.serving.scoring import Score
from outreach.directory import load_directory
from outreach.queue import QueuePolicy, enqueue_scored
from privacy import posts
from privacy.encryption import TextCipher
from privacy.posts import RedactedPost

VERSION = "whose-test-1"


class ThreadScorer:
    """Reads 'level=N whose=W' from each text and records the context it was given."""

    version = VERSION

    def __init__(self) -> None:
        self.contexts: list[str | None] = []

    def score_batch(self, texts, languages, contexts=None):
        self.contexts += list(contexts or [None] * len(texts))
        results = []
        for text in texts:
            level = int(text.split("level=")[1][0])
            whose = text.split("whose=")[1].split()[0]
            probabilities = [0.05] * 5
            probabilities[level] = 0.8
            results.append(Score(RiskLevel(level), tuple(probabilities), VERSION, (), whose))
        return results


@pytest.fixture
def cipher() -> TextCipher:
    return TextCipher(get_settings().encryption_key.get_secret_value().encode())


@pytest.fixture
def policy() -> QueuePolicy:
    return QueuePolicy(sla_hours={2: 72, 3: 24, 4: 1}, cooldown_days=14, organisation="Testikunta",
                       services=load_directory())


def _store(conn, cipher, source_id: str, text: str, *, author: str, parent: str | None = None) -> None:
    with transaction(conn) as cur:
        posts.insert(cur, RedactedPost("reddit", source_id, "comment" if parent else "post", "Suomi",
                                       f"https://x/{source_id}", author, "key1", "fi", cipher.encrypt(text),
                                       len(text), {}, "filter-test", datetime.now(UTC), parent), 30)


def _suggestions(conn) -> dict[str, tuple]:
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.level, g.raised_reason FROM suggestions g JOIN posts p ON p.id = g.post_id")
        return {row["source_id"]: (row["level"], row["raised_reason"]) for row in cur.fetchall()}


def test_a_helper_raises_the_post_it_answers_and_is_never_suggested(conn, cipher, policy):
    _store(conn, cipher, "t3_p", "level=3 whose=self", author="1" * 64)
    _store(conn, cipher, "t1_c", "level=4 whose=other soita 112 nyt", author="2" * 64, parent="t3_p")
    scorer = ThreadScorer()
    score_pending(conn, scorer, cipher)
    assert scorer.contexts == [None, "level=3 whose=self"]  # the comment was scored with its parent
    stats = enqueue_scored(conn, model_version=VERSION, policy=policy)
    queue = _suggestions(conn)
    assert set(queue) == {"t3_p"}
    assert queue["t3_p"][0] == 4 and "reply" in queue["t3_p"][1]
    assert stats.raised_parent == 1
    assert enqueue_scored(conn, model_version=VERSION, policy=policy).raised_parent == 0  # routed once


def test_a_helper_creates_the_suggestion_when_the_post_was_not_queued(conn, cipher, policy):
    _store(conn, cipher, "t3_p", "level=1 whose=self", author="1" * 64)
    _store(conn, cipher, "t1_c", "level=4 whose=other", author="2" * 64, parent="t3_p")
    score_pending(conn, ThreadScorer(), cipher)
    enqueue_scored(conn, model_version=VERSION, policy=policy)
    assert {k: v[0] for k, v in _suggestions(conn).items()} == {"t3_p": 4}


def test_someone_elses_risk_without_a_stored_post_is_a_worried_writer_at_most_moderate(conn, cipher, policy):
    _store(conn, cipher, "t1_c", "level=4 whose=other", author="2" * 64, parent="t3_not_stored")
    score_pending(conn, ThreadScorer(), cipher)
    enqueue_scored(conn, model_version=VERSION, policy=policy)
    assert {k: v[0] for k, v in _suggestions(conn).items()} == {"t1_c": 2}


def test_nobodys_risk_is_not_queued(conn, cipher, policy):
    _store(conn, cipher, "t3_n", "level=3 whose=none lyrics", author="3" * 64)
    score_pending(conn, ThreadScorer(), cipher)
    stats = enqueue_scored(conn, model_version=VERSION, policy=policy)
    assert _suggestions(conn) == {} and stats.not_about_anyone == 1
