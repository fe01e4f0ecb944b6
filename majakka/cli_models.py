"""The ML engineer's commands: train, evaluate, score JSONL, and the model registry."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from majakka.config import get_settings
from majakka.jsonl import jsonl_streams


def _connection():
    from majakka.db.connection import migrated_connection

    return migrated_connection(get_settings())


def cmd_train(args: argparse.Namespace) -> int:
    from majakka import components
    from models.registry import REGISTRY_DIR
    from models.train import TrainConfig, train

    config = TrainConfig.from_json(Path(args.config)) if args.config else TrainConfig()
    if args.max_train_samples:
        config.max_train_samples = args.max_train_samples
    encoder = Path(config.encoder_dir) if config.encoder_dir else components.encoder_dir()
    out = train(config, encoder_dir=encoder, output_root=Path(config.output_root or REGISTRY_DIR))
    metrics = json.loads((out / "metrics.json").read_text())["test"]["model"]["all"]
    print(json.dumps({"version": out.name, "path": str(out), "test_macro_f1": round(metrics["macro_f1"], 4),
                      "test_recall_high": round(metrics["recall_high"], 4)}))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.evaluate import print_report

    print_report(Path(args.model))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from majakka import components
    from models.score_jsonl import ScoreCounts, score_lines

    with _connection() as conn:
        scorer = components.scorer(conn)
    counts = ScoreCounts()
    with jsonl_streams(args.input, args.output) as (source, out):
        for line in score_lines(source, scorer, components.privacy_filter(), counts=counts):
            out.write(line + "\n")
    print(f"scored {counts.scored}, dropped (language) {counts.dropped_language}, malformed {counts.errors}",
          file=sys.stderr)
    return 1 if counts.errors else 0


def cmd_models(args: argparse.Namespace) -> int:
    from models import registry

    try:
        with _connection() as conn:
            if args.action == "register":
                print(registry.register(conn, Path(args.target), actor=args.actor, role="ml_engineer"))
            elif args.action == "activate":
                registry.activate(conn, args.target, actor=args.actor, role="ml_engineer")
                print(f"active: {args.target}")
            elif args.action == "rollback":
                print(f"active: {registry.rollback(conn, actor=args.actor, role='ml_engineer')}")
            else:
                registry.ensure_shipped_active(conn)
                for version in registry.versions(conn):
                    print(f"{'*' if version.active else ' '} {version.version}\t{version.kind}\t{version.path}")
    except registry.RegistryError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0


def cmd_export_labels(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from majakka import components
    from majakka.config import get_settings
    from majakka.db.connection import migrated_connection
    from models.label_export import write_export

    settings = get_settings()
    with migrated_connection(settings) as conn:
        manifest = write_export(conn, components.cipher(settings), settings.home / "exports", actor=args.actor,
                                role="ml_engineer")
    if manifest is None:
        print("no counsellor decision is a training label yet", file=sys.stderr)
        return 1
    print(json.dumps(asdict(manifest)))
    return 0 if manifest.checks_passed else 1


def register(add: Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]) -> None:
    train = add("train", cmd_train, "Train, calibrate and evaluate a model version into the registry directory.")
    train.add_argument("--config", help="JSON file with TrainConfig fields (see models/train.py)")
    train.add_argument("--max-train-samples", type=int, default=0, help="cap training examples (smoke runs)")

    evaluate = add("evaluate", cmd_evaluate, "Print a model version's evaluation (model vs baselines, per language).")
    evaluate.add_argument("model", help="model version directory")

    score = add("score", cmd_score, 'Score JSONL {"id","text"} with the active model (language ID and privacy '
                                    "filter applied first).")
    score.add_argument("input", nargs="?", default="-", help="JSONL file (default: stdin)")
    score.add_argument("-o", "--output", default="-", help="output JSONL (default: stdout)")

    export = add("export-labels", cmd_export_labels,
                 "Export counsellors' corrections and confirmations as a versioned, encrypted, checked dataset.")
    export.add_argument("--actor", default="ml-cli", help="who exports, for the audit log")

    models = add("models", cmd_models, "Model registry: list, register DIR, activate VERSION, rollback.")
    models.add_argument("action", choices=("list", "register", "activate", "rollback"))
    models.add_argument("target", nargs="?", help="directory (register) or version (activate)")
    models.add_argument("--actor", default="ml-cli", help="who acts, for the audit log")
