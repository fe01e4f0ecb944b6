"""Finnish street addresses and postcodes: full, inflected, lower case with context, and the lookalikes that stay."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from privacy.recognizers.fi.address import FinnishPostcodeRecognizer, FinnishStreetAddressRecognizer
from privacy.redaction import PrivacyFilter

THRESHOLD = 0.5


@pytest.fixture(scope="module")
def street() -> FinnishStreetAddressRecognizer:
    return FinnishStreetAddressRecognizer()


@pytest.fixture(scope="module")
def postcode() -> FinnishPostcodeRecognizer:
    return FinnishPostcodeRecognizer()


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


def spans(recognizer: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.mark.parametrize(
    ("address", "score"),
    [
        ("Mannerheimintie 12 B 34, 00100 Helsinki", 0.9),
        ("Koivukuja 3 B 12, 90100 Oulu", 0.9),
        ("Rinnekatu 4 C 17, 33100 Tampere", 0.9),
        ("Hämeentie 45 A 7 00500 Helsinki", 0.9),
        ("Mannerheimintie 12", 0.7),
        ("Hämeenkadulla 5", 0.7),
        ("Koivukujan 3", 0.7),
        ("Kalevankatu 3a", 0.7),
        ("Mikonkatu 8 as. 12", 0.7),
        ("Mannerheimintie 12 B34", 0.7),
        ("Rantapolulla 7", 0.7),
        ("Satamaväylä 2", 0.7),
        ("Aurinkorinteellä 4 b", 0.7),
        ("Linnankaari 9 D 101", 0.7),
        ("Keskuspuisto 1", 0.7),
        ("Lahdenranta 15-17", 0.7),
        ("hämeenkadulla 5", 0.4),
    ],
)
def test_street_addresses_are_found_with_graded_scores(
    street: FinnishStreetAddressRecognizer, address: str, score: float
) -> None:
    assert spans(street, f"en jaksa, {address} on se paikka") == [(address, score)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Lompakko oli bussipysäkin penkillä Insinöörinkadulla.", "a street without a number is not a home"),
        ("tie 5 km pohjoiseen", "a bare street word"),
        ("Ranta 3 päivää", "a bare street word, capitalised"),
        ("Katu 12 oli tyhjä", "a bare street word at a sentence start"),
        ("Hämeenkadulla 5ssä", "number glued to letters"),
        ("vuonna 2024 klo 14.30", "year and time"),
        ("Storgatan 5B, 411 38 Göteborg", "Swedish address, left to the Swedish recognizer"),
    ],
)
def test_lookalikes_are_not_addresses(street: FinnishStreetAddressRecognizer, text: str, why: str) -> None:
    assert spans(street, text) == [], why


def test_staircase_letter_does_not_swallow_a_word(street: FinnishStreetAddressRecognizer) -> None:
    assert spans(street, "Hämeenkadulla 5 ja sit kotiin") == [("Hämeenkadulla 5", 0.7)]


def test_lower_case_street_needs_context_to_pass(privacy_filter: PrivacyFilter) -> None:
    assert privacy_filter.redact("asun hämeenkadulla 5 yksin", "fi").text == "asun <ADDRESS> yksin"
    assert privacy_filter.redact("metsätie 3 km ja sit vasemmalle", "fi").text == "metsätie 3 km ja sit vasemmalle"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("asun 00500 Helsinki", [("00500 Helsinki", 0.6)]),
        ("postinumero 90100 Oulu", [("90100 Oulu", 0.6)]),
        ("Jakobstad 68600 Jakobstad", [("68600 Jakobstad", 0.6)]),
        ("00100 helsinki", []),
        ("maksoin 12000 euroa", []),
        ("1234 Helsinki", []),
        ("123456 Helsinki", []),
        ("FI21 12345 Helsinki", [("12345 Helsinki", 0.6)]),
        ("tili 123-12345 Helsinki", []),
    ],
)
def test_postcodes_need_a_town(postcode: FinnishPostcodeRecognizer, text: str, expected: list) -> None:
    assert spans(postcode, text) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Asun Hämeentie 45 A 7, 00500 Helsinki ja yläkerrasta tulee jumputusta",
            "fi",
            "Asun <ADDRESS> ja yläkerrasta tulee jumputusta",
        ),
        ("asun Hämeenkadulla 5 enkä jaksa enää", "fi", "asun <ADDRESS> enkä jaksa enää"),
        ("avain on ovimaton alla, Rinnekatu 4 C 17, 33100 Tampere.", "fi",
         "avain on ovimaton alla, <ADDRESS>."),
        ("muutin 00500 Helsinki ja oon yksin", "fi", "muutin <POSTCODE> ja oon yksin"),
        ("jag bor på Mannerheimintie 12 B 34", "sv", "jag bor på <ADDRESS>"),
        ("Kissa karkas Helsinginkadun kulmilla", "fi", "Kissa karkas Helsinginkadun kulmilla"),
    ],
)
def test_redaction_of_addresses(privacy_filter: PrivacyFilter, text: str, language: str, expected: str) -> None:
    assert privacy_filter.redact(text, language).text == expected


@pytest.mark.parametrize("text", ["Asun Kuusipiha 111 D yksin", "Asun Kaartikulma 47 as. 45 yksin",
                                  "Asun Asemalinja 50 yksin", "Asun Urheilukentällä 3 yksin"])
def test_streets_ending_in_everyday_words_are_found_with_a_number(privacy_filter: PrivacyFilter, text: str) -> None:
    assert privacy_filter.redact(text, "fi").text == "Asun <ADDRESS> yksin"
