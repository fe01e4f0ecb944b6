"""Each CLI command and its Airflow task call the same runner (``app.runners``), over a prepared database."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app import runners, tasks
from app.cli.main import main
from core.db.connection import transaction
from models.lifecycle import registry


@dataclass
class Counts:
    """Stands in for a stage's result: what both callers read from it."""

    failures: list[str] = field(default_factory=list)
    errors: int = 0
    passed: bool = True

    def counts(self) -> dict[str, int]:
        return {"recorded": 1}


#: (CLI arguments, the DAG task that runs the same stage, the runner both must call, what it returns)
PAIRS = [
    (["collect"], tasks.collect_filter_store, "collect", Counts()),
    (["score-pending"], lambda: tasks.score_range({"first_id": 1, "last_id": 9}), "score", Counts()),
    (["enqueue"], tasks.enqueue, "enqueue", Counts()),
    (["explain-queued"], tasks.explain_queued, "explain_queued", Counts()),
    (["sync-deletions"], tasks.sync_deletions, "sync_deletions", Counts()),
    (["purge-expired"], tasks.purge_expired, "purge_expired", {"posts": 0}),
    (["models", "gate", "v-candidate"], lambda: tasks.retrain_evaluate("v-candidate"), "gate", {"passed": True}),
    (["models", "promote", "v-candidate"], lambda: tasks.retrain_promote("v-candidate", "mlops"), "promote",
     "v-candidate"),
    (["models", "rollback"], lambda: tasks.rollback_model("mlops"), "rollback", "v-previous"),
]


@pytest.mark.parametrize(("argv", "task", "runner", "result"), PAIRS, ids=[" ".join(p[0]) for p in PAIRS])
def test_a_command_and_its_task_call_the_same_runner(settings, monkeypatch, capsys, argv, task, runner, result):
    calls: list[str] = []

    def recording(*args, **kwargs):
        calls.append(runner)
        return result

    monkeypatch.setattr(runners, runner, recording)
    assert main(argv) == 0
    task()
    assert calls == [runner, runner]


def test_running_a_stage_prepares_the_database_first(empty_database_url, monkeypatch, capsys):
    """Migrations, then the shipped model versions of both kinds: an empty database comes out ready to
    screen and score, with the newest of each kind active."""
    import psycopg2

    from core.config import get_settings

    monkeypatch.setenv("MAJAKKA_DATABASE_URL", empty_database_url)
    get_settings.cache_clear()
    try:
        versions = runners.run(lambda settings, conn: registry.versions(conn))
    finally:
        get_settings.cache_clear()
    for kind in registry.SPEC_FILES:
        shipped = [path.name for path in registry.shipped_versions(kind=kind)]
        assert shipped and sorted(v.version for v in versions if v.kind == kind) == shipped
        assert [v.version for v in versions if v.kind == kind and v.active] == shipped[-1:]
    conn = psycopg2.connect(empty_database_url)
    try:
        with transaction(conn) as cur:
            cur.execute("SELECT count(*) AS n FROM schema_migrations")
            assert cur.fetchone()["n"] > 0
    finally:
        conn.close()


def test_reading_the_active_model_registers_nothing(conn):
    """Scorer getters only read the registry: an unprepared database scores with the lexicon baseline."""
    from app import components

    assert components.active_version(conn).startswith("lexicon-")
    assert registry.versions(conn) == []
