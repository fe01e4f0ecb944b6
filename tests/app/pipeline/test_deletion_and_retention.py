"""Deletion sync and retention purge against real PostgreSQL and the local API."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import components
from app.demo.reddit_api import Fault
from app.pipeline.deletion_sync import sync_deletions
from app.pipeline.retention import purge_expired
from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from tests.factories import make_item

TEXTS = ["Haluun vaan kuolla, en jaksa enää", "Jag vill inte leva längre, orkar inte",
         "Ahdistaa ja yksinäistä joka ilta", "Mikä on paras pizza Tampereella?"]


@pytest.fixture
def stored(settings, conn, reddit_state):
    reddit_state.add([make_item(f"p{i:05d}", text, author=f"user_{i}", age_minutes=10 + i)
                      for i, text in enumerate(TEXTS)])
    # Every post stored (the first stage off): these tests are about what happens to stored rows.
    replace(components.ingestor(settings, conn), first_stage=None).run(conn)
    score_pending(conn, components.scorer(conn), components.cipher(settings))
    return conn


def _ids(conn) -> set[str]:
    with transaction(conn) as cur:
        cur.execute("SELECT source_id FROM posts")
        return {row["source_id"] for row in cur.fetchall()}


def test_items_deleted_or_removed_at_source_are_purged_with_their_scores(stored, settings, reddit_state):
    reddit_state.remove_at_source("t3_p00000", "[deleted]")
    reddit_state.remove_at_source("t3_p00001", "[removed]")
    stats = sync_deletions(stored, components.source(settings))
    assert (stats.checked, stats.purged) == (4, 2)
    assert _ids(stored) == {"t3_p00002", "t3_p00003"}
    with transaction(stored) as cur:
        cur.execute("SELECT count(*) AS n FROM scores")
        assert cur.fetchone()["n"] == 2
        cur.execute("SELECT details FROM audit_log WHERE action = 'retention.deletion_sync'")
        assert cur.fetchone()["details"] == {"checked": 4, "purged": 2}


def test_deletion_sync_failure_raises_clearly_and_keeps_everything(stored, settings, reddit_state):
    from collect.base import SourceError

    reddit_state.inject(*[Fault(status=503)] * 20)
    with pytest.raises(SourceError, match="info: HTTP 503"):
        sync_deletions(stored, components.source(settings))
    assert len(_ids(stored)) == 4


def test_retention_purges_only_expired_rows(stored):
    with transaction(stored) as cur:
        cur.execute("UPDATE posts SET purge_after = now() - interval '1 minute' WHERE source_id = 't3_p00000'")
    counts = purge_expired(stored)
    assert counts["posts"] == 1
    assert _ids(stored) == {"t3_p00001", "t3_p00002", "t3_p00003"}
    with transaction(stored) as cur:
        cur.execute("SELECT count(*) AS n FROM scores")
        assert cur.fetchone()["n"] == 3


def test_every_row_gets_a_purge_deadline_at_insert(stored):
    with transaction(stored) as cur:
        cur.execute("SELECT count(*) AS n FROM posts WHERE purge_after <= collected_at")
        assert cur.fetchone()["n"] == 0
        cur.execute("SELECT count(*) AS n FROM scores s JOIN posts p ON p.id = s.post_id "
                    "WHERE s.purge_after <> p.purge_after")
        assert cur.fetchone()["n"] == 0
