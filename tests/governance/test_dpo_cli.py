"""The DPO's commands end to end as a DPO runs them: real processes, real PostgreSQL."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from app import components
from tests.factories import make_item


def _majakka(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300, check=False)


def test_erase_then_find_it_in_the_exported_audit_log(settings, conn, reddit_state, tmp_path):
    reddit_state.add([make_item("p00001", "En jaksa enää mitään", author="Poistuva_Kayttaja")])
    components.ingestor(settings, conn).run(conn)

    erased = _majakka("erase", "--username", "u/Poistuva_Kayttaja", "--actor", "dpo-maria")
    assert erased.returncode == 0, erased.stderr
    assert json.loads(erased.stdout)["posts_removed"] == 1

    export = tmp_path / "audit.csv"
    exported = _majakka("audit", "--action", "erasure.", "--csv", str(export), "--actor", "dpo-maria")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(export.open(encoding="utf-8")))
    assert [(r["actor"], r["action"]) for r in rows] == [("dpo-maria", "erasure.request")]
    assert "poistuva" not in export.read_text(encoding="utf-8").lower()

    inventory = _majakka("inventory")
    assert inventory.returncode == 0
    assert inventory.stdout.splitlines()[1].split()[:2] == ["posts", "0"]

    history = _majakka("policy", "history")
    assert history.returncode == 0 and history.stdout.startswith("filter-")


def test_dpia_report_is_written_to_a_file(settings, tmp_path):
    target = tmp_path / "dpia.md"
    result = _majakka("dpia-report", "-o", str(target), "--actor", "dpo-maria")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Records of processing and DPIA support")
