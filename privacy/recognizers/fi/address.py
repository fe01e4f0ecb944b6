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

#: The last word of a Finnish street name: nominative and the stem its other cases are built on
#: (consonant gradation included), so "Koivukuja", "Koivukujalla", "Hämeenkadulle" are all seen.
_STREET_WORD_STEMS = {
    "katu": "kadu", "tie": "tie", "kuja": "kuja", "polku": "polu", "väylä": "väylä", "ranta": "ranna",
    "kaari": "kaare", "rinne": "rintee", "puisto": "puisto", "kaarre": "kaartee", "tori": "tori",
    "aukio": "aukio", "bulevardi": "bulevardi", "esplanadi": "esplanadi", "raitti": "raiti", "mäki": "mäe",
    "puistikko": "puistiko", "kierto": "kierro", "niitty": "niity", "portti": "porti", "laita": "laida",
    "penger": "penkere", "reitti": "reiti", "porras": "portaa", "sola": "sola", "tanhua": "tanhua",
    "vainio": "vainio", "harju": "harju", "laakso": "laakso", "lehto": "lehdo",
    # also everyday words ("piha" yard, "kulma" corner, "linja" line, "kenttä" field): as the end of a
    # compound followed by a house number they are streets far more often than not, and a home
    # address left in stored text costs more than a redacted "Takapiha 2"
    "kulma": "kulma", "piha": "piha", "linja": "linja", "kenttä": "kentä",
}
_CASE_ENDINGS = "n|lla|llä|lle|lta|ltä|ssa|ssä|sta|stä|na|nä"
_NOMINATIVE_ENDINGS = "a|ä|ta|tä|an|än|en|hen|un|iin|seen"
_STREET_WORDS = "|".join(
    f"{nominative}(?:{_NOMINATIVE_ENDINGS})?|{stem}(?:{_CASE_ENDINGS})"
    for nominative, stem in sorted(_STREET_WORD_STEMS.items(), key=lambda item: -len(item[0]))
)
_LOWER = "a-zåäöéü"
_UPPER = "A-ZÅÄÖÉÜ"
#: Words that come before a street name written as two words ("Läntinen Rantakatu", "Vanha Raitti").
_QUALIFIERS = "Vanha|Uusi|Iso|Pikku|Läntinen|Itäinen|Pohjoinen|Eteläinen|Ylä|Ala|Keski|Ensimmäinen|Toinen|Kolmas"
_CAPITALISED_WORDS = "|".join(
    f"{nominative[0].upper()}{nominative[1:]}(?:{_NOMINATIVE_ENDINGS})?|{stem[0].upper()}{stem[1:]}(?:{_CASE_ENDINGS})"
    for nominative, stem in sorted(_STREET_WORD_STEMS.items(), key=lambda item: -len(item[0])))
#: At least two letters before the street word, so a bare "tie 5" or "Ranta 3" is not a street;
#: after a qualifier the street word may stand alone ("Läntinen Raitti").
_STREET = (rf"(?:(?:{_QUALIFIERS})[ \u00a0](?:[{_UPPER}][{_LOWER}-]*?(?:{_STREET_WORDS})|(?:{_CAPITALISED_WORDS}))"
           rf"|[{_UPPER}{_LOWER}][{_LOWER}-]{{1,40}}?(?:{_STREET_WORDS}))")
