"""Reddit as a source, through PRAW, against reddit.com or any Reddit-compatible server.

Incremental: listings come newest first, so each stream is read until the item the
cursor remembers (or anything older) appears. Fields are read from the objects'
already-fetched data, never through PRAW's lazy attribute loading, so a malformed
item cannot trigger hidden extra requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import praw
import prawcore
from praw.exceptions import PRAWException
from prawcore.sessions import RetryStrategy

from collect.base import Cursor, FetchResult, RawItem, SourceError, StreamKey
from collect.retry import RetryPolicy
from core.config import REDDIT_WWW_URL, Settings

SOURCE_NAME = "reddit"
STREAMS = ("submissions", "comments")
INFO_BATCH = 100
_GONE_MARKERS = {"[deleted]", "[removed]"}
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, PRAWException)


class TimeoutRequestor(prawcore.Requestor):
    """Applies our request timeout to every call.

    PRAW 8 ignores its own ``timeout`` setting and prawcore reads ``PRAWCORE_TIMEOUT``
    once at import, so a per-instance timeout has to be enforced here.
    """

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return super().request(*args, timeout=self.timeout, **kwargs)


class NoRetries(RetryStrategy):
    """Turns off prawcore's own retry loop so :class:`RetryPolicy` is the only one.

    prawcore otherwise retries 5xx, timeouts and 401s up to three times with its own
    random sleeps, hidden beneath ours: backoff would multiply and be untestable.
    An expired token still recovers: the 401 clears it, our retry fetches a new one.
    """

    def _sleep_seconds(self) -> float | None:
        return None

    def consume_available_retry(self) -> NoRetries:
        return self

    def should_retry_on_failure(self) -> bool:
        return False


class RedditSource:
    """Public submissions and comments of configured subreddits."""

    name = SOURCE_NAME

    def __init__(self, reddit: praw.Reddit, subreddits: Iterable[str], retry: RetryPolicy) -> None:
        self._reddit = reddit
        self._subreddits = tuple(subreddits)
        self._retry = retry

    @classmethod
    def from_settings(cls, settings: Settings, *, retry: RetryPolicy | None = None) -> RedditSource:
        """Build the PRAW client; the three endpoint URLs are passed explicitly (PRAW ignores env)."""
        reddit = praw.Reddit(
            client_id=settings.reddit_client_id.get_secret_value(),
            client_secret=settings.reddit_client_secret.get_secret_value(),
            user_agent=settings.reddit_user_agent,
            check_for_updates=False,
            requestor_class=TimeoutRequestor,
            requestor_kwargs={"timeout": settings.request_timeout_seconds},
            **settings.reddit_urls,
        )
        reddit.read_only = True
        reddit._read_only_core._retry_strategy_class = NoRetries  # no public hook in prawcore 4
        return cls(reddit, settings.subreddits, retry or RetryPolicy.from_settings(settings))

    def streams(self) -> list[StreamKey]:
        return [StreamKey(SOURCE_NAME, sub, stream) for sub in self._subreddits for stream in STREAMS]

    def fetch_new(self, stream: StreamKey, cursor: Cursor | None, limit: int) -> FetchResult:
        subreddit = self._reddit.subreddit(stream.community)
        listing = subreddit.new(limit=limit) if stream.stream == "submissions" else subreddit.comments(limit=limit)
        items: list[RawItem] = []
        try:
            for thing in self._iterate(str(stream), listing):
                item = to_raw_item(thing, stream.community)
                if cursor is not None and (item.source_id == cursor.newest_id or item.created_at < cursor.newest_at):
                    break
                items.append(item)
        except SourceError as error:
            return FetchResult(items, error)
        return FetchResult(items)

    def gone(self, source_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(source_ids))
        gone: set[str] = set()
        for start in range(0, len(ids), INFO_BATCH):
            chunk = ids[start:start + INFO_BATCH]
            found = self._retry.call("info", lambda chunk=chunk: list(self._reddit.info(fullnames=chunk)))
            alive = {thing.fullname for thing in found if not _is_gone(vars(thing))}
            gone.update(set(chunk) - alive)
        return gone

    def _iterate(self, what: str, listing: Iterator[Any]) -> Iterator[Any]:
        """Yield listing items, retrying each page fetch; PRAW's generator survives a failed page."""
        while True:
            try:
                thing = self._retry.call(what, lambda: next(listing, None))
            except _MALFORMED as error:
                raise SourceError(f"{what}: malformed listing ({type(error).__name__})") from error
            if thing is None:
                return
            yield thing


def to_raw_item(thing: Any, community: str) -> RawItem:
    """Map a PRAW Submission/Comment to a :class:`RawItem` from its fetched data only."""
    data = vars(thing)
    try:
        item_id = str(data["id"])
        created = datetime.fromtimestamp(float(data["created_utc"]), tz=UTC)
    except _MALFORMED as error:
        raise SourceError(f"{community}: malformed item ({type(error).__name__})") from error
    author = data.get("author")
    author_name = None if author is None else str(author)
    if isinstance(thing, praw.models.Submission):
        title = str(data.get("title") or "")
        body = str(data.get("selftext") or "")
        text = title if not body else (title + "\n\n" + body if body not in _GONE_MARKERS else body)
        return RawItem(SOURCE_NAME, f"t3_{item_id}", "post", community,
                       f"{REDDIT_WWW_URL}/r/{community}/comments/{item_id}/", created, text, author_name)
    link_id = str(data.get("link_id") or "t3_").removeprefix("t3_")
    parent = str(data.get("parent_id") or "") or None
    return RawItem(SOURCE_NAME, f"t1_{item_id}", "comment", community,
                   f"{REDDIT_WWW_URL}/r/{community}/comments/{link_id}/_/{item_id}/", created,
                   str(data.get("body") or ""), author_name, parent)


def _is_gone(data: dict[str, Any]) -> bool:
    if data.get("author") is None or data.get("removed_by_category"):
        return True
    text = data.get("body", data.get("selftext", ""))
    return str(text).strip() in _GONE_MARKERS
