"""Swedish personnummer and samordningsnummer, e.g. ``811228-9874``, ``19811228-9874``, ``701063-2391``.

Written here rather than taken from Presidio: its ``SePersonnummerRecognizer`` reports a
different entity name, accepts 31 February (it only checks ``day <= 31``) and any century
in the 12-digit form. The rules implemented (Skatteverket):

* the date is YYMMDD or YYYYMMDD; a samordningsnummer adds 60 to the day;
* ``-`` separates for people under 100, ``+`` from the year they turn 100;
* the last digit is a Luhn check over the ten digits YYMMDDNNNC.

Ten bare digits are the weak case: about one random ten-digit number in 140 passes date
and Luhn, and so does one Swedish mobile number written as ``07XXXXXXXX`` in 140. There
the checksum only disposes (rejects) and does not confirm: the weak pattern score stays,
so a neighbouring "personnummer" lifts it and an overlapping phone match outranks it.
"""

from __future__ import annotations

from datetime import date

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

#: Centuries a 10-digit number can belong to, by separator ("+" means aged 100 or more).
_CENTURIES_BY_SEPARATOR = {"-": (19, 20), "": (19, 20), "+": (18, 19)}
_SAMORDNING_DAY_OFFSET = 60


def _is_real_date(year: int, month: int, day: int) -> bool:
    if day > _SAMORDNING_DAY_OFFSET:
        day -= _SAMORDNING_DAY_OFFSET
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class PersonnummerRecognizer(ConstantPatternRecognizer):
    """Four written forms, graded by how much structure backs the digits."""

    ENTITY = "SE_PERSONAL_IDENTITY_NUMBER"
    PATTERNS = (
        Pattern("personnummer YYYYMMDD-NNNN", r"\b(?:18|19|20)\d{6}-\d{4}\b", 0.6),
        Pattern("personnummer YYMMDD-NNNN", r"\b\d{6}[-+]\d{4}\b", 0.5),
        Pattern("personnummer YYYYMMDDNNNN", r"\b(?:18|19|20)\d{10}\b", 0.5),
        Pattern("personnummer YYMMDDNNNN", r"\b\d{10}\b", 0.3),
    )
    #: Substring-matched against lower-cased neighbouring tokens ("personnumret", "samordningsnumret").
    CONTEXT = ("personnum", "personnr", "pnr", "samordningsnum", "personbevis", "henkilötun")

    LANGUAGE = "sv"

    def validate_result(self, pattern_text: str) -> bool | None:
        """False on a bad date or checksum; True when confirmed; None for bare ten digits that pass."""
        separator = "+" if "+" in pattern_text else "-" if "-" in pattern_text else ""
        digits = pattern_text.replace(separator, "") if separator else pattern_text
        if len(digits) == 12:
            centuries, digits = (int(digits[:2]),), digits[2:]
        else:
            centuries = _CENTURIES_BY_SEPARATOR[separator]
        year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
        if not any(_is_real_date(century * 100 + year, month, day) for century in centuries):
            return False
        if not _luhn_ok(digits):
            return False
        return None if len(pattern_text) == 10 else True
