"""Finnish and Swedish licence plates: ``ABC-123`` (Finland), ``ABC 123`` and ``ABC 12A`` (Sweden).

A plate is looked up in the vehicle register by anyone. The exact modern shapes are
redacted on their own; the looser ones (Finnish "AB-12", a Swedish plate written without
its space) look like product codes and abbreviations ("EU-27", "MP3"), so they stay below
the threshold until a word such as "rekkari" or "bilen" is near. Matching is
case-sensitive: plates are written in capitals, "klo 123" is not one.

Swedish plates never use I, Q, V, Å, Ä or Ö, and the last position, when a letter,
is never O (Transportstyrelsen); the patterns leave those out.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_SE_LETTERS = "A-HJ-PR-UW-Z"
_SE_LAST = "A-HJ-NPR-UW-Z0-9"
_START = r"(?<![\w-])"
_END = r"(?![\w-]|[.,:]\d)"


class LicencePlateRecognizer(ConstantPatternRecognizer):
    """Exact national shapes score at the threshold; loose ones need a vehicle word nearby."""

    ENTITY = "LICENCE_PLATE"
    PATTERNS = (
        Pattern("Finnish ABC-123", rf"{_START}[A-ZÅÄÖ]{{3}}-[1-9]\d{{2}}{_END}", 0.55),
        Pattern("Swedish ABC 123 / ABC 12A", rf"{_START}[{_SE_LETTERS}]{{3}} \d{{2}}[{_SE_LAST}]{_END}", 0.5),
        Pattern("Finnish AB-12, ABC-1", rf"{_START}[A-ZÅÄÖ]{{2,3}}-[1-9]\d{{0,2}}{_END}", 0.2),
        Pattern("Swedish ABC123", rf"{_START}[{_SE_LETTERS}]{{3}}\d{{2}}[{_SE_LAST}]{_END}", 0.2),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish.
    #: Abbreviations written before a number in plate shape: "SOS 112" is the emergency service.
    NOT_PLATES = frozenset({"SOS"})
    CONTEXT = ("rekkari", "rekisteri", "auto", "kilpi", "regnummer", "registreringsnummer", "bil", "skylt")

    # Capitals are part of the shape; Presidio's default flags ignore case.
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for a known abbreviation; otherwise the shape's score stands (plates have no checksum)."""
        return False if pattern_text[:3] in self.NOT_PLATES else None
