"""Times as a reviewer reads them: in their own time zone, and as ages and countdowns.

Every time is stored in UTC; a counsellor in Vaasa or Malmö reads local time, and reads "posted
6 days ago" rather than a bare timestamp, so that a days-old post never looks as if it were
written now and a deadline reads as "due in 40 min" or "overdue by 5 d".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

Translate = Callable[..., str]


def today(zone: str) -> date:
    """The service's calendar day in ``zone`` (in Helsinki the next day starts at 22:00 UTC)."""
    return datetime.now(ZoneInfo(zone)).date()


def local(moment: datetime, zone: str) -> str:
    """``moment`` as "YYYY-MM-DD HH:MM" in ``zone``."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _span(seconds: float, translate: Translate) -> str:
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return translate("{n} min", n=minutes)
    if minutes < 48 * 60:
        return translate("{n} h", n=minutes // 60)
    return translate("{n} d", n=minutes // (24 * 60))


def ago(moment: datetime, now: datetime, translate: Translate) -> str:
    """How long ago ``moment`` was: "5 min ago", "3 h ago", "6 d ago"."""
    return translate("{span} ago", span=_span((now - moment).total_seconds(), translate))


def countdown(due: datetime, now: datetime, translate: Translate) -> str:
    """Time left until ``due``, or how long it is past: "due in 40 min", "overdue by 5 d"."""
    left = (due - now).total_seconds()
    if left >= 0:
        return translate("due in {span}", span=_span(left, translate))
    return translate("overdue by {span}", span=_span(-left, translate))
