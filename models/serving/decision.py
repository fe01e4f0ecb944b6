"""From calibrated probabilities to a level, with thresholds chosen for recall.

Missing a person at risk costs more than a counsellor reading one extra post, so the
level is not a plain argmax: if P(level >= 3) reaches ``high_threshold`` the post is at
least "high" (and "crisis" when crisis is the more likely of the two), else if
P(level >= 2) reaches ``flag_threshold`` it is "moderate", else the likelier of 0/1.
Both thresholds are chosen on validation data for a stated recall target.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class DecisionRule:
    high_threshold: float = 0.5
    flag_threshold: float = 0.5
    recall_target_high: float = 0.95
    recall_target_flag: float = 0.90

    def levels(self, probabilities: np.ndarray) -> np.ndarray:
        high = probabilities[:, 3:].sum(axis=1)
        flag = probabilities[:, 2:].sum(axis=1)
        crisis = probabilities[:, 4] >= probabilities[:, 3]
        low = np.where(probabilities[:, 1] > probabilities[:, 0], 1, 0)
        return np.where(high >= self.high_threshold, np.where(crisis, 4, 3),
                        np.where(flag >= self.flag_threshold, 2, low))

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def threshold_for_recall(scores: np.ndarray, positive: np.ndarray, target: float) -> float:
    """The highest threshold whose recall on ``positive`` reaches ``target`` (0.5 if none positive)."""
    if not positive.any():
        return 0.5
    candidates = np.sort(scores[positive])[::-1]
    needed = int(np.ceil(target * positive.sum()))
    return float(candidates[min(needed, len(candidates)) - 1])


def choose_rule(probabilities: np.ndarray, labels: np.ndarray, *, recall_high: float = 0.95,
                recall_flag: float = 0.90) -> DecisionRule:
    high = threshold_for_recall(probabilities[:, 3:].sum(axis=1), labels >= 3, recall_high)
    flag = threshold_for_recall(probabilities[:, 2:].sum(axis=1), labels >= 2, recall_flag)
    return DecisionRule(high, flag, recall_high, recall_flag)
