"""Measured quality of the privacy filter: generated sentences, real annotated text, evasion, language ID, speed.

The first section (below) is generated from templates; ``privacy_real.py`` adds the sections
on real text when ``shared/data/real`` is present. Each table names its data.

The filter must be judged on data where every identifier is known, and real posts with
real identities cannot be labelled, shared or kept. So the test set is built at run time:
team-written sentence templates (``privacy_eval_templates.yaml``) filled with fake
identities from Faker's ``fi_FI`` and ``sv_SE`` providers, every planted span recorded
with its offsets. It is development data: the templates were written by the people who
write the recognizers, so the figures are an upper bound on what real posts will show.

A planted span counts as found when a detection overlaps it: *strict* when the detection
has a compatible type, *any* when it has any type (the text is then still redacted), and
*full* when detections of any type cover every non-space character of it (nothing leaks).
Run: ``PYTHONPATH=. .venv/bin/python benchmarks/privacy_eval.py [--size N] [--json PATH] [--no-real]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import yaml
from faker import Faker

from collect.corpora import available as real_data_available
from collect.corpora import real_data_dir

TEMPLATES_PATH = Path(__file__).with_name("privacy_eval_templates.yaml")
DEFAULT_SEED = 20240917
DEFAULT_SIZE = 1000
LANGUAGES = ("fi", "sv")
FAKER_LOCALES = {"fi": "fi_FI", "sv": "sv_SE"}
COUNTRIES = {"FI": "fi", "SE": "sv"}
#: Share of each language's sentences drawn from the clean (no personal data) templates.
CLEAN_SHARE = 0.25
#: Sentences run through the filter before timing starts (model loading, caches).
WARMUP_SENTENCES = 50
#: Examples of misses and false positives kept per language and entity type in the JSON.
EXAMPLES_KEPT = 5
DATA_DESCRIPTION = (
    "generated from team-written templates (benchmarks/privacy_eval_templates.yaml) + Faker fi_FI/sv_SE "
    "identities; development data, not real posts"
)

#: Types without a fixed shape; every other planted type counts as a structured identifier.
UNSTRUCTURED = frozenset({"PERSON", "ORGANIZATION", "STREET_ADDRESS"})
#: Detected types that also count as a strict match for a planted type, besides the type itself:
#: the street-address recognizer takes the postcode and town into its span when they follow.
COMPATIBLE = {"POSTCODE": frozenset({"POSTCODE", "STREET_ADDRESS"})}
#: Targets from the issue.
TARGETS = {"structured_recall": 0.99, "person_recall": 0.95, "overall_precision": 0.90}


# --- checksums -------------------------------------------------------------------------------
# Written here from the national specifications, not taken from Faker or the recognizers, so
# that they check both. Generation uses the same helpers to compute check characters.

_HETU = re.compile(r"(\d{2})(\d{2})(\d{2})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU_CENTURY = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_PERSONNUMMER = re.compile(r"(\d{2})?(\d{6})([-+]?)(\d{4})")
_BUSINESS_ID = re.compile(r"(\d{7})-(\d)")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def hetu_check_char(birth: date, serial: int) -> str:
    """The henkilötunnus check character: DDMMYYNNN as one integer, mod 31, looked up."""
    return _HETU_CHECK[int(f"{birth:%d%m%y}{serial:03d}") % 31]


def hetu_is_valid(code: str) -> bool:
    """Valid date for its century sign (2023 reform signs included) and correct check character."""
    match = _HETU.fullmatch(code)
    if not match:
        return False
    dd, mm, yy, sign, serial, check = match.groups()
    birth_year = _HETU_CENTURY[sign] + int(yy)
    if not _is_date(birth_year, int(mm), int(dd)):
        return False
    return hetu_check_char(date(birth_year, int(mm), int(dd)), int(serial)) == check


def luhn_check_digit(digits: str) -> str:
    """The Luhn digit that makes ``digits`` + it pass; Swedish personnummer use it over YYMMDDNNN."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def personnummer_is_valid(number: str) -> bool:
    """Any written form (10 or 12 digits, with or without separator): real date and Luhn over YYMMDDNNNC."""
    match = _PERSONNUMMER.fullmatch(number)
    if not match:
        return False
    century, yymmdd, separator, tail = match.groups()
    if century and separator == "+":
        return False
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    day -= 60 if day > 60 else 0  # samordningsnummer
    years = [int(century) * 100 + year] if century else [c * 100 + year for c in (18, 19, 20)]
    if not any(_is_date(y, month, day) for y in years):
        return False
    return luhn_check_digit(yymmdd + tail[:3]) == tail[3]


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits for ``country`` + ``bban``: 98 minus the mod-97 of the rearranged number."""
    return f"{98 - _iban_mod97(bban + country + '00'):02d}"


def _iban_mod97(rearranged: str) -> int:
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def iban_is_valid(iban: str) -> bool:
    """Spaces ignored; mod-97 of the rearranged number must be 1."""
    compact = iban.replace(" ", "").upper()
    return compact.isalnum() and 15 <= len(compact) <= 34 and _iban_mod97(compact[4:] + compact[:4]) == 1


def business_id_is_valid(business_id: str) -> bool:
    """Y-tunnus: seven digits, weighted sum mod 11; remainder 1 is never issued, 0 gives check digit 0."""
    match = _BUSINESS_ID.fullmatch(business_id)
    if not match:
        return False
    remainder = sum(int(d) * w for d, w in zip(match[1], _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    return remainder != 1 and int(match[2]) == (0 if remainder == 0 else 11 - remainder)


# --- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One team-written sentence with ``{slot}`` markers; ``country`` decides phones, addresses, plates."""

    lang: str
    register: str
    country: str
    text: str
    clean: bool


