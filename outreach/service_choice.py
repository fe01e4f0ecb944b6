"""Choosing the service a first message offers: the ones that fit now, and switching with one click.

The draft written when an item is queued offers the one or two services that fitted then. By the
time a counsellor opens the item, a service may have closed for the night, or the counsellor may
see that another one fits the person better; the item page lists the services that fit (with why:
open now, the age the post suggests) and the counsellor switches the draft to another with one
click (:func:`outreach.workflow.offer_instead`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor
from governance import consent
from governance.partners import Partner, route_of_post
from outreach.directory import Service, current_directory, match_services
from outreach.service_fit import AgeCue, age_cue, open_at

#: How many fitting services the item page lists (the draft offers the first one or two).
LISTED = 6


@dataclass(frozen=True)
class Origin:
    """Where a post's services come from: the partner whose community it is from (None: a national
    community) and the country to match services in (the partner's, else the community's recorded one)."""

    partner: Partner | None
    country: str | None

    def signature(self, fallback: str) -> str:
        """The service name a draft about this post is signed with: its partner's, else ``fallback``."""
        return self.partner.service_name if self.partner else fallback


def origin_of(cur: Cursor, post_id: int) -> Origin:
    """The :class:`Origin` of a stored post (the queue, the item page and a service switch all ask it)."""
    partner = route_of_post(cur, post_id)
    return Origin(partner, partner.country if partner else consent.country_of_post(cur, post_id))


@dataclass(frozen=True)
class ServiceOption:
    """A service that fits an item, whether it is open at the time asked, and whether the draft offers it."""

    service: Service
    open_now: bool | None
    in_draft: bool


@dataclass(frozen=True)
class Fit:
    """What the item page shows about services: where the post is from, its age cue and the fitting services."""

    origin: Origin
    cue: AgeCue | None
    options: tuple[ServiceOption, ...]


def fitting_services(cur: Cursor, *, post_id: int, language: str, level: int, text: str, when: datetime,
                     in_draft: tuple[str, ...] = (), limit: int = LISTED) -> Fit:
    """The services that fit a post now, best first, from the directory as saved now."""
    origin = origin_of(cur, post_id)
    _, services = current_directory(cur)
    cue = age_cue(text)
    fitting = match_services(services, language=language, level=level, cue=cue, when=when, limit=limit,
                             partner=origin.partner.slug if origin.partner else None, country=origin.country)
    return Fit(origin, cue,
               tuple(ServiceOption(s, open_at(s.hours, s.country, when), s.id in in_draft) for s in fitting))
