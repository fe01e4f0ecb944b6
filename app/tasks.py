"""One function per Airflow task: run one stage's runner, return counts.

Tasks return small dictionaries of integers only; Airflow stores them as XCom, so no
text or identifier may ever be part of a return value (invariant 1). The work itself is
in :mod:`app.runners`, which the CLI calls too.
"""

from __future__ import annotations

import logging
from datetime import date

from app import runners
from core import audit

log = logging.getLogger(__name__)


class StageFailedError(RuntimeError):
    """A stage stored what it could but must be retried (the message is one safe line)."""


def collect_filter_store() -> dict[str, int]:
    """Collection pass; raises after storing what it fetched if a stream failed, so Airflow retries."""
    stats = runners.run(runners.collect)
    if stats.failures:
        raise StageFailedError(f"{stats.errors} stream(s) failed: {'; '.join(stats.failures)}; counts {stats.counts()}")
    return stats.counts()


def check_collected() -> dict[str, int]:
    return runners.run(runners.check_collected).counts()


def check_scores() -> dict[str, int]:
    return runners.run(runners.check_scores).counts()


def plan_score_batches() -> list[dict[str, int]]:
    return [bounds.as_dict() for bounds in runners.run(runners.plan_score_batches)]


def score_range(bounds: dict[str, int]) -> dict[str, int]:
    """Score one planned id range with the active model."""
    from models.serving.scores import IdRange

    return runners.run(lambda settings, conn: runners.score(settings, conn, IdRange(**bounds))).counts()


def shadow_score() -> dict[str, int]:
    return runners.run(runners.shadow_score)


def enqueue() -> dict[str, int]:
    """Queue suggestions, then alert on-call addresses about crisis items nobody is signed in to see."""
    counts = runners.run(runners.enqueue).counts()
    return {**counts, **runners.run(runners.alert_on_call)}


def explain_queued() -> dict[str, int]:
    return runners.run(runners.explain_queued).counts()


def sync_deletions() -> dict[str, int]:
    return runners.run(runners.sync_deletions).counts()


def purge_expired() -> dict[str, int]:
    return runners.run(runners.purge_expired)


def daily_report(day: str | None) -> dict[str, int]:
    """The supervisors' report for ``day`` (YYYY-MM-DD; a manual run without one: today)."""
    when = date.fromisoformat(day) if day else date.today()
    return runners.run(lambda settings, conn: runners.daily_report(settings, conn, when))


def sweep_opt_outs() -> dict[str, int]:
    return runners.run(runners.sweep_opt_outs)


def retrain_export() -> dict[str, int | str | None]:
    """Export counsellor labels for retraining; returns the export's version and counts (no export: None)."""
    from models.lifecycle.retrain import ACTOR

    manifest = runners.run(lambda settings, conn: runners.export_labels(settings, conn, actor=ACTOR,
                                                                        role=audit.SYSTEM_ROLE))
    if manifest is None:
        log.warning("retrain: no counsellor decision is a training label yet; nothing to retrain on")
        return {"export": None, "examples": 0}
    return {"export": manifest.version, "examples": manifest.examples, "checks_passed": manifest.checks_passed}


def retrain_validate(export: str | None) -> bool:
    """Whether training may start: raises for an export that failed its checks, ``False`` while labels are few."""
    from models.lifecycle.retrain import NotEnoughLabelsError, validate_export

    if export is None:
        return False
    try:
        manifest = runners.run(lambda settings, conn: validate_export(settings.home / "exports", export,
                                                                      min_labels=settings.retrain_min_labels))
    except NotEnoughLabelsError as reason:
        log.warning("retrain: %s", reason)
        return False
    log.info("retrain: export %s passed with %d labels, by level %s", export, manifest.examples, manifest.by_level)
    return True


def retrain_train(export: str, overrides: dict) -> str:
    """Train the candidate (or reuse it on a retry) with the active model's recipe plus ``overrides``."""
    from app import components
    from models.lifecycle.retrain import recipe, train_candidate

    return runners.run(lambda settings, conn: train_candidate(
        conn, components.cipher(settings), exports_root=settings.home / "exports", export_version=export,
        settings=recipe(conn, overrides), models_root=settings.home / "models", encoder_dir=components.encoder_dir(),
        gold=components.gold_set(settings)))


def retrain_train_first_stage(export: str) -> str:
    """Train the first-stage candidate on the same export (or reuse it on a retry)."""
    from app import components
    from models.lifecycle.retrain import train_first_stage_candidate

    return runners.run(lambda settings, conn: train_first_stage_candidate(
        conn, components.cipher(settings), exports_root=settings.home / "exports", export_version=export,
        models_root=settings.home / "models", gold=components.gold_set(settings)))


def retrain_gate_first_stage(candidate: str) -> dict:
    """Gate the first-stage candidate on recall; a pass makes it the first-stage shadow."""
    from app.demo.sample import load_sample

    return runners.run(lambda settings, conn: runners.gate_first_stage(settings, conn, candidate, load_sample()))


def retrain_evaluate(candidate: str) -> dict:
    """The retrain DAG's gate step (see :func:`app.runners.gate`)."""
    return runners.run(lambda settings, conn: runners.gate(settings, conn, candidate))


def retrain_shadow_compare(candidate: str) -> dict:
    return runners.run(lambda settings, conn: runners.shadow_compare(settings, conn, candidate))


def retrain_promote(candidate: str, approved_by: str) -> str:
    return runners.run(lambda settings, conn: runners.promote(settings, conn, candidate, approved_by=approved_by))


def retrain_end_shadow(candidate: str) -> bool:
    return runners.run(lambda settings, conn: runners.end_shadow(settings, conn, candidate))


def rollback_model(actor: str) -> str:
    return runners.run(lambda settings, conn: runners.rollback(settings, conn, actor=actor, role=audit.SYSTEM_ROLE))
