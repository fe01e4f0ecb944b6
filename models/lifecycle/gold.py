"""The frozen gold set: the fixed posts every candidate and the active model are compared on.

A gate that compares two models on a moving target proves nothing, so the gold set is a
manifest of example ids plus the fingerprint of their ids, labels and texts. Loading it
fails loudly if anyone edits, relabels or removes one of those posts; training puts every
gold post (and its near-duplicates) in the test split, never in train or validation.

The shipped manifest (gold-v2) freezes the development data's test split (seed 0) as it stood
when the first transformer version was trained (the posts of gold-v1), plus 1,000 real everyday
texts (500 per language, CC BY 4.0, from the evaluation half that training never reads), stored
redacted by the privacy filter. The first part is team-written development data, not a clinical
reference standard; the second measures the false alarms a candidate would raise on real text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.config import PROJECT_ROOT
from models.training.data import Example, data_fingerprint, load_examples

GOLD_DIR = Path(__file__).resolve().parents[1] / "data" / "gold"
DEFAULT_GOLD = GOLD_DIR / "gold-v2.json"


class GoldSetChangedError(RuntimeError):
    """The posts behind a gold manifest are no longer what was frozen."""


@dataclass(frozen=True)
class GoldSet:
    name: str
    fingerprint: str
    examples: list[Example]
    #: real everyday text (already redacted), for the false alarms a candidate would raise; empty in old sets
    everyday: tuple[Example, ...] = ()


def freeze(name: str, examples: list[Example], data_dir: Path, path: Path,
           everyday: list[tuple[str, str, str, str]] | None = None) -> Path:
    """Write a manifest that pins ``examples`` (drawn from ``data_dir``) as a gold set.

    ``everyday``: (id, redacted text, language, source) of real everyday texts to freeze beside it, written
    to ``<name>-everyday.jsonl`` next to the manifest with their fingerprint."""
    stored_dir = data_dir.resolve()
    manifest = {
        "name": name,
        "data_dir": _relative(stored_dir),
        "fingerprint": data_fingerprint(examples),
        "ids": sorted(e.id for e in examples),
    }
    if everyday:
        everyday_path = path.with_name(f"{name}-everyday.jsonl")
        everyday_path.write_text("".join(
            json.dumps({"id": i, "text": text, "lang": lang, "source": source}, ensure_ascii=False) + "\n"
            for i, text, lang, source in everyday), encoding="utf-8")
        frozen = [Example(i, text, lang, 0, i, ("real_everyday",)) for i, text, lang, _ in everyday]
        manifest["everyday"] = {"path": _relative(everyday_path.resolve()), "fingerprint": data_fingerprint(frozen)}
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return path


def _relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


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
    everyday: tuple[Example, ...] = ()
    if "everyday" in manifest:
        everyday = tuple(_everyday(manifest["name"], manifest["everyday"]))
    fingerprint = manifest["fingerprint"] + (f"+{manifest['everyday']['fingerprint']}" if everyday else "")
    return GoldSet(manifest["name"], fingerprint, examples, everyday)


def _everyday(name: str, part: dict) -> list[Example]:
    """The frozen real everyday texts of a gold set, checked against their fingerprint."""
    path = Path(part["path"])
    rows = [json.loads(line) for line in (path if path.is_absolute() else PROJECT_ROOT / path).read_text(
        encoding="utf-8").splitlines()]
    examples = [Example(row["id"], row["text"], row["lang"], 0, row["id"], ("real_everyday",)) for row in rows]
    if data_fingerprint(examples) != part["fingerprint"]:
        raise GoldSetChangedError(f"{name}: its everyday texts were edited since they were frozen")
    return examples
