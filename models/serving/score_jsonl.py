"""``majakka score``: JSONL ``{"id","text"}`` in, scores out, through the pipeline's own filters.

The same language ID and privacy filter as collection run first, so what the model sees
here is exactly what it sees in production; posts in other languages are reported as
dropped rather than scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.jsonl import text_records
from privacy.language import detect_language, is_kept

BATCH = 32


@dataclass
class ScoreCounts:
    scored: int = 0
    dropped_language: int = 0
    errors: int = 0


def score_lines(lines: Iterable[str], scorer, privacy_filter, *, counts: ScoreCounts) -> Iterator[str]:
    pending: list[tuple[str, str, str]] = []

    def flush() -> Iterator[str]:
        scores = scorer.score_batch([text for _, text, _ in pending], [lang for _, _, lang in pending])
        for (identifier, _, lang), score in zip(pending, scores, strict=True):
            counts.scored += 1
            yield json.dumps({
                "id": identifier, "lang": lang, "level": int(score.level),
                "probabilities": [round(p, 4) for p in score.probabilities],
                "explanation": [{"phrase": e.phrase, "start": e.start, "end": e.end, "weight": round(e.weight, 4),
                                 "reason": e.reason} for e in score.explanation],
                "model_version": score.model_version,
            }, ensure_ascii=False)
        pending.clear()

    for number, parsed in text_records(lines):
        if isinstance(parsed, str):
            counts.errors += 1
            yield json.dumps({"line": number, "error": parsed})
            continue
        identifier, text = str(parsed[0]), parsed[1]
        lang = detect_language(text)
        if not is_kept(lang):
            counts.dropped_language += 1
            yield json.dumps({"id": identifier, "lang": lang, "dropped": "language not fi/sv"})
            continue
        pending.append((identifier, privacy_filter.redact(text, lang).text, lang))
        if len(pending) >= BATCH:
            yield from flush()
    if pending:
        yield from flush()
