"""The load benchmark's own correctness: what it seeds is a real queue, and its percentiles are right."""

from __future__ import annotations

from benchmarks.review_load import percentile, seed
from core.db.connection import transaction
from outreach.worklist import WorklistFilter, worklist


def test_the_seeded_queue_is_what_the_app_lists(settings, conn) -> None:
    seed(settings.database_url, 30, 2)
    with transaction(conn) as cur:
        rows = worklist(cur, WorklistFilter(), limit=100)
        cur.execute("SELECT username FROM users WHERE role = 'counsellor' ORDER BY username")
        reviewers = [row["username"] for row in cur.fetchall()]
    assert len(rows) == 30
    assert {row.language for row in rows} == {"fi", "sv"} and {int(row.level) for row in rows} == {2, 3, 4}
    assert [int(row.level) for row in rows] == sorted((int(row.level) for row in rows), reverse=True)
    assert reviewers == ["reviewer0", "reviewer1"]


def test_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 96.0
    assert percentile(values, 0.5) == 51.0
    assert percentile([7.0], 0.95) == 7.0
