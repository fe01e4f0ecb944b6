"""The transformer scorer: encoder + head + temperature + decision rule, behind ``Scorer``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.levels import QUEUE_MIN_LEVEL, RiskLevel
from models.serving import artifact
from models.serving.calibration import softmax
from models.serving.encoder.embed import Encoder
from models.serving.explain import explain
from models.serving.head import head_logits
from models.serving.scoring import Score


class TransformerScorer:
    """Scores redacted posts; explains those that reach the queue."""

    def __init__(self, model_dir: Path, encoder_dir: Path, *, explain_from: int = int(QUEUE_MIN_LEVEL)) -> None:
        self.spec, self._head, layers = artifact.load(model_dir)
        self._encoder = Encoder(encoder_dir, max_length=self.spec.max_length, layer_overrides=layers)
        self._explain_from = explain_from

    @property
    def version(self) -> str:
        return self.spec.version

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        logits = head_logits(self._head, self._encoder.embed(list(texts)))
        return softmax(logits, self.spec.temperature)

    def score_batch(self, texts: Sequence[str], languages: Sequence[str]) -> list[Score]:
        probabilities = self.probabilities(texts)
        levels = self.spec.rule.levels(probabilities)
        to_explain = [i for i, level in enumerate(levels) if level >= self._explain_from]
        evidence = dict(zip(to_explain, explain([texts[i] for i in to_explain], probabilities[to_explain],
                                                self.probabilities), strict=True)) if to_explain else {}
        return [
            Score(RiskLevel(int(level)), tuple(float(p) for p in _renormalised(row)), self.version,
                  evidence.get(i, ()))
            for i, (level, row) in enumerate(zip(levels, probabilities, strict=True))
        ]


def _renormalised(row: np.ndarray) -> np.ndarray:
    """float32 rounding can leave a sum of 1 +- 1e-7; Score checks to 1e-6, so renormalise in float64."""
    row = row.astype(np.float64)
    return row / row.sum()
