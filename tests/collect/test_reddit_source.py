"""RedditSource against the local Reddit-compatible server: incremental reads and every error case."""

from __future__ import annotations

import pytest

from app.demo.reddit_api import Fault
from collect.base import Cursor, SourceError, StreamKey
from collect.reddit import RedditSource
from collect.retry import RetryPolicy
from tests.factories import make_item

SUBMISSIONS = StreamKey("reddit", "Suomi", "submissions")
COMMENTS = StreamKey("reddit", "Suomi", "comments")


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def source(settings, sleeps) -> RedditSource:
    policy = RetryPolicy(max_retries=3, backoff_seconds=0.5, max_retry_after_seconds=30, sleep=sleeps.append)
    return RedditSource.from_settings(settings, retry=policy)


def _posts(count: int, prefix: str = "p") -> list:
    return [make_item(f"{prefix}{i:05d}", f"viesti numero {i}", age_minutes=count - i) for i in range(count)]


def test_streams_cover_submissions_and_comments_per_subreddit(source):
    assert {str(s) for s in source.streams()} == {
        "reddit/Suomi/submissions", "reddit/Suomi/comments", "reddit/sweden/submissions", "reddit/sweden/comments"}


def test_fetches_all_pages_newest_first(source, reddit_state):
    reddit_state.add(_posts(230))
    result = source.fetch_new(SUBMISSIONS, None, limit=1000)
    assert result.complete
    assert len(result.items) == 230
    times = [item.created_at for item in result.items]
    assert times == sorted(times, reverse=True)
    assert len(reddit_state.data_requests()) == 3  # pages of 100, 100, 30


def test_cursor_limits_fetch_to_new_items(source, reddit_state):
    reddit_state.add(_posts(5))
    first = source.fetch_new(SUBMISSIONS, None, limit=100)
    newest = first.items[0]
    reddit_state.add([make_item("q00001", "uusi viesti", age_minutes=0)])
    second = source.fetch_new(SUBMISSIONS, Cursor(newest.source_id, newest.created_at), limit=100)
    assert [item.source_id for item in second.items] == ["t3_q00001"]


def test_comments_map_to_comment_items_with_thread_permalink(source, reddit_state):
    reddit_state.add([make_item("p00001", "otsikko"),
                      make_item("c00001", "kommentti", kind="t1", parent="p00001", age_minutes=1)])
    result = source.fetch_new(COMMENTS, None, limit=10)
    assert [(i.source_id, i.kind) for i in result.items] == [("t1_c00001", "comment")]
    assert result.items[0].permalink.endswith("/r/Suomi/comments/p00001/_/c00001/")


def test_submission_text_joins_title_and_body(source, reddit_state):
    reddit_state.add([make_item("p00001", "leipäteksti", title="Otsikko")])
    assert source.fetch_new(SUBMISSIONS, None, limit=5).items[0].text == "Otsikko\n\nleipäteksti"


def test_deleted_items_are_marked(source, reddit_state):
    reddit_state.add([make_item("p00001", "[removed]", author="[deleted]")])
    assert source.fetch_new(SUBMISSIONS, None, limit=5).items[0].is_deleted


def test_raw_text_and_author_are_hidden_from_repr(source, reddit_state):
    reddit_state.add([make_item("p00001", "salainen sisältö", author="oikea_nimi")])
    shown = repr(source.fetch_new(SUBMISSIONS, None, limit=5).items[0])
    assert "salainen" not in shown and "oikea_nimi" not in shown


def test_429_honours_retry_after(source, reddit_state, sleeps):
    reddit_state.add(_posts(3))
    reddit_state.inject(Fault(status=429, retry_after=7))
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert result.complete and len(result.items) == 3
    assert sleeps == [7.0]


def test_retry_after_is_capped(source, reddit_state, sleeps):
    reddit_state.add(_posts(1))
    reddit_state.inject(Fault(status=429, retry_after=3600))
    assert source.fetch_new(SUBMISSIONS, None, limit=10).complete
    assert sleeps == [30.0]


def test_server_errors_back_off_exponentially_then_fail_clearly(source, reddit_state, sleeps):
    reddit_state.add(_posts(2))
    reddit_state.inject(*[Fault(status=500)] * 4)
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert not result.complete
    assert isinstance(result.error, SourceError)
    assert str(result.error) == "reddit/Suomi/submissions: HTTP 500 (ServerError) after 3 retries"
    assert sleeps == [0.5, 1.0, 2.0]


def test_transient_server_error_recovers(source, reddit_state):
    reddit_state.add(_posts(2))
    reddit_state.inject(*[Fault(status=502)] * 3)
    assert len(source.fetch_new(SUBMISSIONS, None, limit=10).items) == 2


def test_truncated_json_is_retried(source, reddit_state, sleeps):
    reddit_state.add(_posts(2))
    reddit_state.inject(Fault(truncate=True))
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert result.complete and len(result.items) == 2
    assert sleeps == [0.5]


def test_expired_token_is_refreshed(source, reddit_state):
    reddit_state.add(_posts(2))
    assert source.fetch_new(SUBMISSIONS, None, limit=10).complete
    reddit_state.expire_tokens()
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert result.complete and len(result.items) == 2
    assert reddit_state.data_requests()[-2:] == ["GET /r/Suomi/new?limit=10&raw_json=1"] * 2  # 401, then OK
    token_requests = [r for r in reddit_state.requests if r.startswith("POST /api/v1/access_token")]
    assert len(token_requests) == 2


def test_timeout_is_retried(source, reddit_state, sleeps):
    reddit_state.add(_posts(1))
    reddit_state.inject(Fault(delay_seconds=0.8))  # the request timeout is 0.5 s in tests
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert result.complete and len(result.items) == 1
    assert sleeps == [0.5]


def test_failure_on_a_later_page_keeps_earlier_items(source, reddit_state):
    reddit_state.add(_posts(150))
    reddit_state.inject(Fault())  # the first page is answered normally
    reddit_state.inject(*[Fault(status=503)] * 4)
    result = source.fetch_new(SUBMISSIONS, None, limit=1000)
    assert len(result.items) == 100
    assert result.error is not None


def test_malformed_listing_is_a_clear_error(source, reddit_state):
    reddit_state.add(_posts(1))
    reddit_state.inject(Fault(body='{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {}}]}}'))
    result = source.fetch_new(SUBMISSIONS, None, limit=10)
    assert result.items == []
    assert "malformed" in str(result.error)


def test_gone_finds_deleted_removed_and_missing(source, reddit_state):
    reddit_state.add(_posts(3))
    reddit_state.remove_at_source("t3_p00000", "[deleted]")
    reddit_state.remove_at_source("t3_p00001", "[removed]")
    gone = source.gone(["t3_p00000", "t3_p00001", "t3_p00002", "t3_nothere"])
    assert gone == {"t3_p00000", "t3_p00001", "t3_nothere"}
