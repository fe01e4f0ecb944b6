"""The model registry: versioned model directories, one active version per kind, rollback.

Two kinds of model are registered: the transformer that scores stored posts (``model.json``)
and the cascade's first stage that clears posts before anything is stored
(``first_stage.json``). Model directories live under ``models/versions/`` (small: the head or
the n-gram weights and their metadata; the encoder is regenerated at setup). PostgreSQL
records which versions exist, which one of each kind is active (and shadowed) and which it
replaced (for rollback); every change is audited. With no transformer active, the lexicon
baseline scores; with no first stage active, every post in a kept language goes on.

Reading the registry never changes it: shipped versions are registered by an explicit
step (:func:`ensure_shipped_active`, run when the database is prepared), not by a getter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from core import audit
from core.config import PROJECT_ROOT
from core.db.connection import Connection, Cursor, transaction
from models.serving.decision import DecisionRule

REGISTRY_DIR = Path(__file__).resolve().parents[1] / "versions"
KIND_TRANSFORMER = "transformer"
KIND_FIRST_STAGE = "first_stage"
#: The metadata file that names a model directory's kind (and holds its version).
SPEC_FILES = {KIND_TRANSFORMER: "model.json", KIND_FIRST_STAGE: "first_stage.json"}


class RegistryError(RuntimeError):
    """A registry operation cannot be done; the message says why."""


@dataclass(frozen=True)
class ModelVersion:
    version: str
    path: str
    kind: str
    active: bool
    registered_at: datetime
    activated_at: datetime | None
    shadow: bool = False
    previous_version: str | None = None


def kind_of(directory: Path) -> str:
    """A model directory's kind, from the metadata file it holds."""
    for kind, spec_file in SPEC_FILES.items():
        if (directory / spec_file).exists():
            return kind
    raise RegistryError(f"{directory} holds no {' or '.join(SPEC_FILES.values())}: not a model directory")


def register(conn: Connection, directory: Path, *, actor: str, role: str) -> str:
    """Record a trained model directory of either kind (idempotent); returns its version."""
    kind = kind_of(directory)
    spec = json.loads((directory / SPEC_FILES[kind]).read_text())
    if kind == KIND_TRANSFORMER:
        metrics_file = directory / "metrics.json"
        metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
        training_data = spec.get("training_data", {})
    else:  # a first stage keeps its measured figures beside its threshold
        metrics = {key: value for key, value in spec.items() if isinstance(value, int | float)}
        training_data = spec.get("trained_on", {})
    with transaction(conn) as cur:
        cur.execute(
            "INSERT INTO model_versions (version, path, kind, metrics, training_data) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (version) DO NOTHING RETURNING version",
            (spec["version"], _stored_path(directory), kind, json.dumps(metrics), json.dumps(training_data)),
        )
        if cur.fetchone():
            audit.record(cur, actor=actor, role=role, action="model.register", object_type="model",
                         object_id=spec["version"], details={"kind": kind})
    return spec["version"]


def activate(conn: Connection, version: str, *, actor: str, role: str) -> None:
    """Make ``version`` the active one of its kind, remembering the one it replaces."""
    with transaction(conn) as cur:
        kind = _kind(cur, version)
        cur.execute("SELECT version FROM model_versions WHERE active AND kind = %s", (kind,))
        previous = cur.fetchone()
        cur.execute("UPDATE model_versions SET active = false WHERE active AND kind = %s", (kind,))
        cur.execute("UPDATE model_versions SET active = true, shadow = false, activated_at = now(), "
                    "previous_version = %s WHERE version = %s", (previous["version"] if previous else None, version))
        audit.record(cur, actor=actor, role=role, action="model.activate", object_type="model", object_id=version,
                     details={"previous": previous["version"] if previous else None, "kind": kind})


def rollback(conn: Connection, *, actor: str, role: str, kind: str = KIND_TRANSFORMER) -> str:
    """Re-activate the version of ``kind`` that was active before the current one."""
    current = active(conn, kind)
    if current is None or current.previous_version is None:
        raise RegistryError(f"nothing to roll back to: no earlier active {kind} version")
    activate(conn, current.previous_version, actor=actor, role=role)
    return current.previous_version


def set_shadow(conn: Connection, version: str | None, *, actor: str, role: str, kind: str = KIND_TRANSFORMER) -> None:
    """Make ``version`` the shadow candidate of its kind (``None``: no shadow of ``kind``).

    A transformer shadow scores beside the active model into ``shadow_scores``; a first-stage
    shadow screens beside the active first stage during collection, where only its disagreements
    are counted. Neither ever decides what is stored or queued; the active version cannot be
    its own shadow."""
    with transaction(conn) as cur:
        if version is not None:
            kind = _kind(cur, version)
            cur.execute("SELECT active FROM model_versions WHERE version = %s", (version,))
            if cur.fetchone()["active"]:
                raise RegistryError(f"{version} is the active version; a shadow must be a candidate")
        cur.execute("UPDATE model_versions SET shadow = false WHERE shadow AND kind = %s", (kind,))
        if version is not None:
            cur.execute("UPDATE model_versions SET shadow = true WHERE version = %s", (version,))
        audit.record(cur, actor=actor, role=role, action="model.shadow", object_type="model", object_id=version,
                     details={"kind": kind})


