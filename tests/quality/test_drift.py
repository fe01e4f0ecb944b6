"""Score drift against the model's own reference: alerts, never quarantines."""

from __future__ import annotations

import pytest

from app import components
from app.pipeline.quality_gates import check_scores
from core.db.connection import transaction
from quality.drift import MIN_BATCH, REFERENCE_ROWS, level_shares, total_variation
from tests.app.pipeline.test_quality_gates import _store_unfiltered

MODEL = "drift-model-1"


def _score(conn, cipher, start: int, levels: list[int]) -> None:
    for offset in range(len(levels)):
        _store_unfiltered(conn, cipher, f"t3_d{start + offset}", "Tavallinen päivä")
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM posts WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.post_id = posts.id) "
                    "ORDER BY id")
        ids = [row["id"] for row in cur.fetchall()]
        for post_id, level in zip(ids, levels, strict=True):
            probabilities = [0.0] * 5
            probabilities[level] = 1.0
            cur.execute("INSERT INTO scores (post_id, model_version, level, probabilities, purge_after) "
                        "VALUES (%s, %s, %s, %s, now() + interval '1 day')", (post_id, MODEL, level, probabilities))


def _alerts(conn) -> list[dict]:
    with transaction(conn) as cur:
        cur.execute("SELECT suite, passed FROM quality_checks WHERE suite = 'score_drift' ORDER BY id")
        return [dict(r) for r in cur.fetchall()]


def test_distance_is_half_the_l1_distance_between_level_shares():
    assert level_shares([0, 0, 1, 4]) == [0.5, 0.25, 0.0, 0.0, 0.25]
    assert total_variation([1, 0, 0, 0, 0], [0, 0, 0, 0, 1]) == 1.0
    assert total_variation([0.5, 0.5, 0, 0, 0], [0.5, 0.5, 0, 0, 0]) == 0.0


def test_a_shifted_batch_alerts_but_is_not_quarantined(settings, conn):
    cipher = components.cipher(settings)
    mostly_calm = [0] * 150 + [1] * 30 + [2] * 12 + [3] * 6 + [4] * 2
    assert len(mostly_calm) == REFERENCE_ROWS
    _score(conn, cipher, 0, mostly_calm)
    check_scores(conn, MODEL)  # the reference is made from these first scores; nothing to compare yet
    assert _alerts(conn) == []
    _score(conn, cipher, 1000, [0] * 40 + [1] * 8 + [2] * 2)  # like the reference
    check_scores(conn, MODEL)
    _score(conn, cipher, 2000, [4] * 30 + [3] * 20)            # a surge of crisis scores
    report = check_scores(conn, MODEL)
    assert [a["passed"] for a in _alerts(conn)] == [True, False]
    assert report.quarantined == 0
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts WHERE quarantined_at IS NOT NULL")
        assert cur.fetchone()["n"] == 0
        cur.execute("SELECT object_id, details FROM audit_log WHERE action = 'quality.alert'")
        alert = cur.fetchone()
    assert alert["object_id"] == f"scored:{MODEL}" and alert["details"] == {"suite": "score_drift", "rows": 50}


@pytest.mark.parametrize("batch", [MIN_BATCH - 1])
def test_small_batches_are_not_compared(settings, conn, batch):
    cipher = components.cipher(settings)
    _score(conn, cipher, 0, [0] * REFERENCE_ROWS)
    check_scores(conn, MODEL)
    _score(conn, cipher, 5000, [4] * batch)
    check_scores(conn, MODEL)
    assert _alerts(conn) == []
