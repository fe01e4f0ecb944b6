"""Every DAG file parses cleanly, cheaply and safely (the scheduler parses them constantly)."""

from __future__ import annotations

import socket
from itertools import pairwise

import psycopg2
import pytest
from airflow.sdk.definitions.mappedoperator import MappedOperator

from app.airflow_env import DAGS_FOLDER
from app.airflow_resources import REDDIT_POOL, STORED_POSTS


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"majakka_collect", "majakka_score", "majakka_retention", "majakka_privacy_requests",
                                "majakka_daily_report", "majakka_retrain", "majakka_rollback"}


def test_every_task_retries_with_a_timeout(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, task.task_id
            assert task.execution_timeout is not None, task.task_id


def test_collect_runs_in_the_reddit_pool_and_publishes_the_asset_scoring_listens_to(dagbag):
    collect, score = dagbag.dags["majakka_collect"], dagbag.dags["majakka_score"]
    assert collect.get_task("collect_filter_store").downstream_task_ids == {"check_collected"}
    assert collect.get_task("collect_filter_store").pool == REDDIT_POOL
    assert dagbag.dags["majakka_retention"].get_task("sync_deletions").pool == REDDIT_POOL
    assert STORED_POSTS in collect.get_task("check_collected").outlets
    assert list(score.timetable.asset_condition.objects) == [STORED_POSTS]


def test_scoring_is_mapped_and_checked_before_anything_is_queued(dagbag):
    dag = dagbag.dags["majakka_score"]
    order = ["plan_batches", "score_batch", "check_scores", "enqueue"]
    for upstream, downstream in pairwise(order):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert isinstance(dag.get_task("score_batch"), MappedOperator)
    assert dag.get_task("enqueue").upstream_task_ids == {"check_scores"}
    assert dag.get_task("shadow_score").upstream_task_ids == {"score_batch"}


def test_retrain_asks_a_human_before_promoting_and_only_after_the_gate(dagbag):
    from airflow.providers.standard.operators.hitl import ApprovalOperator

    dag = dagbag.dags["majakka_retrain"]
    approve = dag.get_task("approve")
    assert isinstance(approve, ApprovalOperator)
    assert approve.upstream_task_ids == {"shadow_compare"}
    assert dag.get_task("shadow_compare").upstream_task_ids == {"gate_passed", "train"}
    assert "approve" in dag.get_task("promote").upstream_task_ids
    assert dag.get_task("end_shadow").trigger_rule == "all_done"
    assert dag.get_task("train").upstream_task_ids == {"export_labels", "validate"}


def test_parsing_touches_no_database_or_network(monkeypatch, airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    def refuse(*args, **kwargs):
        raise AssertionError("DAG parsing opened a connection")

    monkeypatch.setattr(psycopg2, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert bag.import_errors == {}


@pytest.mark.parametrize("heavy", ["torch", "transformers", "presidio_analyzer", "lingua", "praw"])
def test_dag_files_do_not_import_heavy_packages_at_top_level(heavy):
    for path in DAGS_FOLDER.glob("*.py"):
        top_level = [line for line in path.read_text().splitlines() if line.startswith(("import ", "from "))]
        assert not any(heavy in line for line in top_level), f"{path.name} imports {heavy} at top level"
