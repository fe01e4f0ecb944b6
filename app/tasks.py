"""One function per Airflow task: open a connection, run one stage, return counts.

Tasks return small dictionaries of integers only; Airflow stores them as XCom, so no
text or identifier may ever be part of a return value (invariant 1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from app import components
from core.config import Settings, get_settings
from core.db.connection import migrated_connection

T = TypeVar("T")
log = logging.getLogger(__name__)


class StageFailedError(RuntimeError):
    """A stage stored what it could but must be retried (the message is one safe line)."""


def _run(stage: Callable[[Settings, object], T]) -> T:
    settings = get_settings()
    with migrated_connection(settings) as conn:
        return stage(settings, conn)


def collect_filter_store() -> dict[str, int]:
    """Collection pass; raises after storing what it fetched if a stream failed, so Airflow retries."""
    stats = _run(lambda settings, conn: components.ingestor(settings).run(conn))
    if stats.failures:
        raise StageFailedError(f"{stats.errors} stream(s) failed: {'; '.join(stats.failures)}; counts {stats.counts()}")
    return stats.counts()


def check_collected() -> dict[str, int]:
    """Quality gate after storage; a failure quarantines the batch instead of failing the run."""
    from app.pipeline.quality_gates import check_collected as run

    return _run(lambda settings, conn: run(conn, components.cipher(settings))).counts()


def check_scores() -> dict[str, int]:
    """Quality gate after scoring, for the active model's new scores."""
    from app.pipeline.quality_gates import check_scores as run

    return _run(lambda settings, conn: run(conn, components.scorer(conn).version,
                                           drift_threshold=settings.drift_threshold)).counts()


def plan_score_batches() -> list[dict[str, int]]:
    """Id ranges of posts the active model has not scored: one mapped scoring task each."""
    from app.pipeline.scoring import pending_ranges

    return _run(lambda settings, conn: [r.as_dict() for r in pending_ranges(conn, components.scorer(conn).version)])


def score_range(bounds: dict[str, int]) -> dict[str, int]:
    """Score one planned id range with the active model."""
    from app.pipeline.scoring import IdRange, score_pending

    return _run(lambda settings, conn: score_pending(conn, components.scorer(conn), components.cipher(settings),
                                                     bounds=IdRange(**bounds))).counts()


def shadow_score() -> dict[str, int]:
    """Score posts the shadow candidate has not scored; nothing to do without a shadow."""
    from app.pipeline.scoring import score_pending

    def run(settings: Settings, conn) -> dict[str, int]:
        candidate = components.shadow_scorer(conn)
        if candidate is None:
            return {"scored": 0}
        return score_pending(conn, candidate, components.cipher(settings), shadow=True).counts()

    return _run(run)


def enqueue() -> dict[str, int]:
    from outreach.queue import enqueue_scored

    return _run(lambda settings, conn: enqueue_scored(
        conn, model_version=components.scorer(conn).version, policy=components.queue_policy(settings))).counts()


def sync_deletions() -> dict[str, int]:
    from app.pipeline.deletion_sync import sync_deletions as run

    return _run(lambda settings, conn: run(conn, components.source(settings))).counts()


def purge_expired() -> dict[str, int]:
    """Rows past their deadline, and label exports whose rows' retention has ended."""
    from app.pipeline.retention import purge_expired as run
    from models.lifecycle.label_export import purge_expired_exports

    def purge(settings: Settings, conn) -> dict[str, int]:
        return {**run(conn), "label_exports": purge_expired_exports(settings.home / "exports")}

    return _run(purge)


def daily_report(day: str | None) -> dict[str, int]:
    """Build and store the supervisors' report for ``day`` (YYYY-MM-DD; a manual run without one: today)."""
    from datetime import date

    from core.db.connection import transaction
    from outreach.daily_report import build_report, store_report

    def run(settings: Settings, conn) -> dict[str, int]:
        with transaction(conn) as cur:
            report = build_report(cur, date.fromisoformat(day) if day else date.today(), settings.timezone)
            store_report(cur, report)
        return {"queued": sum(report["queued_by_level"].values()), "decided": sum(report["decisions"].values())}

    return _run(run)


def sweep_opt_outs() -> dict[str, int]:
    """Purge anything stored about opted-out authors since their request."""
    from governance.opt_out import sweep

    return _run(lambda settings, conn: {"posts_removed": sweep(conn)})


