"""The committed development dataset meets its contract and the issue's requirements."""

from __future__ import annotations

from collections import Counter

import pytest

from models.training.data import load_examples, merged_groups, split_examples


@pytest.fixture(scope="module")
def examples():
    return load_examples()


def test_sizes_per_language(examples):
    languages = Counter(e.lang for e in examples)
    assert languages["fi"] >= 2000 and languages["sv"] >= 1500


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_level_is_learnable(examples, lang):
    levels = Counter(e.level for e in examples if e.lang == lang)
    total = sum(levels.values())
    assert set(levels) == {0, 1, 2, 3, 4}
    assert all(0.15 <= count / total <= 0.25 for count in levels.values())


@pytest.mark.parametrize("tag", ["negation", "third_person", "hyperbole", "joke", "lyrics", "quote", "news",
                                 "recovered", "helping_other", "dialect", "slang", "mixed_language", "placeholder"])
def test_hard_cases_are_present(examples, tag):
    assert sum(tag in e.tags for e in examples) >= 80


def test_no_group_crosses_splits(examples):
    groups = merged_groups(examples)
    where: dict[str, set[str]] = {}
    for name, split in split_examples(examples).items():
        for example in split:
            where.setdefault(groups[example.id], set()).add(name)
    assert all(len(splits) == 1 for splits in where.values())


def test_texts_are_unique(examples):
    texts = Counter(e.text.strip().lower() for e in examples)
    assert texts.most_common(1)[0][1] == 1
