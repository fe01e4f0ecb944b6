"""The cascade's first stage as shipped: what it lets through, what it clears, what it stores."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.demo.sample import load_sample
from models.lifecycle import registry
from models.lifecycle.first_stage_gate import team_written_recall, thread_recall
from models.serving import first_stage
from models.training.first_stage import choose_threshold

SHIPPED = registry.shipped_versions(kind=registry.KIND_FIRST_STAGE)[-1]


@pytest.fixture(scope="module")
def stage() -> first_stage.FirstStage:
    return first_stage.load(SHIPPED)


def test_recall_of_levels_two_and_up_on_the_team_written_test_split(stage) -> None:
    positives, recall = team_written_recall(stage)
    assert positives > 300
    assert recall >= 0.99


def test_recall_on_the_demo_sample_with_replies_kept_in_threads_that_go_on(stage) -> None:
    """Posts are read as collection reads them (title and body); a reply goes on with its thread."""
    positives, recall = thread_recall(stage, load_sample())
    assert positives > 150
    assert recall >= 0.99


@pytest.mark.parametrize("text", [
    "Mistä saa halvimmat talvirenkaat Tampereelta? Nokian vai Michelin?",
    "Huomenna pelataan HIFK:ta vastaan, kuka tulee katsomaan?",
    "Var köper man bäst begagnade cyklar i Göteborg?",
    "Tåget var försenat igen, SJ borde skämmas.",
])
def test_plainly_everyday_posts_are_cleared(stage, text: str) -> None:
    assert stage.passes([text]) == [False]


@pytest.mark.parametrize("text", ["en jaksa", "jag orkar inte", "hyvästi kaikki", "förlåt mamma"])
def test_a_risk_word_always_passes_whatever_the_model_says(text: str) -> None:
    never = first_stage.FirstStage("never", np.zeros(first_stage.CHAR_FEATURES + first_stage.WORD_FEATURES),
                                   -50.0, 0.5)
    assert never.passes([text, "Hyvää huomenta"]) == [True, False]


def test_the_stored_model_holds_weights_and_a_threshold_only(tmp_path, stage) -> None:
    with np.load(SHIPPED / first_stage.WEIGHTS) as stored:
        assert sorted(stored.files) == ["intercept", "weights"]
    config = json.loads((SHIPPED / first_stage.CONFIG).read_text())
    assert config["threshold"] == stage.threshold and "threshold_chosen_on" in config
    stage.save(tmp_path, {"note": "copy"})
    copy = first_stage.load(tmp_path)
    assert copy.passes(["Hyvää huomenta", "en jaksa enää"]) == stage.passes(["Hyvää huomenta", "en jaksa enää"])


def test_a_model_for_other_feature_sizes_is_refused(tmp_path, stage) -> None:
    stage.save(tmp_path, {})
    config = json.loads((tmp_path / first_stage.CONFIG).read_text())
    (tmp_path / first_stage.CONFIG).write_text(json.dumps({**config, "char_features": 1024}))
    with pytest.raises(ValueError, match="other feature sizes"):
        first_stage.load(tmp_path)


def test_empty_and_unencodable_input(stage) -> None:
    assert stage.passes([]) == []
    assert stage.passes([""]) == [False]
    assert stage.passes(["en jaksa \ud800 enää", "\udc00"]) == [True, False]


def test_the_threshold_is_the_highest_that_keeps_the_recall_target() -> None:
    probabilities = np.array([0.9, 0.8, 0.3, 0.2, 0.1, 0.05])
    positive = np.array([True, True, True, True, False, False])
    netted = np.array([False, False, False, True, False, False])
    assert choose_threshold(probabilities, positive, netted, 0.75) == 0.8  # 2 by the model + 1 by the net
    assert choose_threshold(probabilities, positive, netted, 1.0) == 0.3
    assert choose_threshold(probabilities, positive, np.zeros(6, bool), 1.0) == 0.2
