"""Finnish business IDs (Y-tunnus), e.g. ``0112038-9``: seven digits, a hyphen and a mod-11 check digit.

A business ID names a company, and for a sole trader (toiminimi) it names a person. The
check digit (PRH/YTJ): weights 7, 9, 10, 5, 8, 4, 2 over the seven digits; remainder 0
gives check digit 0, remainder 1 is never issued, otherwise the check digit is 11 minus
the remainder. Since the check confirms roughly one in eleven random ``NNNNNNN-N``
strings, a passing one is confirmed and a failing one is dropped.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None where the remainder is 1 (such IDs are not issued)."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


class BusinessIdRecognizer(ConstantPatternRecognizer):
    """The shape alone is weak (a reference number looks the same); the check digit decides."""

    ENTITY = "FI_BUSINESS_ID"
    PATTERNS = (Pattern("y-tunnus NNNNNNN-N", r"(?<![\w.,/+-])\d{7}-\d(?![\w-]|[.,]\d)", 0.5),)
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish.
    CONTEXT = ("y-tun", "ytun", "yritys", "toiminimi", "fo-num", "företagsnum", "organisationsnum")


    def validate_result(self, pattern_text: str) -> bool:
        """True when the check digit holds, False otherwise."""
        digits, check = pattern_text.split("-")
        return business_id_check_digit(digits) == int(check)
