"""Whether a service fits the person and the hour: age cues in a post, age groups and opening hours.

One door means offering the one or two services that fit, not a list. The directory records each
service's age group and hours as people write them ("15-29", "under 18", "families with children";
"ma-pe 9-16", "24/7", "dygnet runt"); this module reads them, and reads the cues a post gives about
its writer's age ("olen 16", "jag går i nian", "eläkkeellä") from the redacted text. A service for
the young is offered only when the post suggests a young person; one for families only when the
writer speaks of their own child. Hours that cannot be read count as unknown, never as closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

#: The age assumed for a post with no cue: an adult, so age-limited services for the young or
#: the old are left out and services for everyone stay.
ADULT_RANGE = (30, 64)
#: Representative ages of school and life-stage words (the cue says "young", not an exact age).
_SCHOOL_AGE = 16
_RETIRED_AGE = 70
_TIME_ZONES = {"FI": "Europe/Helsinki", "SE": "Europe/Stockholm"}


@dataclass(frozen=True)
class AgeCue:
    """What a post says about its writer's age, with the words that said it (shown to the counsellor)."""

    age: int | None
    parent: bool
    evidence: str


_EXPLICIT_AGE = (
    # "olen 16", "oon 15.", "täytin 17 ja" (a number followed by a unit is not an age: "olen 15 min myöhässä")
    re.compile(r"\b(?:olen|oon|täytin|täytän)\s+(?P<age>\d{1,2})(?:\s*-?\s*v(?:uotias\w*)?\b)?"
               r"(?=\s*[.,!?;:)]|\s*$|\s+(?:ja|enkä|eikä|mutta)\b)", re.IGNORECASE),
    re.compile(r"\b(?P<age>\d{1,2})\s*-?\s*(?:vuotias\w*|v\b(?!\.))", re.IGNORECASE),
    re.compile(r"\bjag\s+är\s+(?P<age>\d{1,2})(?:\s*år)?(?=\s*(?:[.,!?;:)]|$|och\b|men\b|gammal\b))", re.IGNORECASE),
    re.compile(r"\b(?P<age>\d{1,2})\s*(?:år\s+gammal\b|-?åring\w*)", re.IGNORECASE),
)
_SCHOOL_WORDS = re.compile(
    r"\b(?:yläaste\w*|yläkoulu\w*|ysiluok\w*|ysillä|kasilla|seiskalla|lukio\w*|amikse\w*|amiks\w*|ammattikoulu\w*|"
    r"högstadie\w*|gymnasie\w*|i\s+nian|i\s+åttan|i\s+sjuan|mina\s+föräldrar|vanhempani|mun\s+vanhemmat)\b",
    re.IGNORECASE)
_RETIRED_WORDS = re.compile(r"\b(?:eläkkeellä|eläkeläi\w*|lapsenlap\w*|pensionär\w*|pensionerad|barnbarn\w*)\b",
                            re.IGNORECASE)
_PARENT_WORDS = re.compile(
    r"\b(?:lapseni|lapsemme|poikani|tyttäreni|meidän\s+lapse\w*|mun\s+lapse\w*|minun\s+lapse\w*|"
    r"mitt\s+barn|mina\s+barn|vårt\s+barn|våra\s+barn|min\s+son|min\s+dotter)\b", re.IGNORECASE)


def age_cue(text: str) -> AgeCue | None:
    """The writer's age as the post suggests it (``None``: no cue). An explicit age wins over school words."""
    parent = _PARENT_WORDS.search(text)
    for pattern in _EXPLICIT_AGE:
        for match in pattern.finditer(text):
            age = int(match.group("age"))
            if 10 <= age <= 99:
                return AgeCue(age, parent is not None, match.group(0).strip())
    for words, age in ((_SCHOOL_WORDS, _SCHOOL_AGE), (_RETIRED_WORDS, _RETIRED_AGE)):
        match = words.search(text)
        if match:
            return AgeCue(age, parent is not None, match.group(0))
    return AgeCue(None, True, parent.group(0)) if parent else None


_RANGE = re.compile(r"^(\d{1,2})\s*[-–]\s*(\d{1,2})$")
_UNDER = re.compile(r"^(?:under|alle|upp\s+till)\s*(\d{1,2})(?:\s*(?:år|v|vuotiaat))?$")
_OVER = re.compile(r"^(?:(\d{1,2})\s*\+|yli\s*(\d{1,2})[\w-]*|över\s*(\d{1,2})(?:\s*år)?)$")
_FAMILIES = re.compile(r"famil|perhe|vanhem|föräld", re.IGNORECASE)


def age_range(age_group: str) -> tuple[int, int] | str | None:
    """A service's ages as (youngest, oldest), ``"families"``, or ``None`` (everyone, or not readable)."""
    text = age_group.strip().lower()
    if _FAMILIES.search(text):
        return "families"
    if match := _RANGE.match(text):
        return int(match.group(1)), int(match.group(2))
    if match := _UNDER.match(text):
        return 0, int(match.group(1)) - 1
    if match := _OVER.match(text):
        return int(next(group for group in match.groups() if group)), 120
    return None


def fits_age(age_group: str, cue: AgeCue | None) -> bool:
    """Whether a service of ``age_group`` suits the writer: age-limited services only on a cue in range."""
    ages = age_range(age_group)
    if ages is None:
        return True
    if ages == "families":
        return cue is not None and cue.parent
    youngest, oldest = ages
    if cue is None or cue.age is None:
        return youngest <= ADULT_RANGE[0] and oldest >= ADULT_RANGE[1]
    return youngest <= cue.age <= oldest


_ALWAYS = re.compile(r"24\s*/\s*7|dygnet\s+runt|ympäri\s+vuorokauden|joka\s+päivä\s+0?0\s*[-–]\s*24", re.IGNORECASE)
_DAYS = (
    (re.compile(r"\b(?:ma|mån)\s*[-–]\s*(?:pe|fre)\b|\barkisin\b|\bvardagar\b", re.IGNORECASE), range(0, 5)),
    (re.compile(r"\b(?:ma|mån)\s*[-–]\s*(?:to|tors)\b", re.IGNORECASE), range(0, 4)),
    (re.compile(r"\b(?:ma|mån)\s*[-–]\s*(?:su|sön)\b|\bpäivittäin\b|\bdagligen\b|\bjoka\s+päivä\b", re.IGNORECASE),
     range(0, 7)),
)
_TIMES = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\b")


def open_at(hours: str, country: str, when: datetime) -> bool | None:
    """Whether a service with ``hours`` is open at ``when`` (in its country's time); ``None``: cannot tell."""
    if _ALWAYS.search(hours):
        return True
    days = next((weekdays for pattern, weekdays in _DAYS if pattern.search(hours)), None)
    times = _TIMES.search(hours)
    if days is None or times is None:
        return None
    local = when.astimezone(ZoneInfo(_TIME_ZONES.get(country, "Europe/Helsinki")))
    opens = int(times.group(1)) * 60 + int(times.group(2) or 0)
    closes = int(times.group(3)) * 60 + int(times.group(4) or 0)
    minute = local.hour * 60 + local.minute
    return local.weekday() in days and opens <= minute < closes
