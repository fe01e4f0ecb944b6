"""The expectation suites on hand-made frames: good data passes, each kind of bad data fails."""

from __future__ import annotations

import pandas as pd
import pytest

from quality.checks import run_suite
from quality.suites import identifier_safety_net_suite, scores_suite, stored_posts_suite

PSEUDONYM = "a" * 64


def posts_frame(**overrides) -> pd.DataFrame:
    rows = {"source_id": ["t3_a", "t1_b"], "language": ["fi", "sv"], "author_pseudonym": [PSEUDONYM, PSEUDONYM],
            "filter_version": ["filter-2.0.0"] * 2, "text_length": [10, 20]}
    rows.update(overrides)
    return pd.DataFrame(rows)


def test_a_good_stored_batch_passes():
    result = run_suite("stored_posts", stored_posts_suite, posts_frame())
    assert result.passed and result.rows == 2


@pytest.mark.parametrize(("column", "values", "expectation", "unexpected"), [
    ("language", ["fi", "en"], "expect_column_values_to_be_in_set", 1),
    ("source_id", ["t3_a", "t3_a"], "expect_column_values_to_be_unique", 2),  # GE counts every duplicate row
    ("source_id", ["t3_a", None], "expect_column_values_to_not_be_null", 1),
    ("author_pseudonym", [PSEUDONYM, "Kahvikuppi_92"], "expect_column_values_to_match_regex", 1),
])
def test_each_bad_stored_batch_fails_with_a_count(column, values, expectation, unexpected):
    result = run_suite("stored_posts", stored_posts_suite, posts_frame(**{column: values}))
    assert not result.passed
    assert [(f.expectation, f.column, f.unexpected) for f in result.failures] == [(expectation, column, unexpected)]


@pytest.mark.parametrize("leak", ["131052-308T", "811228-9874", "matti@example.fi", "FI21 1234 5600 0007 85",
                                  "040 123 4567", "+46 70 123 45 67", "https://example.fi/x"])
def test_safety_net_catches_a_surviving_identifier_without_repeating_it(leak):
    frame = pd.DataFrame({"text": ["en jaksa <PHONE>", f"soita {leak} heti"]})
    result = run_suite("identifier_safety_net", identifier_safety_net_suite, frame)
    assert not result.passed
    assert sum(f.unexpected for f in result.failures) >= 1
    assert leak not in repr(result) and leak not in str(result.summary())


def test_redacted_text_passes_the_safety_net():
    frame = pd.DataFrame({"text": ["<PERSON> sanoi soita <PHONE> tai mailaa <EMAIL>, klo 14.30, 3 500 €, 2024"]})
    assert run_suite("identifier_safety_net", identifier_safety_net_suite, frame).passed


def test_scores_must_be_distributions_with_valid_levels():
    good = pd.DataFrame({"probability_sum": [1.0, 0.9999995], "level": [0, 4], "model_version": ["m1", "m1"]})
    assert run_suite("scores", scores_suite, good).passed
    bad = pd.DataFrame({"probability_sum": [0.7, 1.0], "level": [2, 5], "model_version": ["m1", "m1"]})
    failed = {f.column for f in run_suite("scores", scores_suite, bad).failures}
    assert failed == {"probability_sum", "level"}


def test_an_empty_batch_passes_trivially():
    assert run_suite("stored_posts", stored_posts_suite, posts_frame().iloc[0:0]).passed
