"""The ML engineer's commands: train, evaluate, score JSONL, and the model registry."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from app import runners
from app.runners import prepared_connection
from core.config import get_settings
from core.db.connection import Connection
from core.jsonl import bounded_lines, jsonl_streams
from privacy.normalise import DEFAULT_MAX_POST_CHARS


def cmd_train(args: argparse.Namespace) -> int:
    from app import components
    from models.lifecycle.registry import REGISTRY_DIR
    from models.training.config import TrainConfig
    from models.training.train import train

    config = TrainConfig.from_json(Path(args.config)) if args.config else TrainConfig()
    if args.max_train_samples:
        config.max_train_samples = args.max_train_samples
    encoder = Path(config.encoder_dir) if config.encoder_dir else components.encoder_dir()
    out = train(config, encoder_dir=encoder, output_root=Path(config.output_root or REGISTRY_DIR))
    metrics = json.loads((out / "metrics.json").read_text())["test"]["model"]["all"]
    print(json.dumps({"version": out.name, "path": str(out), "test_macro_f1": round(metrics["macro_f1"], 4),
                      "test_recall_high": round(metrics["recall_high"], 4)}))
    return 0


def cmd_train_names(args: argparse.Namespace) -> int:
    from app import components
    from privacy.ner.training import NameTrainConfig, calibrate, train

    config = NameTrainConfig(layers=args.layers, epochs=args.epochs, max_sentences=args.max_sentences)
    output = Path(args.output)
    train(config, output, components.encoder_dir())
    spec = calibrate(output, recall=args.recall)
    print(json.dumps({"output": str(output), "person_threshold": spec["person_threshold"],
                      "evaluation": {name: {k: round(v, 3) for k, v in figures.items() if isinstance(v, float)}
                                     for name, figures in spec["evaluation"].items()}}))
    return 0


def cmd_train_first_stage(args: argparse.Namespace) -> int:
    from models.lifecycle.gold import load_gold
    from models.training.first_stage import train_first_stage

    held_out = frozenset(example.id for example in load_gold().examples)
    stage, figures = train_first_stage(held_out=held_out, recall_target=args.recall)
    stage.save(Path(args.output), figures)
    print(json.dumps({"version": stage.version, "output": args.output, "threshold": round(stage.threshold, 4),
                      "validation_recall": round(figures["validation_recall"], 4),
                      "test_recall": round(figures["test_recall"], 4)}))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.training.evaluate import print_report

    print_report(Path(args.model))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from app import components
    from models.serving.score_jsonl import ScoreCounts, score_lines

    with prepared_connection(get_settings()) as conn:
        scorer = components.scorer(conn)
        first_stage = None if args.every_line else components.first_stages(conn)[0]
    counts = ScoreCounts()
    with jsonl_streams(args.input, args.output) as (source, out):
        for line in score_lines(bounded_lines(source), scorer, components.privacy_filter(), counts=counts,
                                max_chars=args.max_chars, explain=args.explain,
                                first_stage=first_stage):
            out.write(line + "\n")
            out.flush()
    print(f"scored {counts.scored}, cleared by the first stage {counts.cleared}, dropped (language) "
          f"{counts.dropped_language}, with an error {counts.errors}, "
          f"cut to {args.max_chars} characters {counts.cut}", file=sys.stderr)
    return 1 if counts.errors else 0


def cmd_models(args: argparse.Namespace) -> int:
    from models.lifecycle import registry
    from models.lifecycle.retrain import RetrainRefusedError

    try:
        with prepared_connection(get_settings()) as conn:
            return _MODEL_ACTIONS[args.action](conn, args)
    except (registry.RegistryError, RetrainRefusedError) as error:
        print(str(error), file=sys.stderr)
        return 1


def _models_list(conn: Connection, _: argparse.Namespace) -> int:
    from models.lifecycle import registry

    for version in registry.versions(conn):
        mark = "*" if version.active else ("s" if version.shadow else " ")
        print(f"{mark} {version.version}\t{version.kind}\t{version.path}")
    return 0


def _models_register(conn: Connection, args: argparse.Namespace) -> int:
    from models.lifecycle import registry

    print(registry.register(conn, Path(_target(args)), actor=args.actor, role="ml_engineer"))
    return 0


def _models_gate(conn: Connection, args: argparse.Namespace) -> int:
    from models.lifecycle import registry

    candidate = _target(args)
    if candidate in {v.version for v in registry.versions(conn) if v.kind == registry.KIND_FIRST_STAGE}:
        from app.demo.sample import load_sample

        result = runners.gate_first_stage(get_settings(), conn, candidate, load_sample())
    else:
        result = runners.gate(get_settings(), conn, candidate)
    print(json.dumps(result))
    return 0 if result["passed"] else 1


def _models_promote(conn: Connection, args: argparse.Namespace) -> int:
    print(f"active: {runners.promote(get_settings(), conn, _target(args), approved_by=args.actor)}")
    return 0


def _models_rollback(conn: Connection, args: argparse.Namespace) -> int:
    print(f"active: {runners.rollback(get_settings(), conn, actor=args.actor, role='ml_engineer', kind=args.kind)}")
    return 0


def _models_shadow(conn: Connection, args: argparse.Namespace) -> int:
    from models.lifecycle import registry

    version = None if _target(args) == "none" else _target(args)
    registry.set_shadow(conn, version, actor=args.actor, role="ml_engineer", kind=args.kind)
    print(f"shadow: {version or 'none'}")
    return 0


def _models_shadow_report(conn: Connection, args: argparse.Namespace) -> int:
    from core.db.connection import transaction
    from models.lifecycle import registry
    from models.lifecycle.shadow import compare_shadow, first_stage_shadow

    active, shadow = registry.active(conn, args.kind), registry.shadow(conn, args.kind)
    if args.kind == registry.KIND_FIRST_STAGE and shadow is not None:
        with transaction(conn) as cur:
            print("\n".join(first_stage_shadow(cur, shadow.version, shadow.registered_at).lines()))
        return 0
    if active is None or shadow is None:
        print("no shadow model is set (majakka models shadow VERSION)", file=sys.stderr)
        return 1
    with transaction(conn) as cur:
        print("\n".join(compare_shadow(cur, active.version, shadow.version).lines()))
    return 0


def _target(args: argparse.Namespace) -> str:
    from models.lifecycle.registry import RegistryError

    if not args.target:
        raise RegistryError(f"`models {args.action}` needs a target")
    return args.target


_MODEL_ACTIONS = {"list": _models_list, "register": _models_register, "gate": _models_gate,
                  "promote": _models_promote, "rollback": _models_rollback, "shadow": _models_shadow,
                  "shadow-report": _models_shadow_report}


def cmd_export_labels(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    manifest = runners.run(lambda settings, conn: runners.export_labels(settings, conn, actor=args.actor,
                                                                        role="ml_engineer"))
    if manifest is None:
        print("no counsellor decision is a training label yet", file=sys.stderr)
        return 1
    print(json.dumps(asdict(manifest)))
    return 0 if manifest.checks_passed else 1


def register(add: Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]) -> None:
    from models.training.config import describe_fields

    train = add("train", cmd_train, "Train, calibrate and evaluate a model version into the registry directory.")
    train.formatter_class = argparse.RawDescriptionHelpFormatter
    train.epilog = f"settings a --config JSON file may set (name (default): meaning):\n{describe_fields()}"
    train.add_argument("--config", help="JSON file with training settings (listed below)")
    train.add_argument("--max-train-samples", type=int, default=0, help="cap training examples (smoke runs)")

    names = add("train-names", cmd_train_names,
                "Train the privacy filter's name tagger on the real annotated corpora that allow it, choose its "
                "operating threshold on their dev splits, and write it to a directory (copy it to privacy/ner/model).")
    names.add_argument("--output", required=True, help="directory to write tagger.safetensors and tagger.json to")
    names.add_argument("--layers", type=int, default=6, help="lower encoder layers kept and fine-tuned (default 6)")
    names.add_argument("--epochs", type=int, default=4, help="passes over the training sentences (default 4)")
    names.add_argument("--recall", type=float, default=0.95, help="recall the threshold is chosen for (default 0.95)")
    names.add_argument("--max-sentences", type=int, default=0, help="cap per corpus, for smoke runs (0: all)")

    first = add("train-first-stage", cmd_train_first_stage,
                "Train the cascade's first stage on the development set and the real everyday text that allows it, "
                "choose its threshold on the validation split, and write it to a directory "
                "(then `models register DIR`).")
    first.add_argument("--output", required=True, help="directory to write weights.npz and first_stage.json to")
    first.add_argument("--recall", type=float, default=0.995,
                       help="recall of levels >= 2 on validation the threshold keeps (default 0.995)")

    evaluate = add("evaluate", cmd_evaluate, "Print a model version's evaluation (model vs baselines, per language).")
    evaluate.add_argument("model", help="model version directory")

    score = add("score", cmd_score, 'Score JSONL {"id","text"} with the active model (language ID and privacy '
                                    "filter applied first).")
    score.add_argument("input", nargs="?", default="-", help="JSONL file (default: stdin)")
    score.add_argument("-o", "--output", default="-", help="output JSONL (default: stdout)")
    score.add_argument("--every-line", action="store_true",
                       help="score every line with the transformer (default: the first stage answers level 0 for "
                            'lines it clears, marked "cleared")')
    score.add_argument("--explain", action="store_true",
                       help="add clause explanations to answers at level 2 or above (slower)")
    score.add_argument("--max-chars", type=int, default=DEFAULT_MAX_POST_CHARS,
                       help=f"characters of a text read before it is cut, head and tail kept "
                            f"(default {DEFAULT_MAX_POST_CHARS})")

    export = add("export-labels", cmd_export_labels,
                 "Export counsellors' corrections and confirmations as a versioned, encrypted, checked dataset.")
    export.add_argument("--actor", default="ml-cli", help="who exports, for the audit log")

    models = add("models", cmd_models, "Model registry (transformers and first stages): list, register DIR, gate "
                                       "VERSION (a transformer against the active one on the gold set; a first "
                                       "stage on recall of levels >= 2), promote VERSION (only after a passed gate), "
                                       "rollback, shadow VERSION|none, shadow-report.")
    models.add_argument("action", choices=tuple(_MODEL_ACTIONS))
    models.add_argument("target", nargs="?", help="directory (register), version (gate, promote, shadow)")
    models.add_argument("--actor", default="ml-cli", help="who acts, for the audit log")
    models.add_argument("--kind", choices=("transformer", "first_stage"), default="transformer",
                        help="which kind `rollback`, `shadow none` and `shadow-report` act on "
                             "(a version names its own kind)")
