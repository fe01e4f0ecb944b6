"""Training end to end on a tiny random encoder: files, metrics, card, scorer, registry."""

from __future__ import annotations

import json

import pytest

from core.db.connection import transaction
from models.lifecycle import registry
from models.serving.predict import TransformerScorer
from models.training.train import TrainConfig, train


@pytest.fixture(scope="module")
def trained(tiny_encoder, tiny_dataset, tmp_path_factory):
    config = TrainConfig(data_dir=str(tiny_dataset), version="tiny-1", epochs=50, max_length=64)
    return train(config, encoder_dir=tiny_encoder, output_root=tmp_path_factory.mktemp("versions"))


def test_training_writes_a_complete_version(trained):
    names = {p.name for p in trained.iterdir()}
    assert {"model.json", "head.safetensors", "metrics.json", "model_card.md", "confusion_test.png",
            "reliability_test.png"} <= names
    spec = json.loads((trained / "model.json").read_text())
    assert spec["id2label"] == {"0": "none", "1": "low", "2": "moderate", "3": "high", "4": "crisis"}
    assert 0.05 <= spec["temperature"] <= 20
    assert spec["training_data"]["sizes"]["train"] > spec["training_data"]["sizes"]["test"] > 0


def test_metrics_cover_model_and_baselines_per_language(trained):
    metrics = json.loads((trained / "metrics.json").read_text())
    for split in ("validation", "test"):
        assert set(metrics[split]) == {"model", "lexicon", "tfidf_logreg", "real_everyday", "whose_accuracy_alone"}
        assert set(metrics[split]["model"]) == {"all", "fi", "sv"}
        assert 0.0 <= metrics[split]["model"]["all"]["ece"] <= 1.0


def test_recall_target_holds_on_validation(trained):
    metrics = json.loads((trained / "metrics.json").read_text())
    assert metrics["validation"]["model"]["all"]["recall_high"] >= 0.95


def test_model_card_states_data_is_not_clinical(trained):
    card = (trained / "model_card.md").read_text()
    assert "Development data written by the team" in card
    assert "not clinical validation" in card
    assert "tiny-1" in card


def test_scorer_returns_valid_scores_and_explanations(trained, tiny_encoder):
    scorer = TransformerScorer(trained, tiny_encoder)
    texts = ["Mä en jaksa enää mitään, haluun vaan nukkua pois", "Jag orkar inte mer", ""]
    scores = scorer.score_batch(texts, ["fi", "sv", "fi"])
    assert [s.model_version for s in scores] == ["tiny-1"] * 3
    assert all(score.explanation == () for score in scores)  # explanations are their own step
    for text, score, evidence in zip(texts, scores, scorer.explain(texts, ["fi", "sv", "fi"]), strict=True):
        assert abs(sum(score.probabilities) - 1) < 1e-6
        assert score.whose in ("self", "other", "none")
        for item in evidence:
            assert text[item.start:item.end] == item.phrase


def test_config_rejects_unknown_settings(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"epochs": 3, "learnign_rate": 0.1}))
    with pytest.raises(ValueError, match="unknown settings"):
        TrainConfig.from_json(path)


def test_registry_activates_one_version_and_rolls_back(trained, conn, tmp_path):
    import shutil

    second = tmp_path / "tiny-2"
    shutil.copytree(trained, second)
    spec = json.loads((second / "model.json").read_text())
    spec["version"] = "tiny-2"
    (second / "model.json").write_text(json.dumps(spec))
    for directory in (trained, second):
        registry.register(conn, directory, actor="ml", role="ml_engineer")
    registry.activate(conn, "tiny-1", actor="ml", role="ml_engineer")
    registry.activate(conn, "tiny-2", actor="ml", role="ml_engineer")
    assert registry.active(conn).version == "tiny-2"
    assert registry.rollback(conn, actor="ml", role="ml_engineer") == "tiny-1"
    assert [v.version for v in registry.versions(conn) if v.active] == ["tiny-1"]
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'model.activate'")
        assert cur.fetchone()["n"] == 3
    with pytest.raises(registry.RegistryError, match="no registered model version"):
        registry.activate(conn, "nope", actor="ml", role="ml_engineer")


def test_partial_finetuning_saves_only_the_top_layers(tiny_encoder, tiny_dataset, tmp_path):
    from safetensors.torch import load_file

    config = TrainConfig(data_dir=str(tiny_dataset), version="tiny-ft", epochs=20, max_length=48,
                         finetune_layers=1, finetune_epochs=1, max_train_samples=64)
    out = train(config, encoder_dir=tiny_encoder, output_root=tmp_path)
    saved = load_file(str(out / "head.safetensors"))
    layer_names = {name for name in saved if not name.startswith(("head.", "whose."))}
    assert layer_names and all(name.startswith("encoder.layer.1.") for name in layer_names)
    scorer = TransformerScorer(out, tiny_encoder)
    assert scorer.version == "tiny-ft"
    assert abs(sum(scorer.score_batch(["en jaksa"], ["fi"])[0].probabilities) - 1) < 1e-6


def test_without_the_shared_real_text_training_goes_on_and_the_card_says_so(tiny_encoder, tiny_dataset, tmp_path,
                                                                             monkeypatch):
    """A retrain on a server without ../shared inherits a recipe that asks for real text: it must not fail."""
    monkeypatch.setenv("MAJAKKA_REAL_DATA", str(tmp_path / "absent"))
    config = TrainConfig(data_dir=str(tiny_dataset), version="tiny-noreal", epochs=20, max_length=48,
                         real_everyday_per_language=100)
    out = train(config, encoder_dir=tiny_encoder, output_root=tmp_path)
    spec = json.loads((out / "model.json").read_text())
    assert spec["training_data"]["real_everyday"]["per_language"] == 0
    assert spec["training_data"]["real_everyday"]["missing"] == str(tmp_path / "absent")
    assert "asked for but not found" in (out / "model_card.md").read_text()
