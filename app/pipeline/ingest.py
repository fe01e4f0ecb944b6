"""Collect -> language ID -> first stage -> privacy filter -> store, in one process.

These steps are one stage on purpose: raw text may exist only in the memory of the task
that fetched it (invariant 1), so it cannot cross an Airflow task boundary. What leaves
this module is redacted, encrypted rows and a dictionary of counts.

The first stage (``models/serving/first_stage.py``) clears the clearly unconcerning majority
here, in memory: a cleared post is counted and dropped like a post in another language, so
it is never filtered, stored or scored (data minimisation). Two kinds of cleared post are kept
anyway: a comment whose parent post goes on (or is already stored), because a reply means
something only in its thread; and the second-look sample (the same hash buckets the second
look draws from), so that counsellors can estimate what the cascade and the model miss.
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
from outreach import second_look
from privacy import posts
from privacy.encryption import TextCipher
from privacy.language import detect_language, is_kept
from privacy.normalise import DEFAULT_MAX_POST_CHARS, limit_length
from privacy.policy_history import PolicyChangedError, record_policy
from privacy.posts import RedactedPost
from privacy.pseudonym import Pseudonymizer

log = logging.getLogger(__name__)
ACTOR = "system:collector"


class Screen(Protocol):
    """The cascade's first stage: whether each raw text may matter (see ``models/serving/first_stage.py``)."""

    version: str

    def passes(self, texts: Sequence[str]) -> list[bool]: ...


class Redaction(Protocol):
    text: str
    entities: list
    filter_version: str


class TextFilter(Protocol):
    @property
    def version(self) -> str: ...

    def redact(self, text: str, language: str, known_names: Sequence[str | None] = ()) -> Redaction: ...

    def redact_many(self, texts: Sequence[str], languages: Sequence[str],
                    known_names: Sequence[Sequence[str | None]] | None = None) -> list[Redaction]: ...


