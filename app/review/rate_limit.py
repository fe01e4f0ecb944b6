"""Per-client limits on what anyone can do without signing in, so nobody anonymous can exhaust the app.

Every request without a live session (no cookie, or a cookie that no longer resolves) counts
against its client address's budget of :attr:`Settings.public_requests_per_minute`; the public
opt-out form, which opens a case for the DPO, has its own, smaller budget per hour. Over budget
the answer is 429 with ``Retry-After`` before a database connection is taken. Budgets live in
the process's memory: each app process limits on its own, which bounds a flood per process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class SlidingWindow:
    """At most ``limit`` events per ``seconds`` for each key."""

    limit: int
    seconds: float
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, key: str, *, record: bool = True, now: float | None = None) -> int:
        """0 if ``key`` is within its budget (and, with ``record``, counts this event); else seconds to wait."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= moment - self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, int(events[0] + self.seconds - moment) + 1)
            if record:
                events.append(moment)
            if len(self._events) > 10_000:  # forget idle clients so the table cannot grow without bound
                for idle in [k for k, v in self._events.items() if not v]:
                    del self._events[idle]
            return 0


@dataclass
class PublicLimits:
    """The anonymous budgets of one app process."""

    requests: SlidingWindow
    opt_outs: SlidingWindow

    @classmethod
    def per(cls, requests_per_minute: int, opt_outs_per_hour: int) -> PublicLimits:
        return cls(SlidingWindow(requests_per_minute, 60), SlidingWindow(opt_outs_per_hour, 3600))
