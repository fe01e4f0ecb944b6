"""`majakka models`: the gate, promotion only after a passed gate, shadow mode and rollback from the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

from models.lifecycle import registry
from tests.factories import shipped_model_twin


def _models(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "models", *args, "--actor", "mlops"],
                          env=dict(os.environ), capture_output=True, text=True, timeout=600)


def test_a_version_is_promoted_only_after_passing_the_gate_and_can_be_rolled_back(conn, settings, tmp_path):
    shipped = registry.ensure_shipped_active(conn).version
    twin = shipped_model_twin(tmp_path, "e5-twin")
    assert _models("register", str(twin)).stdout.strip() == "e5-twin"

    refused = _models("promote", "e5-twin")
    assert refused.returncode == 1 and "has not passed the evaluation gate" in refused.stderr
    assert _models("shadow", shipped).returncode == 1, "the active version cannot shadow itself"
    assert _models("shadow", "e5-twin").returncode == 0
    assert "s e5-twin" in _models("list").stdout

    gate = _models("gate", "e5-twin")
    assert gate.returncode == 0, gate.stderr
    assert '"passed": true' in gate.stdout and '"gold_n": 552' in gate.stdout
    assert _models("promote", "e5-twin").stdout.strip() == "active: e5-twin"
    assert registry.active(conn).version == "e5-twin" and registry.shadow(conn) is None
    assert _models("rollback").stdout.strip() == f"active: {shipped}"
    assert "no shadow model" in _models("shadow-report").stderr