@dataclass
class CollectStats:
    """Counts reported by ``majakka collect`` and returned to Airflow as XCom (no text)."""

    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    dropped_language: int = 0
    #: posts the first stage cleared: counted and dropped in memory, never stored
    cleared_first_stage: int = 0
    #: cleared posts kept anyway for the second-look sample
    kept_for_second_look: int = 0
    #: a shadow first stage's disagreements with the active one (it decides nothing): posts it would
    #: have cleared that the active one passed, and posts it would have passed that the active one cleared
    shadow_would_clear: int = 0
    shadow_would_pass: int = 0
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
class Candidate:
    """An item in a kept language, not opted out: its raw text (cut to the limit) lives only here, in memory."""

    item: RawItem
    raw_text: str
    language: str
    pseudonym: str


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
    #: the cascade's first stage; None sends every post in a kept language on to the filter
    first_stage: Screen | None = None
    #: a first-stage candidate screening beside it: only its disagreements are counted
    shadow_first_stage: Screen | None = None
    #: share of cleared posts kept for the second look (the second look's own sampling rate)
    second_look_rate: float = 0.0

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
                         object_type="source", object_id=self.source.name,
                         details={**stats.counts(), "first_stage": _version(self.first_stage),
                                  "shadow_first_stage": _version(self.shadow_first_stage)})
        return stats

    def _collect_stream(self, conn: Connection, stream: StreamKey, stats: CollectStats, opted_out: OptedOut) -> None:
        with transaction(conn) as cur:
            cursor = cursors.load(cur, stream)
        result = self.source.fetch_new(stream, cursor, self.fetch_limit)
        stats.fetched += len(result.items)
        screened = [kept for item in result.items if (kept := self._screen(item, stats, opted_out)) is not None]
        screened = self._first_stage(conn, screened, stats)
        prepared = self._prepare_all(screened, stats)
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

    def _screen(self, item: RawItem, stats: CollectStats, opted_out: OptedOut) -> Candidate | None:
        """Deleted, opted-out and other-language items are counted and dropped; the rest is a candidate."""
        try:
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
            return Candidate(item, raw_text, language, pseudonyms[self.pseudonymizer.key_id])
        except Exception as error:
            self._failed(item, stats, error)
            return None

    def _first_stage(self, conn: Connection, candidates: list[Candidate], stats: CollectStats) -> list[Candidate]:
        """The candidates that go on: passed by the first stage, replies in a thread that goes on, or
        in the second-look sample. The others are counted and dropped here, in memory."""
        if self.first_stage is None or not candidates:
            return candidates
        texts = [candidate.raw_text for candidate in candidates]
        passed = self._passes(self.first_stage, texts)
        if self.shadow_first_stage is not None:
            self._count_shadow(texts, passed, stats)
        going_on = {c.item.source_id for c, ok in zip(candidates, passed, strict=True) if ok}
        parents = {c.item.parent_id for c, ok in zip(candidates, passed, strict=True) if not ok and c.item.parent_id}
        if parents - going_on:
            with transaction(conn) as cur:
                going_on |= posts.stored_source_ids(cur, self.source.name, parents - going_on)
        kept = []
        for candidate, ok in zip(candidates, passed, strict=True):
            if ok or candidate.item.parent_id in going_on:
                kept.append(candidate)
            elif second_look.in_sample(candidate.item.source, candidate.item.source_id, self.second_look_rate):
                stats.kept_for_second_look += 1
                kept.append(candidate)
            else:
                stats.cleared_first_stage += 1
        return kept

    def _count_shadow(self, texts: list[str], passed: list[bool], stats: CollectStats) -> None:
        """Compare the shadow first stage with the active one on the same texts (counts only)."""
        shadow = self._passes(self.shadow_first_stage, texts)
        stats.shadow_would_clear += sum(ok and not other for ok, other in zip(passed, shadow, strict=True))
        stats.shadow_would_pass += sum(other and not ok for ok, other in zip(passed, shadow, strict=True))

    @staticmethod
    def _passes(stage: Screen, texts: list[str]) -> list[bool]:
        """A first stage's answers; a text it cannot read goes on to the filter (which fails closed)."""
        try:
            return stage.passes(texts)
        except Exception:
            answers = []
            for text in texts:
                try:
                    answers += stage.passes([text])
                except Exception as error:
                    log.warning("the first stage could not read one item (%s); it goes on to the filter",
                                type(error).__name__)
                    answers.append(True)
            return answers

    def _prepare_all(self, candidates: list[Candidate], stats: CollectStats) -> list[RedactedPost]:
        """Redact the batch at once (the name tagger reads it in one go); if that fails, item by item,
        so that one bad item costs only itself."""
        from privacy.redaction import redact_each  # spaCy and Presidio load with it: only when filtering

        if not candidates:
            return []
        results = redact_each(self.text_filter, [c.raw_text for c in candidates], [c.language for c in candidates],
                              [[c.item.author] for c in candidates])
        prepared = []
        for candidate, result in zip(candidates, results, strict=True):
            try:
                if isinstance(result, Exception):
                    raise result
                prepared.append(self._stored_form(candidate, result))
            except Exception as error:  # fails closed: not stored, counted, logged without text
                self._failed(candidate.item, stats, error)
        return prepared

    @staticmethod
    def _failed(item: RawItem, stats: CollectStats, error: Exception) -> None:
        stats.filter_failed += 1
        log.error("%s/%s: one item could not be filtered (%s); it is not stored", item.source, item.community,
                  type(error).__name__)

    def _stored_form(self, candidate: Candidate, redaction: Redaction) -> RedactedPost:
        item = candidate.item
        entity_counts = Counter(entity.type for entity in redaction.entities)
        return RedactedPost(
            source=item.source,
            source_id=item.source_id,
            kind=item.kind,
            community=item.community,
            permalink=item.permalink,
            author_pseudonym=candidate.pseudonym,
            pseudonym_key_id=self.pseudonymizer.key_id,
            language=candidate.language,
            text_encrypted=self.cipher.encrypt(redaction.text),
            text_length=len(redaction.text),
            entity_counts=dict(entity_counts),
            filter_version=redaction.filter_version,
            created_at=item.created_at,
            parent_source_id=item.parent_id,
        )


def _version(stage: Screen | None) -> str | None:
    return stage.version if stage is not None else None
