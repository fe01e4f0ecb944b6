"""The first stage as a registered model: versioned, gated on recall, shadowed, promoted, rolled back."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app import components
from app.demo.sample import load_sample
from core.db.connection import transaction
from models.lifecycle import first_stage_gate, registry
from models.serving import first_stage
from tests.factories import make_item, shipped_first_stage

EVERYDAY = "Mistä saa halvimmat talvirenkaat Tampereelta? Nokian vai Michelin, kokemuksia?"
DISTRESS = "En jaksa enää mitään. Kaikki tuntuu turhalta ja olen niin väsynyt elämään."


def _saved(tmp_path, version: str, *, intercept: float | None = None):
    """A copy of the shipped first stage under ``version``; ``intercept`` overrides its bias."""
    shipped = shipped_first_stage()
    stage = replace(shipped, version=version, intercept=shipped.intercept if intercept is None else intercept)
    directory = tmp_path / version
    stage.save(directory, {"note": "test copy"})
    return directory


def test_a_fresh_database_activates_the_shipped_first_stage_and_collection_uses_it(settings, conn):
    registry.ensure_shipped_active(conn)
    active = registry.active(conn, registry.KIND_FIRST_STAGE)
    assert active is not None and active.version == shipped_first_stage().version
    assert registry.active(conn).kind == registry.KIND_TRANSFORMER, "each kind keeps its own active version"
    assert components.ingestor(settings, conn).first_stage.version == active.version
    assert components.ingestor(settings.model_copy(update={"first_stage": False}), conn).first_stage is None


def test_a_candidate_that_keeps_recall_passes_the_gate_shadows_and_can_be_promoted_and_rolled_back(
        tmp_path, settings, conn):
    registry.ensure_shipped_active(conn)
    shipped = registry.active(conn, registry.KIND_FIRST_STAGE).version
    candidate = registry.register(conn, _saved(tmp_path, "first-stage-twin"), actor="test", role="ml_engineer")
    with pytest.raises(registry.RegistryError, match="has not passed"):
        first_stage_gate.promote(conn, candidate, approved_by="mlops")

    result = first_stage_gate.gate_candidate(conn, candidate, first_stage.load(tmp_path / candidate), load_sample())
    assert result.passed and not result.reasons
    assert all(recall >= first_stage_gate.RECALL_TARGET for _, recall in result.recalls.values())
    assert registry.shadow(conn, registry.KIND_FIRST_STAGE).version == candidate
    assert registry.shadow(conn) is None, "a first-stage shadow is not a transformer shadow"
    assert components.ingestor(settings, conn).shadow_first_stage.version == candidate

    assert first_stage_gate.promote(conn, candidate, approved_by="mlops") == candidate
    assert registry.active(conn, registry.KIND_FIRST_STAGE).version == candidate
    assert registry.active(conn).kind == registry.KIND_TRANSFORMER, "promoting a first stage leaves the transformer"
    assert registry.rollback(conn, actor="mlops", role="ml_engineer", kind=registry.KIND_FIRST_STAGE) == shipped
    assert registry.active(conn, registry.KIND_FIRST_STAGE).version == shipped


def test_a_candidate_that_would_clear_risk_posts_is_refused_and_never_shadows(tmp_path, conn):
    registry.ensure_shipped_active(conn)
    candidate = registry.register(conn, _saved(tmp_path, "first-stage-blind", intercept=-60.0), actor="test",
                                  role="ml_engineer")
    result = first_stage_gate.gate_candidate(conn, candidate, first_stage.load(tmp_path / candidate), load_sample())
    assert not result.passed and any("below 0.99" in reason for reason in result.reasons)
    assert registry.shadow(conn, registry.KIND_FIRST_STAGE) is None
    with transaction(conn) as cur:
        assert not registry.latest_evaluation(cur, candidate)["passed"]
    with pytest.raises(registry.RegistryError, match="has not passed"):
        first_stage_gate.promote(conn, candidate, approved_by="mlops")


def test_a_shadow_first_stage_is_counted_and_decides_nothing(settings, conn, reddit_state):
    registry.ensure_shipped_active(conn)
    passes_everything = first_stage.FirstStage(
        "first-stage-open", np.zeros(first_stage.CHAR_FEATURES + first_stage.WORD_FEATURES), 60.0, 0.5)
    ingestor = replace(components.ingestor(settings, conn), shadow_first_stage=passes_everything)
    reddit_state.add([make_item("p00001", DISTRESS), make_item("p00002", EVERYDAY, age_minutes=20)])
    stats = ingestor.run(conn)
    assert (stats.stored, stats.cleared_first_stage) == (1, 1), "the active first stage still decides"
    assert (stats.shadow_would_pass, stats.shadow_would_clear) == (1, 0)
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'collect.run'")
        details = cur.fetchone()["details"]
    assert details["shadow_first_stage"] == "first-stage-open"
    assert details["first_stage"] == registry.active(conn, registry.KIND_FIRST_STAGE).version
