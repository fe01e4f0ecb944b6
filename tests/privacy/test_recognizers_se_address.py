"""Swedish street addresses and postcodes: full, partial, and street-like words that are not addresses."""

from __future__ import annotations

import pytest

from privacy.recognizers.se.address import SwedishAddressRecognizer, SwedishPostcodeRecognizer
from privacy.redaction import PrivacyFilter


@pytest.fixture(scope="module")
def address() -> SwedishAddressRecognizer:
    return SwedishAddressRecognizer()


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


@pytest.fixture(scope="module")
def postcode() -> SwedishPostcodeRecognizer:
    return SwedishPostcodeRecognizer()


def spans(recognizer: SwedishAddressRecognizer | SwedishPostcodeRecognizer, text: str) -> list[tuple[str, float]]:
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Storgatan 5B, 411 38 Göteborg", ("Storgatan 5B, 411 38 Göteborg", 0.85)),
        ("Kungsgatan 12 lgh 1102, 111 43 Stockholm", ("Kungsgatan 12 lgh 1102, 111 43 Stockholm", 0.85)),
        ("jag bor på Kungsgatan 12", ("Kungsgatan 12", 0.6)),
        ("Drottning Kristinas väg 5 är hemskt", ("Drottning Kristinas väg 5", 0.6)),
        ("Gamla Brogatan 3", ("Gamla Brogatan 3", 0.6)),
        ("Mariaplan 2, lgh 1201", ("Mariaplan 2, lgh 1201", 0.6)),
        ("Lilla Torget 4", ("Lilla Torget 4", 0.6)),
        ("Björkbacken 7 A", ("Björkbacken 7 A", 0.6)),
        ("Ekstigen 14", ("Ekstigen 14", 0.6)),
        ("Lindallén 3, Umeå", ("Lindallén 3", 0.6)),
        ("Tegnérgränd 2.", ("Tegnérgränd 2", 0.6)),
        ("Kungsvägen 40-42", ("Kungsvägen 40-42", 0.6)),
    ],
)
def test_addresses_with_a_number_are_found(address: SwedishAddressRecognizer, text: str, expected: tuple) -> None:
    assert spans(address, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "åkte skidbacken 3 gånger",
        "Vägen 5 år framåt känns lång",
        "klockan 12 på torget",
        "gatan 5 minuter bort",
        "flygplan 3 timmar försenat",
        "ring 070 123 45 67",
        "Storgatan5",
    ],
)
def test_street_like_words_are_not_addresses(address: SwedishAddressRecognizer, text: str) -> None:
    assert spans(address, text) == []


def test_a_street_name_alone_is_below_the_threshold(address: SwedishAddressRecognizer) -> None:
    assert spans(address, "shoppade på Kungsgatan igår") == [("Kungsgatan", 0.2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("411 38 Göteborg", "411 38 Göteborg"),
        ("postnummer 752 36 Uppsala", "752 36 Uppsala"),
        ("skickat till 972 31 Luleå idag", "972 31 Luleå"),
    ],
)
def test_postcodes_with_a_town_are_found(postcode: SwedishPostcodeRecognizer, text: str, expected: str) -> None:
    assert spans(postcode, text) == [(expected, 0.6)]


@pytest.mark.parametrize(
    "text",
    ["411 38", "070 123 45 67 Anna", "betalade 10 000 kronor", "011 38 Göteborg", "4113 8 Göteborg"],
)
def test_postcode_lookalikes_are_not_found(postcode: SwedishPostcodeRecognizer, text: str) -> None:
    assert spans(postcode, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jag bor på Storgatan 5B, 411 38 Göteborg och mår dåligt", "Jag bor på <ADDRESS> och mår dåligt"),
        ("bor på Kungsgatan 12 lgh 1102", "bor på <ADDRESS>"),
        ("jag bor på Kungsgatan", "jag bor på <ADDRESS>"),
        ("skicka det till 411 38 Göteborg", "skicka det till <POSTCODE>"),
        ("shoppade på Kungsgatan igår", "shoppade på Kungsgatan igår"),
    ],
)
def test_addresses_are_redacted_by_the_filter(privacy_filter: PrivacyFilter, text: str, expected: str) -> None:
    assert privacy_filter.redact(text, "sv").text == expected
