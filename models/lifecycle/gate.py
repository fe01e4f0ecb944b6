"""The evaluation gate: a candidate may replace the active model only if it is no worse.

Both models score the same frozen gold set. The candidate is refused when, overall or in
either language:
- recall at levels >= 3 drops at all (missing a person at risk is the costly error), or
- recall at level 4 drops at all (a crisis must reach the 1-hour queue), or
- macro-F1 over the five levels drops by more than ``MACRO_F1_TOLERANCE`` (a small
  tolerance, so that a model that finds more people at risk is not refused for a rounding
  wobble in the rarer levels);
or when the gold set has real everyday text and the candidate calls more of it high or crisis than
the active model, beyond ``EVERYDAY_FALSE_ALARM_TOLERANCE`` (false alarms bury the real ones).
The gate only refuses; promoting a candidate that passed still needs a human's approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.lifecycle.gold import GoldSet
from models.training.metrics import evaluate

RECALL_HIGH_TOLERANCE = 0.0
RECALL_CRISIS_TOLERANCE = 0.0
MACRO_F1_TOLERANCE = 0.02
#: A candidate may raise the share of real everyday text it calls high or crisis by at most this much.
EVERYDAY_FALSE_ALARM_TOLERANCE = 0.005
SUBSETS = ("all", "fi", "sv")


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: list[str]
    candidate: dict
    baseline: dict
    tolerances: dict = field(default_factory=lambda: {"recall_high": RECALL_HIGH_TOLERANCE,
                                                      "recall_crisis": RECALL_CRISIS_TOLERANCE,
                                                      "macro_f1": MACRO_F1_TOLERANCE,
                                                      "everyday_false_alarm": EVERYDAY_FALSE_ALARM_TOLERANCE})

    def summary(self) -> dict[str, float | int | bool]:
        """Headline numbers (no text): what the approval request and the task's XCom show."""
        numbers: dict[str, float | int | bool] = {"passed": self.passed, "gold_n": self.candidate["all"]["n"]}
        for subset in SUBSETS:
            for key in ("macro_f1", "recall_high", "recall_crisis"):
                if key in self.candidate[subset] and key in self.baseline[subset]:
                    numbers[f"{subset}_{key}_candidate"] = round(self.candidate[subset][key], 4)
                    numbers[f"{subset}_{key}_active"] = round(self.baseline[subset][key], 4)
        if "everyday" in self.candidate and "everyday" in self.baseline:
            numbers["everyday_false_alarm_candidate"] = round(self.candidate["everyday"]["false_alarm_high"], 4)
            numbers["everyday_false_alarm_active"] = round(self.baseline["everyday"]["false_alarm_high"], 4)
        return numbers


def gold_report(levels: np.ndarray, gold: GoldSet, probabilities: np.ndarray,
                everyday_levels: np.ndarray | None = None) -> dict:
    report = evaluate([e.level for e in gold.examples], levels, [e.lang for e in gold.examples], probabilities)
    if everyday_levels is not None and len(everyday_levels):
        report["everyday"] = {"n": len(everyday_levels), "false_alarm_high": float((everyday_levels >= 3).mean())}
    return report


def compare(candidate: dict, baseline: dict) -> GateResult:
    """Apply the gate to two gold reports (``models.training.metrics.evaluate`` output)."""
    reasons = []
    for subset in SUBSETS:
        new, old = candidate[subset], baseline[subset]
        if new["recall_high"] < old["recall_high"] - RECALL_HIGH_TOLERANCE:
            reasons.append(f"{subset}: recall at levels >= 3 fell from {old['recall_high']:.3f} "
                           f"to {new['recall_high']:.3f}")
        if "recall_crisis" in new and "recall_crisis" in old and \
                new["recall_crisis"] < old["recall_crisis"] - RECALL_CRISIS_TOLERANCE:
            reasons.append(f"{subset}: recall at level 4 fell from {old['recall_crisis']:.3f} "
                           f"to {new['recall_crisis']:.3f}")
        if new["macro_f1"] < old["macro_f1"] - MACRO_F1_TOLERANCE:
            reasons.append(f"{subset}: macro-F1 fell from {old['macro_f1']:.3f} to {new['macro_f1']:.3f} "
                           f"(tolerance {MACRO_F1_TOLERANCE})")
    if "everyday" in candidate and "everyday" in baseline:
        new_alarms, old_alarms = candidate["everyday"]["false_alarm_high"], baseline["everyday"]["false_alarm_high"]
        if new_alarms > old_alarms + EVERYDAY_FALSE_ALARM_TOLERANCE:
            reasons.append(f"real everyday text at levels >= 3 rose from {old_alarms:.3f} to {new_alarms:.3f} "
                           f"(tolerance {EVERYDAY_FALSE_ALARM_TOLERANCE})")
    return GateResult(not reasons, reasons, candidate, baseline)
