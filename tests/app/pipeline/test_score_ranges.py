"""Mapped scoring: the range size setting decides how many tasks one collection becomes."""

from __future__ import annotations

from app import runners
from core.db.connection import transaction
from tests.outreach.test_queue import _store, cipher  # noqa: F401 - fixtures


def test_ranges_follow_the_range_size_setting_and_cover_every_post(settings, conn, cipher):  # noqa: F811
    for index in range(5):
        _store(conn, cipher, f"t3_r{index}", f"level=0 viesti {index}", author=f"{index}" * 64)
    ranges = runners.plan_score_batches(settings.model_copy(update={"score_range_size": 2}), conn)
    assert len(ranges) == 3
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM posts")
        ids = {row["id"] for row in cur.fetchall()}
    covered = [post_id for post_id in sorted(ids) for r in ranges if r.first_id <= post_id <= r.last_id]
    assert covered == sorted(ids)  # every post in exactly one range
    assert len(runners.plan_score_batches(settings, conn)) == 1