def shadow(conn: Connection, kind: str = KIND_TRANSFORMER) -> ModelVersion | None:
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM model_versions WHERE shadow AND kind = %s", (kind,))
        row = cur.fetchone()
    return _version(row) if row else None


def _kind(cur: Cursor, version: str) -> str:
    cur.execute("SELECT kind FROM model_versions WHERE version = %s", (version,))
    row = cur.fetchone()
    if row is None:
        raise RegistryError(f"no registered model version {version}")
    return row["kind"]


def get(conn: Connection, version: str) -> ModelVersion:
    """A registered version by name; raises when there is none."""
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM model_versions WHERE version = %s", (version,))
        row = cur.fetchone()
    if row is None:
        raise RegistryError(f"no registered model version {version}")
    return _version(row)


def record_evaluation(cur: Cursor, *, candidate: str, baseline: str, gold_set: str, gold_fingerprint: str,
                      label_export: str | None, passed: bool, reasons: list[str], report: dict) -> None:
    """Keep one gate result; promotion reads only the latest one per candidate."""
    cur.execute(
        "INSERT INTO model_evaluations (candidate, baseline, gold_set, gold_fingerprint, label_export, passed, "
        "reasons, report) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (candidate, baseline, gold_set, gold_fingerprint, label_export, passed, json.dumps(reasons),
         json.dumps(report)),
    )


def latest_evaluation(cur: Cursor, candidate: str) -> dict | None:
    """The latest gate result of ``candidate`` (``baseline``, ``gold_fingerprint``, ``passed``), if any."""
    cur.execute("SELECT baseline, gold_fingerprint, passed FROM model_evaluations WHERE candidate = %s "
                "ORDER BY id DESC LIMIT 1", (candidate,))
    return cur.fetchone()


def recent_evaluations(cur: Cursor, limit: int = 10) -> list[dict]:
    """Recent gate results (``models.lifecycle.retrain``) for the ML engineer's page: numbers and reasons only."""
    cur.execute("SELECT candidate, baseline, gold_set, label_export, passed, reasons, evaluated_at, "
                "report->'candidate'->'all'->>'macro_f1' AS candidate_macro_f1, "
                "report->'baseline'->'all'->>'macro_f1' AS baseline_macro_f1, "
                "report->'candidate'->'all'->>'recall_high' AS candidate_recall_high, "
                "report->'baseline'->'all'->>'recall_high' AS baseline_recall_high "
                "FROM model_evaluations ORDER BY id DESC LIMIT %s", (limit,))
    return cur.fetchall()


def active(conn: Connection, kind: str = KIND_TRANSFORMER) -> ModelVersion | None:
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM model_versions WHERE active AND kind = %s", (kind,))
        row = cur.fetchone()
    return _version(row) if row else None


def active_version(cur: Cursor, kind: str = KIND_TRANSFORMER) -> str | None:
    """The active version's name inside the caller's transaction (``None``: the lexicon baseline scores)."""
    cur.execute("SELECT version FROM model_versions WHERE active AND kind = %s", (kind,))
    row = cur.fetchone()
    return row["version"] if row else None


def versions(conn: Connection) -> list[ModelVersion]:
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM model_versions ORDER BY registered_at")
        return [_version(row) for row in cur.fetchall()]


def shipped_versions(root: Path = REGISTRY_DIR, kind: str = KIND_TRANSFORMER) -> list[Path]:
    """Model directories of ``kind`` committed with the code, oldest first (names sort by timestamp)."""
    spec_file = SPEC_FILES[kind]
    return sorted(p for p in root.glob("*") if (p / spec_file).exists()) if root.exists() else []


def ensure_shipped_active(conn: Connection, *, actor: str = "system:registry") -> ModelVersion | None:
    """Register shipped versions of every kind; activate the newest of a kind when none of it is active.

    Returns the active transformer (what scores)."""
    for kind, spec_file in SPEC_FILES.items():
        shipped = shipped_versions(kind=kind)
        for directory in shipped:
            register(conn, directory, actor=actor, role=audit.SYSTEM_ROLE)
        if active(conn, kind) is None and shipped:
            activate(conn, json.loads((shipped[-1] / spec_file).read_text())["version"], actor=actor,
                     role=audit.SYSTEM_ROLE)
    return active(conn)


def rule_of(cur: Cursor, version: str) -> DecisionRule | None:
    """The decision rule a registered version applies (``None`` for the lexicon baseline or an unknown version)."""
    cur.execute("SELECT path FROM model_versions WHERE version = %s", (version,))
    row = cur.fetchone()
    return _rule_at(row["path"]) if row else None


@lru_cache(maxsize=16)
def _rule_at(path: str) -> DecisionRule | None:
    from models.serving.artifact import load_spec

    directory = _directory(path)
    return load_spec(directory).rule if (directory / "model.json").exists() else None


def _stored_path(directory: Path) -> str:
    """Paths inside the project are stored relative to it, so a checkout elsewhere still finds them."""
    resolved = directory.resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else str(resolved)


def model_dir(version: ModelVersion) -> Path:
    return _directory(version.path)


def _directory(stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _version(row: dict) -> ModelVersion:
    return ModelVersion(row["version"], row["path"], row["kind"], row["active"], row["registered_at"],
                        row["activated_at"], row["shadow"], row["previous_version"])
