"""Swedish person names: lexicon hits, full names, genitives, cues, and words that only look like names."""

from __future__ import annotations

import pytest

from privacy.recognizers.se.person import SwedishPersonRecognizer, load_lexicon
from privacy.redaction import PrivacyFilter

THRESHOLD = 0.5


@pytest.fixture(scope="module")
def recognizer() -> SwedishPersonRecognizer:
    return SwedishPersonRecognizer()


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


def redacted(recognizer: SwedishPersonRecognizer, text: str) -> list[str]:
    return [text[r.start:r.end] for r in recognizer.analyze(text, ["PERSON"]) if r.score >= THRESHOLD]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Jag heter Erik Johansson och orkar inte mer", ["Erik Johansson"]),
        ("Anna förstår mig inte", ["Anna"]),
        ("Lisa är min bästa vän", ["Lisa"]),
        ("jag pratade med Maja igår", ["Maja"]),
        ("Eriks mamma ringde", ["Eriks"]),
        ("Annas syster flyttade", ["Annas"]),
        ("Anna-Karin och jag", ["Anna-Karin"]),
        ("min kompis Björn sa att det blir bättre", ["Björn"]),
        ("jag träffade Sten igår", ["Sten"]),
        ("min syster Tova mår dåligt", ["Tova"]),
        ("Bo sa att han ville dö", ["Bo"]),
        ("Bo Andersson ringde", ["Bo Andersson"]),
        ("läraren Berg skrev till mig", ["Berg"]),
        ("jag och Björn Ström", ["Björn Ström"]),
        ("Jag känner mig ensam. Erik förstår inte.", ["Erik"]),
        ("Hej Anna!", ["Anna"]),
        ("jag heter erik", ["erik"]),
        ("min pojkvän Aleksi Virtanen", ["Aleksi Virtanen"]),
    ],
)
def test_names_are_found(recognizer: SwedishPersonRecognizer, text: str, names: list[str]) -> None:
    assert redacted(recognizer, text) == names


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Dag efter dag känns allt tyngre.", "'dag' (day) opening a sentence"),
        ("Bo hemma eller flytta?", "'bo' (to live) opening a sentence"),
        ("Alla hatar mig.", "'alla' (everyone)"),
        ("Sten och grus överallt.", "'sten' (stone) opening a sentence"),
        ("Hans mamma är sjuk.", "'hans' (his), missing from the dictionary"),
        ("Mina föräldrar bråkar hela tiden.", "'mina' (my)"),
        ("Inga vänner kvar.", "'inga' (no, none)"),
        ("Per dag äter jag nästan ingenting.", "'per' (per)"),
        ("Rosa tröjor är fina.", "'rosa' (pink)"),
        ("Viking Line till Åbo.", "a company, not 'Viking' + surname"),
        ("Jag bor i Lund och pluggar.", "a town that is also a surname"),
        ("Ström och vatten kostar.", "'ström' (electricity)"),
        ("Klara dig själv, sa hon.", "'klara' (manage)"),
        ("Sol och regn.", "'sol' (sun)"),
        ("Hej, jag orkar inte mer.", "'Hej' is a greeting"),
        ("Mamma och pappa bråkar.", "family words are not names"),
        ("jag går på bio med alla", "lower-case common word after a weak cue"),
    ],
)
def test_words_that_look_like_names_are_kept(recognizer: SwedishPersonRecognizer, text: str, why: str) -> None:
    assert redacted(recognizer, text) == [], why


def test_cues_raise_the_score(recognizer: SwedishPersonRecognizer) -> None:
    alone = recognizer.analyze("Bo hemma.", ["PERSON"])[0].score
    speaking = recognizer.analyze("Bo sa nej.", ["PERSON"])[0].score
    assert alone < THRESHOLD <= speaking


def test_lexicon_comes_from_offline_sources() -> None:
    lexicon = load_lexicon()
    assert {"Erik", "Anna", "Aino", "Björn"} <= lexicon.first_names
    assert {"Johansson", "Virtanen"} <= lexicon.surnames
    assert lexicon.is_common_word("sten") and lexicon.is_common_word("svenskar")
    assert not lexicon.is_common_word("erik")


def test_other_entities_are_not_answered(recognizer: SwedishPersonRecognizer) -> None:
    assert recognizer.analyze("Erik", ["PHONE_NUMBER"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jag heter Erik Johansson och orkar inte mer", "Jag heter <PERSON> och orkar inte mer"),
        ("Eriks pappa slår mig", "<PERSON> pappa slår mig"),
        ("Dag efter dag, Björn hatar mig", "Dag efter dag, <PERSON> hatar mig"),
        ("Dag efter dag. Alla hatar mig.", "Dag efter dag. Alla hatar mig."),
        ("ring Erik på 070-123 45 67", "ring <PERSON> på <PHONE>"),
    ],
)
def test_swedish_names_are_redacted_by_the_filter(privacy_filter: PrivacyFilter, text: str, expected: str) -> None:
    assert privacy_filter.redact(text, "sv").text == expected


def test_swedish_names_are_left_to_the_finnish_recognizers_in_finnish_posts() -> None:
    """The lexicon recognizer is bound to Swedish: Finnish capitalisation rules differ."""
    assert all(r.supported_language == "sv" for r in PrivacyFilter()._analyzer.registry.recognizers
               if isinstance(r, SwedishPersonRecognizer))
