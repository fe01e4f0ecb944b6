"""The second look: a random sample of what the model did not queue, for counsellors to label.

A queue only shows what the model flagged; what it missed stays invisible unless someone looks.
So a configurable share of the posts scored below the queue (``MAJAKKA_SECOND_LOOK_RATE``, 1 % by
default) is set aside, deterministically by a hash of the post, and counsellors label it on the
"Second look" page. The share of those labelled level 2 or more, with its interval, estimates the
risk the model misses; the supervisor and ML pages show it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from core.db.connection import Cursor
from core.levels import QUEUE_MIN_LEVEL
from governance.partners import POST_IN_SCOPE, Scope, scope_params

#: Hash buckets the sample is drawn from: a rate is a share of these.
BUCKETS = 10_000
#: A post's bucket in SQL: the first four bytes of SHA-256 of "source:source_id", modulo BUCKETS.
#: :func:`bucket` computes the same in Python, so that the collection task keeps exactly the
#: posts the first stage cleared that this sample will draw.
_BUCKET_SQL = ("(('x' || left(encode(sha256(convert_to(p.source || ':' || p.source_id, 'UTF8')), 'hex'), 8))"
               f"::bit(32)::bigint %% {BUCKETS})")


def bucket(source: str, source_id: str) -> int:
    """A post's sample bucket, 0 to BUCKETS - 1 (the same as ``_BUCKET_SQL``)."""
    return int.from_bytes(hashlib.sha256(f"{source}:{source_id}".encode()).digest()[:4], "big") % BUCKETS


def in_sample(source: str, source_id: str, rate: float) -> bool:
    """Whether a post falls in the second-look sample at ``rate``."""
    return bucket(source, source_id) < round(rate * BUCKETS)


def sample(cur: Cursor, model_version: str, rate: float) -> int:
    """Set aside ``rate`` of the posts ``model_version`` scored below the queue; returns how many were added."""
    if rate <= 0:
        return 0
    cur.execute(
        f"""
        INSERT INTO second_looks (post_id, score_id, model_level, purge_after)
        SELECT p.id, s.id, s.level, p.purge_after FROM scores s JOIN posts p ON p.id = s.post_id
        WHERE s.model_version = %(version)s AND s.level < %(queue)s AND p.quarantined_at IS NULL
          AND {_BUCKET_SQL} < %(cut)s
        ON CONFLICT (post_id) DO NOTHING
        """,
        {"version": model_version, "queue": int(QUEUE_MIN_LEVEL), "cut": round(rate * BUCKETS)},
    )
    return cur.rowcount


@dataclass(frozen=True)
class SecondLookItem:
    id: int
    post_id: int
    text_encrypted: bytes
    language: str
    community: str


def waiting(cur: Cursor, scope: Scope | None, *, limit: int = 20) -> list[SecondLookItem]:
    """Unlabelled second-look posts in ``scope`` (a partner's communities, national ones if shared), oldest first."""
    cur.execute(f"""SELECT l.id, p.id AS post_id, p.text_encrypted, p.language, p.community FROM second_looks l
                    JOIN posts p ON p.id = l.post_id WHERE l.label IS NULL AND {POST_IN_SCOPE}
                    ORDER BY l.sampled_at, l.id LIMIT %(limit)s""", {**scope_params(scope), "limit": limit})
    return [SecondLookItem(r["id"], r["post_id"], bytes(r["text_encrypted"]), r["language"], r["community"])
            for r in cur.fetchall()]


def record_label(cur: Cursor, item_id: int, level: int, user_id: int, scope: Scope | None) -> bool:
    """A counsellor's level for a second-look post; ``False`` if there is no such unlabelled item in ``scope``."""
    cur.execute(f"""UPDATE second_looks l SET label = %(level)s, labelled_by = %(user)s, labelled_at = now()
                    FROM posts p WHERE p.id = l.post_id AND l.id = %(item)s AND l.label IS NULL
                      AND {POST_IN_SCOPE}""",
                {**scope_params(scope), "level": level, "user": user_id, "item": item_id})
    return cur.rowcount == 1


@dataclass(frozen=True)
class MissedRisk:
    """How much of what the model did not queue counsellors labelled as needing a look."""

    labelled: int
    missed: int
    waiting: int

    @property
    def rate(self) -> float | None:
        return self.missed / self.labelled if self.labelled else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """95 % Wilson interval of the rate."""
        if not self.labelled:
            return None
        n, p, z = self.labelled, self.missed / self.labelled, 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)


def missed_risk(cur: Cursor, scope: Scope | None = None) -> MissedRisk:
    """The second look's tally in ``scope`` (``None``: every partner's, for the ML engineer's page)."""
    cur.execute(f"""SELECT count(*) FILTER (WHERE l.label IS NOT NULL) AS labelled,
                           count(*) FILTER (WHERE l.label >= {int(QUEUE_MIN_LEVEL)}) AS missed,
                           count(*) FILTER (WHERE l.label IS NULL) AS waiting
                    FROM second_looks l JOIN posts p ON p.id = l.post_id WHERE {POST_IN_SCOPE}""",
                scope_params(scope))
    row = cur.fetchone()
    return MissedRisk(int(row["labelled"]), int(row["missed"]), int(row["waiting"]))
