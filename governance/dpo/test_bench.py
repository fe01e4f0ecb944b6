"""The redaction test bench: JSONL ``{"id", "text"}`` in, redactions and spans out.

Lets a DPO run the live filter over their own test sentences and see exactly what it
finds. Every readable line is answered in input order; a bad line (see ``core.jsonl``),
or one the filter fails on, yields an error record naming the line and is not fatal:
one bad line must not lose the results for the others. A text longer than the limit is
cut before detection, head and tail kept, and its record says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.jsonl import TooLong, dumps, text_records
from privacy.language import detect_language, is_kept
from privacy.normalise import DEFAULT_MAX_POST_CHARS, limit_length

AUTO = "auto"
log = logging.getLogger(__name__)


@dataclass
class BenchCounts:
    redacted: int = 0
    errors: int = 0
    cut: int = 0


def redact_lines(lines: Iterable[str | bytes | TooLong], privacy_filter, *, language: str = AUTO,
                 counts: BenchCounts | None = None, max_chars: int = DEFAULT_MAX_POST_CHARS) -> Iterator[str]:
    """Yield one output JSON line per non-empty input line, in input order."""
    counts = counts if counts is not None else BenchCounts()
    for number, parsed in text_records(lines):
        if isinstance(parsed, str):
            counts.errors += 1
            yield dumps({"line": number, "error": parsed})
            continue
        identifier, text = parsed
        text, cut = limit_length(text, max_chars)
        try:
            lang = _language(text, language)
            redaction = privacy_filter.redact(text, lang)
        except Exception as error:  # fail closed: no output of this text, the run goes on
            log.error("line %d: the privacy filter failed (%s); nothing of it is shown", number,
                      type(error).__name__)
            counts.errors += 1
            yield dumps({"line": number, "id": identifier, "error": "the privacy filter failed on this text"})
            continue
        counts.redacted += 1
        counts.cut += cut
        yield dumps({
            "id": identifier,
            "language": lang,
            "redacted": redaction.text,
            "entities": [{"type": e.type, "start": e.start, "end": e.end, "score": round(e.score, 3)}
                         for e in redaction.entities],
            "filter_version": redaction.filter_version,
            **({"cut_to_chars": max_chars} if cut else {}),
        })


def _language(text: str, requested: str) -> str:
    """The bench redacts every line; non-fi/sv text uses the Finnish rules (the stricter NER)."""
    if requested != AUTO:
        return requested
    detected = detect_language(text)
    return detected if is_kept(detected) else "fi"
