"""The scorer interface every distress model implements.

The pipeline, the CLI and the review app depend only on this contract, so the
lexicon baseline and the transformer classifier are interchangeable: text in,
level 0-4 + probabilities + explanation + model version out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.levels import LEVEL_COUNT, RiskLevel


@dataclass(frozen=True)
class Evidence:
    """One phrase that pushed the score, for a counsellor to read.

    ``start``/``end`` index into the (already redacted) text that was scored;
    ``weight`` is positive when the phrase raised the risk and negative when it
    lowered it (negation, hyperbole, third person).
    """

    phrase: str
    start: int
    end: int
    weight: float
    reason: str


@dataclass(frozen=True)
class Score:
    """A scorer's verdict on one redacted post."""

    level: RiskLevel
    probabilities: tuple[float, ...]
    model_version: str
    explanation: tuple[Evidence, ...] = field(default_factory=tuple)
    #: Whose risk it is ("self", "other", "none"), for models that tell; ``None`` otherwise.
    whose: str | None = None

    def __post_init__(self) -> None:
        if len(self.probabilities) != LEVEL_COUNT:
            raise ValueError(f"expected {LEVEL_COUNT} probabilities, got {len(self.probabilities)}")
        total = sum(self.probabilities)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"probabilities must sum to 1, got {total:.6f}")

    @property
    def confidence(self) -> float:
        """Probability the scorer gives to its own chosen level."""
        return self.probabilities[int(self.level)]


class Scorer(Protocol):
    """Anything that turns redacted Finnish/Swedish texts into scores."""

    @property
    def version(self) -> str:
        """Identifier stored with every score (invariant 8: versioned decisions)."""
        ...

    def score_batch(self, texts: Sequence[str], languages: Sequence[str],
                    contexts: Sequence[str | None] | None = None) -> list[Score]:
        """Score redacted ``texts``; ``languages`` holds each text's ISO code ("fi" or "sv"); ``contexts``,
        when given, the redacted post each text answers (``None`` where it answers nothing stored)."""
        ...
