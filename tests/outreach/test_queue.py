"""Queue rules against real PostgreSQL: levels, priority, SLA, de-duplication, cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.pipeline.scoring import score_pending
from core.config import get_settings
from core.db.connection import transaction
from core.levels import RiskLevel
from models.serving.scoring import Score
from outreach.directory import load_directory
from outreach.queue import QueuePolicy, enqueue_scored, open_items
from privacy import posts
from privacy.encryption import TextCipher
from privacy.posts import RedactedPost

VERSION = "fixed-test-1"


class FixedScorer:
    """Returns the level written in each text as 'level=N' (the queue logic is under test here)."""

    version = VERSION

    def score_batch(self, texts, languages):
        results = []
        for text in texts:
            level = int(text.split("level=")[1][0])
            probabilities = [0.05] * 5
            probabilities[level] = 0.8
            confidence_bump = float(text.split("conf=")[1][:4]) if "conf=" in text else 0.0
            probabilities[level] += confidence_bump
            probabilities[0 if level else 1] -= confidence_bump
            results.append(Score(RiskLevel(level), tuple(probabilities), VERSION))
        return results


@pytest.fixture
def cipher() -> TextCipher:
    return TextCipher(get_settings().encryption_key.get_secret_value().encode())


@pytest.fixture
def policy() -> QueuePolicy:
    return QueuePolicy(sla_hours={2: 72, 3: 24, 4: 1}, cooldown_days=14, organisation="Testikunta",
                       services=load_directory())


def _store(conn, cipher, source_id: str, text: str, *, author: str = "a" * 64, language: str = "fi",
           community: str = "Suomi") -> None:
    from datetime import UTC, datetime

    with transaction(conn) as cur:
        posts.insert(cur, RedactedPost("reddit", source_id, "post", community, f"https://x/{source_id}", author,
                                       "key1", language, cipher.encrypt(text), len(text), {}, "filter-test",
                                       datetime.now(UTC)), 30)


def _run(conn, cipher, policy):
    score_pending(conn, FixedScorer(), cipher)
    return enqueue_scored(conn, model_version=VERSION, policy=policy)


def test_only_levels_two_to_four_are_queued_most_urgent_first(conn, cipher, policy):
    for i, level in enumerate([0, 1, 2, 3, 4, 2]):
        _store(conn, cipher, f"t3_{i}", f"level={level}", author=f"{i:064x}")
    stats = _run(conn, cipher, policy)
    assert stats.queued == 4
    with transaction(conn) as cur:
        items = open_items(cur)
    assert [item.level for item in items] == [RiskLevel.CRISIS, RiskLevel.HIGH, RiskLevel.MODERATE,
                                              RiskLevel.MODERATE]


def test_confidence_orders_items_within_a_level(conn, cipher, policy):
    _store(conn, cipher, "t3_a", "level=3 conf=0.01", author="1" * 64)
    _store(conn, cipher, "t3_b", "level=3 conf=0.10", author="2" * 64)
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        assert [item.permalink for item in open_items(cur)] == ["https://x/t3_b", "https://x/t3_a"]


def test_sla_follows_level_and_counts_from_when_the_post_was_written(conn, cipher, policy):
    _store(conn, cipher, "t3_c", "level=4", author="1" * 64)
    _store(conn, cipher, "t3_m", "level=2", author="2" * 64)
    _store(conn, cipher, "t3_old", "level=4", author="3" * 64)
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET created_at = now() - interval '6 days' WHERE source_id = 't3_old'")
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.sla_due - p.created_at AS window, g.sla_due < now() AS overdue "
                    "FROM suggestions g JOIN posts p ON p.id = g.post_id")
        rows = {row["source_id"]: row for row in cur.fetchall()}
    assert rows["t3_c"]["window"] == timedelta(hours=1)
    assert rows["t3_m"]["window"] == timedelta(hours=72)
    assert rows["t3_old"]["window"] == timedelta(hours=1) and rows["t3_old"]["overdue"], \
        "a six-day-old farewell is overdue at once, not given a fresh hour"


def test_rerun_never_duplicates(conn, cipher, policy):
    _store(conn, cipher, "t3_1", "level=3")
    first = _run(conn, cipher, policy)
    second = _run(conn, cipher, policy)
    assert (first.queued, second.queued) == (1, 0)
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM suggestions")
        assert cur.fetchone()["n"] == 1


def test_same_author_within_cooldown_is_not_suggested_twice(conn, cipher, policy):
    _store(conn, cipher, "t3_1", "level=3", author="f" * 64)
    _run(conn, cipher, policy)
    _store(conn, cipher, "t3_2", "level=2", author="f" * 64)
    stats = _run(conn, cipher, policy)
    assert (stats.queued, stats.cooldown_skipped) == (0, 1)


def test_more_severe_post_supersedes_untouched_suggestion(conn, cipher, policy):
    _store(conn, cipher, "t3_1", "level=2", author="f" * 64)
    _run(conn, cipher, policy)
    _store(conn, cipher, "t3_2", "level=4", author="f" * 64)
    stats = _run(conn, cipher, policy)
    assert (stats.queued, stats.superseded) == (1, 1)
    with transaction(conn) as cur:
        assert [(i.level, i.permalink) for i in open_items(cur)] == [(RiskLevel.CRISIS, "https://x/t3_2")]


def test_claimed_suggestion_is_not_superseded(conn, cipher, policy):
    _store(conn, cipher, "t3_1", "level=2", author="f" * 64)
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET status = 'claimed'")
    _store(conn, cipher, "t3_2", "level=4", author="f" * 64)
    assert _run(conn, cipher, policy).cooldown_skipped == 1


def test_zero_day_cooldown_allows_every_post(conn, cipher, policy):
    policy = QueuePolicy(policy.sla_hours, 0, policy.organisation, policy.services)
    _store(conn, cipher, "t3_1", "level=3", author="f" * 64)
    _store(conn, cipher, "t3_2", "level=3", author="f" * 64)
    assert _run(conn, cipher, policy).queued == 2


def test_draft_is_in_the_posters_language_with_services(conn, cipher, policy):
    _store(conn, cipher, "t3_fi", "level=3", author="1" * 64, language="fi")
    _store(conn, cipher, "t3_sv", "level=4", author="2" * 64, language="sv")
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        items = {item.language: item for item in open_items(cur)}
    assert items["fi"].draft_message.startswith("Hei!")
    assert "fi-mieli-crisis-line" in items["fi"].service_ids
    assert items["sv"].draft_message.startswith("Hej")
    assert "112" in items["sv"].draft_message
    assert items["sv"].service_ids[0] == "se-emergency"


def test_enqueue_is_audited(conn, cipher, policy):
    _store(conn, cipher, "t3_1", "level=3")
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'queue.enqueue'")
        assert cur.fetchone()["details"]["queued"] == 1


def test_the_draft_offers_services_for_the_writers_age_when_the_post_tells_it(conn, cipher, policy):
    from dataclasses import replace

    _store(conn, cipher, "t3_teen", "level=3 Jag är 15 år och orkar inte", author="b" * 64, language="sv")
    _store(conn, cipher, "t3_adult", "level=3 Jag orkar inte med jobbet", author="c" * 64, language="sv")
    _run(conn, cipher, replace(policy, cipher=cipher))
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.service_ids, g.draft_message FROM suggestions g "
                    "JOIN posts p ON p.id = g.post_id")
        offered = {row["source_id"]: row for row in cur.fetchall()}
    assert "se-bris" in offered["t3_teen"]["service_ids"] and "BRIS" in offered["t3_teen"]["draft_message"]
    assert "se-bris" not in offered["t3_adult"]["service_ids"], "BRIS is for children, not every Swedish post"
    assert len([s for s in offered["t3_teen"]["service_ids"]]) <= 2, "one door: one or two services"


def test_a_swedish_post_from_a_finnish_community_gets_finlands_services(conn, cipher, policy):
    from datetime import date, timedelta

    from governance import consent

    with transaction(conn) as cur:
        consent.record_consent(cur, source="reddit", community="Suomi", agreed_by="moderaattorit",
                               agreed_on=date.today(), scope="julkiset", review_due=date.today() + timedelta(days=9),
                               document_ref="T-1", actor="test", role="system", country="FI")
    _store(conn, cipher, "t3_fisv", "level=3 Jag orkar inte mer", author="d" * 64, language="sv")
    _store(conn, cipher, "t3_sesv", "level=3 Jag orkar inte mer", author="e" * 64, language="sv",
           community="sweden")
    _run(conn, cipher, policy)
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.service_ids FROM suggestions g JOIN posts p ON p.id = g.post_id")
        offered = {row["source_id"]: row["service_ids"] for row in cur.fetchall()}
    known = {s.id: s for s in load_directory()}
    assert offered["t3_fisv"] and all(known[i].country == "FI" for i in offered["t3_fisv"])
    assert "fi-mieli-crisis-line-sv" in offered["t3_fisv"]
    assert all(known[i].country == "SE" for i in offered["t3_sesv"]), "no country recorded: the language's home"
