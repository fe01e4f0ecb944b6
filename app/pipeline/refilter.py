"""Re-filtering stored text with a newer filter version.

What is already stored was redacted by the filter of its day; when a newer version finds
more (names the old one let through, identifiers hidden by invisible characters), the
stored text is run through it again: decrypted in memory only, redacted again, encrypted
again, and the new version recorded on the row. Already-redacted text goes in, so the old
placeholders stay and only what the old version missed is replaced.

Scores keep pointing at the right words: an explanation's offsets are moved with the text
(spans the new redaction swallowed are dropped). The DPO gets counts only: rows checked,
rows changed, entities removed per type, in the report and the audit log.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import dataclass, field

from core import audit
from core.db.connection import Connection, transaction
from models.serving import scores
from privacy import posts
from privacy.encryption import TextCipher

BATCH = 200
log = logging.getLogger(__name__)


@dataclass
class RefilterReport:
    filter_version: str
    checked: int = 0
    changed: int = 0
    failed: int = 0
    removed_by_type: Counter = field(default_factory=Counter)

    def counts(self) -> dict:
        return {"filter_version": self.filter_version, "checked": self.checked, "changed": self.changed,
                "failed": self.failed, "removed_by_type": dict(sorted(self.removed_by_type.items()))}


def offset_map(old: str, new: str) -> list[int | None]:
    """For each position of ``old`` (and its end), the same position in ``new``; ``None`` inside a replaced run."""
    mapping: list[int | None] = [None] * (len(old) + 1)
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(None, old, new,
                                                                               autojunk=False).get_opcodes():
        if tag == "equal":
            for offset in range(old_end - old_start + 1):
                mapping[old_start + offset] = new_start + offset
        elif tag != "insert":  # an insertion moves nothing of the old text; its neighbours are mapped
            mapping[old_start] = mapping[old_start] if mapping[old_start] is not None else new_start
            mapping[old_end] = new_end
    return mapping


def moved_explanation(explanation: list[dict], mapping: list[int | None]) -> list[dict]:
    """Explanation spans at their new offsets; a span whose words were redacted away is dropped."""
    moved = []
    for evidence in explanation:
        start, end = int(evidence["start"]), int(evidence["end"])
        if end >= len(mapping) or mapping[start] is None or mapping[end] is None:
            continue
        if all(mapping[i] is not None for i in range(start, end + 1)):
            moved.append({**evidence, "start": mapping[start], "end": mapping[end]})
    return moved


def refilter(conn: Connection, text_filter, cipher: TextCipher, *, actor: str, role: str) -> RefilterReport:
    """Run ``text_filter`` over every post another version redacted; returns counts only."""
    report = RefilterReport(text_filter.version)
    last_id = 0
    while True:
        with transaction(conn) as cur:
            rows = posts.redacted_by_other_versions(cur, text_filter.version, after_id=last_id, limit=BATCH)
            if not rows:
                break
            for row in rows:
                _refilter_row(cur, row, text_filter, cipher, report)
            last_id = rows[-1]["id"]
    with transaction(conn) as cur:
        audit.record(cur, actor=actor, role=role, action="filter.refilter", object_type="filter",
                     object_id=text_filter.version, details=report.counts())
    return report


def _refilter_row(cur, row: dict, text_filter, cipher: TextCipher, report: RefilterReport) -> None:
    report.checked += 1
    try:
        old = cipher.decrypt(bytes(row["text_encrypted"]))
        redaction = text_filter.redact(old, row["language"])
    except Exception as error:  # keep the old redaction; the row is tried again on the next run
        report.failed += 1
        log.error("post %d could not be re-filtered (%s)", row["id"], type(error).__name__)
        return
    counts = Counter(row["entity_counts"] or {})
    if redaction.text != old:
        report.changed += 1
        found = Counter(entity.type for entity in redaction.entities)
        report.removed_by_type.update(found)
        counts.update(found)
        mapping = offset_map(old, redaction.text)
        for score in scores.explanations(cur, row["id"]):
            scores.replace_explanation(cur, score["id"], moved_explanation(list(score["explanation"] or []), mapping))
    posts.replace_redaction(cur, row["id"], text_encrypted=cipher.encrypt(redaction.text),
                            text_length=len(redaction.text), entity_counts=dict(counts),
                            filter_version=text_filter.version)
