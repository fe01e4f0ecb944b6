"""Explanations a counsellor can check: which clauses moved the model, grouped by risk factor.

The text is cut into clauses that never cross a sentence end (a sentence split at commas,
semicolons, colons and dashes; a long clause is halved). Each clause is removed in turn and
the post re-scored: the drop in expected risk level is that clause's weight, so the weights are
faithful to the model, mistakes included. A clause that contains a phrase of the lexicon is
labelled with that phrase's risk factor (plan, means, time, farewell, self-harm, suicidal
thoughts, hopelessness, distress, help-seeking, someone else at risk), so the page can group
the evidence; other clauses are "other words".

Occlusion re-scores every clause, so this runs only for items already in the queue, in its
own step after enqueueing (``app.pipeline.explanations``), never while scoring. Offsets point
into the redacted text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from core.levels import LEVEL_COUNT
from models.serving.scoring import Evidence

_SENTENCE = re.compile(r"[^.!?\n…]+[.!?…]*", re.UNICODE)
#: A clause: a run without commas, semicolons, colons or a spaced dash.
_CLAUSE = re.compile(r"(?:(?!\s[-–—]\s)[^,;:])+", re.UNICODE)
_WORD = re.compile(r"<[A-Z_]+>|[\w'’-]*\w[\w'’-]*", re.UNICODE)
MAX_CLAUSE_WORDS = 12
MAX_CLAUSES = 16
TOP_K = 6
OTHER = "other words"
#: Lexicon reasons by the risk factor a counsellor looks for.
FACTORS = {
    "plan": ("stated intent", "plan", "decision"), "means": ("overdose", "means"), "time": ("time",),
    "farewell": ("farewell note", "possible farewell", "farewell"),
    "self-harm or attempt": ("self-harm", "self harm", "attempt in progress", "hiding self"),
    "suicidal thoughts": ("suicidal ideation", "wish not to exist", "wish to die"),
    "hopelessness": ("hopelessness",),
    "distress": ("low mood", "exhaustion", "anxiety", "loneliness", "everyday stress", "venting", "mild worry",
                 "sleep problems", "exhaustion or venting"),
    "help-seeking": ("asking for help",),
    "someone else at risk": ("third person", "helping other", "self"),
}


def clauses(text: str) -> list[tuple[int, int]]:
    """Character spans of clauses, inside sentence boundaries, from first to last word of each."""
    spans: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(text):
        for piece in _CLAUSE.finditer(text, sentence.start(), sentence.end()):
            words = [m.span() for m in _WORD.finditer(text, piece.start(), piece.end())]
            for first in range(0, len(words), MAX_CLAUSE_WORDS):
                chunk = words[first:first + MAX_CLAUSE_WORDS]
                spans.append((chunk[0][0], chunk[-1][1]))
    return _limit(spans)


def _limit(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """At most ``MAX_CLAUSES`` spans: a long post joins neighbours within a sentence first."""
    while len(spans) > MAX_CLAUSES:
        shortest = min(range(len(spans) - 1), key=lambda i: spans[i + 1][1] - spans[i][0])
        spans[shortest:shortest + 2] = [(spans[shortest][0], spans[shortest + 1][1])]
    return spans


def expected_level(probabilities: np.ndarray) -> np.ndarray:
    return probabilities @ np.arange(LEVEL_COUNT, dtype=np.float64)


@cache
def _lexicon():
    from models.serving.lexicon.baseline import LexiconScorer

    return LexiconScorer()


def factor_of(text: str, language: str) -> str:
    """The risk factor of the strongest lexicon phrase in ``text``, or "other words"."""
    evidence = _lexicon().score(text, language).explanation
    for item in sorted(evidence, key=lambda e: -abs(e.weight)):
        for factor, reasons in FACTORS.items():
            if item.reason in reasons:
                return factor
    return OTHER


def explain(texts: Sequence[str], base_probabilities: np.ndarray,
            probabilities_of: Callable[[list[str]], np.ndarray], *, languages: Sequence[str] | None = None,
            top_k: int = TOP_K) -> list[tuple[Evidence, ...]]:
    """The clauses with the largest effect on expected level, for each text (one batched re-scoring)."""
    spans = [clauses(text) for text in texts]
    variants = [text[:start] + text[end:] for text, text_spans in zip(texts, spans, strict=True)
                for start, end in text_spans]
    occluded = expected_level(probabilities_of(variants)) if variants else np.zeros(0)
    base = expected_level(base_probabilities)
    results: list[tuple[Evidence, ...]] = []
    cursor = 0
    for index, (text, text_spans) in enumerate(zip(texts, spans, strict=True)):
        effects = base[index] - occluded[cursor:cursor + len(text_spans)]
        cursor += len(text_spans)
        language = languages[index] if languages else "fi"
        ranked = sorted(zip(text_spans, effects, strict=True), key=lambda item: -abs(item[1]))[:top_k]
        results.append(tuple(
            Evidence(text[start:end], start, end, float(effect), factor_of(text[start:end], language))
            for (start, end), effect in sorted(ranked) if abs(effect) > 1e-3
        ))
    return results


def wrong_way(evidence: Sequence[Evidence]) -> bool:
    """Whether an explanation says a risk-factor clause lowered the risk: a model error to drive down."""
    return any(e.weight < 0 and e.reason not in (OTHER, "distress", "help-seeking", "someone else at risk")
               for e in evidence)