_SLOT = re.compile(r"\{(\w+)\}")


def load_templates(path: Path = TEMPLATES_PATH) -> list[Template]:
    """Read and check the template file: every slot known, clean templates free of personal-data slots."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    templates = [
        Template(lang, register, spec["country"], text, clean=(section == "clean"))
        for section in ("identity", "clean")
        for lang, registers in document[section].items()
        for register, spec in registers.items()
        for text in spec["templates"]
    ]
    for template in templates:
        _check_template(template)
    return templates


def _check_template(template: Template) -> None:
    slots = set(_SLOT.findall(template.text))
    allowed = set(LOOKALIKE_SLOTS) if template.clean else set(LOOKALIKE_SLOTS) | set(IDENTITY_SLOTS)
    if template.lang not in LANGUAGES or template.country not in COUNTRIES or slots - allowed:
        raise ValueError(f"template {template.text!r} ({template.lang}/{template.register}): bad language, "
                         f"country or slots {sorted(slots - allowed)}")
    if not template.clean and not slots & set(IDENTITY_SLOTS):
        raise ValueError(f"identity template {template.text!r} plants nothing")


# --- identities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """A slot's text and the labelled parts inside it, as (entity type, start, end) relative to the text."""

    text: str
    parts: tuple[tuple[str, int, int], ...] = ()


def _whole(entity_type: str, text: str) -> Fill:
    return Fill(text, ((entity_type, 0, len(text)),))


@dataclass
class Context:
    """What a slot filler needs: seeded randomness, Faker per language, and the template's setting."""

    rng: random.Random
    fakers: dict[str, Faker]
    lang: str = "fi"
    country: str = "FI"

    @property
    def names(self) -> Faker:
        """Names follow the language of the sentence."""
        return self.fakers[self.lang]

    @property
    def local(self) -> Faker:
        """Phones, addresses, plates, banks follow the country of the register."""
        return self.fakers[COUNTRIES[self.country]]


_FI_VOWEL_END = re.compile(r"([^aeiouyäö]*)[aeiouyäö]$")


def finnish_stem(name: str, first_name: bool) -> str | None:
    """The stem that takes genitive -n and allative -lle, or None where that would be a guess.

    -nen names are regular (Virtanen: Virtase-n, Virtase-lle). Vowel-final names are safe
    unless a k, p or t before the last vowel may undergo consonant gradation (Mikko: Mikon,
    Aalto: Aallon) or the name ends in -e (Laine: Laineen); surnames ending in -i may
    change it to -e (Koski: Kosken), first names do not (Jari: Jarin).
    """
    if name.endswith("nen"):
        return name[:-3] + "se"
    match = _FI_VOWEL_END.search(name)
    if not match or name[-1] == "e" or (name[-1] == "i" and not first_name):
        return None
    return None if set(match.group(1)) & set("kpt") else name


def swedish_genitive(name: str) -> str:
    """Swedish s-genitive; a name already ending in s, x or z takes nothing."""
    return name if name[-1] in "sxz" else name + "s"


def _inflectable(draw: Callable[[], str], first_name: bool) -> str:
    """Draw names until one inflects without guessing; returns its stem."""
    while (stem := finnish_stem(draw(), first_name)) is None:
        pass
    return stem


