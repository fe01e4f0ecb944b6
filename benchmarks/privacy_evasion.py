"""Identifiers written to dodge a filter: the evasion classes and the identifier types they are tried on (generated).

Shared by the evasion test table (``tests/privacy/test_evasion.py``) and the privacy benchmark,
so the benchmark's evasion figures and the tests are about the same cases.
"""

from __future__ import annotations

import re

#: (type, post with {} where the identifier goes, identifier, language)
IDENTIFIERS = [
    ("FI personal id", "Mun hetu on {} jos joku tarvii", "131052-308T", "fi"),
    ("SE personnummer", "Mitt personnummer är {} om ni undrar", "811228-9874", "sv"),
    ("phone", "Soita mulle {} illalla", "040 123 4567", "fi"),
    ("e-mail", "Laita viestiä {} kiitos", "matti.virtanen@example.fi", "fi"),
    ("IBAN", "Tilinumero {} maksua varten", "FI21 1234 5600 0007 85", "fi"),
    ("handle", "Kysy siltä {} se tietää", "@kahvikuppi_92", "fi"),
    ("surname", "Eilen kävin kaverini Matti {} luona ja itkin", "Virtasen", "fi"),
    ("street address", "Asun osoitteessa {} enkä jaksa enää", "Koivukuja 3 B 12", "fi"),
]


def _evade(identifier: str, insert: str, *, at: int | None = None) -> str:
    """``insert`` after the third character (or ``at``), where it splits the identifier."""
    position = at if at is not None else min(3, len(identifier) - 1)
    return identifier[:position] + insert + identifier[position:]


def _fullwidth(identifier: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if char.isdigit() else char for char in identifier)


def _cyrillic(identifier: str) -> str:
    look_alikes = {"a": "а", "e": "е", "o": "о", "i": "і", "A": "А", "B": "В", "E": "Е", "K": "К", "T": "Т"}
    index = next(i for i, char in enumerate(identifier) if char in look_alikes and i > 0)
    return identifier[:index] + look_alikes[identifier[index]] + identifier[index + 1:]


EVASIONS = {
    "soft hyphen": lambda identifier: _evade(identifier, "\u00ad"),
    "zero-width space": lambda identifier: _evade(identifier, "\u200b"),
    "word joiner": lambda identifier: _evade(identifier, "\u2060"),
    "zero-width joiner": lambda identifier: _evade(identifier, "\u200d"),
    "bidi override": lambda identifier: "\u202e" + _evade(identifier, "\u202c"),
    "byte-order mark": lambda identifier: _evade(identifier, "\ufeff"),
    "NUL": lambda identifier: _evade(identifier, "\x00"),
    "fullwidth digits": _fullwidth,
    "Cyrillic look-alike": _cyrillic,
}
APPLIES = {  # fullwidth digits only where there are digits; look-alike letters only where there are letters
    "fullwidth digits": lambda identifier: any(char.isdigit() for char in identifier),
    "Cyrillic look-alike": lambda identifier: bool(re.search(r"[aeoiABEKT]", identifier[1:])),
}
