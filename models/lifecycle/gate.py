"""The evaluation gate: a candidate may replace the active model only if it is no worse.

Both models score the same frozen gold set. The candidate is refused when, overall or in
either language:
- recall at levels >= 3 drops at all (missing a person at risk is the costly error), or
- macro-F1 over the five levels drops by more than ``MACRO_F1_TOLERANCE`` (a small
  tolerance, so that a model that finds more people at risk is not refused for a rounding
  wobble in the rarer levels).
The gate only refuses; promoting a candidate that passed still needs a human's approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.lifecycle.gold import GoldSet
from models.training.metrics import evaluate

RECALL_HIGH_TOLERANCE = 0.0
MACRO_F1_TOLERANCE = 0.02
SUBSETS = ("all", "fi", "sv")


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: list[str]
    candidate: dict
    baseline: dict
    tolerances: dict = field(default_factory=lambda: {"recall_high": RECALL_HIGH_TOLERANCE,
                                                      "macro_f1": MACRO_F1_TOLERANCE})

    def summary(self) -> dict[str, float | int | bool]:
        """Headline numbers (no text): what the approval request and the task's XCom show."""
        numbers: dict[str, float | int | bool] = {"passed": self.passed, "gold_n": self.candidate["all"]["n"]}
        for subset in SUBSETS:
            for key in ("macro_f1", "recall_high"):
                numbers[f"{subset}_{key}_candidate"] = round(self.candidate[subset][key], 4)
                numbers[f"{subset}_{key}_active"] = round(self.baseline[subset][key], 4)
        return numbers


def gold_report(levels: np.ndarray, gold: GoldSet, probabilities: np.ndarray) -> dict:
    return evaluate([e.level for e in gold.examples], levels, [e.lang for e in gold.examples], probabilities)


def compare(candidate: dict, baseline: dict) -> GateResult:
    """Apply the gate to two gold reports (``models.training.metrics.evaluate`` output)."""
    reasons = []
    for subset in SUBSETS:
        new, old = candidate[subset], baseline[subset]
        if new["recall_high"] < old["recall_high"] - RECALL_HIGH_TOLERANCE:
            reasons.append(f"{subset}: recall at levels >= 3 fell from {old['recall_high']:.3f} "
                           f"to {new['recall_high']:.3f}")
        if new["macro_f1"] < old["macro_f1"] - MACRO_F1_TOLERANCE:
            reasons.append(f"{subset}: macro-F1 fell from {old['macro_f1']:.3f} to {new['macro_f1']:.3f} "
                           f"(tolerance {MACRO_F1_TOLERANCE})")
    return GateResult(not reasons, reasons, candidate, baseline)
