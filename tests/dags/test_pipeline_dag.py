"""The collect and score DAGs under ``dag.test()`` against real PostgreSQL and the local Reddit API.

Canaries: identifiers and author names planted in the served posts must not appear in
a raw ``pg_dump``, the decrypted stored text, any log output or any XCom value.
"""

from __future__ import annotations

import sqlite3
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from app import components
from core.db.connection import transaction
from outreach.queue import open_items
from tests.canaries import CANARY_AUTHORS, CANARY_IDENTIFIERS, CANARY_POSTS


class Pipeline:
    """Collect, then score: what the Asset chains under a scheduler, run in order here."""

    def __init__(self, dagbag) -> None:
        self.dags = [dagbag.dags["majakka_collect"], dagbag.dags["majakka_score"]]

    def test(self) -> str:
        states = [dag.test().state for dag in self.dags]
        return "success" if all(state == "success" for state in states) else ",".join(map(str, states))


@pytest.fixture
def pipeline(dagbag, settings):
    return Pipeline(dagbag)


def _table_snapshot(conn) -> list[tuple]:
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, s.level, g.status FROM posts p "
                    "LEFT JOIN scores s ON s.post_id = p.id LEFT JOIN suggestions g ON g.post_id = p.id "
                    "ORDER BY p.source_id")
        return [tuple(row.values()) for row in cur.fetchall()]


def _xcom_values() -> list[str]:
    from airflow.configuration import conf

    path = conf.get("database", "sql_alchemy_conn").removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return [str(row[0]) for row in db.execute("SELECT value FROM xcom")]


def test_dag_runs_end_to_end_over_the_sample_and_reruns_without_duplicates(pipeline, conn, reddit_state,
                                                                           sample_items, settings):
    reddit_state.add(sample_items)
    subreddits = sorted({item.subreddit for item in sample_items})
    import os

    os.environ["MAJAKKA_SUBREDDITS"] = ",".join(subreddits)
    from core.config import get_settings

    get_settings.cache_clear()
    assert pipeline.test() == "success"
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'score.run' ORDER BY id")
        ranges = [(row["details"]["first_id"], row["details"]["last_id"]) for row in cur.fetchall()]
    assert len(ranges) >= 2, "scoring was split into mapped batches"
    assert all(previous[1] < following[0] for previous, following in pairwise(sorted(ranges)))
    snapshot = _table_snapshot(conn)
    assert pipeline.test() == "success"
    assert _table_snapshot(conn) == snapshot

    annotated = {i.fullname for i in sample_items if i.lang in ("fi", "sv") and i.level is not None}
    at_risk = {i.fullname for i in sample_items if i.lang in ("fi", "sv") and (i.level or 0) >= 2}
    stored = {row[0] for row in snapshot}
    assert stored <= {i.fullname for i in sample_items}
    assert len(stored & at_risk) >= 0.95 * len(at_risk)  # language ID may miss a few very short ones
    assert len(stored & annotated) < len(annotated)  # the first stage kept plainly everyday posts out
    with transaction(conn) as cur:
        cur.execute("SELECT DISTINCT language FROM posts")
        assert {row["language"] for row in cur.fetchall()} <= {"fi", "sv"}
        items = open_items(cur, limit=1000)
    assert items, "the sample contains distress at levels 2-4"
    assert {item.language for item in items} <= {"fi", "sv"}
    priorities = [item.priority for item in items]
    assert priorities == sorted(priorities, reverse=True)
    assert items[0].level >= items[-1].level


def test_no_canary_reaches_database_logs_or_xcom(pipeline, conn, reddit_state, settings, database_url, capfd,
                                                  caplog, pg_server):
    served = "\n".join(item.text for item in CANARY_POSTS)
    assert all(canary in served for canary in CANARY_IDENTIFIERS), "every canary is planted verbatim"
    reddit_state.add(CANARY_POSTS)
    assert pipeline.test() == "success"
    captured = capfd.readouterr()

    with transaction(conn) as cur:
        cur.execute("SELECT text_encrypted FROM posts")
        stored_texts = [components.cipher(settings).decrypt(row["text_encrypted"]) for row in cur.fetchall()]
    assert len(stored_texts) == 3

    pg_dump = Path(pg_server.get_postmaster_info().process.exe()).with_name("pg_dump")
    dump = subprocess.run([str(pg_dump), "--data-only", database_url], capture_output=True, text=True,
                          check=True).stdout
    assert "t3_k00001" in dump  # the dump really holds the posts

    log_files = [p.read_text(errors="replace") for p in Path(settings.home).rglob("*.log") if p.is_file()]
    places = {"decrypted stored text": "\n".join(stored_texts), "pg_dump": dump,
              "stdout/stderr": captured.out + captured.err, "log records": caplog.text,
              "log files": "\n".join(log_files), "xcom": "\n".join(_xcom_values())}
    for canary in CANARY_IDENTIFIERS + CANARY_AUTHORS:
        for place, content in places.items():
            assert canary.lower() not in content.lower(), f"{canary!r} leaked into {place}"
    assert any("<FI_PERSONAL_IDENTITY_CODE>" in text for text in stored_texts)
