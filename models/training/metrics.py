"""Evaluation metrics (scikit-learn, nothing fetched from a network)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support, precision_score, recall_score

from models.serving.calibration import expected_calibration_error

LEVELS = [0, 1, 2, 3, 4]


def level_metrics(gold: np.ndarray, predicted: np.ndarray, probabilities: np.ndarray | None = None) -> dict:
    precision, recall, _, support = precision_recall_fscore_support(gold, predicted, labels=LEVELS,
                                                                    zero_division=0)
    result = {
        "n": len(gold),
        "macro_f1": float(f1_score(gold, predicted, labels=LEVELS, average="macro", zero_division=0)),
        "per_level": {str(level): {"precision": float(p), "recall": float(r), "support": int(s)}
                      for level, p, r, s in zip(LEVELS, precision, recall, support, strict=True)},
        "recall_high": float(recall_score(gold >= 3, predicted >= 3, zero_division=0)),
        "precision_high": float(precision_score(gold >= 3, predicted >= 3, zero_division=0)),
        "recall_crisis": float(recall_score(gold == 4, predicted == 4, zero_division=0)),
        "flag_f1": float(f1_score(gold >= 2, predicted >= 2, zero_division=0)),
        "confusion": confusion_matrix(gold, predicted, labels=LEVELS).tolist(),
    }
    if probabilities is not None:
        result["ece"] = expected_calibration_error(probabilities, gold)
    return result


def evaluate(gold: Sequence[int], predicted: Sequence[int], languages: Sequence[str],
             probabilities: np.ndarray | None = None) -> dict:
    """Overall metrics plus the same per language."""
    gold_a, pred_a, lang_a = np.asarray(gold), np.asarray(predicted), np.asarray(languages)
    report = {"all": level_metrics(gold_a, pred_a, probabilities)}
    for lang in sorted(set(languages)):
        mask = lang_a == lang
        report[lang] = level_metrics(gold_a[mask], pred_a[mask],
                                     probabilities[mask] if probabilities is not None else None)
    return report
