"""One runner per stage, shared by the CLI and the Airflow tasks.

A runner takes the settings and an open connection, wires the stage's parts (built by
:mod:`app.components`) and returns the stage's result. ``majakka collect`` and the
``collect_filter_store`` task, for example, both call :func:`collect`, so a command and
its DAG task cannot drift apart (a test checks each pair).

:func:`run` is the one way a job reaches the database: prepare it (migrations, then the
model versions shipped with the code), then open a connection for the stage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from app import components
from core import audit
from core.config import Settings, get_settings
from core.db.connection import Connection, open_connection, transaction
from core.db.migrate import migrate_database

if TYPE_CHECKING:
    from app.pipeline.deletion_sync import DeletionStats
    from app.pipeline.explanations import ExplainStats
    from app.pipeline.ingest import CollectStats
    from app.pipeline.quality_gates import StageReport
    from app.pipeline.refilter import RefilterReport
    from app.pipeline.scoring import ScoreStats
    from models.lifecycle.label_export import ExportManifest
    from models.serving.scores import IdRange
    from outreach.queue import EnqueueStats

T = TypeVar("T")
log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> list[str]:
    """Bring the schema up to date, then register the model versions shipped with the code.

    Registration is idempotent and activates the newest shipped version only when nothing is
    active, so an ML engineer's promotion or rollback is never undone by a restart. Returns
    the migrations applied.
    """
    from models.lifecycle import registry

    applied = migrate_database(settings)
    with open_connection(settings) as conn:
        registry.ensure_shipped_active(conn)
    return applied


@contextmanager
def prepared_connection(settings: Settings) -> Iterator[Connection]:
    """A connection to a prepared database (see :func:`prepare_database`), closed on exit."""
    prepare_database(settings)
    with open_connection(settings) as conn:
        yield conn


def run(runner: Callable[[Settings, Connection], T]) -> T:
    """Run ``runner`` with the current settings over a prepared connection of its own."""
    settings = get_settings()
    with prepared_connection(settings) as conn:
        return runner(settings, conn)


# --- collection ------------------------------------------------------------------------------

def collect(settings: Settings, conn: Connection) -> CollectStats:
    """One pass: collect -> language ID -> privacy filter -> store (failed streams listed, not raised)."""
    return components.ingestor(settings, conn).run(conn)


def check_collected(settings: Settings, conn: Connection) -> StageReport:
    """Quality gate after storage; a failure quarantines the batch instead of failing the run."""
    from app.pipeline.quality_gates import check_collected as gate

    return gate(conn, components.cipher(settings))


# --- scoring ---------------------------------------------------------------------------------

def plan_score_batches(settings: Settings, conn: Connection) -> list[IdRange]:
    """Id ranges of posts the active model has not scored: one mapped scoring task each."""
    from app.pipeline.scoring import pending_ranges

    return pending_ranges(conn, components.active_version(conn), range_size=settings.score_range_size)


def score(settings: Settings, conn: Connection, bounds: IdRange | None = None) -> ScoreStats:
    """Score stored posts (within ``bounds``, or all) that the active model has not scored."""
    from app.pipeline.scoring import score_pending

    return score_pending(conn, components.scorer(conn), components.cipher(settings), bounds=bounds)


def check_scores(settings: Settings, conn: Connection) -> StageReport:
    """Quality gate after scoring, for the active model's new scores."""
    from app.pipeline.quality_gates import check_scores as gate

    return gate(conn, components.active_version(conn), drift_threshold=settings.drift_threshold)


def shadow_score(settings: Settings, conn: Connection) -> dict[str, int]:
    """Score posts the shadow candidate has not scored; nothing to do without a shadow."""
    from app.pipeline.scoring import score_pending

    candidate = components.shadow_scorer(conn)
    if candidate is None:
        return {"scored": 0}
    return score_pending(conn, candidate, components.cipher(settings), shadow=True).counts()


def enqueue(settings: Settings, conn: Connection) -> EnqueueStats:
    """Turn the active model's queue-worthy scores into suggestions."""
    from outreach.queue import enqueue_scored

    return enqueue_scored(conn, model_version=components.active_version(conn),
                          policy=components.queue_policy(settings, conn))


def alert_on_call(settings: Settings, conn: Connection) -> dict[str, int]:
    """E-mail each team's on-call address about crisis items waiting while nobody of the team is signed in."""
    from outreach.on_call import alert_on_call as alert

    return alert(settings, conn)


def explain_queued(settings: Settings, conn: Connection) -> ExplainStats:
    """Explanations for the active model's queued items that have none yet, most urgent first."""
    from app.pipeline.explanations import explain_queued as explain

    return explain(conn, components.scorer(conn), components.cipher(settings))


# --- retention and privacy requests ----------------------------------------------------------

def sync_deletions(settings: Settings, conn: Connection) -> DeletionStats:
    """Purge stored items deleted or removed at the source."""
    from app.pipeline.deletion_sync import sync_deletions as sync

    return sync(conn, components.source(settings))


