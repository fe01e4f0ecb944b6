"""The ML engineer's page shows the gate's verdicts and the shadow comparison (numbers, never text)."""

from __future__ import annotations

import json

from core.db.connection import transaction
from models.lifecycle import registry
from models.lifecycle.gate import compare
from tests.app.review.conftest import seed_suggestions
from tests.factories import shipped_model_twin


def _report(macro_f1: float, recall: float) -> dict:
    return {subset: {"n": 552, "macro_f1": macro_f1, "recall_high": recall} for subset in ("all", "fi", "sv")}


def test_models_page_lists_gate_results_and_the_shadow_comparison(signed_in, conn, settings, tmp_path):
    active = registry.ensure_shipped_active(conn).version
    registry.register(conn, shipped_model_twin(tmp_path, "e5-twin"), actor="test", role="ml_engineer")
    refused = compare(_report(0.61, 0.88), _report(0.70, 0.95))
    with transaction(conn) as cur:
        cur.execute("INSERT INTO model_evaluations (candidate, baseline, gold_set, gold_fingerprint, passed, reasons, "
                    "report) VALUES ('e5-twin', %s, 'gold-v1', 'f', false, %s, %s)",
                    (active, json.dumps(refused.reasons),
                     json.dumps({"candidate": refused.candidate, "baseline": refused.baseline})))
    registry.set_shadow(conn, "e5-twin", actor="test", role="ml_engineer")
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää yhtään", "level": 3}])
    with transaction(conn) as cur:
        cur.execute("INSERT INTO scores (post_id, model_version, level, probabilities, explanation, purge_after) "
                    "SELECT post_id, %s, 3, '{0,0,0,1,0}', '[]', now() + interval '1 day' FROM suggestions "
                    "WHERE id = %s", (active, ids[0]))
        cur.execute("INSERT INTO shadow_scores (post_id, model_version, level, probabilities, purge_after) "
                    "SELECT post_id, 'e5-twin', 1, '{0,1,0,0,0}', now() + interval '1 day' FROM suggestions "
                    "WHERE id = %s", (ids[0],))

    page = signed_in("mlops").get("/models").text
    assert "refused" in page and "all: recall at levels &gt;= 3 fell from 0.950 to 0.880" in page
    assert "0.610 / 0.700" in page
    assert "Shadow model e5-twin beside the active" in page and "1 post(s) scored by both" in page
    assert "(+0 / -1)" in page, "the shadow would have dropped the one queued post"
    assert "En jaksa" not in page
