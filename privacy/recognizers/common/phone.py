"""Finnish and Swedish telephone numbers, national or international: ``040 123 4567``, ``+46 70 123 45 67``.

There is no checksum, so the patterns carry the knowledge instead. Both countries dial
national numbers with a leading trunk ``0`` and write them as an area code followed by
groups, so every national pattern starts with ``0``: that alone keeps years, prices and
amounts ("2024", "3 500 €") out. Dots and colons never separate groups here, which keeps
out times and dates ("klo 14.30", "24.12.2024"). The lookarounds refuse to start or end
inside a longer token (an IBAN, a URL path, a business ID such as ``0112038-9``).

Short public service numbers (112, 116 111, 1177, 90101) are shorter than any subscriber
number and do not match; a longer public line such as MIELI's ``09 2525 0111`` does, and
is kept by the policy's allow-list, not by this recognizer.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_SEP = r"[ \u00a0-]"
_START = r"(?<![\w+.,/-])"
_END = r"(?!\w|[-.,:/]\d)"
_GROUPS = rf"(?:{_SEP}?\d{{2,4}}){{1,4}}"


class NordicPhoneRecognizer(ConstantPatternRecognizer):
    """Graded by how unmistakably the shape is a phone number."""

    ENTITY = "PHONE_NUMBER"
    #: Fewer digits than this is a service number, a time or a postcode, not a subscriber.
    MIN_DIGITS = 7
    PATTERNS = (
        Pattern(
            "international FI/SE (+358 40 123 4567, +46 70 123 45 67)",
            rf"{_START}(?:\+|00)(?:358|46){_SEP}?(?:\(0\){_SEP}?)?[1-9]\d{{0,3}}{_GROUPS}{_END}",
            0.7,
        ),
        Pattern(
            "international other (+44 20 7946 0958)",
            rf"{_START}\+(?!358|46)[1-9]\d{{0,2}}{_SEP}?\(?\d{{1,4}}\)?{_GROUPS}{_END}",
            0.5,
        ),
        Pattern(
            "national grouped (040 123 4567, (09) 123 4567, 08-123 456 78)",
            rf"{_START}(?:\(0\d{{1,3}}\){_SEP}?|0\d{{1,3}}{_SEP})\d{{2,8}}(?:{_SEP}\d{{2,4}}){{0,3}}{_END}",
            0.5,
        ),
        Pattern("national unbroken (0401234567)", rf"{_START}0\d{{6,10}}{_END}", 0.4),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish then shared.
    CONTEXT = (
        "puh", "numero", "soita", "soitt", "tekstaa", "tekstiviest", "känny",
        "telefon", "nummer", "ring", "sms", "mobil",
        "tel", "gsm", "whatsapp", "signal",
    )


    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject too-short candidates; a plausible one stays at its pattern score (no checksum exists)."""
        if sum(char.isdigit() for char in pattern_text) < self.MIN_DIGITS:
            return False
        return None