def _inflected(kind: str, case: str) -> Callable[[Context], Fill]:
    """Filler for an inflected name slot (``kind``: first, surname or full): Finnish ``case`` or Swedish -s."""
    def fill(ctx: Context) -> Fill:
        names = ctx.names
        if ctx.lang == "sv":
            name = {"first": names.first_name, "surname": names.last_name, "full": names.name}[kind]()
            return _whole("PERSON", swedish_genitive(name))
        if kind == "full":
            return _whole("PERSON", f"{names.first_name()} {_inflectable(names.last_name, first_name=False)}{case}")
        draw = names.first_name if kind == "first" else names.last_name
        return _whole("PERSON", _inflectable(draw, first_name=kind == "first") + case)
    return fill


_FI_PHONES = (
    "040 ### ####", "050 ### ####", "044 ### ####", "045 ### ####", "041#######", "050-### ####",
    "+358 40 ### ####", "+358 50 ### ####", "+35844#######", "09 ### ####", "(09) ### ###", "+358 9 ### ####",
    "0400 ### ###",
)
_SE_PHONES = (
    "070-### ## ##", "072 ### ## ##", "073-### ## ##", "076#######", "+46 70 ### ## ##", "+4673#######",
    "08-### ## ##", "08 ### ### ##", "031-## ## ##", "040-## ## ##", "0046 70 ### ## ##",
)


def _phone(ctx: Context) -> Fill:
    """Faker's numerify over formats people dial: Faker's own fi_FI formats give "006 828 8360" and "+358 07 …"."""
    formats = _FI_PHONES if ctx.country == "FI" else _SE_PHONES
    return _whole("PHONE_NUMBER", ctx.local.numerify(ctx.rng.choice(formats)))


def _email(ctx: Context) -> Fill:
    """Plain addresses, and now and then the "(at)" form people use against scrapers."""
    address = ctx.rng.choice([ctx.names.email, ctx.names.free_email])()
    if ctx.rng.random() < 0.1:
        local, domain = address.split("@")
        dot = " (piste) " if ctx.lang == "fi" else " (punkt) "
        address = f"{local} (at) {domain.replace('.', dot)}"
    return _whole("EMAIL_ADDRESS", address)


def _hetu(ctx: Context) -> Fill:
    """Built from a Faker date: Faker's own ``ssn()`` counts age back from today, so its output drifts daily."""
    birth = ctx.local.date_between(date(1935, 1, 1), date(2011, 12, 31))
    serial = ctx.rng.randint(2, 899)
    signs = "-YXWVU" if birth.year < 2000 else "ABCDEF"
    sign = signs[0] if ctx.rng.random() < 0.8 else ctx.rng.choice(signs[1:])
    return _whole("FI_PERSONAL_IDENTITY_CODE", f"{birth:%d%m%y}{sign}{serial:03d}{hetu_check_char(birth, serial)}")


def _personnummer(ctx: Context) -> Fill:
    """Built from a Faker date (see ``_hetu``), in the four forms people write, the dashed short one most."""
    birth = ctx.fakers["sv"].date_between(date(1935, 1, 1), date(2011, 12, 31))
    serial = f"{ctx.rng.randint(0, 999):03d}"
    tail = serial + luhn_check_digit(f"{birth:%y%m%d}{serial}")
    form = ctx.rng.choices(["%y%m%d-", "%Y%m%d-", "%Y%m%d", "%y%m%d"], weights=[6, 2, 1, 1])[0]
    return _whole("SE_PERSONAL_IDENTITY_NUMBER", birth.strftime(form) + tail)


def _iban(ctx: Context) -> Fill:
    """Faker's fi_FI IBAN; Swedish ones are built (sv_SE has no bank provider and falls back to GB)."""
    if ctx.country == "FI":
        compact = ctx.fakers["fi"].iban()
    else:
        bban = ctx.local.numerify("###" + "#" * 17)
        compact = "SE" + iban_check_digits("SE", bban) + bban
    grouped = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return _whole("IBAN_CODE", grouped if ctx.rng.random() < 0.7 else compact)


def _postcode(ctx: Context) -> str:
    code = ctx.local.postcode()
    return f"{code[:3]} {code[3:]}" if ctx.country == "SE" and ctx.rng.random() < 0.7 else code


def _address(ctx: Context) -> Fill:
    """Street and number, then postcode and post town: two labelled parts, the second POSTCODE."""
    street = ctx.local.street_address()
    area = f"{_postcode(ctx)} {ctx.local.city()}"
    text = f"{street}, {area}"
    return Fill(text, (("STREET_ADDRESS", 0, len(street)), ("POSTCODE", len(text) - len(area), len(text))))


