"""Bounded retries with exponential backoff for calls to a rate-limited API.

prawcore sleeps by itself when ``x-ratelimit-remaining`` reaches 0, but raises
``TooManyRequests`` at once on a 429 and gives up on 5xx after three quick tries.
This policy honours ``Retry-After`` (capped), backs off on server errors, timeouts,
truncated JSON and expired tokens, and then fails with one clear line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from prawcore import exceptions as prawcore_exc

from collect.base import SourceError
from core.config import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)

RETRYABLE = (
    prawcore_exc.TooManyRequests,
    prawcore_exc.ServerError,
    prawcore_exc.RequestException,
    prawcore_exc.BadJSON,
    prawcore_exc.InvalidToken,
)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4
    backoff_seconds: float = 2.0
    max_retry_after_seconds: float = 120.0
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(settings.max_retries, settings.backoff_seconds, settings.max_retry_after_seconds)

    def delay_for(self, error: Exception, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        backoff = self.backoff_seconds * (2 ** (attempt - 1))
        if isinstance(error, prawcore_exc.TooManyRequests):
            retry_after = _retry_after_seconds(error)
            if retry_after is not None:
                return min(max(retry_after, backoff), self.max_retry_after_seconds)
        return backoff

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run ``fn``; retry retryable errors; raise :class:`SourceError` when out of tries."""
        attempt = 0
        while True:
            try:
                return fn()
            except RETRYABLE as error:
                attempt += 1
                if attempt > self.max_retries:
                    raise SourceError(f"{what}: {describe(error)} after {self.max_retries} retries") from error
                delay = self.delay_for(error, attempt)
                log.warning("%s: %s; retry %d/%d in %.1fs", what, describe(error), attempt,
                            self.max_retries, delay)
                self.sleep(delay)
            except prawcore_exc.PrawcoreException as error:
                raise SourceError(f"{what}: {describe(error)} (not retryable)") from error


def _retry_after_seconds(error: prawcore_exc.ResponseException) -> float | None:
    value = error.response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def describe(error: Exception) -> str:
    """A short description without response bodies (which could contain post text)."""
    if isinstance(error, prawcore_exc.BadJSON):
        return "malformed JSON in response"
    if isinstance(error, prawcore_exc.ResponseException):
        return f"HTTP {error.response.status_code} ({type(error).__name__})"
    if isinstance(error, prawcore_exc.RequestException):
        return f"request failed ({type(error.original_exception).__name__})"
    return type(error).__name__
