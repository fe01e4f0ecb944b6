"""The service directory (``services.yaml``) and matching services to a suggestion.

National services serve everyone; a partner's own services (``partner:``) are offered only on that
partner's items, and before the national ones: a person reached through their municipality should
be pointed to its door. The draft offers one or two services, not a list.

The directory is maintained in the app (CSV import, :func:`save_directory`): every save is a new
version in ``service_directories``, audited; the newest version is the one drafts use. Until the
first save, the shipped ``services.yaml`` is the directory.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import yaml

from core import audit
from core.db.connection import Cursor
from core.spreadsheet import unquote_cell, write_rows
from outreach.service_fit import AgeCue, age_range, fits_age, open_at

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
    return parse_entries(data.get("services", []), where)


def parse_entries(entries: list[dict], where: str) -> tuple[Service, ...]:
    """Check directory entries (from YAML, CSV or a stored version); errors name the entry and field."""
    services = []
    for index, entry in enumerate(entries):
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
    """The shipped directory (``services.yaml``): the directory until one is saved in the app."""
    return parse_directory(path.read_text(encoding="utf-8"), path.name)


#: CSV columns of an import; ``languages`` and ``levels`` hold values separated by ``;``.
CSV_COLUMNS = (*REQUIRED, "partner", "kind", "anonymous", "referral")


def to_csv(services: tuple[Service, ...], out: TextIO) -> None:
    """Write ``services`` as CSV with :data:`CSV_COLUMNS`, as :func:`parse_csv` reads it back."""
    def row(service: Service) -> list[object]:
        values = {**service.__dict__, "languages": ";".join(service.languages),
                  "levels": ";".join(str(level) for level in service.levels),
                  "anonymous": {True: "yes", False: "no"}.get(service.anonymous, ""),
                  "partner": service.partner or ""}
        return [values[column] for column in CSV_COLUMNS]

    write_rows(out, CSV_COLUMNS, (row(service) for service in services))


def parse_csv(text: str) -> tuple[Service, ...]:
    """Services from a CSV export of a spreadsheet (header row with :data:`CSV_COLUMNS`)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"the CSV header lacks {', '.join(missing)}")
    entries = []
    for row in reader:
        entry: dict = {key: unquote_cell((value or "").strip()) for key, value in row.items() if key in CSV_COLUMNS}
        try:
            entry["levels"] = [int(level) for level in entry["levels"].split(";") if level.strip()]
        except ValueError:
            raise ValueError(f"row {reader.line_num}: levels must be numbers 2-4 separated by ';'") from None
        entry["languages"] = [code.strip() for code in entry["languages"].split(";") if code.strip()]
        entry["anonymous"] = {"yes": True, "no": False}.get(entry.get("anonymous", "").lower())
        entries.append({key: value for key, value in entry.items() if value not in ("", None)})
    return parse_entries(entries, "CSV")


#: Parsed directory versions by (version, digest of its stored JSON): a saved version never
#: changes, so each process parses it once, not on every item page and every "reach out".
_PARSED_VERSIONS: dict[tuple[str, str], tuple[Service, ...]] = {}


def _parsed(cur: Cursor, keys: list[tuple[str, str]]) -> list[tuple[Service, ...]]:
    """The services of each (version, digest) in ``keys``, reading and parsing only versions not seen yet."""
    missing = [version for version, digest in keys if (version, digest) not in _PARSED_VERSIONS]
    if missing:
        cur.execute("SELECT version, md5(services::text) AS digest, services FROM service_directories "
                    "WHERE version = ANY(%s)", (missing,))
        for row in cur.fetchall():
            _PARSED_VERSIONS[(row["version"], row["digest"])] = parse_entries(row["services"], row["version"])
    return [_PARSED_VERSIONS.get(key, ()) for key in keys]


