"""Scoring throughput: the naive ``transformers.pipeline`` vs Majakka's batched path, same model, same posts.

The naive path is what a first implementation does: a ``feature-extraction`` pipeline
called once per post, mean-pooled, then the same head and decision rule. Ours sorts
posts by length and batches them (dynamic batching), with head+tail truncation, in
bfloat16 where the CPU has it (float32 is measured beside it for agreement). An
int8 dynamic-quantised encoder is measured too and kept only if it is faster with
>= 99% level agreement. All numbers come from one run on one machine.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/scoring.py [--model DIR] [--posts N] [--real 1000]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from app import components
from models.lifecycle.registry import KIND_FIRST_STAGE, shipped_versions
from models.serving.calibration import softmax
from models.serving.encoder.embed import PREFIX
from models.serving.head import head_logits
from models.serving.predict import TransformerScorer


def posts(count: int) -> list[str]:
    from app.demo.sample import load_sample

    texts = [f"{i.title}\n{i.text}" if i.title else i.text for i in load_sample() if i.lang in ("fi", "sv")]
    return (texts * (count // len(texts) + 1))[:count]


def naive_levels(scorer: TransformerScorer, texts: list[str]) -> np.ndarray:
    """The same encoder object (fine-tuned layers included) behind a per-post pipeline."""
    from transformers import pipeline

    extract = pipeline("feature-extraction", model=scorer._encoder.model, tokenizer=scorer._encoder.tokenizer)
    pooled = np.stack([np.asarray(extract(PREFIX + text, truncation=True, max_length=scorer.spec.max_length))[0]
                       .mean(axis=0) for text in texts])
    return scorer.spec.rule.levels(softmax(head_logits(scorer._head, pooled), scorer.spec.temperature))


def timed(run) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def score_command(scorer: TransformerScorer, count: int) -> None:
    """``majakka score``'s own path (language ID, first stage, filter, model; no explanations) on REAL
    everyday posts, against the naive pipeline on the same posts, in the same run."""
    import json
    import random

    from models.serving.score_jsonl import ScoreCounts, score_lines
    from models.training.real_text import evaluation_everyday

    texts = random.Random(9).sample([text for _, text, _ in evaluation_everyday(400)], count)
    lines = [json.dumps({"id": str(index), "text": text}) for index, text in enumerate(texts)]
    privacy_filter = components.privacy_filter()
    stage = components.load_first_stage(str(shipped_versions(kind=KIND_FIRST_STAGE)[-1]))
    list(score_lines(lines[:8], scorer, privacy_filter, counts=ScoreCounts(), first_stage=stage))  # warm-up
    counts = ScoreCounts()
    ours_s, _ = timed(lambda: list(score_lines(lines, scorer, privacy_filter, counts=counts, first_stage=stage)))
    every_s, _ = timed(lambda: list(score_lines(lines, scorer, privacy_filter, counts=ScoreCounts())))
    naive_s, _ = timed(lambda: naive_levels(scorer, texts))
    print(f"majakka score on {count} REAL everyday posts (evaluation half of the shared corpora):")
    print(f"  naive pipeline (model only)   {count / naive_s:7.1f} posts/s")
    print(f"  majakka score                 {count / ours_s:7.1f} posts/s   ratio {naive_s / ours_s:5.2f}x   "
          f"(language ID, first stage: {counts.cleared} cleared, filter, model; target 3x)")
    print(f"  majakka score --every-line    {count / every_s:7.1f} posts/s   ratio {naive_s / every_s:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model version directory (default: newest shipped)")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--real", type=int, default=0,
                        help="also time majakka score's path on this many REAL everyday posts (needs ../shared)")
    args = parser.parse_args()
    model_dir = args.model or shipped_versions()[-1]
    scorer = TransformerScorer(model_dir, components.encoder_dir())
    if args.real:
        score_command(scorer, args.real)
    texts = posts(args.posts)
    scorer.probabilities(texts[:8])  # warm-up

    naive_s, naive = timed(lambda: naive_levels(scorer, texts))
    ours_s, ours = timed(lambda: scorer.spec.rule.levels(scorer.probabilities(texts)))
    bf16 = scorer._encoder.bf16
    scorer._encoder.bf16 = False
    fp32_s, fp32 = timed(lambda: scorer.spec.rule.levels(scorer.probabilities(texts)))
    scorer._encoder.bf16 = bf16
    scorer._encoder.bf16 = False  # int8 kernels take float32 activations
    scorer._encoder.model = torch.ao.quantization.quantize_dynamic(scorer._encoder.model, {torch.nn.Linear},
                                                                   dtype=torch.qint8)
    int8_s, int8 = timed(lambda: scorer.spec.rule.levels(scorer.probabilities(texts)))

    n = len(texts)
    print(f"model {model_dir.name}, {n} demo-sample posts, {torch.get_num_threads()} threads, CPU")
    print(f"naive pipeline      {n / naive_s:7.1f} posts/s")
    print(f"batched (ours{', bf16' if bf16 else ''}) {n / ours_s:7.1f} posts/s   ratio {naive_s / ours_s:5.2f}x   "
          f"level agreement with naive {np.mean(ours == naive):.3f}")
    print(f"batched float32     {n / fp32_s:7.1f} posts/s   ratio {naive_s / fp32_s:5.2f}x   "
          f"level agreement with ours {np.mean(ours == fp32):.3f} (bfloat16 kept only at >= 0.99)")
    int8_agreement = float(np.mean(int8 == ours))
    verdict = "kept" if int8_s < ours_s and int8_agreement >= 0.99 else "rejected"
    print(f"batched int8        {n / int8_s:7.1f} posts/s   ratio {naive_s / int8_s:5.2f}x   "
          f"agreement with fp32 {int8_agreement:.3f} -> {verdict}")


if __name__ == "__main__":
    main()
