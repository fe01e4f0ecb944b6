"""From calibrated probabilities to a level: one rule, one threshold per level, on cumulative probabilities.

The level is the highest ``k`` whose cumulative probability ``P(level >= k)`` reaches its threshold
``t_k`` (level 0 when none does). The item page draws the four cumulative bars with the thresholds
marked, so the badge can always be read off the bars: it is the highest bar that crosses its line.
The cumulative probabilities fall as ``k`` rises, so a post is never "crisis" on weaker evidence
than it is "high".

Missing a person at risk costs more than a counsellor reading one extra post, so the thresholds are
chosen on validation data for recall targets per level (and for a cap on false alarms on real
everyday text, which the validation data contains), not as a plain argmax.

Model versions trained before this rule stored two thresholds (``high_threshold`` for levels 3-4,
``flag_threshold`` for level 2, crisis when P(4) >= P(3)); :meth:`DecisionRule.from_dict` still reads
them, so those versions keep scoring as they did.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from core.levels import LEVEL_COUNT


@dataclass(frozen=True)
class DecisionRule:
    #: t_1..t_4: the threshold on P(level >= k) for k = 1..4.
    thresholds: tuple[float, ...] = (0.5, 0.5, 0.5, 0.5)
    #: What the thresholds were chosen for (recall per level on validation data), for the model card.
    targets: dict[str, float] = field(default_factory=dict)
    #: Rules of older versions: level >= 3 when P(>= 3) >= high, crisis when P(4) >= P(3); 2 when P(>= 2) >= flag.
    legacy: dict[str, float] | None = None

    def cumulative(self, probabilities: np.ndarray) -> np.ndarray:
        """P(level >= k) for k = 1..4, one row per post."""
        return np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1][:, 1:]

    def levels(self, probabilities: np.ndarray) -> np.ndarray:
        if self.legacy is not None:
            return self._legacy_levels(probabilities)
        reached = self.cumulative(probabilities) >= np.asarray(self.thresholds)
        highest = np.where(reached, np.arange(1, LEVEL_COUNT), 0)
        return highest.max(axis=1)

    def _legacy_levels(self, probabilities: np.ndarray) -> np.ndarray:
        high = probabilities[:, 3:].sum(axis=1)
        flag = probabilities[:, 2:].sum(axis=1)
        crisis = probabilities[:, 4] >= probabilities[:, 3]
        low = np.where(probabilities[:, 1] > probabilities[:, 0], 1, 0)
        return np.where(high >= self.legacy["high_threshold"], np.where(crisis, 4, 3),
                        np.where(flag >= self.legacy["flag_threshold"], 2, low))

    def display_thresholds(self) -> tuple[float, ...]:
        """The thresholds to mark on the cumulative bars (older rules: their two, the rest at 0.5)."""
        if self.legacy is None:
            return self.thresholds
        return (0.5, self.legacy["flag_threshold"], self.legacy["high_threshold"], self.legacy["high_threshold"])

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> DecisionRule:
        if "thresholds" in raw:
            return cls(tuple(float(t) for t in raw["thresholds"]), dict(raw.get("targets") or {}),
                       raw.get("legacy"))
        return cls(legacy={"high_threshold": float(raw["high_threshold"]),
                           "flag_threshold": float(raw["flag_threshold"])},
                   targets={"recall_3": float(raw.get("recall_target_high", 0.95)),
                            "recall_2": float(raw.get("recall_target_flag", 0.90))})


def threshold_for_recall(scores: np.ndarray, positive: np.ndarray, target: float) -> float:
    """The highest threshold whose recall on ``positive`` reaches ``target`` (0.5 if none positive)."""
    if not positive.any():
        return 0.5
    candidates = np.sort(scores[positive])[::-1]
    needed = int(np.ceil(target * positive.sum()))
    return float(candidates[min(needed, len(candidates)) - 1])


def choose_rule(probabilities: np.ndarray, labels: np.ndarray, *, recall: dict[int, float]) -> DecisionRule:
    """Thresholds for each level k: the highest that keeps ``recall[k]`` of the posts at level >= k.

    Levels without a target keep 0.5. A lower level's threshold is then lowered to at most the next
    one's, so that every bar below a crossing bar crosses too: the level is simply how many bars
    cross, and a higher level never needs less evidence than a lower one.
    """
    cumulative = DecisionRule().cumulative(probabilities)
    thresholds = []
    for k in range(1, LEVEL_COUNT):
        target = recall.get(k)
        thresholds.append(threshold_for_recall(cumulative[:, k - 1], labels >= k, target) if target else 0.5)
    for k in range(len(thresholds) - 2, -1, -1):
        thresholds[k] = min(thresholds[k], thresholds[k + 1])
    # rounded down, so that a post exactly at a threshold stays above it
    return DecisionRule(tuple(math.floor(t * 1e6) / 1e6 for t in thresholds),
                        {f"recall_{k}": v for k, v in recall.items()})
