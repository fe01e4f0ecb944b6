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
from governance.partners import route_of_post
from outreach.directory import Service, current_directory, match_services
from outreach.service_fit import AgeCue, age_cue, open_at

#: How many fitting services the item page lists (the draft offers the first one or two).
LISTED = 6


@dataclass(frozen=True)
class ServiceOption:
    """A service that fits an item, whether it is open at the time asked, and whether the draft offers it."""

    service: Service
    open_now: bool | None
    in_draft: bool


@dataclass(frozen=True)
class Fit:
    """What the item page shows about services: the post's age cue and the fitting services."""

    cue: AgeCue | None
    options: tuple[ServiceOption, ...]


def fitting_services(cur: Cursor, *, post_id: int, language: str, level: int, text: str, when: datetime,
                     in_draft: tuple[str, ...] = (), limit: int = LISTED) -> Fit:
    """The services that fit a post now, best first, from the directory as saved now."""
    partner = route_of_post(cur, post_id)
    _, services = current_directory(cur)
    cue = age_cue(text)
    country = partner.country if partner else consent.country_of_post(cur, post_id)
    fitting = match_services(services, language=language, level=level, cue=cue, when=when, limit=limit,
                             partner=partner.slug if partner else None, country=country)
    return Fit(cue, tuple(ServiceOption(s, open_at(s.hours, s.country, when), s.id in in_draft) for s in fitting))


def signed_by(cur: Cursor, post_id: int, fallback: str) -> str:
    """The service name a draft about this post is signed with: its partner's, else ``fallback``."""
    partner = route_of_post(cur, post_id)
    return partner.service_name if partner else fallback
