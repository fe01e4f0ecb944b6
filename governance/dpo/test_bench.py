"""The redaction test bench: JSONL ``{"id", "text"}`` in, redactions and spans out.

Lets a DPO run the live filter over their own test sentences and see exactly what it
finds. A malformed line yields an error record naming the line and is not fatal: one
bad line must not lose the results for the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.jsonl import text_records
from privacy.language import detect_language, is_kept

AUTO = "auto"


@dataclass
class BenchCounts:
    redacted: int = 0
    errors: int = 0


def redact_lines(lines: Iterable[str], privacy_filter, *, language: str = AUTO,
                 counts: BenchCounts | None = None) -> Iterator[str]:
    """Yield one output JSON line per non-empty input line."""
    counts = counts if counts is not None else BenchCounts()
    for number, parsed in text_records(lines):
        if isinstance(parsed, str):
            counts.errors += 1
            yield json.dumps({"line": number, "error": parsed}, ensure_ascii=False)
            continue
        identifier, text = parsed
        lang = _language(text, language)
        redaction = privacy_filter.redact(text, lang)
        counts.redacted += 1
        yield json.dumps({
            "id": identifier,
            "language": lang,
            "redacted": redaction.text,
            "entities": [{"type": e.type, "start": e.start, "end": e.end, "score": round(e.score, 3)}
                         for e in redaction.entities],
            "filter_version": redaction.filter_version,
        }, ensure_ascii=False)


def _language(text: str, requested: str) -> str:
    """The bench redacts every line; non-fi/sv text uses the Finnish rules (the stricter NER)."""
    if requested != AUTO:
        return requested
    detected = detect_language(text)
    return detected if is_kept(detected) else "fi"
