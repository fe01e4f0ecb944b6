"""Explanations for queued items, in their own step after enqueueing.

Occlusion re-scores every clause of a post, about a dozen encoder passes; doing that while
scoring made scoring several times slower and spent most of it on posts nobody will read. So
the scoring step stores level and probabilities, the enqueue step picks what reaches the queue,
and this step explains those, most urgent first, in committed batches (a killed run resumes).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import audit
from core.db.connection import Connection, transaction
from models.serving import scores
from privacy.encryption import TextCipher

BATCH = 16
ACTOR = "system:explainer"


@dataclass(frozen=True)
class ExplainStats:
    explained: int

    def counts(self) -> dict[str, int]:
        return {"explained": self.explained}


def explain_queued(conn: Connection, scorer, cipher: TextCipher, *, limit: int = 10_000) -> ExplainStats:
    """Explain the scorer's scores behind open suggestions that have no explanation yet."""
    if not hasattr(scorer, "explain"):
        return ExplainStats(0)  # a scorer that explains while scoring (the lexicon baseline)
    explained = 0
    while explained < limit:
        with transaction(conn) as cur:
            rows = scores.unexplained_queued(cur, scorer.version, limit=BATCH)
            if not rows:
                break
            texts = [cipher.decrypt(bytes(row["text_encrypted"])) for row in rows]
            evidence = scorer.explain(texts, [row["language"] for row in rows])
            for row, items in zip(rows, evidence, strict=True):
                scores.store_explanation(cur, row["id"], [
                    {"start": e.start, "end": e.end, "weight": round(e.weight, 4), "reason": e.reason} for e in items])
            explained += len(rows)
    if explained:
        with transaction(conn) as cur:
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="score.explain", object_type="model",
                         object_id=scorer.version, details={"explained": explained})
    return ExplainStats(explained)
