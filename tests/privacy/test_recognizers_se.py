"""Swedish personnummer and samordningsnummer: every written form, date and Luhn failures."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from privacy.recognizers.se.personnummer import PersonnummerRecognizer

ENTITY = "SE_PERSONAL_IDENTITY_NUMBER"


@pytest.fixture(scope="module")
def recognizer() -> PersonnummerRecognizer:
    return PersonnummerRecognizer()


def spans(recognizer: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, [ENTITY])]


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("811228-9874", "Skatteverket's example, YYMMDD-NNNN"),
        ("811228+9874", "'+' for someone aged 100 or more"),
        ("19811228-9874", "YYYYMMDD-NNNN"),
        ("198112289874", "YYYYMMDDNNNN"),
        ("701063-2391", "Skatteverket's samordningsnummer example (day 3 + 60)"),
        ("000229-1235", "29 Feb 2000 exists"),
        ("20000229-1235", "29 Feb 2000 exists, century given"),
    ],
)
def test_structured_numbers_are_confirmed(recognizer: PersonnummerRecognizer, number: str, why: str) -> None:
    assert spans(recognizer, f"mitt personnummer är {number} tyvärr") == [(number, 1.0)], why


def test_bare_ten_digits_pass_but_are_not_confirmed(recognizer: PersonnummerRecognizer) -> None:
    """Date and Luhn hold for about one random ten-digit number in 140: the weak score stays."""
    assert spans(recognizer, "koden är 8112289874 ok") == [("8112289874", 0.3)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("811228-9875", "Luhn check fails"),
        ("8112289875", "Luhn check fails, bare digits"),
        ("19811228-9875", "Luhn check fails, century given"),
        ("811328-9873", "month 13 (Luhn holds)"),
        ("810230-9872", "30 February (Luhn holds)"),
        ("810231-9871", "31 February, which Presidio's own recognizer accepts (Luhn holds)"),
        ("811200-9876", "day 0 (Luhn holds)"),
        ("811292-9875", "samordningsnummer day 92 - 60 = 32 (Luhn holds)"),
        ("19000229-1235", "29 Feb 1900 did not exist (Luhn holds)"),
        ("17811228-9874", "no personnummer from the 1700s"),
        ("1811228-9874", "glued to a longer number"),
        ("811228-98745", "glued to a longer number"),
        ("år 2024 kl 14.30", "a year and a time"),
        ("070-123 45 67", "a phone number"),
    ],
)
def test_lookalikes_are_not_detected(recognizer: PersonnummerRecognizer, text: str, why: str) -> None:
    assert spans(recognizer, text) == [], why


def test_takes_the_language() -> None:
    recognizer = PersonnummerRecognizer(supported_language="fi")
    assert recognizer.supported_language == "fi"
    assert recognizer.supported_entities == [ENTITY]
