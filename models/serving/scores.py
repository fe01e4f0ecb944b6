"""Stored scores (tables ``scores`` and ``shadow_scores``): one row per post and model version.

``scores`` holds the active model's verdicts, which the queue reads; ``shadow_scores`` holds
a shadow candidate's, which only the comparison report reads. Explanations are stored as
offsets and weights into the redacted text, never as copied phrases, so neither table holds
any text. Every score inherits its post's purge deadline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from psycopg2 import sql

from core.db.connection import Cursor
from models.serving.scoring import Score

ACTIVE_TABLE = "scores"
SHADOW_TABLE = "shadow_scores"


@dataclass(frozen=True)
class IdRange:
    """Inclusive bounds of post ids; a mapped task's whole input (no text, no identifiers)."""

    first_id: int
    last_id: int

    def as_dict(self) -> dict[str, int]:
        return {"first_id": self.first_id, "last_id": self.last_id}


def _table(shadow: bool) -> str:
    return SHADOW_TABLE if shadow else ACTIVE_TABLE


def _unscored(table: str) -> sql.Composed:
    return sql.SQL("NOT EXISTS (SELECT 1 FROM {} s WHERE s.post_id = p.id AND s.model_version = %s)").format(
        sql.Identifier(table))


def pending_ranges(cur: Cursor, model_version: str, *, range_size: int, shadow: bool = False) -> list[IdRange]:
    """Id ranges covering every post ``model_version`` has not scored, ``range_size`` posts each."""
    cur.execute(sql.SQL(
        "SELECT min(id) AS first_id, max(id) AS last_id FROM ("
        " SELECT p.id, (row_number() OVER (ORDER BY p.id) - 1) / %s AS bucket FROM posts p WHERE {}"
        ") pending GROUP BY bucket ORDER BY bucket").format(_unscored(_table(shadow))), (range_size, model_version))
    return [IdRange(row["first_id"], row["last_id"]) for row in cur.fetchall()]


def unscored_batch(cur: Cursor, model_version: str, *, after_id: int, upper: int | None, limit: int,
                   shadow: bool = False) -> list[dict]:
    """The next posts (id, encrypted text, language) after ``after_id`` and up to ``upper`` lacking a score."""
    cur.execute(sql.SQL("SELECT p.id, p.text_encrypted, p.language FROM posts p "
                        "WHERE p.id > %s AND (%s::bigint IS NULL OR p.id <= %s) AND {} ORDER BY p.id LIMIT %s"
                        ).format(_unscored(_table(shadow))), (after_id, upper, upper, model_version, limit))
    return list(cur.fetchall())


def explanation_json(score: Score) -> str:
    return json.dumps([
        {"start": e.start, "end": e.end, "weight": round(e.weight, 4), "reason": e.reason}
        for e in score.explanation
    ])


def insert(cur: Cursor, post_id: int, version: str, score: Score, *, shadow: bool = False) -> bool:
    """Store one score (a shadow score keeps no explanation); ``False`` if the post already had one."""
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


def scored_since(cur: Cursor, model_version: str, after_post_id: int) -> list[dict]:
    """The active table's scores of ``model_version`` for posts after ``after_post_id``, in post order."""
    cur.execute("SELECT post_id, level, probabilities, model_version FROM scores "
                "WHERE model_version = %s AND post_id > %s ORDER BY post_id", (model_version, after_post_id))
    return list(cur.fetchall())


def first_levels(cur: Cursor, model_version: str, limit: int) -> list[int]:
    """The levels of a version's first ``limit`` scores (by post), its drift reference."""
    cur.execute("SELECT level FROM scores WHERE model_version = %s ORDER BY post_id LIMIT %s",
                (model_version, limit))
    return [int(row["level"]) for row in cur.fetchall()]


def counts_by_level(cur: Cursor, start: datetime, end: datetime) -> dict[str, int]:
    """Scores written between ``start`` and ``end`` (both included), by level."""
    cur.execute("SELECT level, count(*) AS n FROM scores WHERE scored_at BETWEEN %s AND %s GROUP BY level",
                (start, end))
    return {str(row["level"]): int(row["n"]) for row in cur.fetchall()}