def purge_expired(settings: Settings, conn: Connection) -> dict[str, int]:
    """Rows past their deadline, and label exports whose rows' retention has ended."""
    from app.pipeline.retention import purge_expired as purge
    from models.lifecycle.label_export import purge_expired_exports

    return {**purge(conn), "label_exports": purge_expired_exports(settings.home / "exports")}


def refilter(settings: Settings, conn: Connection, *, actor: str, role: str) -> RefilterReport:
    """Run the current privacy filter over stored text that an older filter version redacted."""
    from app.pipeline.refilter import refilter as run

    return run(conn, components.privacy_filter(), components.cipher(settings), actor=actor, role=role)


def sweep_opt_outs(settings: Settings, conn: Connection) -> dict[str, int]:
    """Purge anything stored about opted-out authors since their request."""
    from governance.opt_out import sweep

    return {"posts_removed": sweep(conn)}


def daily_report(settings: Settings, conn: Connection, day: date) -> dict[str, int]:
    """Build and store each active partner's report for ``day``; returns the totals over all partners."""
    from governance.partners import Scope, partners
    from outreach.daily_report import build_report, store_report

    totals = {"reports": 0, "queued": 0, "decided": 0}
    with transaction(conn) as cur:
        for partner in partners(cur):
            if not partner.active:
                continue
            report = build_report(cur, day, settings.timezone, Scope(partner.slug, partner.shares_national))
            store_report(cur, report)
            totals["reports"] += 1
            totals["queued"] += sum(report["queued_by_level"].values())
            totals["decided"] += sum(report["decisions"].values())
    return totals


# --- the model lifecycle ---------------------------------------------------------------------

def export_labels(settings: Settings, conn: Connection, *, actor: str, role: str) -> ExportManifest | None:
    """Export counsellor labels as an encrypted, versioned, checked dataset (``None``: no labels yet)."""
    from models.lifecycle.label_export import write_export

    return write_export(conn, components.cipher(settings), settings.home / "exports", actor=actor, role=role)


def gate(settings: Settings, conn: Connection, candidate: str) -> dict[str, Any]:
    """Gate ``candidate`` against the active model on the frozen gold set; numbers, versions and reasons only."""
    from models.lifecycle.retrain import evaluate_candidate

    gold = components.gold_set(settings)
    outcome = evaluate_candidate(conn, candidate, candidate_scorer=components.gate_scorer(conn, candidate),
                                 baseline_scorer=components.gate_scorer(conn, None), gold=gold)
    return {"candidate": outcome.candidate, "baseline": outcome.baseline, "gold_set": gold.name,
            "reasons": outcome.gate.reasons, **outcome.gate.summary()}


def gate_first_stage(settings: Settings, conn: Connection, candidate: str, thread_items: list) -> dict[str, Any]:
    """Gate a first-stage candidate on recall of levels >= 2 (team-written test split, ``thread_items``)."""
    from models.lifecycle import first_stage_gate, registry

    stage = components.load_first_stage(str(registry.model_dir(registry.get(conn, candidate))))
    result = first_stage_gate.gate_candidate(conn, candidate, stage, thread_items)
    return {"candidate": candidate, "gate": first_stage_gate.GATE_NAME, "passed": result.passed,
            "reasons": result.reasons,
            "recall": {name: round(value, 4) for name, (_, value) in result.recalls.items()},
            "positives": {name: n for name, (n, _) in result.recalls.items()}}


def shadow_compare(settings: Settings, conn: Connection, candidate: str) -> dict[str, Any]:
    """Score the stored posts with the candidate (shadow table only) and compare it with the active model."""
    from app.pipeline.scoring import score_pending
    from models.lifecycle.shadow import compare_shadow

    score_pending(conn, components.gate_scorer(conn, candidate), components.cipher(settings), shadow=True)
    with transaction(conn) as cur:
        report = compare_shadow(cur, components.active_version(conn), candidate)
    return asdict(report)


def promote(settings: Settings, conn: Connection, candidate: str, *, approved_by: str) -> str:
    """Activate ``candidate`` if its latest gate result still holds against the model active now."""
    from models.lifecycle import first_stage_gate, registry
    from models.lifecycle.retrain import promote as promote_candidate

    if registry.get(conn, candidate).kind == registry.KIND_FIRST_STAGE:
        return first_stage_gate.promote(conn, candidate, approved_by=approved_by)
    return promote_candidate(conn, candidate, gold=components.gold_set(settings), approved_by=approved_by)


def end_shadow(settings: Settings, conn: Connection, candidate: str) -> bool:
    """Stop ``candidate`` shadowing if it still does; returns whether it did."""
    from models.lifecycle import registry

    current = registry.shadow(conn)
    if current is None or current.version != candidate:
        return False
    registry.set_shadow(conn, None, actor="system:retrain", role=audit.SYSTEM_ROLE)
    return True


def rollback(settings: Settings, conn: Connection, *, actor: str, role: str, kind: str = "transformer") -> str:
    """Re-activate the version of ``kind`` that was active before the current one."""
    from models.lifecycle import registry

    return registry.rollback(conn, actor=actor, role=role, kind=kind)
