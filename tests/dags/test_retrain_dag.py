"""The retrain and rollback DAGs under ``dag.test()``: real labels, real training, the real gate.

Counsellors' corrections become the export; the candidate trains on the development data
plus those labels; the gate compares it with the active model on the frozen gold set. The
approval is given the way Airflow's Required Actions page gives it: through the Core API's
HITL handler, from another thread while ``dag.test()`` waits.
"""

from __future__ import annotations

import re
import threading
import time
from itertools import islice

import pytest

from app import components
from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from models.lifecycle import registry
from models.training.data import load_examples, split_examples
from models.training.train import TrainConfig, train
from outreach import workflow
from outreach.workflow import Worker
from tests.app.review.conftest import seed_suggestions

#: Head-only training on the development data alone (not the shared real text the shipped model's recipe asks
#: for, which a test machine may not have): about a minute on two CPU cores.
HEAD_ONLY = {"finetune_layers": 0, "real_everyday_per_language": 0, "recall_target_high": 0.95,
             "recall_target_flag": 0.90, "recall_target_crisis": 0.85}


def _label_posts(conn, settings, per_level: int = 5) -> int:
    """Queue development posts (never gold ones) and have a supervisor correct each to its annotated level."""
    train_split = split_examples(load_examples())["train"]
    chosen = [e for level in range(5) for e in islice((x for x in train_split if x.level == level), per_level)]
    ids = seed_suggestions(conn, settings, [{"text": e.text, "level": 3, "language": e.lang,
                                             "source_id": f"label{i}"} for i, e in enumerate(chosen)])
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('sanna', 'Sanna', 'supervisor') "
                    "RETURNING id")
        supervisor = Worker(cur.fetchone()["id"], "sanna", "supervisor", None)
    for suggestion_id, example in zip(ids, chosen, strict=True):
        workflow.relabel(conn, supervisor, suggestion_id, example.level)
    return len(chosen)


def _audit_actions(conn, prefix: str) -> list[tuple[str, str]]:
    with transaction(conn) as cur:
        cur.execute("SELECT action, actor FROM audit_log WHERE action LIKE %s ORDER BY id", (prefix + "%",))
        return [(row["action"], row["actor"]) for row in cur.fetchall()]


def _states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


class Approver(threading.Thread):
    """Answers the run's approval request once it waits, as an ML engineer would in the Airflow UI."""

    def __init__(self, dag_id: str, choice: str) -> None:
        super().__init__(daemon=True)
        self.dag_id, self.choice, self.answered = dag_id, choice, False
        self.request = ""

    def run(self) -> None:
        from airflow.api_fastapi.core_api.datamodels.hitl import UpdateHITLDetailPayload
        from airflow.api_fastapi.core_api.routes.public.hitl import update_hitl_detail
        from airflow.models.hitl import HITLDetail
        from airflow.models.taskinstance import TaskInstance
        from airflow.utils.session import create_session
        from airflow.utils.state import TaskInstanceState

        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not self.answered:
            with create_session() as session:
                waiting = session.query(TaskInstance).filter_by(
                    dag_id=self.dag_id, task_id="approve", state=TaskInstanceState.AWAITING_INPUT).one_or_none()
                if waiting is not None:
                    self.request = session.query(HITLDetail).filter_by(ti_id=waiting.id).one().body
                    update_hitl_detail(dag_id=self.dag_id, dag_run_id=waiting.run_id, task_id="approve",
                                       update_hitl_detail_payload=UpdateHITLDetailPayload(
                                           chosen_options=[self.choice]),
                                       user=_User(), session=session)
                    self.answered = True
            time.sleep(1)


class _User:
    def get_id(self) -> str:
        return "mlops"

    def get_name(self) -> str:
        return "mlops"


def _run_with_answer(dag, choice: str, recipe: dict):
    approver = Approver(dag.dag_id, choice)
    approver.start()
    run = dag.test(run_conf={"recipe": recipe})
    approver.join(timeout=5)
    assert approver.answered, "the run asked for approval"
    return run, approver.request


def _activate_weak_model(conn, settings) -> str:
    """A model trained on 40 posts with low recall targets: a retrain on all the data must beat it."""
    config = TrainConfig(finetune_layers=0, max_train_samples=40, epochs=30, recall_target_high=0.4,
                         recall_target_flag=0.4, recall_target_crisis=0.4, version="e5head-weak-test")
    directory = train(config, encoder_dir=components.encoder_dir(), output_root=settings.home / "models")
    registry.ensure_shipped_active(conn)
    version = registry.register(conn, directory, actor="test", role="ml_engineer")
    registry.activate(conn, version, actor="test", role="ml_engineer")
    return version


