"""Calibration, decision thresholds, metrics and leakage-free splits on hand-made numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.serving.calibration import expected_calibration_error, fit_temperature, softmax
from models.serving.decision import DecisionRule, choose_rule, threshold_for_recall
from models.training.data import DatasetError, Example, merged_groups, parse_record, split_examples
from models.training.metrics import level_metrics


def test_ece_of_a_hand_made_example():
    probabilities = np.array([[0.9, 0.1, 0, 0, 0], [0.9, 0.1, 0, 0, 0], [0.6, 0.4, 0, 0, 0], [0.6, 0.4, 0, 0, 0]])
    labels = np.array([0, 1, 0, 0])
    # bin (0.8, 0.9]: accuracy 0.5 vs confidence 0.9; bin (0.5, 0.6]: accuracy 1.0 vs 0.6
    assert expected_calibration_error(probabilities, labels) == pytest.approx(0.5 * 0.4 + 0.5 * 0.4)


def test_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 5, size=400)
    logits = rng.normal(size=(400, 5))
    logits[np.arange(400), labels] += 1.0
    overconfident = logits * 8
    temperature = fit_temperature(overconfident, labels)
    assert temperature > 2
    before = expected_calibration_error(softmax(overconfident), labels)
    after = expected_calibration_error(softmax(overconfident, temperature), labels)
    assert after < before


def test_threshold_reaches_the_recall_target():
    scores = np.array([0.9, 0.8, 0.7, 0.4, 0.2, 0.1])
    positive = np.array([True, True, False, True, False, True])
    threshold = threshold_for_recall(scores, positive, 0.75)
    assert threshold == pytest.approx(0.4)
    assert (scores[positive] >= threshold).mean() >= 0.75


def test_cumulative_rule_takes_the_highest_bar_over_its_line():
    rule = DecisionRule(thresholds=(0.5, 0.4, 0.3, 0.2))
    probabilities = np.array([
        [0.5, 0.1, 0.1, 0.1, 0.2],    # P(>=4) = 0.2 -> 4
        [0.5, 0.1, 0.1, 0.25, 0.05],  # P(>=3) = 0.3 -> 3
        [0.2, 0.3, 0.4, 0.05, 0.05],  # P(>=2) = 0.5 -> 2
        [0.45, 0.45, 0.05, 0.04, 0.01],  # P(>=1) = 0.55 -> 1
        [0.9, 0.05, 0.03, 0.01, 0.01],   # nothing -> 0
    ])
    assert rule.levels(probabilities).tolist() == [4, 3, 2, 1, 0]
    assert rule.cumulative(probabilities)[0].round(3).tolist() == [0.5, 0.4, 0.3, 0.2]


def test_chosen_thresholds_never_let_a_higher_level_need_less_evidence():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 5, size=400)
    probabilities = softmax(rng.normal(size=(400, 5)) + np.eye(5)[labels] * 2)
    rule = choose_rule(probabilities, labels, recall={2: 0.9, 3: 0.95, 4: 0.85})
    assert list(rule.thresholds) == sorted(rule.thresholds)
    levels = rule.levels(probabilities)
    reached = rule.cumulative(probabilities) >= np.asarray(rule.thresholds)
    assert (levels == reached.sum(axis=1)).all()  # every bar below a crossing bar crosses too


def test_older_versions_keep_their_two_threshold_rule():
    rule = DecisionRule.from_dict({"high_threshold": 0.3, "flag_threshold": 0.4, "recall_target_high": 0.95,
                                   "recall_target_flag": 0.9})
    probabilities = np.array([
        [0.5, 0.1, 0.1, 0.2, 0.1],    # P(>=3) = 0.3 -> high, crisis less likely than high -> 3
        [0.3, 0.3, 0.1, 0.1, 0.2],    # P(>=3) = 0.3, crisis likelier -> 4
        [0.2, 0.3, 0.4, 0.05, 0.05],  # P(>=2) = 0.5 -> 2
        [0.3, 0.5, 0.1, 0.05, 0.05],  # nothing reached -> likelier of 0/1 -> 1
    ])
    assert rule.levels(probabilities).tolist() == [3, 4, 2, 1]


def test_choose_rule_meets_targets_on_the_data_it_was_chosen_on():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 5, size=300)
    probabilities = softmax(rng.normal(size=(300, 5)) + np.eye(5)[labels] * 2)
    rule = choose_rule(probabilities, labels, recall={3: 0.95, 2: 0.9})
    predicted = rule.levels(probabilities)
    assert ((predicted >= 3) & (labels >= 3)).sum() / (labels >= 3).sum() >= 0.95


def test_level_metrics_arithmetic():
    gold = np.array([0, 1, 2, 3, 4, 4])
    predicted = np.array([0, 1, 2, 4, 4, 3])
    metrics = level_metrics(gold, predicted)
    assert metrics["recall_high"] == 1.0
    assert metrics["recall_crisis"] == 0.5
    assert metrics["flag_f1"] == 1.0
    assert metrics["confusion"][4] == [0, 0, 0, 1, 1]


def _example(identifier: str, text: str, group: str) -> Example:
    return Example(identifier, text, "fi", 1, group)


def test_near_duplicates_are_merged_and_never_split():
    base = "mä en jaksa enää tätä koulua ja kaikki kaverit on lähteny pois kaupungista"
    examples = [_example("a", base, "g1"), _example("b", base + " 😭", "g2"),
                _example("c", "täysin eri asia kissoista ja koirista puhumassa tänään", "g3")]
    groups = merged_groups(examples)
    assert groups["a"] == groups["b"] != groups["c"]
    many = [_example(f"x{i}", f"{base} {i}", f"h{i}") for i in range(40)]
    splits = split_examples(many + examples)
    where = {e.id: name for name, split in splits.items() for e in split}
    assert len({where[f"x{i}"] for i in range(40)}) == 1
    assert where["a"] == where["b"]


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "1", "text": "x", "lang": "en", "level": 1, "group": "g"}, "lang must be"),
    ({"id": "1", "text": "x", "lang": "fi", "level": 7, "group": "g"}, "level must be"),
    ({"id": "1", "text": " ", "lang": "fi", "level": 1, "group": "g"}, "non-empty"),
    ({"id": "1", "text": "x", "lang": "fi", "level": 1}, "missing"),
])
def test_dataset_contract_errors_name_the_line(record, message):
    with pytest.raises(DatasetError, match=f"f.jsonl:4: .*{message}"):
        parse_record(json.dumps(record), "f.jsonl:4")
