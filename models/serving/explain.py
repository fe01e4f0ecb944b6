"""Occlusion explanations: which words or phrases pushed a post's risk up or down.

A counsellor should see *why* a post is in the queue. Each chunk of the text (a word,
or a run of words in longer posts) is removed in turn and the post re-scored; the drop
in expected risk level is that chunk's weight. Offsets point into the redacted text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from core.levels import LEVEL_COUNT
from models.serving.scoring import Evidence

_WORD = re.compile(r"<[A-Z_]+>|[\w'’-]+", re.UNICODE)
MAX_CHUNKS = 12
TOP_K = 5


def chunks(text: str, max_chunks: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """Character spans: single words for short texts, equal runs of words for long ones."""
    words = [m.span() for m in _WORD.finditer(text)]
    if not words:
        return []
    size = max(1, -(-len(words) // max_chunks))
    return [(words[i][0], words[min(i + size, len(words)) - 1][1]) for i in range(0, len(words), size)]


def expected_level(probabilities: np.ndarray) -> np.ndarray:
    return probabilities @ np.arange(LEVEL_COUNT, dtype=np.float64)


def explain(texts: Sequence[str], base_probabilities: np.ndarray,
            probabilities_of: Callable[[list[str]], np.ndarray], *, top_k: int = TOP_K) -> list[tuple[Evidence, ...]]:
    """Top chunks by absolute effect on expected level, for each text (one batched re-scoring)."""
    spans = [chunks(text) for text in texts]
    variants = [text[:start] + text[end:] for text, text_spans in zip(texts, spans, strict=True)
                for start, end in text_spans]
    occluded = expected_level(probabilities_of(variants)) if variants else np.zeros(0)
    base = expected_level(base_probabilities)
    results: list[tuple[Evidence, ...]] = []
    cursor = 0
    for index, (text, text_spans) in enumerate(zip(texts, spans, strict=True)):
        effects = base[index] - occluded[cursor:cursor + len(text_spans)]
        cursor += len(text_spans)
        ranked = sorted(zip(text_spans, effects, strict=True), key=lambda item: -abs(item[1]))[:top_k]
        results.append(tuple(
            Evidence(text[start:end], start, end, float(effect), "raises risk" if effect > 0 else "lowers risk")
            for (start, end), effect in ranked if abs(effect) > 1e-3
        ))
    return results
