"""The evaluation gate's rules, the frozen gold set's tamper check, and gold posts held out of training."""

from __future__ import annotations

import json

import pytest

from models.lifecycle.gate import MACRO_F1_TOLERANCE, compare
from models.lifecycle.gold import GoldSetChangedError, freeze, load_gold
from models.training.data import Example, split_examples


def _report(**overrides: tuple[float, float]) -> dict:
    """A gold report with macro-F1 0.70 and recall 0.90 everywhere, except ``subset=(macro_f1, recall)``."""
    report = {}
    for subset in ("all", "fi", "sv"):
        macro_f1, recall = overrides.get(subset, (0.70, 0.90))
        report[subset] = {"n": 100, "macro_f1": macro_f1, "recall_high": recall}
    return report


def test_an_equal_or_better_candidate_passes():
    assert compare(_report(), _report()).passed
    assert compare(_report(all=(0.75, 0.95)), _report()).passed


def test_any_drop_in_urgent_recall_is_refused():
    result = compare(_report(all=(0.80, 0.89)), _report())
    assert not result.passed
    assert result.reasons == ["all: recall at levels >= 3 fell from 0.900 to 0.890"]


def test_any_drop_in_crisis_recall_is_refused():
    candidate, baseline = _report(), _report()
    candidate["fi"]["recall_crisis"], baseline["fi"]["recall_crisis"] = 0.85, 0.90
    result = compare(candidate, baseline)
    assert result.reasons == ["fi: recall at level 4 fell from 0.900 to 0.850"]


def test_more_false_alarms_on_real_everyday_text_are_refused_beyond_the_tolerance():
    candidate, baseline = _report(), _report()
    baseline["everyday"] = {"n": 1000, "false_alarm_high": 0.010}
    candidate["everyday"] = {"n": 1000, "false_alarm_high": 0.012}
    assert compare(candidate, baseline).passed
    candidate["everyday"]["false_alarm_high"] = 0.030
    refused = compare(candidate, baseline)
    assert not refused.passed and "everyday" in refused.reasons[0]
    assert refused.summary()["everyday_false_alarm_candidate"] == 0.03


def test_macro_f1_may_wobble_within_the_tolerance_but_not_beyond():
    assert compare(_report(all=(0.70 - MACRO_F1_TOLERANCE / 2, 0.90)), _report()).passed
    refused = compare(_report(all=(0.70 - 2 * MACRO_F1_TOLERANCE, 0.90)), _report())
    assert not refused.passed and "macro-F1" in refused.reasons[0]


def test_a_drop_in_one_language_is_refused_even_when_the_whole_improves():
    result = compare(_report(all=(0.75, 0.95), sv=(0.70, 0.80)), _report())
    assert not result.passed
    assert [reason.split(":")[0] for reason in result.reasons] == ["sv"]


def test_summary_carries_numbers_only():
    summary = compare(_report(), _report()).summary()
    assert summary["passed"] is True and summary["gold_n"] == 100
    assert all(isinstance(value, int | float | bool) for value in summary.values())


def _write(directory, examples: list[dict]) -> None:
    (directory / "data.jsonl").write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in examples) + "\n")


def test_editing_a_frozen_gold_post_is_detected(tmp_path):
    records = [{"id": f"x{i}", "text": f"teksti numero {i} tässä", "lang": "fi", "level": i % 5, "group": f"g{i}"}
               for i in range(6)]
    _write(tmp_path, records)
    from models.training.data import load_examples

    manifest = freeze("gold-test", load_examples(tmp_path)[:3], tmp_path, tmp_path / "gold.json")
    assert [e.id for e in load_gold(manifest).examples] == ["x0", "x1", "x2"]

    records[1]["level"] = 4  # someone relabels a gold post
    _write(tmp_path, records)
    with pytest.raises(GoldSetChangedError, match="edited or relabelled"):
        load_gold(manifest)
    _write(tmp_path, records[2:])
    with pytest.raises(GoldSetChangedError, match="are gone"):
        load_gold(manifest)


def test_gold_posts_and_their_near_duplicates_never_reach_train_or_validation():
    examples = [Example(f"e{i}", f"aivan eri viesti {i} joka kertoo asiasta {i * 7}", "fi", i % 5, f"g{i}")
                for i in range(60)]
    gold_twin = Example("twin", examples[0].text + " !", "fi", 0, "other-group")
    splits = split_examples([*examples, gold_twin], held_out=frozenset({"e0", "e1", "e2"}))
    trained = {e.id for name in ("train", "validation") for e in splits[name]}
    assert not trained & {"e0", "e1", "e2", "twin"}
    assert {"e0", "e1", "e2", "twin"} <= {e.id for e in splits["test"]}


def test_the_shipped_gold_set_is_the_development_test_split_it_was_frozen_from():
    from models.training.data import load_examples

    gold = load_gold()
    assert gold.name == "gold-v2" and len(gold.examples) == 552
    assert len(gold.everyday) == 1000 and {e.lang for e in gold.everyday} == {"fi", "sv"}
    assert all(e.level == 0 and "real_everyday" in e.tags for e in gold.everyday)
    assert {e.id for e in gold.examples} == {e.id for e in split_examples(load_examples())["test"]}
    assert {e.lang for e in gold.examples} == {"fi", "sv"} and {e.level for e in gold.examples} == {0, 1, 2, 3, 4}
