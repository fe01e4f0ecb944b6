"""The development dataset: loading, near-duplicate grouping and leakage-free splits.

Splits are assigned per *group*, never per post: posts the writers marked as variants
share a group, and posts whose word 3-grams overlap heavily are merged into one group
here too, so a near-duplicate can never sit in train while its twin is in test.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from core.jsonl import read_jsonl_dir
from core.levels import LEVEL_COUNT

DEV_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "dev"
REQUIRED_COLUMNS = {"id", "text", "lang", "level", "group"}
LANGUAGES = ("fi", "sv")
SPLITS = ("train", "validation", "test")
#: Share of groups per split, by a stable hash of the group id.
SPLIT_SHARES = (0.70, 0.15, 0.15)
NEAR_DUPLICATE_JACCARD = 0.6
_WORD = re.compile(r"\w+", re.UNICODE)


class DatasetError(ValueError):
    """A record breaks the input contract; the message names file and line."""


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    lang: str
    level: int
    group: str
    tags: tuple[str, ...] = ()


def parse_record(line: str, where: str) -> Example:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise DatasetError(f"{where}: not JSON ({error.msg})") from None
    missing = REQUIRED_COLUMNS - raw.keys()
    if missing:
        raise DatasetError(f"{where}: missing {sorted(missing)}")
    if raw["lang"] not in LANGUAGES:
        raise DatasetError(f"{where}: lang must be one of {LANGUAGES}")
    if not isinstance(raw["level"], int) or not 0 <= raw["level"] < LEVEL_COUNT:
        raise DatasetError(f"{where}: level must be an integer 0-{LEVEL_COUNT - 1}")
    if not isinstance(raw["text"], str) or not raw["text"].strip():
        raise DatasetError(f"{where}: text must be a non-empty string")
    return Example(str(raw["id"]), raw["text"], raw["lang"], raw["level"], str(raw["group"]),
                   tuple(raw.get("tags", ())))


def load_examples(directory: Path = DEV_DATA_DIR) -> list[Example]:
    examples = list(read_jsonl_dir(directory, parse_record))
    ids = Counter(example.id for example in examples)
    repeated = [identifier for identifier, count in ids.items() if count > 1]
    if repeated:
        raise DatasetError(f"duplicate ids: {', '.join(sorted(repeated)[:5])}")
    return examples


def _shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i:i + 3]) for i in range(len(words) - 2))


def merged_groups(examples: list[Example], threshold: float = NEAR_DUPLICATE_JACCARD) -> dict[str, str]:
    """example id -> group id after merging near-duplicates (3-gram Jaccard >= threshold)."""
    parent = {e.group: e.group for e in examples}

    def find(group: str) -> str:
        while parent[group] != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    shingles = [_shingles(e.text) for e in examples]
    index: dict[str, list[int]] = defaultdict(list)
    for position, grams in enumerate(shingles):
        for gram in grams:
            index[gram].append(position)
    for position, grams in enumerate(shingles):
        candidates = Counter(other for gram in grams for other in index[gram] if other > position)
        for other, shared in candidates.items():
            union = len(grams) + len(shingles[other]) - shared
            if union and shared / union >= threshold:
                parent[find(examples[other].group)] = find(examples[position].group)
    return {e.id: find(e.group) for e in examples}


def split_of(group: str, seed: int = 0) -> str:
    """Stable split for a group: the same group always lands in the same split."""
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    for name, share in zip(SPLITS, SPLIT_SHARES, strict=True):
        cumulative += share
        if fraction < cumulative:
            return name
    return SPLITS[-1]


def split_examples(examples: list[Example], seed: int = 0,
                   held_out: frozenset[str] = frozenset()) -> dict[str, list[Example]]:
    """Split by merged group; a group holding any ``held_out`` id (the frozen gold set) goes to test whole,
    so neither a gold post nor a near-duplicate of one is ever trained or calibrated on."""
    groups = merged_groups(examples)
    gold_groups = {groups[e.id] for e in examples if e.id in held_out}
    splits: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in examples:
        group = groups[example.id]
        splits["test" if group in gold_groups else split_of(group, seed)].append(example)
    return splits


def data_fingerprint(examples: list[Example]) -> str:
    """A short digest of ids, labels and texts: two datasets with one fingerprint are the same data."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: e.id):
        digest.update(f"{example.id}\t{example.level}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
