"""The retraining loop, one function per step: export -> validate -> train -> gate -> promote.

The same export trains a transformer candidate and a first-stage candidate; each has its own gate.

Every step is idempotent, so an Airflow retry or a re-run repeats no side effect:
- a candidate is named after its labels' checksum and its recipe, and a finished training is reused;
- an evaluation is stored per run but promotion looks only at the latest one;
- promoting the already-active candidate changes nothing.

A candidate that passes the gate becomes the shadow model (it scores beside the active one
without touching the queue) while it waits for a human's approval; a refused one is never
promoted. Promotion re-checks in the database that the latest evaluation passed against the
model that is active *now* on the gold set as frozen *now*: an approval cannot outlive either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from core import audit
from core.db.connection import Connection, transaction
from models.lifecycle import registry
from models.lifecycle.gate import GateResult, compare, gold_report
from models.lifecycle.gold import GoldSet
from models.lifecycle.label_export import ExportManifest, read_export, read_manifest
from models.serving.scoring import Scorer
from models.training.data import DEV_DATA_DIR
from privacy.encryption import TextCipher

ACTOR = "system:retrain"
#: Recipe fields a run may not inherit from the active model's record (paths of another machine, its name).
_NOT_INHERITED = ("encoder_dir", "data_dir", "output_root", "version", "max_train_samples")


class RetrainRefusedError(RuntimeError):
    """A step must not go on (bad export, gate not passed, stale approval); the message says why."""


class NotEnoughLabelsError(RetrainRefusedError):
    """Too few counsellor labels so far: nothing is wrong, there is just nothing to train on yet."""


@dataclass(frozen=True)
class EvaluationOutcome:
    candidate: str
    baseline: str
    gate: GateResult


def validate_export(root: Path, version: str, *, min_labels: int) -> ExportManifest:
    """The export's Great Expectations result and size decide whether training may start."""
    manifest = read_manifest(root / version)
    if not manifest.checks_passed:
        raise RetrainRefusedError(f"export {version} failed its checks: {', '.join(manifest.failed_checks)}")
    if manifest.examples < min_labels:
        raise NotEnoughLabelsError(f"export {version} has {manifest.examples} label(s); a retrain needs {min_labels} "
                                  "(MAJAKKA_RETRAIN_MIN_LABELS)")
    return manifest


def recipe(conn: Connection, overrides: dict) -> dict:
    """The active model's training settings (what made it good), with a run's overrides on top."""
    from models.training.config import TrainConfig

    current = registry.active(conn)
    inherited = dict(_training_data(registry.model_dir(current)).get("config", {})) if current else {}
    for name in _NOT_INHERITED:
        inherited.pop(name, None)
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise RetrainRefusedError(f"unknown training settings {unknown}")
    return {"data_dir": str(DEV_DATA_DIR), **inherited, **overrides}


def train_candidate(conn: Connection, cipher: TextCipher, *, exports_root: Path, export_version: str, settings: dict,
                    models_root: Path, encoder_dir: Path, gold: GoldSet) -> str:
    """Train (or reuse) the candidate for this export and recipe, and register it (not active)."""
    from models.training.config import TrainConfig
    from models.training.train import train

    manifest = read_manifest(exports_root / export_version)
    recipe_digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:6]
    config = TrainConfig(**settings)
    kind = f"e5ft{config.finetune_layers}" if config.finetune_layers else "e5head"
    version = f"{kind}-{manifest.sha256[:8]}-{recipe_digest}"  # same labels and recipe: same candidate
    directory = models_root / version
    if not (directory / "model_card.md").exists():
        config.version = version
        labels = read_export(exports_root / export_version, cipher)
        train(config, encoder_dir=encoder_dir, output_root=models_root, counsellor_labels=labels,
              label_export={"version": manifest.version, "examples": manifest.examples,
                            "by_level": manifest.by_level, "sha256": manifest.sha256},
              held_out=frozenset(e.id for e in gold.examples))
    return registry.register(conn, directory, actor=ACTOR, role=audit.SYSTEM_ROLE)


