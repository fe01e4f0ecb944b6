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
    """The next posts after ``after_id`` and up to ``upper`` lacking a score: id, encrypted text, language,
    and the encrypted text of the post it answers when that one is stored (``parent_text_encrypted``)."""
    cur.execute(sql.SQL(
        "SELECT p.id, p.text_encrypted, p.language, parent.text_encrypted AS parent_text_encrypted FROM posts p "
        "LEFT JOIN posts parent ON parent.source = p.source AND parent.source_id = p.parent_source_id "
        "WHERE p.id > %s AND (%s::bigint IS NULL OR p.id <= %s) AND {} ORDER BY p.id LIMIT %s"
    ).format(_unscored(_table(shadow))), (after_id, upper, upper, model_version, limit))
    return list(cur.fetchall())


def explanation_json(score: Score) -> str:
    return json.dumps([
        {"start": e.start, "end": e.end, "weight": round(e.weight, 4), "reason": e.reason}
        for e in score.explanation
    ])


def insert(cur: Cursor, post_id: int, version: str, score: Score, *, shadow: bool = False,
           explains_later: bool = False) -> bool:
    """Store one score (a shadow score keeps no explanation); ``False`` if the post already had one.

    ``explains_later``: the scorer explains in the explanation step, so an empty explanation is not final."""
    if shadow:
        cur.execute(
            "INSERT INTO shadow_scores (post_id, model_version, level, probabilities, whose, purge_after) "
            "SELECT %s, %s, %s, %s, %s, p.purge_after FROM posts p WHERE p.id = %s "
            "ON CONFLICT (post_id, model_version) DO NOTHING",
            (post_id, version, int(score.level), list(score.probabilities), score.whose, post_id),
        )
    else:
        cur.execute(
            "INSERT INTO scores (post_id, model_version, level, probabilities, explanation, whose, explained_at, "
            "purge_after) "
            "SELECT %s, %s, %s, %s, %s, %s, CASE WHEN %s THEN now() END, p.purge_after FROM posts p WHERE p.id = %s "
            "ON CONFLICT (post_id, model_version) DO NOTHING",
            (post_id, version, int(score.level), list(score.probabilities), explanation_json(score), score.whose,
             bool(score.explanation) or not explains_later, post_id),
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


def explanations(cur: Cursor, post_id: int) -> list[dict]:
    """(``id``, ``explanation``) of the active table's scores of one post."""
    cur.execute("SELECT id, explanation FROM scores WHERE post_id = %s", (post_id,))
    return list(cur.fetchall())


def replace_explanation(cur: Cursor, score_id: int, explanation: list[dict]) -> None:
    """New offsets for a score's explanation, after its post's text was re-filtered."""
    cur.execute("UPDATE scores SET explanation = %s WHERE id = %s", (json.dumps(explanation), score_id))


def unexplained_queued(cur: Cursor, model_version: str, *, limit: int) -> list[dict]:
    """Scores of ``model_version`` behind open suggestions that the explanation step has not explained yet
    (score id, encrypted text, language), most urgent first."""
    cur.execute("SELECT s.id, p.text_encrypted, p.language FROM scores s "
                "JOIN suggestions g ON g.score_id = s.id JOIN posts p ON p.id = s.post_id "
                "WHERE s.model_version = %s AND s.explained_at IS NULL AND g.status IN ('new', 'claimed') "
                "ORDER BY g.level DESC, g.priority DESC, s.id LIMIT %s", (model_version, limit))
    return list(cur.fetchall())


def store_explanation(cur: Cursor, score_id: int, explanation: list[dict]) -> None:
    cur.execute("UPDATE scores SET explanation = %s, explained_at = now() WHERE id = %s",
                (json.dumps(explanation), score_id))


def mark_routed(cur: Cursor, score_id: int) -> None:
    """A score about someone else's risk or nobody's has been routed by the enqueuer; it is not looked at again."""
    cur.execute("UPDATE scores SET routed_at = now() WHERE id = %s", (score_id,))
