"""The frozen gold set: the fixed posts every candidate and the active model are compared on.

A gate that compares two models on a moving target proves nothing, so the gold set is a
manifest of example ids plus the fingerprint of their ids, labels and texts. Loading it
fails loudly if anyone edits, relabels or removes one of those posts; training puts every
gold post (and its near-duplicates) in the test split, never in train or validation.

The shipped manifest freezes the development data's test split (seed 0) as it stood when
the first transformer version was trained, so the shipped model's reported test numbers and
its gold numbers are the same measurement. It is team-written development data, not a
clinical reference standard.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.config import PROJECT_ROOT
from models.training.data import Example, data_fingerprint, load_examples

GOLD_DIR = Path(__file__).resolve().parents[1] / "data" / "gold"
DEFAULT_GOLD = GOLD_DIR / "gold-v1.json"


class GoldSetChangedError(RuntimeError):
    """The posts behind a gold manifest are no longer what was frozen."""


@dataclass(frozen=True)
class GoldSet:
    name: str
    fingerprint: str
    examples: list[Example]


def freeze(name: str, examples: list[Example], data_dir: Path, path: Path) -> Path:
    """Write a manifest that pins ``examples`` (drawn from ``data_dir``) as a gold set."""
    stored_dir = data_dir.resolve()
    manifest = {
        "name": name,
        "data_dir": str(stored_dir.relative_to(PROJECT_ROOT)) if stored_dir.is_relative_to(PROJECT_ROOT)
        else str(stored_dir),
        "fingerprint": data_fingerprint(examples),
        "ids": sorted(e.id for e in examples),
    }
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return path


def load_gold(path: Path = DEFAULT_GOLD) -> GoldSet:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    data_dir = Path(manifest["data_dir"])
    by_id = {e.id: e for e in load_examples(data_dir if data_dir.is_absolute() else PROJECT_ROOT / data_dir)}
    missing = [identifier for identifier in manifest["ids"] if identifier not in by_id]
    if missing:
        raise GoldSetChangedError(f"{manifest['name']}: {len(missing)} gold example(s) are gone, e.g. {missing[0]}")
    examples = [by_id[identifier] for identifier in manifest["ids"]]
    if data_fingerprint(examples) != manifest["fingerprint"]:
        raise GoldSetChangedError(f"{manifest['name']}: gold examples were edited or relabelled since they were "
                                  "frozen; freeze a new gold set under a new name instead")
    return GoldSet(manifest["name"], manifest["fingerprint"], examples)
