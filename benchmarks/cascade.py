"""The cascade's first stage: what it lets through, what it clears, and what that saves, in one run.

Recall of levels >= 2 on the team-written test split (the frozen gold set) and on the demo
sample (read as collection reads it; a reply goes on with a thread that goes on); the share
of REAL everyday text it clears (the evaluation half of the shared corpora, never trained on;
needs ``../shared/data/real``); and speed: the first stage alone, the transformer alone, and
the cascade (first stage on every post, transformer on what passes) on the same real posts,
as ratios against the transformer measured in the same run.

    PYTHONPATH=. .venv/bin/python benchmarks/cascade.py [--posts 1000]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from app import components
from app.demo.sample import load_sample
from collect import corpora
from models.lifecycle.first_stage_gate import RECALL_TARGET, team_written_recall, thread_recall
from models.lifecycle.registry import KIND_FIRST_STAGE, shipped_versions
from models.serving import first_stage
from models.serving.predict import TransformerScorer
from models.training.real_text import evaluation_everyday


def real_everyday(stage: first_stage.FirstStage) -> dict[str, tuple[int, float]]:
    """Per shared file (evaluation half and evaluation-only files): texts, share cleared."""
    sample = evaluation_everyday(300)
    by_source: dict[str, list[str]] = {}
    for identifier, text, _ in sample:
        by_source.setdefault(identifier.split("#")[0].removeprefix("real:"), []).append(text)
    return {name: (len(texts), 1 - float(np.mean(stage.passes(texts)))) for name, texts in sorted(by_source.items())}


def speed(stage: first_stage.FirstStage, count: int) -> list[str]:
    rng = random.Random(5)
    texts = rng.sample([t for _, t, _ in evaluation_everyday(400)], count)
    scorer = TransformerScorer(shipped_versions()[-1], components.encoder_dir())
    scorer.probabilities(texts[:8])  # warm-up
    started = time.perf_counter()
    scorer.probabilities(texts)
    transformer_s = time.perf_counter() - started
    started = time.perf_counter()
    passed = stage.passes(texts)
    stage_s = time.perf_counter() - started
    started = time.perf_counter()
    going_on = [text for text, ok in zip(texts, passed, strict=True) if ok]
    scorer.probabilities(going_on)
    cascade_s = stage_s + time.perf_counter() - started
    n = len(texts)
    return [f"Speed on {n} REAL everyday posts (this machine, {scorer.spec.max_length}-token transformer):",
            f"  transformer on every post   {n / transformer_s:8.1f} posts/s   1.00x",
            f"  first stage alone           {n / stage_s:8.1f} posts/s   {transformer_s / stage_s:.1f}x",
            f"  cascade ({len(going_on)} of {n} passed) {n / cascade_s:8.1f} posts/s   "
            f"{transformer_s / cascade_s:.2f}x"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    stage = first_stage.load(shipped_versions(kind=KIND_FIRST_STAGE)[-1])
    lines = [f"First stage {stage.version}, threshold {stage.threshold:.4f} (chosen on the team-written "
             "validation split)", "", f"Recall of levels >= 2 (target {RECALL_TARGET}):"]
    for name, (n, value) in (("team-written test split (gold set)", team_written_recall(stage)),
                             ("demo sample (team-written, threads)", thread_recall(stage, load_sample()))):
        lines.append(f"  {name:38} {n:5d} posts  {value:.3f}  {'met' if value >= RECALL_TARGET else 'NOT met'}")
    if corpora.available():
        lines += ["", "Cleared (never stored) of REAL everyday text, evaluation half (silver: not read one by one):"]
        figures = real_everyday(stage)
        for name, (n, cleared) in figures.items():
            lines.append(f"  {name:38} {n:5d} texts  cleared {cleared:.3f}")
        total = sum(n for n, _ in figures.values())
        lines.append(f"  {'all':38} {total:5d} texts  cleared "
                     f"{sum(n * c for n, c in figures.values()) / total:.3f}")
        lines += ["", *speed(stage, args.posts)]
    else:
        lines += ["", "(../shared/data/real is not here: the real-text sections are skipped)"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
