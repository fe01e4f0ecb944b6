"""Finnish henkilötunnus: every century sign of the 2023 reform, and the lookalikes that must stay."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from privacy.recognizers.fi.henkilotunnus import HenkilotunnusRecognizer

ENTITY = "FI_PERSONAL_IDENTITY_CODE"


@pytest.fixture(scope="module")
def recognizer() -> HenkilotunnusRecognizer:
    return HenkilotunnusRecognizer()


def spans(recognizer: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, [ENTITY])]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("131052-308T", "DVV's own example, 1900s with '-'"),
        ("010594Y9021", "DVV's example of a 2023 sign, Y = 1900s"),
        ("311299X456X", "X = 1900s"),
        ("070707W0707", "W = 1900s"),
        ("051196V234D", "V = 1900s"),
        ("121270U1112", "U = 1900s"),
        ("010100+001F", "+ = 1800s"),
        ("150323A1230", "A = 2000s"),
        ("010203B204L", "B = 2000s"),
        ("300406C305Y", "C = 2000s"),
        ("011011D406M", "D = 2000s"),
        ("020502E903Y", "E = 2000s"),
        ("241212F789P", "F = 2000s"),
        ("290200A1239", "29 Feb 2000 exists"),
        ("290204A004F", "29 Feb 2004 exists"),
        ("010594y9021", "lower-case century sign"),
        ("131052-308t", "lower-case check character"),
    ],
)
def test_valid_codes_are_confirmed(recognizer: HenkilotunnusRecognizer, code: str, why: str) -> None:
    assert spans(recognizer, f"mun hetu on {code}, älä kerro kenellekään") == [(code, 1.0)], why


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("131052-308U", "wrong check character"),
        ("010594Y9022", "wrong check character with a 2023 sign"),
        ("290200-1239", "29 Feb 1900 did not exist (checksum is right)"),
        ("290200y1239", "lower-case y is still the 1900s, so still 29 Feb 1900"),
        ("290201A004P", "29 Feb 2001 did not exist"),
        ("311390-123A", "month 13"),
        ("000190-123A", "day 0"),
        ("131052G308T", "G is not a century sign"),
        ("131052-308", "check character missing"),
        ("99131052-308T", "glued into a longer number"),
        ("131052-308TX", "glued to a following letter"),
        ("vuonna 2024 klo 14.30", "a year and a time"),
        ("24.12.2024", "a date"),
        ("040 123 4567", "a phone number"),
    ],
)
def test_lookalikes_are_not_detected(recognizer: HenkilotunnusRecognizer, text: str, why: str) -> None:
    assert spans(recognizer, text) == [], why


def test_builds_on_presidio_and_takes_the_language() -> None:
    recognizer = HenkilotunnusRecognizer(supported_language="sv")
    assert isinstance(recognizer, PatternRecognizer)
    assert recognizer.supported_language == "sv"
    assert recognizer.supported_entities == [ENTITY]
