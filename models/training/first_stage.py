"""Training the cascade's first stage (``models/serving/first_stage.py``) and choosing its threshold.

Data: the team-written development set's training split (the frozen gold set stays in test, as
for the transformer), real everyday text from the training half of the trainable shared files
(silver level 0, no risk words), and the reviewed real keyword hits. All raw text: the first
stage runs before the privacy filter, so it must learn on what it will see. The threshold is the
highest that keeps recall of levels >= 2 at ``recall_target`` on the validation split (with the
risk-word net counted, as in production); the test split is only measured.

    majakka train-first-stage --output models/versions/first-stage-<timestamp>
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from collect import corpora
from models.serving.first_stage import RISK_WORDS, FirstStage, features
from models.training.data import Example, load_examples, split_examples
from models.training.real_text import everyday_examples, reviewed_examples

QUEUE_LEVEL = 2


def _unchanged(texts: list[str], _: list[str]) -> list[str]:
    return texts


def choose_threshold(probabilities: np.ndarray, positive: np.ndarray, netted: np.ndarray,
                     recall_target: float) -> float:
    """The highest threshold at which passing (probability >= threshold, or caught by the risk-word
    net) keeps at least ``recall_target`` of the positives."""
    needed = int(np.ceil(recall_target * positive.sum()))
    caught_by_net = int((positive & netted).sum())
    candidates = np.sort(probabilities[positive & ~netted])[::-1]
    if caught_by_net >= needed or len(candidates) == 0:
        return float(candidates[0]) if len(candidates) else 0.5
    return float(candidates[min(needed - caught_by_net, len(candidates)) - 1])


def recall(stage: FirstStage, examples: Sequence[Example]) -> tuple[int, float]:
    """(positives, share of them passed) over ``examples`` with level >= 2."""
    positives = [e.text for e in examples if e.level >= QUEUE_LEVEL]
    return len(positives), float(np.mean(stage.passes(positives))) if positives else float("nan")


def train_first_stage(*, held_out: frozenset[str], everyday_per_language: int = 4000, recall_target: float = 0.995,
                      regularisation: float = 4.0, seed: int = 0, counsellor_labels: Sequence[Example] = (),
                      version: str | None = None) -> tuple[FirstStage, dict]:
    """Fit, choose the threshold on validation, measure on test; returns the stage and its figures.

    ``held_out`` (the frozen gold set's ids) goes to the test split whole, as for the transformer.
    ``counsellor_labels`` (a label export: stored, hence redacted, text) join the training split only,
    so the threshold is still chosen and measured on team-written data alone.
    """
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    splits = split_examples(load_examples(), seed=seed, held_out=held_out)
    # Real everyday text lives beside the repository (../shared); without it, team-written data only.
    real = (everyday_examples(everyday_per_language, _unchanged, seed=seed) + reviewed_examples(_unchanged)
            if corpora.available() else [])
    train = splits["train"] + real + list(counsellor_labels)
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=3000, random_state=seed)
    model.fit(features([e.text for e in train]), np.array([e.level >= QUEUE_LEVEL for e in train]))
    weights, intercept = model.coef_[0], float(model.intercept_[0])

    validation = splits["validation"]
    provisional = FirstStage("provisional", weights, intercept, 0.5)
    threshold = choose_threshold(
        provisional.probabilities([e.text for e in validation]),
        np.array([e.level >= QUEUE_LEVEL for e in validation]),
        np.array([RISK_WORDS.search(e.text) is not None for e in validation]), recall_target)
    version = version or f"first-stage-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    stage = FirstStage(version, weights, intercept, threshold)
    figures = {
        "trained_on": {"team_written_train": len(splits["train"]),
                       "real_everyday_silver": sum("real_everyday" in e.tags for e in real),
                       "real_reviewed": sum("real_reviewed" in e.tags for e in real),
                       "counsellor_labels": len(counsellor_labels)},
        "recall_target": recall_target,
        "threshold_chosen_on": "validation split of the team-written development set",
        "validation_recall": recall(stage, validation)[1],
        "test_recall": recall(stage, splits["test"])[1],
        "test_positives": recall(stage, splits["test"])[0],
        "measured_on_note": "team-written development data, not clinical validation; benchmarks/cascade.py adds the "
                            "demo sample and real everyday text",
        "training_seconds": round(time.perf_counter() - started),
    }
    return stage, figures
