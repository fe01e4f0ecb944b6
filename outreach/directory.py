"""The service directory (``services.yaml``) and matching services to a suggestion.

National services serve everyone; a partner's own services (``partner:``) are offered only on that
partner's items, and before the national ones: a person reached through their municipality should
be pointed to its door. The draft offers one or two services, not a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DIRECTORY_FILE = Path(__file__).with_name("services.yaml")
REQUIRED = ("id", "name", "country", "contact", "languages", "hours", "age_group", "region", "levels")
#: What a service is, for the counsellor choosing one (optional field ``kind``).
KINDS = ("emergency", "helpline", "online_counselling", "service_voucher", "family_services",
         "multi_professional_team", "youth_outreach", "peer_support", "third_sector")
#: One door: how many services a draft offers.
OFFERED = 2


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    country: str
    contact: str
    languages: tuple[str, ...]
    hours: str
    age_group: str
    region: str
    levels: tuple[int, ...]
    #: the partner whose own service this is (None: national, offered on every item)
    partner: str | None = None
    kind: str = "helpline"
    #: whether a person can use it without giving their name (None: not stated)
    anonymous: bool | None = None
    #: how a counsellor refers someone, or how the person gets in
    referral: str = ""


def parse_directory(text: str, where: str = "services.yaml") -> tuple[Service, ...]:
    """Parse and check the directory; an entry with a missing field is an error naming it."""
    data = yaml.safe_load(text) or {}
    services = []
    for index, entry in enumerate(data.get("services", [])):
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise ValueError(f"{where}: service #{index + 1} lacks {', '.join(missing)}")
        if entry.get("kind", "helpline") not in KINDS:
            raise ValueError(f"{where}: service #{index + 1} has kind {entry['kind']!r}; one of {', '.join(KINDS)}")
        services.append(Service(
            id=str(entry["id"]), name=str(entry["name"]), country=str(entry["country"]),
            contact=str(entry["contact"]), languages=tuple(entry["languages"]), hours=str(entry["hours"]),
            age_group=str(entry["age_group"]), region=str(entry["region"]), levels=tuple(entry["levels"]),
            partner=str(entry["partner"]) if entry.get("partner") else None, kind=str(entry.get("kind", "helpline")),
            anonymous=entry.get("anonymous"), referral=str(entry.get("referral", "")),
        ))
    ids = [s.id for s in services]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{where}: duplicate service ids")
    return tuple(services)


@lru_cache(maxsize=1)
def load_directory(path: Path = DIRECTORY_FILE) -> tuple[Service, ...]:
    return parse_directory(path.read_text(encoding="utf-8"), path.name)


def match_services(services: tuple[Service, ...], *, language: str, level: int, partner: str | None = None,
                   limit: int = OFFERED) -> list[Service]:
    """The services to offer: in the poster's language, suiting the level, national or ``partner``'s own.

    Order: emergency numbers first at crisis, then the partner's own services, then services of the
    language's home country. Swedish-speaking Finns also get Finland's Swedish-language services.
    """
    suitable = [s for s in services if language in s.languages and level in s.levels
                and (s.partner is None or s.partner == partner)]
    suitable.sort(key=lambda s: (min(s.levels) != 4 if level == 4 else 0, s.partner is None,
                                 s.country != _home(language)))
    return suitable[:limit]


def _home(language: str) -> str:
    return "FI" if language == "fi" else "SE"
