"""Checks at the stage boundaries of the pipeline, with quarantine.

Each check covers the posts stored (or scored) since the last check of its stage, so
re-running a task checks nothing twice. A failed suite quarantines those posts: they stay
stored, visible to the ML engineer and the DPO, but are never queued; an audit event and
an error log line raise the alert. Text is decrypted only in memory, for the identifier
safety net, and nothing but counts leaves this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from core import audit
from core.db.connection import Connection, transaction
from models.serving import scores
from privacy import posts
from privacy.encryption import TextCipher
from quality import results
from quality.checks import CheckResult, run_suite
from quality.drift import MIN_BATCH, REFERENCE_ROWS, drift_check, reference_shares, store_reference
from quality.suites import identifier_safety_net_suite, scores_suite, stored_posts_suite

log = logging.getLogger(__name__)
ACTOR = "system:quality"
STAGE_COLLECTED = "collected"


@dataclass(frozen=True)
class StageReport:
    checked: int
    quarantined: int
    failed_suites: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        return {"checked": self.checked, "quarantined": self.quarantined, "failed_suites": len(self.failed_suites)}


def check_collected(conn: Connection, cipher: TextCipher) -> StageReport:
    """Stored-batch schema and the identifier safety net over posts stored since the last check."""
    with transaction(conn) as cur:
        rows = posts.stored_since(cur, results.watermark(cur, STAGE_COLLECTED))
    if not rows:
        return StageReport(0, 0, ())
    frame = pd.DataFrame([{k: v for k, v in row.items() if k != "text_encrypted"} for row in rows])
    texts = pd.DataFrame({"text": [cipher.decrypt(row["text_encrypted"]) for row in rows]})
    checked = [run_suite("stored_posts", stored_posts_suite, frame),
               run_suite("identifier_safety_net", identifier_safety_net_suite, texts)]
    del texts
    return _record(conn, STAGE_COLLECTED, [row["id"] for row in rows], checked)


def check_scores(conn: Connection, model_version: str, *, drift_threshold: float = 0.25) -> StageReport:
    """Score distributions and levels for posts this model scored since the last check, then drift.

    A failed scores suite quarantines the batch; drift only alerts (see ``quality.drift``).
    """
    stage = f"scored:{model_version}"
    with transaction(conn) as cur:
        rows = scores.scored_since(cur, model_version, results.watermark(cur, stage))
        reference = reference_shares(cur, model_version)
        if reference is None:  # compared from the next batch on
            store_reference(cur, model_version, scores.first_levels(cur, model_version, REFERENCE_ROWS))
    if not rows:
        return StageReport(0, 0, ())
    frame = pd.DataFrame({"probability_sum": [float(sum(row["probabilities"])) for row in rows],
                          "level": [row["level"] for row in rows],
                          "model_version": [row["model_version"] for row in rows]})
    post_ids = [row["post_id"] for row in rows]
    report = _record(conn, stage, post_ids, [run_suite("scores", scores_suite, frame)])
    if reference is not None and len(rows) >= MIN_BATCH:
        _record_alert(conn, stage, post_ids, drift_check([int(r["level"]) for r in rows], reference, drift_threshold))
    return report


def _record_alert(conn: Connection, stage: str, post_ids: list[int], result: CheckResult) -> None:
    """Keep a check's result; a failure alerts (audit event, error log) but quarantines nothing."""
    with transaction(conn) as cur:
        results.record(cur, stage, post_ids, result, rows=len(post_ids))  # the drift frame is one summary row
        if not result.passed:
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="quality.alert", object_type="stage",
                         object_id=stage, details={"suite": result.suite, "rows": len(post_ids)})
            log.error("quality alert at %s: %s failed for %d post(s)", stage, result.suite, len(post_ids))


def _record(conn: Connection, stage: str, post_ids: list[int], checked: list[CheckResult]) -> StageReport:
    failed = tuple(r.suite for r in checked if not r.passed)
    with transaction(conn) as cur:
        for result in checked:
            results.record(cur, stage, post_ids, result, rows=result.rows)
        quarantined = 0
        if failed:
            quarantined = posts.quarantine(cur, post_ids, f"{stage}: failed {', '.join(failed)}")
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="quality.failed", object_type="stage",
                         object_id=stage, details={"suites": list(failed), "quarantined": quarantined,
                                                   "failures": [r.summary() for r in checked if not r.passed]})
            log.error("quality check failed at %s (%s): %d post(s) quarantined", stage, ", ".join(failed),
                      quarantined)
    return StageReport(len(post_ids), quarantined, failed)
