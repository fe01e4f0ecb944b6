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
_ENDING = (r"(?:gatan|gata|vägen|väg|gränden|gränd|torget|torg|backen|backe|stigen|stig|allén|allé|plan|leden"
           r"|kajen|stråket|slingan|promenaden|gången|platsen|esplanaden|ringen|parken|höjden|bron|kroken|hagen"
           r"|lunden|gärdet|vägen)")
_QUALIFIER = r"(?:Norra|Södra|Östra|Västra|Lilla|Stora|Gamla|Nya|Övre|Nedre)"
#: "Storgatan", "Gamla Brogatan", "Lilla Torget", "Gamla Slingan", "Drottning Kristinas väg", "Mariaplan".
_STREET = (rf"(?<![\w-])(?:{_QUALIFIER}[ ](?:(?=[A-ZÅÄÖÉ])(?i:{_ENDING})|{_NAME}{_ENDING})"
           rf"|(?:{_NAME}[ ]){{0,2}}(?:{_NAME}{_ENDING}|{_NAME}s[ ](?i:{_ENDING})))")
#: Lower case, only the endings that are hardly ever ordinary words ("skidbacken", "flygplan" are).
_LOWER_STREET = r"(?<![\w-])[a-zåäöé]{3,}(?:gatan|gata|vägen|väg|gränden|gränd|torget|allén|stigen|leden|kajen|slingan)"
_NUMBER = r"[ ]\d{1,4}(?:[ ]?[A-Za-z](?![\w]))?(?:-\d{1,4})?"
_FLAT = r"(?:,?[ ](?:lgh|lägenhet)\.?[ ]?\d{4})?"
_CODE = r"(?:SE-)?[1-9]\d{2}[ ]?\d{2}(?!\d)"
_TOWN = rf"{_NAME}(?:[ -]{_NAME})?"
#: The postcode before the town ("411 38 Göteborg"), or after it ("Göteborg 411 38"), with or without "SE-".
_POSTCODE = rf"(?:{_CODE}[ ]{_TOWN}|{_NAME},?[ ]{_CODE})"
_END = r"(?![\w-]|[.,:]\d)"
#: Units after a number say it is a distance, a price or a count, not a house number.
_NOT_A_UNIT = (r"(?![ ](?:km|m|meter|min|minuter|timmar|mil|kr|kronor|st|år|dagar|veckor|månader|gånger|gång"
               r"|procent)(?!\w)|[ ]?%)")


class SwedishAddressRecognizer(ConstantPatternRecognizer):
    """Graded by how much of the address is there: street, number, flat, postcode and town."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Pattern("street, number and postcode", rf"{_STREET}{_NUMBER}{_FLAT},?[ ]{_POSTCODE}{_END}", 0.85),
        Pattern("street and number", rf"{_STREET}{_NUMBER}{_FLAT}{_END}", 0.6),
        Pattern("street name alone", rf"{_STREET}{_END}", 0.2),
        Pattern("lower-case street and number (storgatan 5)",
                rf"{_LOWER_STREET}[ ]\d{{1,4}}{_NOT_A_UNIT}(?:[ ]?[A-Za-z](?![\w]))?(?:-\d{{1,4}})?{_FLAT}{_END}", 0.5),
        Pattern("post-office box and postcode (Box 123, 411 38 Göteborg)",
                rf"\b(?:Box|BOX|box){_NUMBER},?[ ]{_POSTCODE}{_END}", 0.9),
        Pattern("post-office box (Box 123)", rf"\b(?:Box|BOX)[ ]\d{{1,5}}{_END}", 0.6),
        Pattern("care-of name (c/o Andersson)", rf"\b[cC]/[oO][ ]{_NAME}(?:[ -]{_NAME})?", 0.7),
    )
    #: Substring-matched against lower-cased neighbouring tokens.
    CONTEXT = ("bor", "adress", "hemma", "flyttat", "flyttade", "osoite", "asun", "skicka", "hämta", "hos")

    # Case carries the signal here; Presidio's default flags ignore it.
    CASE_SENSITIVE = True
    LANGUAGE = "sv"


class SwedishPostcodeRecognizer(ConstantPatternRecognizer):
    """``411 38 Göteborg``: the town after the digits is required, the digits alone are too common."""

    ENTITY = "POSTCODE"
    PATTERNS = (
        Pattern("postcode and town", rf"(?<![\w+-]|\d[ ]){_CODE}[ ]{_TOWN}{_END}", 0.6),
        Pattern("town and postcode", rf"(?<![\w-]){_NAME},?[ ]{_CODE}(?![ ]?[\wÅÄÖåäö])", 0.6),
    )
    CONTEXT = ("postnummer", "adress", "bor")

    CASE_SENSITIVE = True
    LANGUAGE = "sv"
