"""``majakka score``: JSONL ``{"id","text"}`` in, scores out, through the pipeline's own filters.

The same language ID, first stage and privacy filter as collection run first, so what the
model sees here is exactly what it sees in production; posts in other languages are reported
as dropped rather than scored, and posts the first stage clears are answered with level 0 and
``"cleared": "first stage"`` (pass no first stage to have the transformer read every line).
Lines are read in chunks and answered in input order, an error record for every line that
cannot be read, filtered or scored; memory stays bounded by the chunk, whatever the size of
the input. The chunk's texts go through the filter and the model as batches.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from core.jsonl import TooLong, dumps, text_records
from privacy.language import detect_language, is_kept
from privacy.normalise import DEFAULT_MAX_POST_CHARS, limit_length

BATCH = 32
log = logging.getLogger(__name__)


@dataclass
class ScoreCounts:
    scored: int = 0
    dropped_language: int = 0
    #: answered level 0 by the first stage, without the filter or the transformer
    cleared: int = 0
    errors: int = 0
    cut: int = 0


@dataclass(frozen=True)
class Pending:
    """A line in a kept language waiting for the filter and the model: its answer slot and raw text."""

    slot: int
    number: int
    identifier: str
    text: str
    language: str


def score_lines(lines: Iterable[str | bytes | TooLong], scorer, privacy_filter, *, counts: ScoreCounts,
                max_chars: int = DEFAULT_MAX_POST_CHARS, explain: bool = False, first_stage=None) -> Iterator[str]:
    """One answer per readable line, in input order; ``explain`` adds clause explanations to answers at
    level 2 or above (a dozen re-scorings each: off by default, as in the pipeline's scoring step)."""
    records = text_records(lines)
    while chunk := list(itertools.islice(records, BATCH)):
        answers: list[dict | None] = []
        pending: list[Pending] = []
        for number, parsed in chunk:
            answers.append(_triage(number, parsed, counts, max_chars, pending, len(answers)))
        if first_stage is not None and pending:
            passed = _first_stage_answers(first_stage, pending)
            for waiting, ok in zip(pending, passed, strict=True):
                if not ok:
                    counts.cleared += 1
                    answers[waiting.slot] = {"id": waiting.identifier, "lang": waiting.language, "level": 0,
                                             "cleared": "first stage"}
            pending = [waiting for waiting, ok in zip(pending, passed, strict=True) if ok]
        redacted = _redacted(pending, privacy_filter, answers, counts)
        _score(redacted, scorer, answers, counts, explain=explain)
        yield from (dumps(answer) for answer in answers)


def _first_stage_answers(first_stage, pending: list[Pending]) -> list[bool]:
    """Whether each pending text goes on; if the first stage fails, every one does (the model decides)."""
    try:
        return first_stage.passes([p.text for p in pending])
    except Exception as error:
        log.warning("the first stage failed on a chunk of %d (%s); the model reads all of them", len(pending),
                    type(error).__name__)
        return [True] * len(pending)


def _triage(number: int, parsed: tuple[object, str] | str, counts: ScoreCounts, max_chars: int,
            pending: list[Pending], slot: int) -> dict | None:
    """The answer for a line that needs no scoring, or ``None`` after queueing it for the batch."""
    if isinstance(parsed, str):
        counts.errors += 1
        return {"line": number, "error": parsed}
    identifier, text = str(parsed[0]), parsed[1]
    text, cut = limit_length(text, max_chars)
    counts.cut += cut
    try:
        lang = detect_language(text)
    except Exception as error:  # fail closed: the text goes nowhere, the run goes on
        return _filter_failed(number, identifier, counts, error)
    if not is_kept(lang):
        counts.dropped_language += 1
        return {"id": identifier, "lang": lang, "dropped": "language not fi/sv"}
    pending.append(Pending(slot, number, identifier, text, lang))
    return None


def _redacted(pending: list[Pending], privacy_filter, answers: list[dict | None],
              counts: ScoreCounts) -> list[tuple[int, str, str, str]]:
    """(answer slot, id, redacted text, language) for each pending line: the batch at once, or, if that
    fails, line by line so that one bad text costs only its own answer."""
    from privacy.redaction import redact_each  # spaCy and Presidio load with it: only when filtering

    if not pending:
        return []
    results = redact_each(privacy_filter, [p.text for p in pending], [p.language for p in pending])
    redacted = []
    for waiting, result in zip(pending, results, strict=True):
        if isinstance(result, Exception):
            answers[waiting.slot] = _filter_failed(waiting.number, waiting.identifier, counts, result)
        else:
            redacted.append((waiting.slot, waiting.identifier, result.text, waiting.language))
    return redacted


def _filter_failed(number: int, identifier: str, counts: ScoreCounts, error: Exception) -> dict:
    log.error("line %d: the privacy filter failed (%s)", number, type(error).__name__)
    counts.errors += 1
    return {"line": number, "id": identifier, "error": "the privacy filter failed on this text"}


def _score(pending: list[tuple[int, str, str, str]], scorer, answers: list[dict | None], counts: ScoreCounts, *,
           explain: bool) -> None:
    if not pending:
        return
    try:
        scores = scorer.score_batch([text for _, _, text, _ in pending], [lang for _, _, _, lang in pending])
    except Exception as error:
        log.error("scoring a batch of %d failed (%s)", len(pending), type(error).__name__)
        for slot, identifier, _, _ in pending:
            counts.errors += 1
            answers[slot] = {"id": identifier, "error": "the model failed on this batch"}
        return
    if explain and hasattr(scorer, "explain"):
        flagged = [i for i, score in enumerate(scores) if score.level >= 2]
        try:
            evidence = dict(zip(flagged, scorer.explain([pending[i][2] for i in flagged],
                                                        [pending[i][3] for i in flagged]), strict=True))
        except Exception as error:  # the scores stand without explanations
            log.error("explaining a batch of %d failed (%s)", len(flagged), type(error).__name__)
            evidence = {}
        scores = [replace(score, explanation=evidence.get(i, score.explanation)) for i, score in enumerate(scores)]
    for (slot, identifier, _, lang), score in zip(pending, scores, strict=True):
        counts.scored += 1
        answers[slot] = {
            "id": identifier, "lang": lang, "level": int(score.level),
            "probabilities": [round(p, 4) for p in score.probabilities],
            "explanation": [{"phrase": e.phrase, "start": e.start, "end": e.end, "weight": round(e.weight, 4),
                             "reason": e.reason} for e in score.explanation],
            "model_version": score.model_version, "whose": score.whose,
        }
