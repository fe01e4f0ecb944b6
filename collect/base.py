"""The small interface every source implements, and the in-memory item it yields.

A :class:`RawItem` carries raw text and a raw author name: it must never be logged,
pickled into XCom or written anywhere. Its ``repr`` hides both so that an exception
message or a debug log line cannot leak them by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class StreamKey:
    """One incremental feed: e.g. reddit / Suomi / submissions."""

    source: str
    community: str
    stream: str

    def __str__(self) -> str:
        return f"{self.source}/{self.community}/{self.stream}"


@dataclass(frozen=True)
class Cursor:
    """The newest item already collected from a stream."""

    newest_id: str
    newest_at: datetime


@dataclass(frozen=True)
class RawItem:
    """A public item as fetched; lives only in memory inside the collecting task."""

    source: str
    source_id: str
    kind: str  # "post" or "comment"
    community: str
    permalink: str
    created_at: datetime
    text: str = field(repr=False)
    author: str | None = field(repr=False)
    #: For a comment: the source id of the post or comment it answers (context for scoring, never a profile).
    parent_id: str | None = None

    @property
    def is_deleted(self) -> bool:
        """Deleted or removed at the source: such items are skipped, never stored."""
        return self.author is None or self.text.strip() in {"[deleted]", "[removed]"}


@dataclass
class FetchResult:
    """What one stream returned: items newest first, and the error that stopped it, if any."""

    items: list[RawItem]
    error: Exception | None = None

    @property
    def complete(self) -> bool:
        return self.error is None


class SourceError(RuntimeError):
    """A source failed after its retries; the message is one line, safe to print."""


class Source(Protocol):
    """A place Majakka reads public posts from."""

    name: str

    def streams(self) -> list[StreamKey]:
        """The feeds to poll on each run."""
        ...

    def fetch_new(self, stream: StreamKey, cursor: Cursor | None, limit: int) -> FetchResult:
        """Items newer than ``cursor`` (newest first, at most ``limit``)."""
        ...

    def gone(self, source_ids: Iterable[str]) -> set[str]:
        """Which of ``source_ids`` are deleted or removed at the source now."""
        ...