_NUMBER = r"\d{1,4}(?:[-–]\d{1,4})?"
_SPACE = r"[ \u00a0]"
#: A staircase letter that is not the start of a word ("5 ja" is not staircase J).
_STAIRCASE = rf"[A-Za-z](?![{_LOWER}{_UPPER}])"
_FLAT = rf"as\.?{_SPACE}?\d{{1,3}}"
#: "B 34", "B34", "b", "B as. 34", "as. 12"; digits alone after the number are not a flat ("5 3 kertaa").
_APARTMENT = rf"(?:{_SPACE}?{_STAIRCASE}(?:{_SPACE}?(?:{_FLAT}|\d{{1,3}}))?|{_SPACE}{_FLAT})?"
_TOWN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)?"
_CODE = r"(?:FI-)?\d{5}(?!\d)"
#: The postcode before the town ("00100 Helsinki"), or after it ("Helsinki 00100"), with or without "FI-".
_POSTCODE_TOWN = rf"(?:{_CODE}{_SPACE}{_TOWN}|{_TOWN},?{_SPACE}{_CODE})"
_END = rf"(?![\w{_LOWER}{_UPPER}])"
#: A street starts a word: not after a letter, digit or hyphen (cheaper than \b on hyphenated runs).
_START = r"(?<![\w-])"
#: Capitalised words that stand before a number without being a town ("Noin 20000", "Vuonna 2000").
_NOT_TOWNS = ("Noin|Yli|Alle|Vuonna|Kello|Klo|Summa|Hinta|Yhteensä|Jopa|Peräti|Melkein|Lähes|Ungefär|Över|"
              "Under|Nästan|Totalt|Pris|Summan|Cirka|Ca|Kring")
_BOX = rf"(?:PL|Pl\.|Postilokero|postilokero|PB){_SPACE}?\d{{1,5}}"


class FinnishStreetAddressRecognizer(ConstantPatternRecognizer):
    """Street, house number, staircase and apartment, postcode and town; graded by how complete."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Pattern(
            "street, number and postcode (Mannerheimintie 12 B 34, 00100 Helsinki)",
            rf"{_START}{_STREET}{_SPACE}{_NUMBER}{_APARTMENT},?{_SPACE}{_POSTCODE_TOWN}{_END}",
            0.9,
        ),
        Pattern(
            "capitalised street and number (Hämeenkadulla 5)",
            rf"{_START}(?=[{_UPPER}]){_STREET}{_SPACE}{_NUMBER}{_APARTMENT}{_END}",
            0.7,
        ),
        Pattern(
            "lower-case street and number (hämeenkadulla 5)",
            rf"{_START}(?=[{_LOWER}]){_STREET}{_SPACE}{_NUMBER}{_APARTMENT}{_END}",
            0.4,
        ),
        Pattern("post-office box and postcode (PL 123, 00101 Helsinki)",
                rf"\b{_BOX},?{_SPACE}{_POSTCODE_TOWN}{_END}", 0.9),
        Pattern("post-office box (PL 123)", rf"\b{_BOX}{_END}", 0.6),
        Pattern("care-of name (c/o Virtanen)",
                rf"\b[cC]/[oO]{_SPACE}[{_UPPER}][{_LOWER}]+(?:[ -][{_UPPER}][{_LOWER}]+)?", 0.7),
    )
    #: Substring-matched against lower-cased neighbouring tokens: "asun", "asuu", "osoitteeni", "osote".
    CONTEXT = ("asu", "osoit", "osote", "kotona", "kotiin", "oveni", "rappu", "kerrostalo", "adress", "luona",
               "postita", "lähetä", "hakek", "tulkaa")

    CASE_SENSITIVE = True


class FinnishPostcodeRecognizer(ConstantPatternRecognizer):
    """Five digits and a capitalised town: no checksum, but the town word keeps sums and years out."""

    ENTITY = "POSTCODE"
    PATTERNS = (
        Pattern("postcode and town (00100 Helsinki, FI-00100 Helsinki)", rf"(?<![\w\d.,-]){_CODE}{_SPACE}{_TOWN}{_END}",
                0.6),
        Pattern("town and postcode (Helsinki 00100)",
                rf"(?<![\w-])(?!(?:{_NOT_TOWNS})\b){_TOWN},?{_SPACE}{_CODE}(?!{_SPACE}?[{_UPPER}{_LOWER}\d])", 0.6),
    )
    CONTEXT = ("postinumero", "postinro", "osoit", "osote", "asu", "postnummer", "adress")

    CASE_SENSITIVE = True
