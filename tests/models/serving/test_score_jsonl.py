"""``majakka score``: JSONL contract, language ID and privacy filter before the model."""

from __future__ import annotations

import json

from app import components
from models.serving.score_jsonl import ScoreCounts, score_lines


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
