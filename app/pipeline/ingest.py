"""Collect -> language ID -> privacy filter -> store, in one process.

These four steps are one stage on purpose: raw text may exist only in the memory of
the task that fetched it (invariant 1), so it cannot cross an Airflow task boundary.
What leaves this module is redacted, encrypted rows and a dictionary of counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

from collect import cursors
from collect.base import Cursor, RawItem, Source, StreamKey
from core import audit
from core.db.connection import Connection, transaction
from governance import consent, opt_out
from privacy import posts
from privacy.encryption import TextCipher
from privacy.language import detect_language, is_kept
from privacy.normalise import DEFAULT_MAX_POST_CHARS, limit_length
from privacy.policy_history import PolicyChangedError, record_policy
from privacy.posts import RedactedPost
from privacy.pseudonym import Pseudonymizer

log = logging.getLogger(__name__)
ACTOR = "system:collector"


class Redaction(Protocol):
    text: str
    entities: list
    filter_version: str


class TextFilter(Protocol):
    @property
    def version(self) -> str: ...

    def redact(self, text: str, language: str, known_names: Sequence[str | None] = ()) -> Redaction: ...


@dataclass
class CollectStats:
    """Counts reported by ``majakka collect`` and returned to Airflow as XCom (no text)."""

    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    dropped_language: int = 0
    skipped_deleted: int = 0
    dropped_opted_out: int = 0
    communities_without_consent: int = 0
    #: items the filter failed on: not stored (fail closed), counted, logged without text
    filter_failed: int = 0
    #: items longer than the limit, cut before detection (head and tail kept)
    cut: int = 0
    errors: int = 0
    failures: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {key: value for key, value in asdict(self).items() if key != "failures"}


@dataclass
class OptedOut:
    """The opt-out registry for one run, in memory; notes authors matched only under a retired key."""

    pseudonyms: set[str]
    to_rekey: set[str] = field(default_factory=set)

    def matches(self, candidates: dict[str, str], current_key_id: str) -> bool:
        if not self.pseudonyms.intersection(candidates.values()):
            return False
        if candidates[current_key_id] not in self.pseudonyms:
            self.to_rekey.add(candidates[current_key_id])
        return True


@dataclass(frozen=True)
class Ingestor:
    """Runs one collection pass over every stream of a source."""

    source: Source
    text_filter: TextFilter
    pseudonymizer: Pseudonymizer
    cipher: TextCipher
    retention_days: int
    fetch_limit: int
    max_post_chars: int = DEFAULT_MAX_POST_CHARS
    #: community -> the language its posts are taken to be in when a post is too short or close to tell
    community_languages: Mapping[str, str] = field(default_factory=dict)

    def run(self, conn: Connection) -> CollectStats:
        """One pass over every stream of a community that currently consents (others are skipped)."""
        streams = self.source.streams()
        with transaction(conn) as cur:
            policy = record_policy(cur)
            allowed, refused = consent.collectable(cur, self.source.name,
                                                   tuple(dict.fromkeys(s.community for s in streams)))
            opted_out = OptedOut(opt_out.registry(cur, self.source.name))
        if policy.version != self.text_filter.version:
            raise PolicyChangedError(f"filter runs {self.text_filter.version} but the policy file is {policy.version}")
        stats = CollectStats(communities_without_consent=len(refused))
        for status in refused:
            log.warning("not collecting %s/%s: consent %s", status.source, status.name, status.state)
        for stream in streams:
            if stream.community in allowed:
                self._collect_stream(conn, stream, stats, opted_out)
        with transaction(conn) as cur:
            for pseudonym in opted_out.to_rekey:
                opt_out.rekey(cur, source=self.source.name, pseudonym=pseudonym, key_id=self.pseudonymizer.key_id)
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="collect.run",
                         object_type="source", object_id=self.source.name, details=stats.counts())
        return stats

    def _collect_stream(self, conn: Connection, stream: StreamKey, stats: CollectStats, opted_out: OptedOut) -> None:
        with transaction(conn) as cur:
            cursor = cursors.load(cur, stream)
        result = self.source.fetch_new(stream, cursor, self.fetch_limit)
        stats.fetched += len(result.items)
        prepared = [post for item in result.items if (post := self._prepare(item, stats, opted_out)) is not None]
        with transaction(conn) as cur:
            for post in prepared:
                if posts.insert(cur, post, self.retention_days):
                    stats.stored += 1
                else:
                    stats.duplicates += 1
            if result.complete and result.items:
                newest = max(result.items, key=lambda item: item.created_at)
                cursors.save(cur, stream, Cursor(newest.source_id, newest.created_at))
        if result.error is not None:
            stats.errors += 1
            stats.failures.append(str(result.error))
            log.error("%s: %s (kept %d items fetched before the failure)", stream, result.error,
                      len(result.items))

    def _prepare(self, item: RawItem, stats: CollectStats, opted_out: OptedOut) -> RedactedPost | None:
        """Redact and pseudonymise one item in memory, or count why it is dropped.

        Fails closed: if anything goes wrong with one item (a detector error, a code point no
        step expected), the item is not stored, the failure is counted and logged without
        text, and the run goes on with the next item.
        """
        try:
            return self._redact(item, stats, opted_out)
        except Exception as error:
            stats.filter_failed += 1
            log.error("%s/%s: one item could not be filtered (%s); it is not stored", item.source, item.community,
                      type(error).__name__)
            return None

    def _redact(self, item: RawItem, stats: CollectStats, opted_out: OptedOut) -> RedactedPost | None:
        if item.is_deleted:
            stats.skipped_deleted += 1
            return None
        pseudonyms = self.pseudonymizer.candidates(item.source, item.author or "")
        if opted_out.matches(pseudonyms, self.pseudonymizer.key_id):
            stats.dropped_opted_out += 1
            return None
        raw_text, cut = limit_length(item.text, self.max_post_chars)
        language = detect_language(raw_text, self.community_languages.get(item.community))
        if not is_kept(language):
            stats.dropped_language += 1
            return None
        stats.cut += cut
        redaction = self.text_filter.redact(raw_text, language, known_names=[item.author])
        entity_counts = Counter(entity.type for entity in redaction.entities)
        return RedactedPost(
            source=item.source,
            source_id=item.source_id,
            kind=item.kind,
            community=item.community,
            permalink=item.permalink,
            author_pseudonym=pseudonyms[self.pseudonymizer.key_id],
            pseudonym_key_id=self.pseudonymizer.key_id,
            language=language,
            text_encrypted=self.cipher.encrypt(redaction.text),
            text_length=len(redaction.text),
            entity_counts=dict(entity_counts),
            filter_version=redaction.filter_version,
            created_at=item.created_at,
            parent_source_id=item.parent_id,
        )
