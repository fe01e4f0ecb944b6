"""Redacted, encrypted posts (table ``posts``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RedactedPost:
    """What may be stored about one item: no raw text, no raw author."""

    source: str
    source_id: str
    kind: str
    community: str
    permalink: str
    author_pseudonym: str
    pseudonym_key_id: str
    language: str
    text_encrypted: bytes
    text_length: int
    entity_counts: dict[str, int]
    filter_version: str
    created_at: datetime


def insert(cur, post: RedactedPost, retention_days: int) -> bool:
    """Insert unless the source id is already stored; returns whether a row was added."""
    cur.execute(
        """
        INSERT INTO posts (source, source_id, kind, community, permalink, author_pseudonym,
                           pseudonym_key_id, language, text_encrypted, text_length, entity_counts,
                           filter_version, created_at, purge_after)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() + make_interval(days => %s))
        ON CONFLICT (source, source_id) DO NOTHING
        RETURNING id
        """,
        (post.source, post.source_id, post.kind, post.community, post.permalink, post.author_pseudonym,
         post.pseudonym_key_id, post.language, post.text_encrypted, post.text_length,
         json.dumps(post.entity_counts), post.filter_version, post.created_at, retention_days),
    )
    return cur.fetchone() is not None


def source_ids(cur, source: str, *, after_id: int = 0, limit: int = 1000) -> list[tuple[int, str]]:
    """(row id, source id) pairs in id order, for paging through stored items."""
    cur.execute(
        "SELECT id, source_id FROM posts WHERE source = %s AND id > %s ORDER BY id LIMIT %s",
        (source, after_id, limit),
    )
    return [(row["id"], row["source_id"]) for row in cur.fetchall()]


def delete_by_source_ids(cur, source: str, ids: Iterable[str]) -> int:
    """Delete posts (scores and suggestions cascade); returns rows removed."""
    cur.execute("DELETE FROM posts WHERE source = %s AND source_id = ANY(%s)", (source, list(ids)))
    return cur.rowcount


def delete_expired(cur) -> int:
    cur.execute("DELETE FROM posts WHERE purge_after < now()")
    return cur.rowcount