def train_first_stage_candidate(conn: Connection, cipher: TextCipher, *, exports_root: Path, export_version: str,
                               models_root: Path, gold: GoldSet) -> str:
    """Train (or reuse) the first-stage candidate for this export and register it (not active).

    The same export as the transformer's candidate, so the loop retrains both; the first stage's
    own gate (:mod:`models.lifecycle.first_stage_gate`) decides whether it may shadow."""
    from models.training.first_stage import train_first_stage

    manifest = read_manifest(exports_root / export_version)
    version = f"first-stage-{manifest.sha256[:8]}"  # same labels: same candidate
    directory = models_root / version
    if not (directory / registry.SPEC_FILES[registry.KIND_FIRST_STAGE]).exists():
        stage, figures = train_first_stage(held_out=frozenset(e.id for e in gold.examples), version=version,
                                           counsellor_labels=read_export(exports_root / export_version, cipher))
        stage.save(directory, {**figures, "label_export": manifest.version})
    return registry.register(conn, directory, actor=ACTOR, role=audit.SYSTEM_ROLE)


def gold_levels(scorer: Scorer, gold: GoldSet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Levels and probabilities on the gold posts, and levels on the gold set's everyday texts."""
    scores = scorer.score_batch([e.text for e in gold.examples], [e.lang for e in gold.examples])
    everyday = scorer.score_batch([e.text for e in gold.everyday], [e.lang for e in gold.everyday]) \
        if gold.everyday else []
    return (np.array([int(s.level) for s in scores]), np.array([s.probabilities for s in scores]),
            np.array([int(s.level) for s in everyday]))


def evaluate_candidate(conn: Connection, candidate: str, *, candidate_scorer: Scorer, baseline_scorer: Scorer,
                       gold: GoldSet) -> EvaluationOutcome:
    """Score the gold set with both models, apply the gate, record the result; a pass makes it the shadow."""
    reports = []
    for scorer in (candidate_scorer, baseline_scorer):
        levels, probabilities, everyday = gold_levels(scorer, gold)
        reports.append(gold_report(levels, gold, probabilities, everyday))
    result = compare(*reports)
    directory = registry.model_dir(registry.get(conn, candidate))
    with transaction(conn) as cur:
        registry.record_evaluation(
            cur, candidate=candidate, baseline=baseline_scorer.version, gold_set=gold.name,
            gold_fingerprint=gold.fingerprint,
            label_export=_training_data(directory).get("label_export", {}).get("version"), passed=result.passed,
            reasons=result.reasons, report={"candidate": result.candidate, "baseline": result.baseline,
                                            "tolerances": result.tolerances})
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE,
                     action="model.gate_passed" if result.passed else "model.gate_refused", object_type="model",
                     object_id=candidate, details={"baseline": baseline_scorer.version, "gold_set": gold.name,
                                                   "reasons": result.reasons})
    if result.passed:
        registry.set_shadow(conn, candidate, actor=ACTOR, role=audit.SYSTEM_ROLE)
    _rewrite_card(directory, result, gold.name, baseline_scorer.version)
    return EvaluationOutcome(candidate, baseline_scorer.version, result)


def promote(conn: Connection, candidate: str, *, gold: GoldSet, approved_by: str) -> str:
    """Activate ``candidate`` if its latest evaluation passed against today's active model and gold set."""
    current = registry.active(conn)
    if current is not None and current.version == candidate:
        return candidate
    with transaction(conn) as cur:
        latest = registry.latest_evaluation(cur, candidate)
    if latest is None or not latest["passed"]:
        raise RetrainRefusedError(f"{candidate} has not passed the evaluation gate")
    if current is not None and latest["baseline"] != current.version:
        raise RetrainRefusedError(f"{candidate} was evaluated against {latest['baseline']}, but {current.version} "
                                  "is active now; evaluate it again")
    if latest["gold_fingerprint"] != gold.fingerprint:
        raise RetrainRefusedError(f"{candidate} was evaluated on another gold set; evaluate it again")
    registry.activate(conn, candidate, actor=approved_by, role="ml_engineer")
    with transaction(conn) as cur:
        audit.record(cur, actor=approved_by, role="ml_engineer", action="model.promote", object_type="model",
                     object_id=candidate, details={"previous": current.version if current else None})
    return candidate


def _training_data(directory: Path) -> dict:
    """What a version's ``model.json`` records about its training (recipe, sizes, label export)."""
    return json.loads((directory / "model.json").read_text()).get("training_data", {})


def _rewrite_card(directory: Path, result: GateResult, gold_name: str, baseline: str) -> None:
    """The candidate's model card gains the gate's table, so the card of a promoted model shows its evidence."""
    from models.serving import artifact
    from models.training.model_card import write_model_card

    spec = artifact.load_spec(directory)
    metrics = json.loads((directory / "metrics.json").read_text())
    write_model_card(directory, spec, metrics, {**asdict(result), "gold_set": gold_name,
                                                "baseline_version": baseline})