def _url(ctx: Context) -> Fill:
    faker = ctx.local
    forms = (
        faker.url,
        lambda: f"https://{faker.domain_name()}/{faker.user_name()}",
        lambda: f"www.{faker.domain_name()}",
        lambda: f"{faker.domain_name()}/{faker.user_name()}",
    )
    return _whole("URL", ctx.rng.choice(forms)())


def _handle(ctx: Context) -> Fill:
    """Reddit's u/ (3-20 of letters, digits, _ and -) or an @-mention."""
    name = ctx.names.user_name()
    form = ctx.rng.choice(["u/", "/u/", "@", "@"])
    return _whole("USER_HANDLE", form + (name.replace(".", "_")[:20] if "u/" in form else name))


def _ip(ctx: Context) -> Fill:
    return _whole("IP_ADDRESS", ctx.local.ipv4_public() if ctx.rng.random() < 0.8 else ctx.local.ipv6())


_SE_PLATE_UNUSED = re.compile(r"[IQVÅÄÖ]|O$")


def _plate(ctx: Context) -> Fill:
    """Faker's plate, made real: Finnish numbers have no leading zeros (ABC-12, not ABC-012); Swedish
    plates never use I, Q, V, Å, Ä or Ö, nor O last (Transportstyrelsen), which Faker's sv_SE ignores."""
    while True:
        plate = ctx.local.license_plate()
        if ctx.country == "FI":
            letters, number = plate.split("-")
            plate = f"{letters}-{number.lstrip('0')}"
        if not (plate.endswith("-") or (ctx.country == "SE" and _SE_PLATE_UNUSED.search(plate))):
            return _whole("LICENCE_PLATE", plate)


_FI_CITY_GENITIVES = (
    "Helsingin", "Espoon", "Tampereen", "Vantaan", "Oulun", "Turun", "Jyväskylän", "Lahden", "Kuopion",
    "Porin", "Kouvolan", "Joensuun", "Lappeenrannan", "Hämeenlinnan", "Vaasan", "Seinäjoen", "Rovaniemen",
    "Mikkelin", "Kotkan", "Salon",
)
_FI_SV_CITIES = ("Helsingfors", "Esbo", "Vanda", "Åbo", "Vasa", "Borgå", "Jakobstad", "Karleby", "Ekenäs", "Lovisa")
#: Nominative, inessive, partitive: the forms "koulu on X", "opiskelen X:ssa", "käyn X:ta" need.
_FI_SCHOOL_KINDS = (
    ("lukio", "lukiossa", "lukiota"), ("yhteiskoulu", "yhteiskoulussa", "yhteiskoulua"),
    ("yläkoulu", "yläkoulussa", "yläkoulua"), ("ammattiopisto", "ammattiopistossa", "ammattiopistoa"),
    ("koulu", "koulussa", "koulua"),
)
_FI_WORKPLACES = (
    ("Prisma", "Prismassa"), ("K-Citymarket", "K-Citymarketissa"), ("terveyskeskus", "terveyskeskuksessa"),
    ("kaupunginkirjasto", "kaupunginkirjastossa"), ("uimahalli", "uimahallissa"), ("Alepa", "Alepassa"),
    ("Lidl", "Lidlissä"),
)
_SE_CHAINS = ("ICA Maxi", "Coop", "Willys", "Hemköp", "Lidl", "Max", "Espresso House", "Pressbyrån")
_FI_SV_CHAINS = ("Prisma", "S-market", "K-Market", "Alepa", "Lidl")


def _fi_school(case: int) -> Callable[[Context], Fill]:
    """A Finnish school named after a town or a family, in the case the template needs."""
    def fill(ctx: Context) -> Fill:
        if ctx.rng.random() < 0.6:
            owner = ctx.rng.choice(_FI_CITY_GENITIVES)
        else:
            owner = _inflectable(ctx.fakers["fi"].last_name, first_name=False) + "n"
        return _whole("ORGANIZATION", f"{owner} {ctx.rng.choice(_FI_SCHOOL_KINDS)[case]}")
    return fill


def _school(ctx: Context) -> Fill:
    """Nominative school name; Swedish ones as "Xskolan" or "Y gymnasium"."""
    if ctx.lang == "fi":
        return _fi_school(0)(ctx)
    town = ctx.local.city() if ctx.country == "SE" else ctx.rng.choice(_FI_SV_CITIES)
    name = f"{ctx.names.last_name()}skolan" if ctx.rng.random() < 0.5 else f"{swedish_genitive(town)} gymnasium"
    return _whole("ORGANIZATION", name)


