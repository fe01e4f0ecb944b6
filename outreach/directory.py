"""The service directory (``services.yaml``) and matching services to a suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DIRECTORY_FILE = Path(__file__).with_name("services.yaml")
REQUIRED = ("id", "name", "country", "contact", "languages", "hours", "age_group", "region", "levels")


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


def parse_directory(text: str, where: str = "services.yaml") -> tuple[Service, ...]:
    """Parse and check the directory; an entry with a missing field is an error naming it."""
    data = yaml.safe_load(text) or {}
    services = []
    for index, entry in enumerate(data.get("services", [])):
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise ValueError(f"{where}: service #{index + 1} lacks {', '.join(missing)}")
        services.append(Service(
            id=str(entry["id"]), name=str(entry["name"]), country=str(entry["country"]),
            contact=str(entry["contact"]), languages=tuple(entry["languages"]), hours=str(entry["hours"]),
            age_group=str(entry["age_group"]), region=str(entry["region"]), levels=tuple(entry["levels"]),
        ))
    ids = [s.id for s in services]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{where}: duplicate service ids")
    return tuple(services)


@lru_cache(maxsize=1)
def load_directory(path: Path = DIRECTORY_FILE) -> tuple[Service, ...]:
    return parse_directory(path.read_text(encoding="utf-8"), path.name)


def match_services(services: tuple[Service, ...], *, language: str, level: int, limit: int = 3) -> list[Service]:
    """Services in the poster's language that suit the level; emergency numbers first at crisis.

    Finnish-language posts are matched to Finnish services and Swedish to Swedish ones,
    except that Swedish-speaking Finns also get Finland's Swedish-language services.
    """
    suitable = [s for s in services if language in s.languages and level in s.levels]
    suitable.sort(key=lambda s: (min(s.levels) != 4 if level == 4 else 0, s.country != _home(language)))
    return suitable[:limit]


def _home(language: str) -> str:
    return "FI" if language == "fi" else "SE"
