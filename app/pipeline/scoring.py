"""Score stored posts that a model has not scored yet.

Reads redacted text (decrypting it in memory) and writes one row per post and model
version through :mod:`models.serving.scores`: the active model's scores (what the queue
reads) or a shadow candidate's (what only the comparison report reads). A comment is scored
with the post or comment it answers as context, when that one is stored (it passed language ID
and consent); a parent is never fetched or stored just for context.

Work is cut into id ranges (:func:`pending_ranges`) so that Airflow can map one task
per range over several workers; a range is scored in committed batches, and re-running
a range skips what is already scored.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import audit
from core.db.connection import Connection, transaction
from models.serving import scores
from models.serving.scores import IdRange
from models.serving.scoring import Scorer
from privacy.encryption import TextCipher

BATCH_SIZE = 64
#: Posts per mapped scoring task by default (``MAJAKKA_SCORE_RANGE_SIZE``): large enough to amortise
#: loading the model, small enough to share.
RANGE_SIZE = 256
ACTOR = "system:scorer"


@dataclass(frozen=True)
class ScoreStats:
    scored: int
    by_level: dict[int, int]

    def counts(self) -> dict[str, int]:
        return {"scored": self.scored, **{f"level_{level}": n for level, n in sorted(self.by_level.items())}}


def pending_ranges(conn: Connection, model_version: str, *, range_size: int = RANGE_SIZE,
                   shadow: bool = False) -> list[IdRange]:
    """Id ranges covering every post ``model_version`` has not scored, ``range_size`` posts each."""
    with transaction(conn) as cur:
        return scores.pending_ranges(cur, model_version, range_size=range_size, shadow=shadow)


def score_pending(conn: Connection, scorer: Scorer, cipher: TextCipher, *, bounds: IdRange | None = None,
                  shadow: bool = False, batch_size: int = BATCH_SIZE) -> ScoreStats:
    """Score every post in ``bounds`` (default: all) lacking a score from ``scorer.version``."""
    upper = bounds.last_id if bounds else None
    by_level: dict[int, int] = {}
    scored = 0
    last_id = bounds.first_id - 1 if bounds else 0
    while True:
        with transaction(conn) as cur:
            rows = scores.unscored_batch(cur, scorer.version, after_id=last_id, upper=upper, limit=batch_size,
                                         shadow=shadow)
            if not rows:
                break
            texts = [cipher.decrypt(row["text_encrypted"]) for row in rows]
            languages = [row["language"] for row in rows]
            contexts = [cipher.decrypt(bytes(row["parent_text_encrypted"])) if row["parent_text_encrypted"] else None
                        for row in rows]
            results = (scorer.score_batch(texts, languages, contexts) if any(contexts)
                       else scorer.score_batch(texts, languages))
            for row, score in zip(rows, results, strict=True):
                if scores.insert(cur, row["id"], scorer.version, score, shadow=shadow,
                                 explains_later=hasattr(scorer, "explain")):
                    scored += 1
                    by_level[int(score.level)] = by_level.get(int(score.level), 0) + 1
            last_id = rows[-1]["id"]
    stats = ScoreStats(scored, by_level)
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="score.shadow" if shadow else "score.run",
                     object_type="model", object_id=scorer.version,
                     details={**stats.counts(), **(bounds.as_dict() if bounds else {})})
    return stats