def _fi_workplace(case: int) -> Callable[[Context], Fill]:
    """A branch in a town ("Lahden Prisma") or, in the nominative, also a Faker company."""
    def fill(ctx: Context) -> Fill:
        if case == 0 and ctx.rng.random() < 0.4:
            return _whole("ORGANIZATION", ctx.fakers["fi"].company())
        place = ctx.rng.choice(_FI_WORKPLACES)[case]
        return _whole("ORGANIZATION", f"{ctx.rng.choice(_FI_CITY_GENITIVES)} {place}")
    return fill


def _workplace(ctx: Context) -> Fill:
    if ctx.lang == "fi":
        return _fi_workplace(0)(ctx)
    if ctx.rng.random() < 0.4:
        return _whole("ORGANIZATION", ctx.local.company())
    chains, towns = (_SE_CHAINS, None) if ctx.country == "SE" else (_FI_SV_CHAINS, _FI_SV_CITIES)
    town = ctx.local.city() if towns is None else ctx.rng.choice(towns)
    return _whole("ORGANIZATION", f"{ctx.rng.choice(chains)} i {town}")


IDENTITY_SLOTS: dict[str, Callable[[Context], Fill]] = {
    "first_name": lambda ctx: _whole("PERSON", ctx.names.first_name()),
    "surname": lambda ctx: _whole("PERSON", ctx.names.last_name()),
    "full_name": lambda ctx: _whole("PERSON", f"{ctx.names.first_name()} {ctx.names.last_name()}"),
    "first_name_gen": _inflected("first", "n"),
    "first_name_all": _inflected("first", "lle"),
    "surname_gen": _inflected("surname", "n"),
    "surname_all": _inflected("surname", "lle"),
    "full_name_gen": _inflected("full", "n"),
    "phone": _phone,
    "email": _email,
    "hetu": _hetu,
    "personnummer": _personnummer,
    "iban": _iban,
    "address": _address,
    "street": lambda ctx: _whole("STREET_ADDRESS", ctx.local.street_address()),
    "url": _url,
    "handle": _handle,
    "ip": _ip,
    "business_id": lambda ctx: _whole("FI_BUSINESS_ID", ctx.fakers["fi"].company_business_id()),
    "plate": _plate,
    "school": _school,
    "school_ine": _fi_school(1),
    "school_par": _fi_school(2),
    "workplace": _workplace,
    "workplace_ine": _fi_workplace(1),
}

_SV_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december")


def _lookalike_date(ctx: Context) -> Fill:
    day = ctx.local.date_between(date(2019, 1, 1), date(2025, 12, 31))
    if ctx.lang == "fi":
        return Fill(f"{day.day}.{day.month}.{day.year}" if ctx.rng.random() < 0.6 else f"{day.day}.{day.month}.")
    forms = (f"{day:%Y-%m-%d}", f"{day.day} {_SV_MONTHS[day.month - 1]}", f"{day.day}/{day.month}")
    return Fill(ctx.rng.choice(forms))


def _lookalike_time(ctx: Context) -> Fill:
    separator = "." if ctx.lang == "fi" else ctx.rng.choice(".:")
    return Fill(f"{ctx.rng.randint(6, 23)}{separator}{ctx.rng.choice(['00', '15', '30', '45'])}")


def _lookalike_price(ctx: Context) -> Fill:
    amount = ctx.rng.choice([ctx.rng.randint(5, 99), ctx.rng.randint(100, 999), ctx.rng.randint(1000, 4000)])
    spaced = f"{amount:,}".replace(",", " ")
    if ctx.lang == "fi":
        return Fill(ctx.rng.choice([f"{spaced} €", f"{spaced},90 €", f"{spaced} euroa"]))
    return Fill(ctx.rng.choice([f"{spaced} kr", f"{spaced}:-", f"{spaced} kronor"]))


LOOKALIKE_SLOTS: dict[str, Callable[[Context], Fill]] = {
    "date": _lookalike_date,
    "time": _lookalike_time,
    "price": _lookalike_price,
    "year": lambda ctx: Fill(str(ctx.rng.randint(1995, 2024))),
    "count": lambda ctx: Fill(str(ctx.rng.randint(2, 40))),
}


# --- sentences -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A planted identifier: its entity type, offsets into the sentence, and the text there."""

    type: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Sentence:
    """A filled template and the spans planted in it (none for a clean sentence)."""

    lang: str
    register: str
    text: str
    spans: tuple[Span, ...]
    clean: bool