def test_a_worse_candidate_is_refused_and_nobody_is_asked_to_approve_it(dagbag, conn, settings):
    _label_posts(conn, settings)
    shipped = registry.ensure_shipped_active(conn).version
    run = dagbag.dags["majakka_retrain"].test(
        run_conf={"recipe": {"finetune_layers": 0, "real_everyday_per_language": 0, "max_train_samples": 40,
                             "epochs": 30}})
    states = _states(run)
    assert states["evaluate"] == "success"
    assert states["approve"] == "skipped" and states["promote"] == "skipped"
    assert registry.active(conn).version == shipped
    assert registry.shadow(conn) is None
    with transaction(conn) as cur:
        cur.execute("SELECT candidate, baseline, passed, reasons, label_export, gold_set FROM model_evaluations "
                    "WHERE gold_set <> 'first-stage-recall'")
        (evaluation,) = cur.fetchall()
        cur.execute("SELECT candidate, passed, report FROM model_evaluations WHERE gold_set = 'first-stage-recall'")
        (first_stage,) = cur.fetchall()
    assert evaluation["baseline"] == shipped and evaluation["gold_set"] == "gold-v2"
    assert not evaluation["passed"] and evaluation["reasons"]
    assert evaluation["label_export"].startswith("labels-")
    assert ("model.gate_refused", "system:retrain") in _audit_actions(conn, "model.gate")
    card = (settings.home / "models" / evaluation["candidate"] / "model_card.md").read_text()
    assert evaluation["label_export"] in card and "Gate refused" in card
    # The same export retrained the first stage, gated on its own: a pass makes it the first-stage
    # shadow, never the active first stage (that takes an ML engineer's promotion).
    assert states["train_first_stage"] == states["gate_first_stage"] == "success"
    assert first_stage["candidate"].startswith("first-stage-") and first_stage["report"]["recall_target"] == 0.99
    first_shadow = registry.shadow(conn, registry.KIND_FIRST_STAGE)
    assert (first_shadow is not None and first_shadow.version == first_stage["candidate"]) == first_stage["passed"]
    assert registry.active(conn, registry.KIND_FIRST_STAGE).version != first_stage["candidate"]


def test_a_better_candidate_waits_for_approval_shadows_and_is_promoted_only_when_approved(dagbag, conn, settings):
    labels = _label_posts(conn, settings)
    weak = _activate_weak_model(conn, settings)
    score_pending(conn, components.gate_scorer(conn, None), components.cipher(settings))  # as the pipeline would
    dag = dagbag.dags["majakka_retrain"]

    rejected, request = _run_with_answer(dag, "Reject", HEAD_ONLY)
    assert _states(rejected)["promote"] == "skipped"
    assert "the gate passed" in request and "| sv |" in request
    assert f"Shadow comparison on the {labels} stored (redacted) posts" in request
    assert f"on {labels} counsellor-labelled" in request
    assert re.search(r"exact level: active [01]\.\d+, candidate [01]\.\d+", request), "both accuracies are shown"
    assert _states(rejected)["end_shadow"] == "success"
    assert _states(rejected)["shadow_compare"] == "success"
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM shadow_scores")
        assert cur.fetchone()["n"] == labels, "the candidate scored every stored post for the comparison"
    assert registry.active(conn).version == weak
    with transaction(conn) as cur:
        cur.execute("SELECT object_id FROM audit_log WHERE action = 'model.shadow' "
                    "AND details->>'kind' = 'transformer' ORDER BY id")
        shadow_events = [row["object_id"] for row in cur.fetchall()]
        cur.execute("SELECT candidate FROM model_evaluations WHERE passed AND gold_set <> 'first-stage-recall'")
        passed = cur.fetchone()["candidate"]
    candidate = next(v for v in registry.versions(conn) if v.version == passed)
    assert shadow_events == [candidate.version, None], "it shadowed while waiting, and stopped when rejected"
    assert registry.shadow(conn) is None
    card = (registry.model_dir(candidate) / "model_card.md").read_text()
    assert f"({labels} redacted posts labelled" in card and "Gate passed" in card

    approved, _ = _run_with_answer(dag, "Approve", HEAD_ONLY)
    assert _states(approved)["promote"] == "success"
    assert _states(approved)["train"] == "success"
    assert registry.active(conn).version == candidate.version, "same labels and recipe: the same candidate"
    assert registry.shadow(conn) is None
    assert ("model.promote", "airflow:mlops") in _audit_actions(conn, "model.promote")

    rollback = dagbag.dags["majakka_rollback"].test(run_conf={"actor": "mlops"})
    assert rollback.state == "success"
    assert registry.active(conn).version == weak


def test_promotion_is_refused_without_a_passed_gate_against_the_model_active_now(conn, settings):
    from models.lifecycle.retrain import RetrainRefusedError, promote

    weak = _activate_weak_model(conn, settings)
    shipped = registry.shipped_versions()[-1].name
    with pytest.raises(RetrainRefusedError, match="has not passed"):
        promote(conn, shipped, gold=components.gold_set(settings), approved_by="mlops")
    with transaction(conn) as cur:
        cur.execute("INSERT INTO model_evaluations (candidate, baseline, gold_set, gold_fingerprint, passed, report) "
                    "VALUES (%s, 'some-older-model', 'gold-v1', %s, true, '{}')",
                    (shipped, components.gold_set(settings).fingerprint))
    with pytest.raises(RetrainRefusedError, match="evaluate it again"):
        promote(conn, shipped, gold=components.gold_set(settings), approved_by="mlops")
    assert registry.active(conn).version == weak


def test_without_labels_the_weekly_run_skips_training_and_a_failed_export_stops_it(dagbag, conn, settings):
    dag = dagbag.dags["majakka_retrain"]
    quiet = _states(dag.test())
    assert quiet["export_labels"] == quiet["validate"] == "success"
    assert quiet["train"] == quiet["approve"] == quiet["promote"] == "skipped"

    ids = seed_suggestions(conn, settings, [{"text": f"En jaksa enää päivää {i} tätä kaikkea", "level": 4,
                                             "source_id": f"crisis{i}"} for i in range(21)])
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('sanna', 'Sanna', 'supervisor') "
                    "RETURNING id")
        supervisor = Worker(cur.fetchone()["id"], "sanna", "supervisor", None)
    for suggestion_id in ids:
        workflow.relabel(conn, supervisor, suggestion_id, 4)
    unbalanced = dag.test()
    states = _states(unbalanced)
    assert states["validate"] == "failed", "every label at one level fails the balance check"
    assert unbalanced.get_task_instance("validate").try_number == 1, "a refusal is not retried"
    assert states["train"] in ("upstream_failed", "skipped") and states["promote"] != "success"
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM model_evaluations")
        assert cur.fetchone()["n"] == 0
