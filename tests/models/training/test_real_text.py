"""Real everyday text: trained on only where the licence allows, never on what the benchmark measures with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collect import corpora
from models.training.data import DEV_DATA_DIR, Example, load_examples
from models.training.real_text import RISK_WORDS, evaluation_everyday, everyday_examples, half, thread_pairs, whose_of

EVAL_DIR = Path(__file__).resolve().parents[3] / "models" / "data" / "eval"
needs_real_data = pytest.mark.skipif(not corpora.available(), reason="the shared real corpora are not here")


@needs_real_data
def test_silver_everyday_examples_come_from_trainable_files_and_their_training_half():
    examples = everyday_examples(40, lambda texts, languages: [t.upper() for t in texts], seed=3)
    assert {e.lang for e in examples} == {"fi", "sv"} and len(examples) == 80
    allowed = {s.name for s in corpora.SOURCES if not s.evaluation_only}
    for example in examples:
        source, index = example.id.removeprefix("real:").split("#")
        assert source in allowed
        raw = corpora.read(corpora.source(source))[int(index)].text
        assert half(raw) == "train" and not RISK_WORDS.search(raw)
        assert example.text == raw.upper()  # what the model sees went through the redaction given
        assert (example.level, whose_of(example)) == (0, "none")


@needs_real_data
def test_the_benchmarks_everyday_text_is_never_trained_on():
    measured = evaluation_everyday(60)
    evaluation_only = {s.name for s in corpora.SOURCES if s.evaluation_only}
    for identifier, text, _ in measured:
        assert half(text) == "evaluation" or identifier.removeprefix("real:").split("#")[0] in evaluation_only
    trained_ids = {e.id for e in everyday_examples(200, lambda t, lang: t, seed=0)}
    assert not trained_ids & {identifier for identifier, _, _ in measured}


def test_held_out_posts_are_not_in_the_training_data():
    dev = load_examples(DEV_DATA_DIR)
    dev_texts = {e.text for e in dev}
    held_out = [json.loads(line) for path in EVAL_DIR.glob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(held_out) > 800
    assert not dev_texts & {post["text"] for post in held_out}
    assert not {e.id for e in dev} & {post["id"] for post in held_out}


def test_whose_labels_follow_the_annotation_guide():
    def example(level: int, *tags: str) -> Example:
        return Example("x", "t", "fi", level, "g", tags)

    assert whose_of(example(3)) == "self"
    assert whose_of(example(2, "third_person")) == "other"
    assert whose_of(example(0, "helping_other")) == "other"
    assert whose_of(example(0, "lyrics")) == "none" and whose_of(example(3, "lyrics")) == "self"
    assert whose_of(example(0)) == "none"


def test_helpers_are_paired_with_posts_at_risk():
    examples = [Example("a", "t", "fi", 4, "a"), Example("b", "t", "fi", 0, "b", ("helping_other",)),
                Example("c", "t", "fi", 1, "c")]
    pairs = thread_pairs(examples, seed=1)
    assert (1, 0) in pairs and (0, None) in pairs
