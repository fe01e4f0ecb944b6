"""Finnish postal addresses: "Mannerheimintie 12 B 34, 00100 Helsinki", "asun Hämeenkadulla 5", "90100 Oulu".

A street name with a house number locates a home to within a stairwell, and a post
about self-harm that says where the writer lives is exactly what must never be stored.
Finnish street names are compounds ending in a small set of words (``-katu``, ``-tie``,
``-kuja`` ...), and people inflect them ("Hämeenkadulla", "Koivukujan"), so the pattern
is the compound's last part in its common case forms, followed by a house number, an
optional staircase letter and apartment ("B 34", "as. 5"), and an optional postcode and
town. A street name without a number ("Insinöörinkadulla") names a street, not a home,
and is kept. Written in lower case ("asun hämeenkadulla 5") the shape is weaker evidence
and needs a context word ("asun", "osoite") to pass the threshold.

A five-digit postcode followed by a capitalised word is a postcode and town even with no
street ("00500 Helsinki"): on its own a district, but in a post with a first name it narrows
the writer down, so it is replaced too.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

#: The last part of a Finnish street name in its common case forms (nominative, genitive,
#: partitive, illative and the local cases), with the consonant gradation of each word.
_STREET_WORDS = "|".join(
    (
        r"katu(?:a|un)?|kadu(?:n|lla|lle|lta|ssa|sta)",
        r"tie(?:n|llä|lle|ltä|ssä|stä|tä|hen)?",
        r"kuja(?:n|lla|lle|lta|ssa|sta|a|an)?",
        r"polku(?:a|un)?|polu(?:n|lla|lle|lta|ssa|sta)",
        r"väylä(?:n|llä|lle|ltä|ssä|stä|ä|än)?",
        r"ranta(?:a|an)?|ranna(?:n|lla|lle|lta|ssa|sta)",
        r"kaari|kaare(?:n|lla|lle|lta|ssa|sta|en)|kaarta",
        r"rinne|rintee(?:n|llä|lle|ltä|ssä|stä|seen)|rinnettä",
        r"puisto(?:n|lla|lle|lta|ssa|sta|a|on)?",
        r"kaarre|kaartee(?:n|lla|lle|lta|ssa|sta|seen)|kaarretta",
        r"tori(?:n|lla|lle|lta|a|in)?",
        r"aukio(?:n|lla|lle|lta|ssa|sta|ta|on)?",
    )
)
_LOWER = "a-zåäöéü"
_UPPER = "A-ZÅÄÖÉÜ"
#: At least two letters before the street word, so a bare "tie 5" or "Ranta 3" is not a street.
_STREET = rf"[{_UPPER}{_LOWER}][{_LOWER}-]+?(?:{_STREET_WORDS})"
_NUMBER = r"\d{1,4}(?:[-–]\d{1,4})?"
_SPACE = r"[ \u00a0]"
#: A staircase letter that is not the start of a word ("5 ja" is not staircase J).
_STAIRCASE = rf"[A-Za-z](?![{_LOWER}{_UPPER}])"
_FLAT = rf"as\.?{_SPACE}?\d{{1,3}}"
#: "B 34", "B34", "b", "B as. 34", "as. 12"; digits alone after the number are not a flat ("5 3 kertaa").
_APARTMENT = rf"(?:{_SPACE}?{_STAIRCASE}(?:{_SPACE}?(?:{_FLAT}|\d{{1,3}}))?|{_SPACE}{_FLAT})?"
_TOWN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)?"
_POSTCODE_TOWN = rf"\d{{5}}{_SPACE}{_TOWN}"
_END = rf"(?![\w{_LOWER}{_UPPER}])"


class FinnishStreetAddressRecognizer(ConstantPatternRecognizer):
    """Street, house number, staircase and apartment, postcode and town; graded by how complete."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Pattern(
            "street, number and postcode (Mannerheimintie 12 B 34, 00100 Helsinki)",
            rf"\b{_STREET}{_SPACE}{_NUMBER}{_APARTMENT},?{_SPACE}{_POSTCODE_TOWN}{_END}",
            0.9,
        ),
        Pattern(
            "capitalised street and number (Hämeenkadulla 5)",
            rf"\b(?=[{_UPPER}]){_STREET}{_SPACE}{_NUMBER}{_APARTMENT}{_END}",
            0.7,
        ),
        Pattern(
            "lower-case street and number (hämeenkadulla 5)",
            rf"\b(?=[{_LOWER}]){_STREET}{_SPACE}{_NUMBER}{_APARTMENT}{_END}",
            0.4,
        ),
    )
    #: Substring-matched against lower-cased neighbouring tokens: "asun", "asuu", "osoitteeni", "osote".
    CONTEXT = ("asu", "osoit", "osote", "kotona", "kotiin", "oveni", "rappu", "kerrostalo", "adress")

    CASE_SENSITIVE = True


class FinnishPostcodeRecognizer(ConstantPatternRecognizer):
    """Five digits and a capitalised town: no checksum, but the town word keeps sums and years out."""

    ENTITY = "POSTCODE"
    PATTERNS = (Pattern("postcode and town (00100 Helsinki)", rf"(?<![\w\d.,-]){_POSTCODE_TOWN}{_END}", 0.6),)
    CONTEXT = ("postinumero", "postinro", "osoit", "osote", "asu", "postnummer", "adress")

    CASE_SENSITIVE = True
