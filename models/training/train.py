"""``majakka train``: train, calibrate, choose thresholds, evaluate, and write a model version.

Everything that decides a number is in :class:`TrainConfig` (JSON-loadable), seeded,
and recorded in the model's files so that a run can be repeated.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from models.serving import artifact
from models.serving.calibration import fit_temperature, softmax
from models.serving.decision import choose_rule
from models.serving.encoder.embed import Encoder
from models.serving.head import head_logits, train_head_on_embeddings
from models.training.baselines import lexicon_predictions, tfidf_predictions
from models.training.config import TrainConfig
from models.training.data import Example, data_fingerprint, load_examples, split_examples
from models.training.finetune import finetune
from models.training.metrics import evaluate
from models.training.model_card import write_model_card
from models.training.plots import confusion_png, reliability_png


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([e.level for e in examples])


def train(config: TrainConfig, *, encoder_dir: Path, output_root: Path, counsellor_labels: Sequence[Example] = (),
          label_export: dict | None = None, held_out: frozenset[str] = frozenset()) -> Path:
    """Train one version; returns its directory.

    ``counsellor_labels`` (decrypted in memory from a label export, never written as plain
    text) join the development data; ``label_export`` describes that export for the model
    card. ``held_out`` ids (the frozen gold set) stay in the test split with their
    near-duplicates.
    """
    seed_everything(config.seed)
    examples = load_examples(Path(config.data_dir)) + list(counsellor_labels)
    splits = split_examples(examples, seed=config.seed, held_out=held_out)
    leaked = held_out & {e.id for name in ("train", "validation") for e in splits[name]}
    if leaked:
        raise RuntimeError(f"{len(leaked)} gold example(s) would be trained on")
    if config.max_train_samples:
        splits["train"] = splits["train"][:config.max_train_samples]
    encoder = Encoder(encoder_dir, max_length=config.max_length)
    embedded = {name: encoder.embed([e.text for e in split]) for name, split in splits.items()}
    head = train_head_on_embeddings(embedded["train"], _labels(splits["train"]), epochs=config.epochs,
                                    learning_rate=config.learning_rate, weight_decay=config.weight_decay,
                                    seed=config.seed)
    encoder_layers = None
    if config.finetune_layers:
        encoder_layers = finetune(encoder, head, [e.text for e in splits["train"]], _labels(splits["train"]),
                                  layers=config.finetune_layers, epochs=config.finetune_epochs,
                                  learning_rate=config.finetune_learning_rate, seed=config.seed)
        embedded = {name: encoder.embed([e.text for e in split]) for name, split in splits.items()}
    validation_logits = head_logits(head, embedded["validation"])
    temperature = fit_temperature(validation_logits, _labels(splits["validation"]))
    validation_probabilities = softmax(validation_logits, temperature)
    rule = choose_rule(validation_probabilities, _labels(splits["validation"]),
                       recall_high=config.recall_target_high, recall_flag=config.recall_target_flag)
    kind = f"e5ft{config.finetune_layers}" if config.finetune_layers else "e5head"
    version = config.version or f"{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    out = output_root / version
    spec = artifact.ModelSpec(version, artifact.ENCODER_NAME, config.max_length, temperature, rule, {
        "data_dir": Path(config.data_dir).name, "fingerprint": data_fingerprint(examples),
        "sizes": {name: len(split) for name, split in splits.items()}, "config": asdict(config),
        **({"label_export": label_export} if label_export else {}),
    })
    artifact.save(out, spec, head, encoder_layers)
    metrics = evaluate_splits(out, splits, embedded, head, temperature, rule, seed=config.seed)
    write_model_card(out, spec, metrics)
    return out


def evaluate_splits(out: Path, splits: dict[str, list[Example]], embedded: dict[str, np.ndarray], head,
                    temperature: float, rule, *, seed: int) -> dict:
    """Model and both baselines on validation and test; writes metrics.json and the plots."""
    metrics: dict = {}
    for name in ("validation", "test"):
        split = splits[name]
        gold, languages = _labels(split), [e.lang for e in split]
        probabilities = softmax(head_logits(head, embedded[name]), temperature)
        metrics[name] = {
            "model": evaluate(gold, rule.levels(probabilities), languages, probabilities),
            "lexicon": evaluate(gold, lexicon_predictions(split), languages),
            "tfidf_logreg": evaluate(gold, tfidf_predictions(splits["train"], split, seed), languages),
        }
        if name == "test":
            confusion_png(metrics[name]["model"]["all"]["confusion"], out / "confusion_test.png",
                          "Test split: annotated vs predicted")
            reliability_png(probabilities, gold, out / "reliability_test.png", "Test split: calibration")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
