"""The privacy benchmark's own correctness: its data must be what it claims and its arithmetic right.

A wrong offset or an invalid checksum would make the filter look worse (or better) than
it is, so these run without the filter itself, on a small generated set.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import pytest
from faker import Faker

from benchmarks.privacy_eval import (
    Context,
    Sentence,
    Span,
    business_id_is_valid,
    evaluate,
    finnish_stem,
    generate,
    hetu_is_valid,
    iban_is_valid,
    load_templates,
    personnummer_is_valid,
    render,
    summary,
)

SIZE = 60

CHECKSUMS = {
    "FI_PERSONAL_IDENTITY_CODE": hetu_is_valid,
    "SE_PERSONAL_IDENTITY_NUMBER": personnummer_is_valid,
    "IBAN_CODE": iban_is_valid,
    "FI_BUSINESS_ID": business_id_is_valid,
    # Shapes from the registers: Finnish numbers without leading zeros; Swedish without I, Q, V, or O last.
    "LICENCE_PLATE": lambda plate: bool(
        re.fullmatch(r"[A-Z]{3}-[1-9]\d{0,2}|[A-HJ-PR-UW-Z]{3} \d{2}[A-HJ-NPR-UW-Z0-9]", plate)
    ),
}


@pytest.fixture(scope="module")
def sentences() -> list[Sentence]:
    return generate(SIZE, seed=11)


def test_generation_is_deterministic_per_seed(sentences: list[Sentence]) -> None:
    assert generate(SIZE, seed=11) == sentences
    assert generate(SIZE, seed=12) != sentences


def test_every_planted_value_is_at_its_offsets(sentences: list[Sentence]) -> None:
    assert len(sentences) == 2 * SIZE
    for sentence in sentences:
        assert bool(sentence.spans) != sentence.clean, sentence.text
        for span in sentence.spans:
            assert sentence.text[span.start:span.end] == span.value, sentence.text
            assert span.value == span.value.strip() and span.value, sentence.text


def test_every_template_renders_with_its_spans() -> None:
    ctx = Context(random.Random(1), {"fi": Faker("fi_FI"), "sv": Faker("sv_SE")})
    templates = load_templates()
    for template in templates:
        sentence = render(template, ctx)
        assert "{" not in sentence.text and all(sentence.text[s.start:s.end] == s.value for s in sentence.spans)
    for lang in ("fi", "sv"):
        assert sum(t.lang == lang and not t.clean for t in templates) >= 120
    assert sum(t.clean for t in templates) >= 80


def test_generated_identifiers_pass_their_checksums_and_shapes() -> None:
    spans = [span for sentence in generate(400, seed=3) for span in sentence.spans if span.type in CHECKSUMS]
    assert {span.type for span in spans} == set(CHECKSUMS)
    for span in spans:
        assert CHECKSUMS[span.type](span.value), span


def test_checksums_accept_published_examples_and_reject_one_off() -> None:
    assert hetu_is_valid("131052-308T") and not hetu_is_valid("131052-308U")
    assert hetu_is_valid("010594Y9021") and not hetu_is_valid("310299-1234")
    assert personnummer_is_valid("811228-9874") and personnummer_is_valid("19811228-9874")
    assert not personnummer_is_valid("811228-9875") and personnummer_is_valid("701063-2391")
    assert iban_is_valid("FI21 1234 5600 0007 85") and not iban_is_valid("FI21 1234 5600 0007 86")
    assert business_id_is_valid("0112038-9") and not business_id_is_valid("0112038-8")


def test_fakers_own_ssn_providers_pass_the_checksums() -> None:
    """Faker's ssn() is not used for generation (it depends on today's date) but must agree with the validators."""
    fi, sv = Faker("fi_FI"), Faker("sv_SE")
    fi.seed_instance(5)
    sv.seed_instance(5)
    assert all(hetu_is_valid(fi.ssn()) for _ in range(200))
    assert all(personnummer_is_valid(sv.ssn(long=long)) for long in (False, True) for _ in range(100))
    assert all(business_id_is_valid(fi.company_business_id()) for _ in range(100))
    assert all(iban_is_valid(fi.iban()) for _ in range(100))


@pytest.mark.parametrize(
    ("name", "first_name", "stem"),
    [("Virtanen", False, "Virtase"), ("Mäkelä", False, "Mäkelä"), ("Kallio", False, "Kallio"),
     ("Aalto", False, None), ("Laine", False, None), ("Koski", False, None), ("Jari", True, "Jari"),
     ("Mikko", True, None), ("Anna", True, "Anna"), ("Backman", False, None)],
)
def test_finnish_stem_inflects_only_what_is_certain(name: str, first_name: bool, stem: str | None) -> None:
    assert finnish_stem(name, first_name) == stem


@dataclass(frozen=True)
class Found:
    type: str
    start: int
    end: int


def test_metric_arithmetic_on_a_hand_made_example() -> None:
    #          0         1         2         3
    #          0123456789012345678901234567890123456
    text_1 = "Soita Matti 040 123 4567, Kuja 1, 00100"
    first = Sentence("fi", "t", text_1, (
        Span("PERSON", 6, 11, "Matti"),
        Span("PHONE_NUMBER", 12, 24, "040 123 4567"),
        Span("STREET_ADDRESS", 26, 32, "Kuja 1"),
        Span("POSTCODE", 34, 39, "00100"),
    ), clean=False)
    clean = Sentence("fi", "t", "Anna mulle 112", (), clean=True)
    detections = [
        [
            Found("PHONE_NUMBER", 12, 19),     # overlaps the phone, covers only part of it
            Found("STREET_ADDRESS", 26, 39),   # takes street and postcode: POSTCODE is compatible
            Found("PERSON", 0, 5),             # "Soita": a false positive
        ],
        [Found("PERSON", 0, 4)],              # "Anna" in a clean sentence
    ]
    evaluation = evaluate([first, clean], detections)
    phone = evaluation.tallies[("fi", "PHONE_NUMBER")]
    assert (phone.support, phone.found_strict, phone.found_any, phone.found_full) == (1, 1, 1, 0)
    person = evaluation.tallies[("fi", "PERSON")]
    assert (person.support, person.found_any, person.detections, person.correct_any) == (1, 0, 2, 0)
    postcode = evaluation.tallies[("fi", "POSTCODE")]
    assert (postcode.found_strict, postcode.found_full, postcode.detections) == (1, 1, 0)
    figures = summary(evaluation)
    assert figures["structured_recall_strict"] == 1.0     # phone and postcode, both overlapped
    assert figures["structured_recall_full"] == 0.5       # the phone leaks its tail
    assert figures["person_recall_any"] == 0.0
    assert figures["overall_precision_strict"] == 0.5     # 2 of 4 detections hit a compatible span
    assert figures["overall_recall_strict"] == 0.75       # 3 of 4 planted spans
    assert figures["false_positives_per_100_clean"] == 100.0
    assert evaluation.examples["missed fi PERSON"] == ["'Matti' in " + repr(text_1)]


def test_real_name_scoring_counts_names_places_and_ordinary_words() -> None:
    from benchmarks.privacy_real import score_names
    from privacy.ner.corpora import Entity
    from privacy.ner.corpora import Sentence as AnnotatedSentence

    text = "Eilen Matti kävi Oulussa ja söi hyvin"
    sentence = AnnotatedSentence(text, (Entity("PER", 6, 11), Entity("LOC", 17, 24)), "hand-made")

    @dataclass
    class Found:
        type: str
        start: int
        end: int

    tally = score_names([sentence], [[Found("PERSON", 6, 11), Found("PERSON", 17, 24), Found("PERSON", 28, 31)]])
    assert (tally.gold, tally.found, tally.detected, tally.correct, tally.on_other_entity) == (1, 1, 3, 1, 1)
    assert tally.precision == pytest.approx(1 / 3)
    assert tally.precision_entities == pytest.approx(2 / 3)
    # "Eilen" (sentence-initial), "kävi", "ja", "hyvin" kept; "söi" was covered by the third detection
    assert (tally.ordinary, tally.ordinary_kept) == (5, 4)