def retrain_export() -> dict[str, int | str | None]:
    """Export counsellor labels for retraining; returns the export's version and counts (no export: None)."""
    from models.lifecycle.retrain import NotEnoughLabelsError, export_labels

    def run(settings: Settings, conn) -> dict[str, int | str | None]:
        try:
            manifest = export_labels(conn, components.cipher(settings), settings.home / "exports")
        except NotEnoughLabelsError as reason:
            log.warning("retrain: %s", reason)
            return {"export": None, "examples": 0}
        return {"export": manifest.version, "examples": manifest.examples, "checks_passed": manifest.checks_passed}

    return _run(run)


def retrain_validate(export: str | None) -> bool:
    """Whether training may start: raises for an export that failed its checks, ``False`` while labels are few."""
    from models.lifecycle.retrain import NotEnoughLabelsError, validate_export

    if export is None:
        return False
    try:
        manifest = _run(lambda settings, conn: validate_export(settings.home / "exports", export,
                                                               min_labels=settings.retrain_min_labels))
    except NotEnoughLabelsError as reason:
        log.warning("retrain: %s", reason)
        return False
    log.info("retrain: export %s passed with %d labels, by level %s", export, manifest.examples, manifest.by_level)
    return True


def retrain_train(export: str, overrides: dict) -> str:
    """Train the candidate (or reuse it on a retry) with the active model's recipe plus ``overrides``."""
    from models.lifecycle.retrain import recipe, train_candidate

    def run(settings: Settings, conn) -> str:
        return train_candidate(conn, components.cipher(settings), exports_root=settings.home / "exports",
                               export_version=export, settings=recipe(conn, overrides),
                               models_root=settings.home / "models", encoder_dir=components.encoder_dir(),
                               gold=components.gold_set(settings))

    return _run(run)


def gate_candidate(settings: Settings, conn, candidate: str) -> dict:
    """Gate ``candidate`` against the active model on the frozen gold set; numbers, versions and reasons only."""
    from models.lifecycle.retrain import evaluate_candidate

    gold = components.gold_set(settings)
    outcome = evaluate_candidate(conn, candidate, candidate_scorer=components.gate_scorer(conn, candidate),
                                 baseline_scorer=components.gate_scorer(conn, None), gold=gold)
    return {"candidate": outcome.candidate, "baseline": outcome.baseline, "gold_set": gold.name,
            "reasons": outcome.gate.reasons, **outcome.gate.summary()}


def retrain_evaluate(candidate: str) -> dict:
    """The retrain DAG's gate step (see :func:`gate_candidate`)."""
    return _run(lambda settings, conn: gate_candidate(settings, conn, candidate))


def retrain_shadow_compare(candidate: str) -> dict:
    """Score the stored posts with the candidate (shadow table only) and compare it with the active model."""
    from dataclasses import asdict

    from app.pipeline.scoring import score_pending
    from core.db.connection import transaction
    from models.lifecycle.shadow import compare_shadow

    def run(settings: Settings, conn) -> dict:
        score_pending(conn, components.gate_scorer(conn, candidate), components.cipher(settings), shadow=True)
        with transaction(conn) as cur:
            report = compare_shadow(cur, components.scorer(conn).version, candidate)
        return asdict(report)

    return _run(run)


def retrain_promote(candidate: str, approved_by: str) -> str:
    """Activate the approved candidate, if its gate result still holds."""
    from models.lifecycle.retrain import promote

    return _run(lambda settings, conn: promote(conn, candidate, gold=components.gold_set(settings),
                                               approved_by=approved_by))


def retrain_end_shadow(candidate: str) -> bool:
    """Stop ``candidate`` shadowing if it still does; returns whether it did."""
    from core import audit as audit_log
    from models.lifecycle import registry

    def run(settings: Settings, conn) -> bool:
        current = registry.shadow(conn)
        if current is None or current.version != candidate:
            return False
        registry.set_shadow(conn, None, actor="system:retrain", role=audit_log.SYSTEM_ROLE)
        return True

    return _run(run)


def rollback_model(actor: str) -> str:
    """Re-activate the version that was active before the current one."""
    from core import audit as audit_log
    from models.lifecycle import registry

    return _run(lambda settings, conn: registry.rollback(conn, actor=actor, role=audit_log.SYSTEM_ROLE))
