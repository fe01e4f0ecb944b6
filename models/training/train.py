"""``majakka train``: train, calibrate, choose thresholds, evaluate, and write a model version.

Everything that decides a number is in :class:`TrainConfig` (JSON-loadable), seeded,
and recorded in the model's files so that a run can be repeated.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from collect import corpora
from models.serving import artifact
from models.serving.calibration import fit_temperature, softmax
from models.serving.decision import choose_rule
from models.serving.encoder.embed import Encoder
from models.serving.head import WHOSE, head_logits, train_head_on_embeddings, train_whose_head, whose_probabilities
from models.training.baselines import lexicon_predictions, tfidf_predictions
from models.training.config import TrainConfig
from models.training.data import Example, data_fingerprint, load_examples, split_examples
from models.training.finetune import finetune
from models.training.metrics import evaluate
from models.training.model_card import write_model_card
from models.training.plots import confusion_png, reliability_png
from models.training.real_text import everyday_examples, reviewed_examples, thread_pairs, whose_of

log = logging.getLogger(__name__)

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
    real_text = bool(config.real_everyday_per_language) and corpora.available()
    if config.real_everyday_per_language and not real_text:
        # The shared real text is not part of the repository (a retrain on a server may not have it):
        # train without it, say so in the model card, and let the gate judge the false alarms.
        log.warning("real everyday text asked for but not found at %s; training without it",
                    corpora.real_data_dir())
    if real_text:
        examples += everyday_examples(config.real_everyday_per_language, _redacted, seed=config.seed)
        examples += reviewed_examples(_redacted)
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
    whose_head = _train_whose_head(splits["train"], embedded["train"], seed=config.seed) if config.whose_head else None
    validation_logits = head_logits(head, embedded["validation"])
    temperature = fit_temperature(validation_logits, _labels(splits["validation"]))
    validation_probabilities = softmax(validation_logits, temperature)
    rule = choose_rule(validation_probabilities, _labels(splits["validation"]),
                       recall={2: config.recall_target_flag, 3: config.recall_target_high,
                               4: config.recall_target_crisis})
    kind = f"e5ft{config.finetune_layers}" if config.finetune_layers else "e5head"
    version = config.version or f"{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    out = output_root / version
    spec = artifact.ModelSpec(version, artifact.ENCODER_NAME, config.max_length, temperature, rule, {
        "data_dir": Path(config.data_dir).name, "fingerprint": data_fingerprint(examples),
        "sizes": {name: len(split) for name, split in splits.items()}, "config": asdict(config),
        **({"real_everyday": {"per_language": config.real_everyday_per_language if real_text else 0,
                              "reviewed": sum("real_reviewed" in e.tags for e in examples),
                              **({} if real_text else {"missing": str(corpora.real_data_dir())})}}
           if config.real_everyday_per_language else {}),
        **({"label_export": label_export} if label_export else {}),
    })
    artifact.save(out, spec, head, encoder_layers, whose_head)
    metrics = evaluate_splits(out, splits, embedded, head, temperature, rule, seed=config.seed, whose_head=whose_head)
    write_model_card(out, spec, metrics)
    return out


def _redacted(texts: list[str], languages: list[str]) -> list[str]:
    """Real text as the pipeline stores it: through the production privacy filter."""
    from privacy.redaction import PrivacyFilter

    privacy_filter = PrivacyFilter()
    return [redaction.text for first in range(0, len(texts), 64)
            for redaction in privacy_filter.redact_many(texts[first:first + 64], languages[first:first + 64])]


def _train_whose_head(train: list[Example], embeddings: np.ndarray, *, seed: int):
    """The whose-risk head on the training posts alone and as replies to other training posts."""
    pairs = thread_pairs(train, seed=seed)
    posts = embeddings[[i for i, _ in pairs]]
    parents = np.stack([embeddings[j] if j is not None else np.zeros(embeddings.shape[1], dtype=np.float32)
                        for _, j in pairs])
    labels = np.array([WHOSE.index(whose_of(train[i])) for i, _ in pairs])
    return train_whose_head(posts, parents, labels, seed=seed)


def evaluate_splits(out: Path, splits: dict[str, list[Example]], embedded: dict[str, np.ndarray], head,
                    temperature: float, rule, *, seed: int, whose_head=None) -> dict:
    """Model and both baselines on validation and test; writes metrics.json and the plots.

    Besides the level metrics: the share of real everyday examples the model puts at level 3-4 (the
    false alarms a counsellor would face), and how often the whose-risk head agrees with the labels."""
    metrics: dict = {}
    for name in ("validation", "test"):
        split = splits[name]
        gold, languages = _labels(split), [e.lang for e in split]
        probabilities = softmax(head_logits(head, embedded[name]), temperature)
        levels = rule.levels(probabilities)
        everyday = np.array(["real_everyday" in e.tags for e in split])
        metrics[name] = {
            "model": evaluate(gold, levels, languages, probabilities),
            "lexicon": evaluate(gold, lexicon_predictions(split), languages),
            "tfidf_logreg": evaluate(gold, tfidf_predictions(splits["train"], split, seed), languages),
            "real_everyday": {"n": int(everyday.sum()),
                              "false_alarm_high": float((levels[everyday] >= 3).mean()) if everyday.any() else None},
        }
        if whose_head is not None:
            predicted = whose_probabilities(whose_head, embedded[name], np.zeros_like(embedded[name])).argmax(axis=1)
            truth = np.array([WHOSE.index(whose_of(e)) for e in split])
            metrics[name]["whose_accuracy_alone"] = float((predicted == truth).mean())
        if name == "test":
            confusion_png(metrics[name]["model"]["all"]["confusion"], out / "confusion_test.png",
                          "Test split: annotated vs predicted")
            reliability_png(probabilities, gold, out / "reliability_test.png", "Test split: calibration")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
