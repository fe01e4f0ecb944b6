"""Language identification keeps Finnish and Swedish only."""

from __future__ import annotations

import pytest

from privacy.language import UNDETERMINED, detect_language, is_kept


@pytest.mark.parametrize(("text", "expected"), [
    ("Mä en jaksa enää mitään, kaikki menee aina päin persettä", "fi"),
    ("Onks kellään vinkkejä miten pärjää pimeen talven yli?", "fi"),
    ("Jag orkar inte plugga mer, tentan är imorgon och jag är slut", "sv"),
    ("Nå, int vet jag, mamma sa åt mig att fara till skolan i Vasa", "sv"),
    ("Does anyone know a good pizza place that is open late?", "en"),
    ("Kas keegi teab, kus saab Tallinnas head kohvi juua?", "et"),
    ("Jeg vet ikke hva jeg skal gjøre med livet mitt lenger", "nb"),
])
def test_detects_candidate_languages(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "😭😭😭", "12345 !!!", "ok"])
def test_too_little_text_is_undetermined(text):
    assert detect_language(text) == UNDETERMINED


@pytest.mark.parametrize(("code", "kept"), [("fi", True), ("sv", True), ("en", False), ("et", False),
                                            ("und", False)])
def test_only_finnish_and_swedish_are_kept(code, kept):
    assert is_kept(code) is kept
