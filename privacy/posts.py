"""Redacted, encrypted posts (table ``posts``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor


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
    parent_source_id: str | None = None


def insert(cur: Cursor, post: RedactedPost, retention_days: int) -> bool:
    """Insert unless the source id is already stored; returns whether a row was added."""
    cur.execute(
        """
        INSERT INTO posts (source, source_id, kind, community, permalink, author_pseudonym,
                           pseudonym_key_id, language, text_encrypted, text_length, entity_counts,
                           filter_version, created_at, parent_source_id, purge_after)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() + make_interval(days => %s))
        ON CONFLICT (source, source_id) DO NOTHING
        RETURNING id
        """,
        (post.source, post.source_id, post.kind, post.community, post.permalink, post.author_pseudonym,
         post.pseudonym_key_id, post.language, post.text_encrypted, post.text_length,
         json.dumps(post.entity_counts), post.filter_version, post.created_at, post.parent_source_id,
         retention_days),
    )
    return cur.fetchone() is not None


def stored_source_ids(cur: Cursor, source: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are stored (for a reply: whether its thread is already kept)."""
    cur.execute("SELECT source_id FROM posts WHERE source = %s AND source_id = ANY(%s)", (source, list(ids)))
    return {row["source_id"] for row in cur.fetchall()}


def source_ids(cur: Cursor, source: str, *, after_id: int = 0, limit: int = 1000) -> list[tuple[int, str]]:
    """(row id, source id) pairs in id order, for paging through stored items."""
    cur.execute(
        "SELECT id, source_id FROM posts WHERE source = %s AND id > %s ORDER BY id LIMIT %s",
        (source, after_id, limit),
    )
    return [(row["id"], row["source_id"]) for row in cur.fetchall()]


def delete_by_source_ids(cur: Cursor, source: str, ids: Iterable[str]) -> int:
    """Delete posts (scores and suggestions cascade); returns rows removed."""
    cur.execute("DELETE FROM posts WHERE source = %s AND source_id = ANY(%s)", (source, list(ids)))
    return cur.rowcount


def delete_expired(cur: Cursor) -> int:
    cur.execute("DELETE FROM posts WHERE purge_after < now()")
    return cur.rowcount


def stored_since(cur: Cursor, after_id: int) -> list[dict]:
    """Posts stored after ``after_id`` (encrypted text included), in id order, for the stage checks."""
    cur.execute("SELECT id, source_id, language, author_pseudonym, filter_version, text_length, text_encrypted "
                "FROM posts WHERE id > %s ORDER BY id", (after_id,))
    return list(cur.fetchall())


def quarantine(cur: Cursor, post_ids: list[int], reason: str) -> int:
    """Hold posts back from the queue (kept for the ML engineer and the DPO); returns posts newly held."""
    cur.execute("UPDATE posts SET quarantined_at = now(), quarantine_reason = %s "
                "WHERE id = ANY(%s) AND quarantined_at IS NULL", (reason, post_ids))
    return cur.rowcount


def count_quarantined(cur: Cursor) -> int:
    cur.execute("SELECT count(*) AS n FROM posts WHERE quarantined_at IS NOT NULL")
    return int(cur.fetchone()["n"])


def encrypted_page(cur: Cursor, *, after_id: int, limit: int) -> list[dict]:
    """(id, text_encrypted) rows after ``after_id``, for re-encrypting every post in batches."""
    cur.execute("SELECT id, text_encrypted FROM posts WHERE id > %s ORDER BY id LIMIT %s", (after_id, limit))
    return list(cur.fetchall())


def replace_encrypted_text(cur: Cursor, post_id: int, text_encrypted: bytes) -> None:
    cur.execute("UPDATE posts SET text_encrypted = %s WHERE id = %s", (text_encrypted, post_id))


def delete_by_authors(cur: Cursor, source: str, pseudonyms: list[str]) -> int:
    """Delete every post of these pseudonymous authors (scores, suggestions and notes cascade)."""
    cur.execute("DELETE FROM posts WHERE source = %s AND author_pseudonym = ANY(%s)", (source, pseudonyms))
    return cur.rowcount


def collected_by_language(cur: Cursor, start: datetime, end: datetime) -> dict[str, int]:
    """Posts collected between ``start`` and ``end`` (both included), by language."""
    cur.execute("SELECT language, count(*) AS n FROM posts WHERE collected_at BETWEEN %s AND %s "
                "GROUP BY language", (start, end))
    return {row["language"]: int(row["n"]) for row in cur.fetchall()}


def redacted_by_other_versions(cur: Cursor, version: str, *, after_id: int, limit: int) -> list[dict]:
    """Posts whose stored text another filter version produced (id order), for re-filtering."""
    cur.execute("SELECT id, language, text_encrypted, entity_counts, filter_version FROM posts "
                "WHERE filter_version <> %s AND id > %s ORDER BY id LIMIT %s", (version, after_id, limit))
    return list(cur.fetchall())


def replace_redaction(cur: Cursor, post_id: int, *, text_encrypted: bytes, text_length: int,
                      entity_counts: dict[str, int], filter_version: str) -> None:
    """Store a post's text as a newer filter version redacted it (the version is recorded with it)."""
    cur.execute("UPDATE posts SET text_encrypted = %s, text_length = %s, entity_counts = %s, filter_version = %s "
                "WHERE id = %s", (text_encrypted, text_length, json.dumps(entity_counts), filter_version, post_id))


def schedule_purge(cur: Cursor, source: str, community: str, days: int) -> int:
    """Bring the purge deadline of a community's stored posts forward to at most ``days`` from now
    (the retention job deletes them then, and everything derived from them with them)."""
    cur.execute("UPDATE posts SET purge_after = least(purge_after, now() + make_interval(days => %s)) "
                "WHERE source = %s AND lower(community) = lower(%s)", (days, source, community))
    return cur.rowcount
