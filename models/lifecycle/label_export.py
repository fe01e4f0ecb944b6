"""Training labels from counsellors' decisions, exported as a versioned, encrypted, checked dataset.

Which decisions become labels:
- a level a counsellor corrected is the label, whatever the model said;
- an item a counsellor reached out about or escalated confirms the model's level;
- a dismissal without a correction is not a label (it does not say whether the post was
  level 0 or 1, and "not reachable" says nothing about the text).

Only posts still within retention are exported (the join with ``posts`` guarantees it),
and each export records the earliest purge deadline of its rows; the retention purge deletes
an export after that date. The text is the stored *redacted* text, re-encrypted with the
current key: an export is as protected on disk as the database is.

The group of an example is its author's pseudonym, so that splitting by group keeps one
author's posts on one side of a train/test split (``models.training.data.split_of``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from core import audit
from core.db.connection import Connection, Cursor, transaction
from models.lifecycle.labels import labelled_posts
from models.training.data import Example, split_of
from privacy.encryption import TextCipher
from quality.checks import CheckResult, run_suite

EXAMPLES_FILE = "examples.jsonl.enc"
MANIFEST_FILE = "manifest.json"
MAX_LEVEL_SHARE = 0.8


@dataclass(frozen=True)
class ExportManifest:
    version: str
    created_at: str
    examples: int
    by_level: dict[str, int]
    by_language: dict[str, int]
    sha256: str
    purge_after: str
    checks_passed: bool
    failed_checks: list[str]


def collect_labels(cur: Cursor, cipher: TextCipher) -> tuple[list[Example], datetime | None]:
    """Labelled examples from decisions on posts still stored, and the earliest purge deadline among them."""
    rows = labelled_posts(cur)
    examples = [Example(f"c{row['id']}", cipher.decrypt(bytes(row["text_encrypted"])), row["language"],
                        int(row["label"]), row["author_pseudonym"][:16],
                        ("counsellor_corrected",) if row["corrected"] else ("counsellor_confirmed",))
                for row in rows]
    return examples, min((row["purge_after"] for row in rows), default=None)


def _export_suite():
    import great_expectations as gx

    e = gx.expectations
    return [
        e.ExpectColumnValuesToBeUnique(column="text_sha256", meta={"check": "duplicates"}),
        e.ExpectColumnValuesToBeInSet(column="level", value_set=[0, 1, 2, 3, 4]),
        e.ExpectColumnValuesToBeInSet(column="lang", value_set=["fi", "sv"]),
        e.ExpectColumnValuesToBeBetween(column="level_share", max_value=MAX_LEVEL_SHARE,
                                        meta={"check": "label balance"}),
        e.ExpectColumnValuesToBeBetween(column="splits_per_group", max_value=1, meta={"check": "split leakage"}),
    ]


def check_export(examples: list[Example]) -> CheckResult:
    """Great Expectations checks on an export: duplicates, label set, label balance, split leakage."""
    frame = pd.DataFrame({
        "text_sha256": [hashlib.sha256(e.text.strip().lower().encode()).hexdigest() for e in examples],
        "level": [e.level for e in examples], "lang": [e.lang for e in examples],
        "group": [e.group for e in examples], "split": [split_of(e.group) for e in examples],
    })
    if not frame.empty:
        frame["level_share"] = frame.groupby("level")["level"].transform("size") / len(frame)
        frame["splits_per_group"] = frame.groupby("group")["split"].transform("nunique")
    return run_suite("training_export", _export_suite, frame)


def write_export(conn: Connection, cipher: TextCipher, root: Path, *, actor: str, role: str) -> ExportManifest | None:
    """Write a new export under ``root/<version>/``; ``None`` when no decision is a label yet."""
    with transaction(conn) as cur:
        examples, purge_after = collect_labels(cur, cipher)
    if not examples:
        return None
    lines = [json.dumps(asdict(example), ensure_ascii=False) for example in examples]
    plaintext = "\n".join(lines).encode("utf-8")
    digest = hashlib.sha256(plaintext).hexdigest()
    version = f"labels-{datetime.now(UTC):%Y%m%d-%H%M%S}-{digest[:8]}"
    result = check_export(examples)
    manifest = ExportManifest(
        version=version, created_at=datetime.now(UTC).isoformat(), examples=len(examples),
        by_level={str(level): sum(e.level == level for e in examples) for level in range(5)},
        by_language={lang: sum(e.lang == lang for e in examples) for lang in ("fi", "sv")},
        sha256=digest, purge_after=purge_after.isoformat() if purge_after else "",
        checks_passed=result.passed, failed_checks=[f"{f.expectation}:{f.column}" for f in result.failures],
    )
    directory = root / version
    directory.mkdir(parents=True, mode=0o700)
    (directory / EXAMPLES_FILE).write_bytes(cipher.encrypt(plaintext.decode("utf-8")))
    (directory / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    with transaction(conn) as cur:
        audit.record(cur, actor=actor, role=role, action="labels.export", object_type="export", object_id=version,
                     details={"examples": manifest.examples, "checks_passed": manifest.checks_passed,
                              "failed_checks": manifest.failed_checks})
    return manifest


def read_manifest(directory: Path) -> ExportManifest:
    return ExportManifest(**json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8")))


def read_export(directory: Path, cipher: TextCipher) -> list[Example]:
    """The examples of an export (decrypted in memory), verified against the manifest's checksum."""
    manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    plaintext = cipher.decrypt((directory / EXAMPLES_FILE).read_bytes())
    if hashlib.sha256(plaintext.encode("utf-8")).hexdigest() != manifest["sha256"]:
        raise ValueError(f"{directory.name}: examples do not match the manifest checksum")
    return [Example(**{**raw, "tags": tuple(raw["tags"])}) for raw in map(json.loads, plaintext.splitlines())]


def purge_expired_exports(root: Path, now: datetime | None = None) -> int:
    """Delete exports whose rows' retention has ended; returns how many were removed."""
    now = now or datetime.now(UTC)
    removed = 0
    for manifest_path in sorted(root.glob(f"*/{MANIFEST_FILE}")):
        purge_after = json.loads(manifest_path.read_text(encoding="utf-8")).get("purge_after")
        if purge_after and datetime.fromisoformat(purge_after) < now:
            shutil.rmtree(manifest_path.parent)
            removed += 1
    return removed
