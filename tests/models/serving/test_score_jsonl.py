"""``majakka score``: JSONL contract, language ID and privacy filter before the model."""

from __future__ import annotations

import json

from app import components
from models.serving.score_jsonl import ScoreCounts, score_lines
from tests.factories import shipped_first_stage


class RecordingScorer:
    """Scores everything 'moderate' and remembers what it was shown."""

    version = "recording-1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def score_batch(self, texts, languages):
        from core.levels import RiskLevel
        from models.serving.scoring import Score

        self.seen.extend(texts)
        return [Score(RiskLevel.MODERATE, (0.1, 0.1, 0.6, 0.1, 0.1), self.version) for _ in texts]


def test_scores_fi_and_sv_drops_others_and_never_shows_raw_identifiers():
    lines = [
        json.dumps({"id": "a", "text": "En jaksa enää, soita mulle 040 123 4567 tänään"}),
        json.dumps({"id": "b", "text": "Jag orkar inte mer, maila erik@example.se"}),
        json.dumps({"id": "c", "text": "Anyone know a good pizza place open late tonight?"}),
        "{broken",
    ]
    scorer, counts = RecordingScorer(), ScoreCounts()
    out = [json.loads(line) for line in score_lines(lines, scorer, components.privacy_filter(), counts=counts)]
    by_id = {o.get("id", o.get("line")): o for o in out}
    assert by_id["a"]["lang"] == "fi" and by_id["a"]["level"] == 2 and by_id["a"]["model_version"] == "recording-1"
    assert abs(sum(by_id["a"]["probabilities"]) - 1) < 1e-3
    assert by_id["c"]["dropped"] == "language not fi/sv"
    assert by_id[4]["error"].startswith("not JSON")
    assert (counts.scored, counts.dropped_language, counts.errors) == (2, 1, 1)
    assert not any("040 123 4567" in text or "erik@example.se" in text for text in scorer.seen)
    assert any("<PHONE>" in text for text in scorer.seen)


def test_the_first_stage_answers_level_zero_for_what_it_clears_in_input_order():
    lines = [json.dumps({"id": "everyday", "text": "Mistä saa halvimmat talvirenkaat Tampereelta? Kokemuksia?"}),
             json.dumps({"id": "risk", "text": "En jaksa enää, haluan vain nukkua pois"})]
    scorer, counts = RecordingScorer(), ScoreCounts()
    out = [json.loads(line) for line in score_lines(lines, scorer, components.privacy_filter(), counts=counts,
                                                     first_stage=shipped_first_stage())]
    assert [o["id"] for o in out] == ["everyday", "risk"]
    assert out[0] == {"id": "everyday", "lang": "fi", "level": 0, "cleared": "first stage"}
    assert out[1]["level"] == 2 and (counts.scored, counts.cleared) == (1, 1)
    assert len(scorer.seen) == 1 and "talvirenkaat" not in scorer.seen[0]


class FailsOnOne:
    """The real filter, except that it raises on texts with a marker (a detector bug meeting one line)."""

    def __init__(self, real) -> None:
        self.real = real

    def redact(self, text, language, known_names=()):
        if "Q-BUG" in text:
            raise RuntimeError("detector bug")
        return self.real.redact(text, language, known_names)

    def redact_many(self, texts, languages, known_names=None):
        if any("Q-BUG" in text for text in texts):
            raise RuntimeError("detector bug")
        return self.real.redact_many(texts, languages, known_names)


def test_a_text_the_filter_fails_on_costs_only_its_own_answer():
    lines = [json.dumps({"id": "a", "text": "En jaksa enää mitään"}),
             json.dumps({"id": "b", "text": "En jaksa enää Q-BUG"}),
             json.dumps({"id": "c", "text": "Jag orkar inte mer"})]
    scorer, counts = RecordingScorer(), ScoreCounts()
    out = [json.loads(line) for line in score_lines(lines, scorer, FailsOnOne(components.privacy_filter()),
                                                     counts=counts)]
    assert [o.get("level") for o in out] == [2, None, 2]
    assert out[1] == {"line": 2, "id": "b", "error": "the privacy filter failed on this text"}
    assert (counts.scored, counts.errors) == (2, 1) and not any("Q-BUG" in text for text in scorer.seen)
