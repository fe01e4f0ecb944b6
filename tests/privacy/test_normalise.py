"""Cleaning text for detection: invisible characters, look-alikes and broken code points, offsets kept."""

from __future__ import annotations

import pytest

from privacy.normalise import REPLACEMENT, clean, decode_bytes, limit_length


@pytest.mark.parametrize(("raw", "text"), [
    ("Virta\u00adnen", "Virtanen"),             # soft hyphen
    ("Virta\u200bnen", "Virtanen"),             # zero-width space
    ("Virta\u2060nen", "Virtanen"),             # word joiner
    ("Virta\ufeffnen", "Virtanen"),             # byte-order mark inside a word
    ("\u202eVirtanen\u202c", "Virtanen"),       # bidi override and pop
    ("０４０ １２３ ４５６７", "040 123 4567"),    # fullwidth digits and spaces
    ("puh.\u00a0040", "puh. 040"),              # no-break space
    ("Ba\u0308ckstro\u0308m", "Bäckström"),     # decomposed letters compose
])
def test_invisible_and_compatibility_characters_are_cleaned(raw, text):
    assert clean(raw).text == text


def test_a_control_character_becomes_a_space_and_a_joined_variant_is_offered():
    cleaned = clean("Matti\x00Virtanen 040\x001234567")
    assert cleaned.text == "Matti Virtanen 040 1234567"
    joined, positions = cleaned.joined
    assert joined == "MattiVirtanen 0401234567"
    assert [cleaned.text[i] for i in positions[:-1]] == list(joined)


def test_look_alike_letters_and_foreign_digits_are_folded_for_detection_only():
    cleaned = clean("Virtаnen ٠٤٠")  # Cyrillic а, Arabic-Indic digits
    assert cleaned.text == "Virtаnen ٠٤٠"
    assert cleaned.detection == "Virtanen 040"
    assert len(cleaned.detection) == len(cleaned.text)


def test_lone_surrogates_become_replacement_characters():
    cleaned = clean("moi \ud800 \udfff")
    assert cleaned.text == f"moi {REPLACEMENT} {REPLACEMENT}"
    cleaned.text.encode("utf-8")  # storable


def test_offsets_map_back_to_the_raw_input():
    raw = "Soita Virta\u00adselle ０４０"
    cleaned = clean(raw)
    start = cleaned.text.index("Virtaselle")
    assert raw[slice(*cleaned.raw_span(start, start + len("Virtaselle")))] == "Virta\u00adselle"
    digits = cleaned.text.index("040")
    assert raw[slice(*cleaned.raw_span(digits, digits + 3))] == "０４０"


def test_clean_text_is_left_alone():
    text = "Moi! En jaksa enää… 😔 #suomi"
    cleaned = clean(text)
    assert cleaned.text == text.replace("…", "...")
    assert cleaned.joined is None


def test_undecodable_bytes_become_replacement_characters():
    assert decode_bytes(b"moi \xff\xfe maailma") == f"moi {REPLACEMENT}{REPLACEMENT} maailma"


def test_long_text_keeps_its_head_and_tail():
    text = "alku " + "x" * 10_000 + " en jaksa enää"
    cut, was_cut = limit_length(text, 1000)
    assert was_cut and len(cut) <= 1000
    assert cut.startswith("alku ") and cut.endswith(" en jaksa enää")
    assert limit_length("lyhyt", 1000) == ("lyhyt", False)