def render(template: Template, ctx: Context) -> Sentence:
    """Fill every slot in order, recording where each labelled part landed."""
    ctx.lang, ctx.country = template.lang, template.country
    pieces: list[str] = []
    spans: list[Span] = []
    offset, last = 0, 0
    for match in _SLOT.finditer(template.text):
        literal = template.text[last:match.start()]
        fill = {**IDENTITY_SLOTS, **LOOKALIKE_SLOTS}[match[1]](ctx)
        offset += len(literal)
        spans += [Span(kind, offset + s, offset + e, fill.text[s:e]) for kind, s, e in fill.parts]
        pieces += [literal, fill.text]
        offset += len(fill.text)
        last = match.end()
    pieces.append(template.text[last:])
    return Sentence(template.lang, template.register, "".join(pieces), tuple(spans), template.clean)


def _cycled(rng: random.Random, templates: Sequence[Template], count: int) -> list[Template]:
    """``count`` templates, each used as evenly as possible, in a seeded order."""
    order = list(templates)
    rng.shuffle(order)
    return [order[i % len(order)] for i in range(count)]


def generate(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, path: Path = TEMPLATES_PATH) -> list[Sentence]:
    """``size`` sentences per language, the same ones for the same seed, Faker version and templates."""
    templates = load_templates(path)
    fakers = {lang: Faker(locale) for lang, locale in FAKER_LOCALES.items()}
    for faker in fakers.values():
        faker.seed_instance(seed)
    ctx = Context(random.Random(seed), fakers)
    sentences: list[Sentence] = []
    for lang in LANGUAGES:
        n_clean = round(size * CLEAN_SHARE)
        identity = [t for t in templates if t.lang == lang and not t.clean]
        clean = [t for t in templates if t.lang == lang and t.clean]
        picked = _cycled(ctx.rng, identity, size - n_clean) + _cycled(ctx.rng, clean, n_clean)
        sentences += [render(template, ctx) for template in picked]
    return sentences


# --- scoring ---------------------------------------------------------------------------------


