"""Score stored posts that the given model has not scored yet.

Reads redacted text (decrypting it in memory), writes one ``scores`` row per post and
model version. Explanations are stored as offsets and weights into the redacted text,
never as copied phrases, so the scores table holds no text at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from majakka.db.connection import transaction
from majakka.store import audit
from models.scoring import Score, Scorer
from privacy.encryption import TextCipher

BATCH_SIZE = 64
ACTOR = "system:scorer"


@dataclass(frozen=True)
class ScoreStats:
    scored: int
    by_level: dict[int, int]

    def counts(self) -> dict[str, int]:
        return {"scored": self.scored, **{f"level_{level}": n for level, n in sorted(self.by_level.items())}}


def explanation_json(score: Score) -> str:
    return json.dumps([
        {"start": e.start, "end": e.end, "weight": round(e.weight, 4), "reason": e.reason}
        for e in score.explanation
    ])


def score_pending(conn, scorer: Scorer, cipher: TextCipher, *, batch_size: int = BATCH_SIZE) -> ScoreStats:
    """Score every post lacking a score from ``scorer.version``, one committed batch at a time."""
    by_level: dict[int, int] = {}
    scored = 0
    last_id = 0
    while True:
        with transaction(conn) as cur:
            cur.execute(
                """
                SELECT p.id, p.text_encrypted, p.language FROM posts p
                WHERE p.id > %s AND NOT EXISTS (
                    SELECT 1 FROM scores s WHERE s.post_id = p.id AND s.model_version = %s)
                ORDER BY p.id LIMIT %s
                """,
                (last_id, scorer.version, batch_size),
            )
            rows = cur.fetchall()
            if not rows:
                break
            texts = [cipher.decrypt(row["text_encrypted"]) for row in rows]
            results = scorer.score_batch(texts, [row["language"] for row in rows])
            for row, score in zip(rows, results, strict=True):
                cur.execute(
                    """
                    INSERT INTO scores (post_id, model_version, level, probabilities, explanation, purge_after)
                    SELECT %s, %s, %s, %s, %s, p.purge_after FROM posts p WHERE p.id = %s
                    ON CONFLICT (post_id, model_version) DO NOTHING
                    """,
                    (row["id"], scorer.version, int(score.level), list(score.probabilities),
                     explanation_json(score), row["id"]),
                )
                if cur.rowcount:
                    scored += 1
                    by_level[int(score.level)] = by_level.get(int(score.level), 0) + 1
            last_id = rows[-1]["id"]
    stats = ScoreStats(scored, by_level)
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="score.run", object_type="model",
                     object_id=scorer.version, details=stats.counts())
    return stats
