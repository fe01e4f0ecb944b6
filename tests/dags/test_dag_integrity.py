"""Every DAG file parses cleanly, cheaply and safely (the scheduler parses them constantly)."""

from __future__ import annotations

import socket
from itertools import pairwise

import psycopg2
import pytest

from majakka.airflow_env import DAGS_FOLDER


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "majakka_pipeline" in dagbag.dags


def test_every_task_retries_with_a_timeout(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, task.task_id
            assert task.execution_timeout is not None, task.task_id


def test_pipeline_order(dagbag):
    dag = dagbag.dags["majakka_pipeline"]
    order = ["collect_filter_store", "check_collected", "score", "check_scores", "enqueue"]
    for upstream, downstream in pairwise(order):
        assert dag.get_task(upstream).downstream_task_ids == {downstream}


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
