"""Checks at the stage boundaries of the pipeline, with quarantine.

Each check covers the posts stored (or scored) since the last check of its stage, so
re-running a task checks nothing twice. A failed suite quarantines those posts: they stay
stored, visible to the ML engineer and the DPO, but are never queued; an audit event and
an error log line raise the alert. Text is decrypted only in memory, for the identifier
safety net, and nothing but counts leaves this module.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import pandas as pd

from core import audit
from core.db.connection import transaction
from privacy.encryption import TextCipher
from quality.checks import CheckResult, run_suite
from quality.drift import MIN_BATCH, drift_check, ensure_reference, reference_shares
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


def _watermark(cur, stage: str) -> int:
    cur.execute("SELECT coalesce(max(last_post_id), 0) AS last FROM quality_checks WHERE stage = %s", (stage,))
    return cur.fetchone()["last"]


def check_collected(conn, cipher: TextCipher) -> StageReport:
    """Stored-batch schema and the identifier safety net over posts stored since the last check."""
    with transaction(conn) as cur:
        start = _watermark(cur, STAGE_COLLECTED)
        cur.execute("SELECT id, source_id, language, author_pseudonym, filter_version, text_length, text_encrypted "
                    "FROM posts WHERE id > %s ORDER BY id", (start,))
        rows = cur.fetchall()
    if not rows:
        return StageReport(0, 0, ())
    frame = pd.DataFrame([{k: v for k, v in row.items() if k != "text_encrypted"} for row in rows])
    texts = pd.DataFrame({"text": [cipher.decrypt(row["text_encrypted"]) for row in rows]})
    results = [run_suite("stored_posts", stored_posts_suite, frame),
               run_suite("identifier_safety_net", identifier_safety_net_suite, texts)]
    del texts
    return _record(conn, STAGE_COLLECTED, [row["id"] for row in rows], results)


def check_scores(conn, model_version: str, *, drift_threshold: float = 0.25) -> StageReport:
    """Score distributions and levels for posts this model scored since the last check, then drift.

    A failed scores suite quarantines the batch; drift only alerts (see ``quality.drift``).
    """
    stage = f"scored:{model_version}"
    with transaction(conn) as cur:
        start = _watermark(cur, stage)
        cur.execute("SELECT post_id, level, probabilities, model_version FROM scores "
                    "WHERE model_version = %s AND post_id > %s ORDER BY post_id", (model_version, start))
        rows = cur.fetchall()
        reference = reference_shares(cur, model_version)
        if reference is None:
            ensure_reference(cur, model_version)  # compared from the next batch on
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


def _record_alert(conn, stage: str, post_ids: list[int], result: CheckResult) -> None:
    """Keep a check's result; a failure alerts (audit event, error log) but quarantines nothing."""
    with transaction(conn) as cur:
        _insert_result(cur, stage, post_ids, result, rows=len(post_ids))  # the drift frame is one summary row
        if not result.passed:
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="quality.alert", object_type="stage",
                         object_id=stage, details={"suite": result.suite, "rows": len(post_ids)})
            log.error("quality alert at %s: %s failed for %d post(s)", stage, result.suite, len(post_ids))


def _insert_result(cur, stage: str, post_ids: list[int], result: CheckResult, *, rows: int) -> None:
    cur.execute(
        "INSERT INTO quality_checks (stage, suite, first_post_id, last_post_id, rows_checked, passed, "
        "failures) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (stage, result.suite, post_ids[0], post_ids[-1], rows, result.passed,
         json.dumps(result.summary()["failures"])),
    )


def _record(conn, stage: str, post_ids: list[int], results: list[CheckResult]) -> StageReport:
    failed = tuple(r.suite for r in results if not r.passed)
    with transaction(conn) as cur:
        for result in results:
            _insert_result(cur, stage, post_ids, result, rows=result.rows)
        quarantined = 0
        if failed:
            reason = f"{stage}: failed {', '.join(failed)}"
            cur.execute("UPDATE posts SET quarantined_at = now(), quarantine_reason = %s "
                        "WHERE id = ANY(%s) AND quarantined_at IS NULL", (reason, post_ids))
            quarantined = cur.rowcount
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="quality.failed", object_type="stage",
                         object_id=stage, details={"suites": list(failed), "quarantined": quarantined,
                                                   "failures": [r.summary() for r in results if not r.passed]})
            log.error("quality check failed at %s (%s): %d post(s) quarantined", stage, ", ".join(failed),
                      quarantined)
    return StageReport(len(post_ids), quarantined, failed)
