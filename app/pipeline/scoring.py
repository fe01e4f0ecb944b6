"""Score stored posts that a model has not scored yet.

Reads redacted text (decrypting it in memory) and writes one row per post and model
version: into ``scores`` for the active model (what the queue reads), or into
``shadow_scores`` for a shadow candidate (what only the comparison report reads).
Explanations are stored as offsets and weights into the redacted text, never as copied
phrases, so neither table holds any text.

Work is cut into id ranges (:func:`pending_ranges`) so that Airflow can map one task
per range over several workers; a range is scored in committed batches, and re-running
a range skips what is already scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from psycopg2 import sql

from core import audit
from core.db.connection import transaction
from models.serving.scoring import Score, Scorer
from privacy.encryption import TextCipher

BATCH_SIZE = 64
#: Posts per mapped scoring task: large enough to amortise loading the model, small enough to share.
RANGE_SIZE = 256
ACTOR = "system:scorer"
ACTIVE_TABLE = "scores"
SHADOW_TABLE = "shadow_scores"


@dataclass(frozen=True)
class ScoreStats:
    scored: int
    by_level: dict[int, int]

    def counts(self) -> dict[str, int]:
        return {"scored": self.scored, **{f"level_{level}": n for level, n in sorted(self.by_level.items())}}


@dataclass(frozen=True)
class IdRange:
    """Inclusive bounds of post ids; a mapped task's whole input (no text, no identifiers)."""

    first_id: int
    last_id: int

    def as_dict(self) -> dict[str, int]:
        return {"first_id": self.first_id, "last_id": self.last_id}


def explanation_json(score: Score) -> str:
    return json.dumps([
        {"start": e.start, "end": e.end, "weight": round(e.weight, 4), "reason": e.reason}
        for e in score.explanation
    ])


def _unscored(table: str) -> sql.Composed:
    return sql.SQL("NOT EXISTS (SELECT 1 FROM {} s WHERE s.post_id = p.id AND s.model_version = %s)").format(
        sql.Identifier(table))


def pending_ranges(conn, model_version: str, *, range_size: int = RANGE_SIZE,
                   table: str = ACTIVE_TABLE) -> list[IdRange]:
    """Id ranges covering every post ``model_version`` has not scored, ``range_size`` posts each."""
    with transaction(conn) as cur:
        cur.execute(sql.SQL(
            "SELECT min(id) AS first_id, max(id) AS last_id FROM ("
            " SELECT p.id, (row_number() OVER (ORDER BY p.id) - 1) / %s AS bucket FROM posts p WHERE {}"
            ") pending GROUP BY bucket ORDER BY bucket").format(_unscored(table)), (range_size, model_version))
        return [IdRange(row["first_id"], row["last_id"]) for row in cur.fetchall()]


def score_pending(conn, scorer: Scorer, cipher: TextCipher, *, bounds: IdRange | None = None,
                  shadow: bool = False, batch_size: int = BATCH_SIZE) -> ScoreStats:
    """Score every post in ``bounds`` (default: all) lacking a score from ``scorer.version``."""
    table = SHADOW_TABLE if shadow else ACTIVE_TABLE
    upper = bounds.last_id if bounds else None
    by_level: dict[int, int] = {}
    scored = 0
    last_id = bounds.first_id - 1 if bounds else 0
    select = sql.SQL("SELECT p.id, p.text_encrypted, p.language FROM posts p "
                     "WHERE p.id > %s AND (%s::bigint IS NULL OR p.id <= %s) AND {} ORDER BY p.id LIMIT %s"
                     ).format(_unscored(table))
    while True:
        with transaction(conn) as cur:
            cur.execute(select, (last_id, upper, upper, scorer.version, batch_size))
            rows = cur.fetchall()
            if not rows:
                break
            texts = [cipher.decrypt(row["text_encrypted"]) for row in rows]
            results = scorer.score_batch(texts, [row["language"] for row in rows])
            for row, score in zip(rows, results, strict=True):
                if _insert(cur, row["id"], scorer.version, score, shadow=shadow):
                    scored += 1
                    by_level[int(score.level)] = by_level.get(int(score.level), 0) + 1
            last_id = rows[-1]["id"]
    stats = ScoreStats(scored, by_level)
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="score.shadow" if shadow else "score.run",
                     object_type="model", object_id=scorer.version,
                     details={**stats.counts(), **(bounds.as_dict() if bounds else {})})
    return stats


def _insert(cur, post_id: int, version: str, score: Score, *, shadow: bool) -> bool:
    if shadow:
        cur.execute(
            "INSERT INTO shadow_scores (post_id, model_version, level, probabilities, purge_after) "
            "SELECT %s, %s, %s, %s, p.purge_after FROM posts p WHERE p.id = %s "
            "ON CONFLICT (post_id, model_version) DO NOTHING",
            (post_id, version, int(score.level), list(score.probabilities), post_id),
        )
    else:
        cur.execute(
            "INSERT INTO scores (post_id, model_version, level, probabilities, explanation, purge_after) "
            "SELECT %s, %s, %s, %s, %s, p.purge_after FROM posts p WHERE p.id = %s "
            "ON CONFLICT (post_id, model_version) DO NOTHING",
            (post_id, version, int(score.level), list(score.probabilities), explanation_json(score), post_id),
        )
    return cur.rowcount > 0