def current_directory(cur: Cursor) -> tuple[str, tuple[Service, ...]]:
    """(version, services) of the newest saved directory, or of the shipped one (parsed once per version)."""
    cur.execute("SELECT version, md5(services::text) AS digest FROM service_directories "
                "ORDER BY saved_at DESC, version DESC LIMIT 1")
    row = cur.fetchone()
    if row is None:
        return "shipped", load_directory()
    [services] = _parsed(cur, [(row["version"], row["digest"])])
    return row["version"], services


def every_service(cur: Cursor) -> dict[str, Service]:
    """Every service any version held, newest first wins: an item shows the service it was offered."""
    cur.execute("SELECT version, md5(services::text) AS digest FROM service_directories ORDER BY saved_at, version")
    by_id = {service.id: service for service in load_directory()}
    for services in _parsed(cur, [(row["version"], row["digest"]) for row in cur.fetchall()]):
        by_id.update({service.id: service for service in services})
    return by_id


def versions(cur: Cursor) -> list[dict]:
    """Saved directory versions, newest first: version, saved by, when, note, how many services."""
    cur.execute("SELECT version, saved_by, saved_at, note, jsonb_array_length(services) AS services "
                "FROM service_directories ORDER BY saved_at DESC, version DESC")
    return list(cur.fetchall())


def save_directory(cur: Cursor, services: tuple[Service, ...], *, actor: str, role: str, note: str = "") -> str:
    """Save ``services`` as the new directory version (audited with counts, not contents); returns the version."""
    ids = [service.id for service in services]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate service ids")
    version = f"services-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}"
    cur.execute("INSERT INTO service_directories (version, services, saved_by, note) VALUES (%s, %s, %s, %s)",
                (version, json.dumps([asdict(service) for service in services], ensure_ascii=False), actor, note))
    audit.record(cur, actor=actor, role=role, action="directory.save", object_type="service_directory",
                 object_id=version, details={"services": len(services), "note": note})
    return version


def merged_for_partner(current: tuple[Service, ...], imported: tuple[Service, ...],
                       partner: str | None) -> tuple[Service, ...]:
    """A partner's administrator replaces only its own services (``partner`` None: a national administrator
    replaces the whole directory). Rows for another partner, or national rows, are refused."""
    if partner is None:
        return imported
    foreign = sorted({service.id for service in imported if service.partner != partner})
    if foreign:
        raise ValueError(f"a partner's administrator imports only its own services (partner {partner}): "
                         f"{', '.join(foreign[:5])}")
    return tuple(s for s in current if s.partner != partner) + imported


def match_services(services: tuple[Service, ...], *, language: str, level: int, partner: str | None = None,
                   country: str | None = None, cue: AgeCue | None = None, when: datetime | None = None,
                   limit: int = OFFERED) -> list[Service]:
    """The services to offer: in the poster's language, suiting the level, national or ``partner``'s own,
    in ``country`` when it is known (a partner's items: a Swedish speaker in Vaasa needs Finland's
    services, not Sweden's), and fitting the writer's age as ``cue`` suggests it (services for the
    young only when the post suggests a young person; see :mod:`outreach.service_fit`).

    Order: emergency numbers first at crisis; then services open at ``when`` (or whose hours cannot
    be read) before closed ones; then the partner's own services; then services meant for the
    writer's age group before services for everyone; then services of the language's home country.
    Swedish-speaking Finns also get Finland's Swedish-language services.
    """
    suitable = [s for s in services if language in s.languages and level in s.levels
                and (s.partner is None or s.partner == partner) and (country is None or s.country == country)
                and fits_age(s.age_group, cue)]

    def rank(service: Service) -> tuple:
        is_open = open_at(service.hours, service.country, when) if when is not None else None
        return (min(service.levels) != 4 if level == 4 else 0, is_open is False, service.partner is None,
                age_range(service.age_group) is None, service.country != _home(language))

    suitable.sort(key=rank)
    emergency = [s for s in suitable if s.kind == "emergency"][:1]  # one emergency number, the best placed
    return [s for s in suitable if s.kind != "emergency" or s in emergency][:limit]


def _home(language: str) -> str:
    return "FI" if language == "fi" else "SE"
