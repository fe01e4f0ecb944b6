"""Real everyday text for training and evaluating the classifier, split so that neither sees the other's.

The team-written development set taught the first model that short, terse first-person sentences
are farewells; real forums and reviews are full of them. So real everyday text joins training as
level 0 ("nobody's risk"), *silver-labelled*: taken from the shared corpora without reading each
post, keeping out every text with a risk word (a real post about wanting to die must not be taught
as everyday). Only the files whose licence allows training are used for it (CC BY / CC BY-SA; the
non-commercial and unlicensed files are evaluation-only), and only one half of each file, by a
stable hash of the text: the other half is the everyday side of the realistic-mix benchmark.

Texts go through the same privacy filter as production posts before the model sees them, so
placeholders (``<PERSON>``, ``<URL>``) appear in everyday text too, not only in crisis posts.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from collect import corpora
from models.serving.first_stage import RISK_WORDS
from models.training.data import Example

MIN_CHARS, MAX_CHARS = 15, 1200


def half(text: str) -> str:
    """Which half of the real text a text belongs to: "train" or "evaluation", by a stable hash."""
    return "train" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "evaluation"


def usable(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS


def everyday_examples(per_language: int, redact: Callable[[list[str], list[str]], list[str]], *,
                      seed: int = 0) -> list[Example]:
    """Up to ``per_language`` silver everyday examples per language from the training half of the
    trainable files, without risk words, redacted by ``redact(texts, languages)``."""
    rng = random.Random(seed)
    chosen: list[tuple[str, str, str]] = []
    for language in ("fi", "sv"):
        pool = [(f"real:{source.name}#{index}", item.text, language)
                for source in corpora.SOURCES if source.language == language and not source.evaluation_only
                for index, item in enumerate(corpora.read(source))
                if usable(item.text) and half(item.text) == "train" and not RISK_WORDS.search(item.text)]
        chosen += rng.sample(pool, min(per_language, len(pool)))
    redacted = redact([text for _, text, _ in chosen], [language for _, _, language in chosen])
    return [Example(identifier, text, language, 0, identifier, ("real_everyday", "silver"))
            for (identifier, _, language), text in zip(chosen, redacted, strict=True)]


SILVER_LABELS = Path(__file__).resolve().parents[1] / "data" / "real_silver" / "labels.jsonl"


def reviewed_examples(redact: Callable[[list[str], list[str]], list[str]],
                      labels: Path = SILVER_LABELS) -> list[Example]:
    """Real texts with reviewed silver labels (``models/data/real_silver``) that may be trained on: from
    files whose licence allows it, in the training half. Keyword hits that are not risk, mostly, and the
    few real posts that are."""
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    texts = {source.name: corpora.read(source) for source in corpora.SOURCES if not source.evaluation_only}
    chosen = []
    for row in rows:
        name, index = row["ref"].split("#")
        if row["evaluation_only_licence"] or name not in texts:
            continue
        item = texts[name][int(index)]
        if half(item.text) == "train":
            chosen.append((f"real:{row['ref']}", item.text, item.language, row["level"], row["whose"]))
    redacted = redact([text for _, text, _, _, _ in chosen], [language for _, _, language, _, _ in chosen])
    return [Example(identifier, text, language, level, identifier, ("real_reviewed", f"whose_{whose}"))
            for (identifier, _, language, level, whose), text in zip(chosen, redacted, strict=True)]


def evaluation_everyday(per_source: int, *, seed: int = 1) -> list[tuple[str, str, str]]:
    """(id, raw text, language) of real everyday text never trained on: the evaluation half of every
    file and every evaluation-only file, a seeded sample of each, keyword hits included (real traffic
    has them)."""
    rng = random.Random(seed)
    sample: list[tuple[str, str, str]] = []
    for source in corpora.SOURCES:
        pool = [(f"real:{source.name}#{index}", item.text, source.language)
                for index, item in enumerate(corpora.read(source))
                if usable(item.text) and (source.evaluation_only or half(item.text) == "evaluation")]
        sample += rng.sample(pool, min(per_source, len(pool)))
    return sample


def whose_of(example: Example) -> str:
    """Whose risk a development example shows, from its level and the writers' tags (the guide's rules)."""
    tags = set(example.tags)
    if tags & {"real_everyday"}:
        return "none"
    for whose in ("self", "other", "none"):
        if f"whose_{whose}" in tags:
            return whose
    if tags & {"third_person", "helping_other"}:
        return "other"
    if example.level <= 1 and tags & {"news", "lyrics", "quote", "joke", "hyperbole"}:
        return "none"
    return "none" if example.level == 0 else "self"


def thread_pairs(examples: Sequence[Example], *, seed: int = 0) -> list[tuple[int, int | None]]:
    """(example index, parent example index or None) pairs for training the whose head: every example
    alone, helpers answering a post at level 3-4, and everyone else answering a random post."""
    rng = random.Random(seed)
    at_risk = [i for i, e in enumerate(examples) if e.level >= 3 and whose_of(e) == "self"]
    pairs: list[tuple[int, int | None]] = [(i, None) for i in range(len(examples))]
    if not at_risk:
        return pairs
    for index, example in enumerate(examples):
        if "helping_other" in example.tags:
            pairs.append((index, rng.choice(at_risk)))
        elif rng.random() < 0.3:
            pairs.append((index, rng.randrange(len(examples))))
    return pairs