class Detection(Protocol):
    """What the scorer reads from a detection; ``privacy.redaction.DetectedEntity`` has it."""

    @property
    def type(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass
class Tally:
    """Counts for one language and entity type: planted spans (recall) and detections (precision)."""

    support: int = 0
    found_strict: int = 0
    found_any: int = 0
    found_full: int = 0
    detections: int = 0
    correct_strict: int = 0
    correct_any: int = 0

    def __iadd__(self, other: Tally) -> Tally:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class Evaluation:
    """Everything counted on one run; rates are derived from it, never stored."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    clean_sentences: dict[str, int] = field(default_factory=dict)
    clean_false_positives: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def tally(self, lang: str, entity_type: str) -> Tally:
        return self.tallies.setdefault((lang, entity_type), Tally())

    def note(self, kind: str, lang: str, entity_type: str, text: str) -> None:
        """Keep the first few misses and false positives per language and type, to read, not to count."""
        kept = self.examples.setdefault(f"{kind} {lang} {entity_type}", [])
        if len(kept) < EXAMPLES_KEPT:
            kept.append(text)


def _overlaps(a: Span | Detection, b: Span | Detection) -> bool:
    return a.start < b.end and b.start < a.end


def _compatible(planted: str, detected: str) -> bool:
    return detected in COMPATIBLE.get(planted, frozenset({planted}))


def _fully_covered(span: Span, text: str, detections: Sequence[Detection]) -> bool:
    """Every non-space character of the span lies inside some detection: nothing of it would be left."""
    covered = {i for d in detections for i in range(max(d.start, span.start), min(d.end, span.end))}
    return all(i in covered or text[i].isspace() for i in range(span.start, span.end))


def _score_sentence(evaluation: Evaluation, sentence: Sentence, detections: Sequence[Detection]) -> None:
    for span in sentence.spans:
        tally = evaluation.tally(sentence.lang, span.type)
        hits = [d for d in detections if _overlaps(span, d)]
        tally.support += 1
        tally.found_strict += any(_compatible(span.type, d.type) for d in hits)
        tally.found_any += bool(hits)
        tally.found_full += _fully_covered(span, sentence.text, hits)
        if not hits:
            evaluation.note("missed", sentence.lang, span.type, f"{span.value!r} in {sentence.text!r}")
    for detection in detections:
        tally = evaluation.tally(sentence.lang, detection.type)
        hits = [s for s in sentence.spans if _overlaps(s, detection)]
        tally.detections += 1
        tally.correct_strict += any(_compatible(s.type, detection.type) for s in hits)
        tally.correct_any += bool(hits)
        if not hits:
            found = sentence.text[detection.start:detection.end]
            evaluation.note("false positive", sentence.lang, detection.type, f"{found!r} in {sentence.text!r}")


def evaluate(sentences: Sequence[Sentence], detections: Sequence[Sequence[Detection]]) -> Evaluation:
    """Count matches between planted spans and detections, sentence by sentence."""
    evaluation = Evaluation()
    for sentence, found in zip(sentences, detections, strict=True):
        _score_sentence(evaluation, sentence, found)
        if sentence.clean:
            lang = sentence.lang
            evaluation.clean_sentences[lang] = evaluation.clean_sentences.get(lang, 0) + 1
            evaluation.clean_false_positives[lang] = evaluation.clean_false_positives.get(lang, 0) + len(found)
    return evaluation


def ratio(numerator: int, denominator: int) -> float | None:
    """None rather than 0 when nothing was there to count: "no support" is not "all missed"."""
    return numerator / denominator if denominator else None


def pooled(evaluation: Evaluation, keep: Callable[[str, str], bool]) -> Tally:
    """Sum of the tallies whose (language, entity type) ``keep`` accepts."""
    total = Tally()
    for (lang, entity_type), tally in evaluation.tallies.items():
        if keep(lang, entity_type):
            total += tally
    return total


def summary(evaluation: Evaluation) -> dict[str, float | None]:
    """The headline figures, pooled over both languages, in the terms of the issue's targets."""
    structured = pooled(evaluation, lambda _, t: t not in UNSTRUCTURED)
    person = pooled(evaluation, lambda _, t: t == "PERSON")
    everything = pooled(evaluation, lambda _, __: True)
    clean = sum(evaluation.clean_sentences.values())
    false_positives = sum(evaluation.clean_false_positives.values())
    return {
        "structured_recall_strict": ratio(structured.found_strict, structured.support),
        "structured_recall_any": ratio(structured.found_any, structured.support),
        "structured_recall_full": ratio(structured.found_full, structured.support),
        "person_recall_strict": ratio(person.found_strict, person.support),
        "person_recall_any": ratio(person.found_any, person.support),
        "person_recall_full": ratio(person.found_full, person.support),
        "overall_precision_strict": ratio(everything.correct_strict, everything.detections),
        "overall_precision_any": ratio(everything.correct_any, everything.detections),
        "overall_recall_strict": ratio(everything.found_strict, everything.support),
        "overall_recall_any": ratio(everything.found_any, everything.support),
        "false_positives_per_100_clean": None if not clean else 100 * false_positives / clean,
    }


# --- running the filter ----------------------------------------------------------------------


def run_filter(sentences: Sequence[Sentence]) -> tuple[list[list[Detection]], float, str]:
    """Detections per sentence, texts per second after a warm-up (one process), and the filter version."""
    from privacy.redaction import PrivacyFilter  # heavy: models load here, not when the test imports

    privacy = PrivacyFilter()
    for sentence in sentences[:WARMUP_SENTENCES]:
        privacy.detect(sentence.text, sentence.lang)
    started = time.perf_counter()
    detections: list[list[Detection]] = [privacy.detect(s.text, s.lang) for s in sentences]
    elapsed = time.perf_counter() - started
    return detections, len(sentences) / elapsed, privacy.version


# --- report ----------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{value:6.3f}"


def _rows(evaluation: Evaluation) -> Iterable[tuple[str, str, Tally]]:
    types = sorted({t for _, t in evaluation.tallies})
    for lang in (*LANGUAGES, "all"):
        for entity_type in types:
            tally = pooled(evaluation, lambda la, t, lang=lang, et=entity_type: t == et and lang in (la, "all"))
            if tally.support or tally.detections:
                yield lang, entity_type, tally


def table(evaluation: Evaluation) -> str:
    """Per language and entity type: recall over planted spans, precision over detections of that type."""
    header = (f"{'lang':4} {'entity type':28} {'support':>7} {'R strict':>8} {'R any':>6} {'R full':>6} "
              f"{'detected':>8} {'P strict':>8} {'P any':>6}")
    lines = [header, "-" * len(header)]
    previous = None
    for lang, entity_type, t in _rows(evaluation):
        if previous and lang != previous:
            lines.append("")
        previous = lang
        lines.append(
            f"{lang:4} {entity_type:28} {t.support:7d} {_pct(ratio(t.found_strict, t.support)):>8} "
            f"{_pct(ratio(t.found_any, t.support))} {_pct(ratio(t.found_full, t.support))} {t.detections:8d} "
            f"{_pct(ratio(t.correct_strict, t.detections)):>8} {_pct(ratio(t.correct_any, t.detections))}"
        )
    return "\n".join(lines)


def targets_block(figures: dict[str, float | None]) -> str:
    """Measured values beside the issue's targets, strict and any-type matching both shown."""
    lines = [f"{'target':28} {'goal':>6} {'strict':>7} {'any':>7}"]
    for name, goal in TARGETS.items():
        strict, anytype = figures[f"{name}_strict"], figures[f"{name}_any"]
        marks = ["met" if value is not None and value >= goal else "NOT met" for value in (strict, anytype)]
        lines.append(f"{name.replace('_', ' '):28} >={goal:4.2f} {_pct(strict):>7} {_pct(anytype):>7}   "
                     f"strict {marks[0]}, any {marks[1]}")
    return "\n".join(lines)


def report(sentences: Sequence[Sentence], evaluation: Evaluation, speed: float, version: str, seed: int) -> str:
    """The whole printed report: what was measured on, the table, the targets, false positives, speed."""
    figures = summary(evaluation)
    counts = ", ".join(
        f"{lang}: {sum(s.lang == lang and not s.clean for s in sentences)} with identities + "
        f"{evaluation.clean_sentences.get(lang, 0)} clean" for lang in LANGUAGES
    )
    fp_lines = [
        f"  {lang}: {evaluation.clean_false_positives.get(lang, 0)} detections in "
        f"{evaluation.clean_sentences.get(lang, 0)} clean sentences" for lang in LANGUAGES
    ]
    return "\n".join([
        f"Privacy filter {version}: quality on {len(sentences)} sentences ({counts}), seed {seed}",
        f"Data: {DATA_DESCRIPTION}.",
        f"Planted spans: {sum(len(s.spans) for s in sentences)}. Match = overlap; strict = compatible type "
        "(POSTCODE also by STREET_ADDRESS), any = any type, full = every non-space character covered.",
        "Structured identifiers = every type except PERSON, ORGANIZATION, STREET_ADDRESS.",
        "",
        table(evaluation),
        "",
        targets_block(figures),
        "",
        f"False positives per 100 clean sentences: {_pct(figures['false_positives_per_100_clean']).strip()}",
        *fp_lines,
        f"Throughput: {speed:.1f} texts/s (detect(), single process, after {WARMUP_SENTENCES} warm-up texts)",
    ])


def to_json(sentences: Sequence[Sentence], evaluation: Evaluation, speed: float, version: str, seed: int) -> dict:
    """The same figures as the printed report, plus a few misses and false positives to read."""
    per_type = [
        {
            "lang": lang, "type": entity_type, **asdict(t),
            "recall_strict": ratio(t.found_strict, t.support), "recall_any": ratio(t.found_any, t.support),
            "recall_full": ratio(t.found_full, t.support),
            "precision_strict": ratio(t.correct_strict, t.detections),
            "precision_any": ratio(t.correct_any, t.detections),
        }
        for lang, entity_type, t in _rows(evaluation)
    ]
    return {
        "data": DATA_DESCRIPTION, "filter_version": version, "seed": seed, "sentences": len(sentences),
        "clean_sentences": evaluation.clean_sentences, "clean_false_positives": evaluation.clean_false_positives,
        "summary": summary(evaluation), "targets": TARGETS, "texts_per_second": speed,
        "per_type": per_type, "examples": evaluation.examples,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="sentences per language")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-real", dest="real", action="store_false",
                        help="only the generated-template section (no real corpora, evasion, language ID, speed)")
    args = parser.parse_args(argv)
    sentences = generate(args.size, args.seed)
    detections, speed, version = run_filter(sentences)
    evaluation = evaluate(sentences, detections)
    print(report(sentences, evaluation, speed, version, args.seed))
    document = to_json(sentences, evaluation, speed, version, args.seed)
    if args.real and real_data_available():
        from benchmarks import privacy_real
        from benchmarks.privacy_evasion import EVASIONS, IDENTIFIERS
        from privacy.redaction import PrivacyFilter

        text, figures = privacy_real.report(PrivacyFilter(), IDENTIFIERS, EVASIONS)
        print("\n" + text)
        document["real"] = figures
    elif args.real:
        print(f"\nReal-text sections skipped: {real_data_dir()} is not here (MAJAKKA_REAL_DATA names it).")
    if args.json:
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"Figures written to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
