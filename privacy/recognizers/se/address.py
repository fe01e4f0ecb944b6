"""Swedish street addresses and postcodes: ``Storgatan 5B, 411 38 Göteborg``, ``Kungsgatan 12 lgh 1102``.

A street address is a home, and in a small town a home is a person. Swedish street
names end in a small set of words ("-gatan", "-vägen", "-gränd", "-torget", "-backen",
"-stigen", "-allén", "-plan"), written glued ("Storgatan") or after a genitive
("Drottning Kristinas väg"); that ending is the whole signal, so the patterns are
case-sensitive: a capital first letter separates "Storgatan" from "skidbacken". A
street name without a house number is a place anyone may walk along and scores below
the threshold unless "bor"/"adress" is near; a house number makes it somebody's door.

Postcodes are ``NNN NN`` (first digit 1-9) followed by the post town, which is what
tells them from an amount or a phone-number fragment.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+"
_ENDING = r"(?:gatan|gata|vägen|väg|gränd|gränden|torget|torg|backen|backe|stigen|stig|allén|allé|plan|leden|kajen)"
#: "Storgatan", "Gamla Brogatan", "Lilla Torget", "Drottning Kristinas väg", "Mariaplan".
_STREET = rf"(?<![\w-])(?:{_NAME}[ ]){{0,2}}(?:{_NAME}{_ENDING}|{_NAME}s?[ ](?i:{_ENDING}))"
_NUMBER = r"[ ]\d{1,4}(?:[ ]?[A-Za-z](?![\w]))?(?:-\d{1,4})?"
_FLAT = r"(?:,?[ ](?:lgh|lägenhet)\.?[ ]?\d{4})?"
_POSTCODE = rf"[1-9]\d{{2}}[ ]\d{{2}}[ ]{_NAME}(?:[ -]{_NAME})?"
_END = r"(?![\w-]|[.,:]\d)"


class SwedishAddressRecognizer(ConstantPatternRecognizer):
    """Graded by how much of the address is there: street, number, flat, postcode and town."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Pattern("street, number and postcode", rf"{_STREET}{_NUMBER}{_FLAT},?[ ]{_POSTCODE}{_END}", 0.85),
        Pattern("street and number", rf"{_STREET}{_NUMBER}{_FLAT}{_END}", 0.6),
        Pattern("street name alone", rf"{_STREET}{_END}", 0.2),
    )
    #: Substring-matched against lower-cased neighbouring tokens.
    CONTEXT = ("bor", "adress", "hemma", "flyttat", "flyttade", "osoite", "asun")

    # Case carries the signal here; Presidio's default flags ignore it.
    CASE_SENSITIVE = True
    LANGUAGE = "sv"


class SwedishPostcodeRecognizer(ConstantPatternRecognizer):
    """``411 38 Göteborg``: the town after the digits is required, the digits alone are too common."""

    ENTITY = "POSTCODE"
    PATTERNS = (Pattern("postcode and town", rf"(?<![\w+-]|\d[ ]){_POSTCODE}{_END}", 0.6),)
    CONTEXT = ("postnummer", "adress", "bor")

    CASE_SENSITIVE = True
    LANGUAGE = "sv"
