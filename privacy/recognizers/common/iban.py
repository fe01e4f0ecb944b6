"""International bank account numbers, spaced (``FI21 1234 5600 0007 85``) or not, confirmed by mod-97.

People in distress post account numbers for help with rent or fundraisers, and an
account number names its holder at the bank. Presidio's ``IbanRecognizer`` is not
reused: it ignores lower case ("fi21 …"), and a Swedish IBAN followed by an amount
("SE45 … 7466 1000 kr") is swallowed whole by its greedy groups, fails mod-97 and is
dropped. That is why the Finnish (and Åland) and Swedish layouts get exact patterns
beside the generic ones: whatever the generic pattern over-reaches, the exact one still
proposes the real account.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_SEP = "[ -]?"
_MIN_LENGTH, _MAX_LENGTH = 15, 34


def _mod97_ok(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters become 10..35, remainder 1."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


class IbanCodeRecognizer(ConstantPatternRecognizer):
    """The regex proposes; the mod-97 check disposes."""

    ENTITY = "IBAN_CODE"
    # Scores are provisional: every candidate is either confirmed (1.0) or rejected by the checksum.
    PATTERNS = (
        Pattern("IBAN Finland/Åland", rf"\b(?:FI|AX)\d{{2}}(?:{_SEP}\d{{4}}){{3}}{_SEP}\d{{2}}\b", 0.5),
        Pattern("IBAN Sweden", rf"\bSE\d{{2}}(?:{_SEP}\d{{4}}){{5}}\b", 0.5),
        Pattern(
            "IBAN grouped",
            rf"\b[A-Z]{{2}}\d{{2}}(?:{_SEP}[A-Z0-9]{{4}}){{2,7}}(?:{_SEP}[A-Z0-9]{{1,3}})?\b",
            0.5,
        ),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish then shared.
    CONTEXT = ("tili", "pankki", "konto", "bank", "iban")


    def validate_result(self, pattern_text: str) -> bool | None:
        """Upper-case, drop separators, check the length range and mod-97."""
        iban = pattern_text.replace(" ", "").replace("-", "").upper()
        if not _MIN_LENGTH <= len(iban) <= _MAX_LENGTH or not (iban.isascii() and iban.isalnum()):
            return False
        return _mod97_ok(iban)
