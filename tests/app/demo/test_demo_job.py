"""The README's main job end to end: sample API -> `airflow dags test` -> queue printed."""

from __future__ import annotations

import pytest

from app.demo.job import run_demo
from core.config import get_settings
from core.db.connection import transaction


@pytest.fixture
def demo_env(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("MAJAKKA_HOME", str(tmp_path))
    monkeypatch.setenv("MAJAKKA_DATABASE_URL", database_url)
    monkeypatch.delenv("MAJAKKA_REDDIT_BASE_URL", raising=False)
    monkeypatch.delenv("MAJAKKA_SUBREDDITS", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_demo_runs_the_dag_over_the_sample_and_prints_the_queue(demo_env, conn, capsys):
    assert run_demo(queue_limit=5) == 0
    out = capsys.readouterr().out
    assert "Running DAG majakka_collect" in out and "Running DAG majakka_score" in out
    assert "Outreach queue: 5 open item(s) shown" in out
    assert out.count("draft:") == 5
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        assert cur.fetchone()["n"] > 300
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'queue.view' AND actor = 'demo'")
        assert cur.fetchone()["n"] == 1
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'score.run'")
        assert cur.fetchone()["n"] >= 2, "scoring ran as several mapped tasks"
    scored_line = next(line for line in out.splitlines() if line.strip().startswith("score "))
    assert '"scored": ' in scored_line
