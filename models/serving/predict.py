"""The transformer scorer: encoder + heads + temperature + decision rule, behind ``Scorer``.

Scoring is one encoder pass per post (and one for the post a comment answers, when it is
stored and the model has a whose-risk head). Explanations are not computed here: they cost a
dozen re-scorings per post, so they run in their own step, for queued items only
(:meth:`TransformerScorer.explain`, called by ``app.pipeline.explanations``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.levels import RiskLevel
from models.serving import artifact
from models.serving.calibration import softmax
from models.serving.encoder.embed import Encoder
from models.serving.explain import explain
from models.serving.head import WHOSE, head_logits, whose_probabilities
from models.serving.scoring import Evidence, Score


class TransformerScorer:
    """Scores redacted posts: level probabilities, the level by the model's rule, and whose risk it is."""

    def __init__(self, model_dir: Path, encoder_dir: Path) -> None:
        loaded = artifact.load(model_dir)
        self.spec, self._head, self._whose = loaded.spec, loaded.head, loaded.whose_head
        self._encoder = Encoder(encoder_dir, max_length=self.spec.max_length, layer_overrides=loaded.layers)

    @property
    def version(self) -> str:
        return self.spec.version

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self._probabilities_of(self._encoder.embed(list(texts)))

    def _probabilities_of(self, embeddings: np.ndarray) -> np.ndarray:
        return softmax(head_logits(self._head, embeddings), self.spec.temperature)

    def score_batch(self, texts: Sequence[str], languages: Sequence[str],
                    contexts: Sequence[str | None] | None = None) -> list[Score]:
        """Score ``texts``; ``contexts`` holds, per text, the redacted post it answers (or ``None``)."""
        embeddings = self._encoder.embed(list(texts))
        probabilities = self._probabilities_of(embeddings)
        levels = self.spec.rule.levels(probabilities)
        whose = self._whose_of(embeddings, contexts) if self._whose is not None else [None] * len(texts)
        return [
            Score(RiskLevel(int(level)), tuple(float(p) for p in _renormalised(row)), self.version, (), owner)
            for level, row, owner in zip(levels, probabilities, whose, strict=True)
        ]

    def _whose_of(self, embeddings: np.ndarray, contexts: Sequence[str | None] | None) -> list[str]:
        parents = np.zeros_like(embeddings)
        answered = [i for i, context in enumerate(contexts or ()) if context]
        if answered:
            parents[answered] = self._encoder.embed([contexts[i] for i in answered])
        return [WHOSE[int(i)] for i in whose_probabilities(self._whose, embeddings, parents).argmax(axis=1)]

    def explain(self, texts: Sequence[str], languages: Sequence[str] | None = None) -> list[tuple[Evidence, ...]]:
        """Clause-level occlusion explanations of ``texts`` (see ``models.serving.explain``)."""
        if not texts:
            return []
        return explain(list(texts), self.probabilities(texts), self.probabilities, languages=languages)


def _renormalised(row: np.ndarray) -> np.ndarray:
    """float32 rounding can leave a sum of 1 +- 1e-7; Score checks to 1e-6, so renormalise in float64."""
    row = row.astype(np.float64)
    return row / row.sum()
