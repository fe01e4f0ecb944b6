"""The first stage's evaluation gate: a candidate may clear posts only if it keeps what matters.

A post the first stage clears is never stored, scored or seen by anyone, so the gate asks one
thing: recall of levels >= 2 of at least :data:`RECALL_TARGET` on both team-written sets with
levels, read as collection reads them:

- the test split of the development set (the gold set is held out of it, as in training);
- the demo sample, in threads: a reply goes on when the post it answers goes on, as in
  :meth:`app.pipeline.ingest.Ingestor._first_stage`.

Both are development data written by the team, not clinical validation. The result is stored
like a transformer's gate result (``model_evaluations``, gold set ``first-stage-recall``), and
promotion reads only the latest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core import audit
from core.db.connection import Connection, transaction
from models.lifecycle import registry
from models.lifecycle.gold import load_gold
from models.serving.first_stage import FirstStage
from models.training.data import load_examples, split_examples

RECALL_TARGET = 0.99
ACTOR = "system:first-stage-gate"
GATE_NAME = "first-stage-recall"


class ThreadItem(Protocol):
    """What the gate reads of a sample item: its id, the id it answers, its text and its level."""

    id: str
    parent: str | None
    title: str | None
    text: str
    level: int | None


@dataclass(frozen=True)
class FirstStageGate:
    passed: bool
    reasons: list[str]
    #: set name -> (positives, recall of levels >= 2)
    recalls: dict[str, tuple[int, float]]


def team_written_recall(stage: FirstStage) -> tuple[int, float]:
    """Recall of levels >= 2 on the development set's test split (gold set held out, as in training)."""
    gold = frozenset(e.id for e in load_gold().examples)
    positives = [e.text for e in split_examples(load_examples(), held_out=gold)["test"] if e.level >= 2]
    return len(positives), float(np.mean(stage.passes(positives)))


def thread_recall(stage: FirstStage, items: Sequence[ThreadItem]) -> tuple[int, float]:
    """Recall of levels >= 2 over threads: title and body read together, a reply kept with its thread."""
    texts = [f"{i.title}\n\n{i.text}" if i.title and i.text else (i.title or i.text) for i in items]
    passed = dict(zip((i.id for i in items), stage.passes(texts), strict=True))
    going_on = {identifier for identifier, ok in passed.items() if ok}
    kept = [passed[i.id] or i.parent in going_on for i in items if i.level is not None and i.level >= 2]
    return len(kept), float(np.mean(kept))


def evaluate(stage: FirstStage, thread_items: Sequence[ThreadItem]) -> FirstStageGate:
    recalls = {"team-written test split": team_written_recall(stage),
               "demo sample (threads)": thread_recall(stage, thread_items)}
    reasons = [f"recall {value:.3f} of levels >= 2 on the {name} is below {RECALL_TARGET}"
               for name, (_, value) in recalls.items() if value < RECALL_TARGET]
    return FirstStageGate(not reasons, reasons, recalls)


def gate_candidate(conn: Connection, candidate: str, stage: FirstStage,
                   thread_items: Sequence[ThreadItem]) -> FirstStageGate:
    """Evaluate a registered first-stage candidate and store the result; a pass makes it the shadow."""
    result = evaluate(stage, thread_items)
    baseline = registry.active(conn, registry.KIND_FIRST_STAGE)
    with transaction(conn) as cur:
        registry.record_evaluation(
            cur, candidate=candidate, baseline=baseline.version if baseline else "none", gold_set=GATE_NAME,
            gold_fingerprint=load_gold().fingerprint, label_export=None, passed=result.passed,
            reasons=result.reasons,
            report={"recall_target": RECALL_TARGET,
                    "recalls": {name: {"positives": n, "recall": value} for name, (n, value) in result.recalls.items()},
                    "measured_on": "team-written development data, not clinical validation"})
    if result.passed and (baseline is None or baseline.version != candidate):
        registry.set_shadow(conn, candidate, actor=ACTOR, role=audit.SYSTEM_ROLE)
    return result


def promote(conn: Connection, candidate: str, *, approved_by: str) -> str:
    """Activate a first-stage candidate whose latest gate result passed against the first stage active now."""
    current = registry.active(conn, registry.KIND_FIRST_STAGE)
    if current is not None and current.version == candidate:
        return candidate
    with transaction(conn) as cur:
        latest = registry.latest_evaluation(cur, candidate)
    if latest is None or not latest["passed"]:
        raise registry.RegistryError(f"{candidate} has not passed the first-stage gate (majakka models gate)")
    if latest["baseline"] != (current.version if current else "none"):
        raise registry.RegistryError(f"{candidate} was gated while {latest['baseline']} was active; gate it again")
    registry.activate(conn, candidate, actor=approved_by, role="ml_engineer")
    with transaction(conn) as cur:
        audit.record(cur, actor=approved_by, role="ml_engineer", action="model.promote", object_type="model",
                     object_id=candidate, details={"previous": current.version if current else None,
                                                   "kind": registry.KIND_FIRST_STAGE})
    return candidate
