"""Counsellor decisions become a versioned, encrypted, checked training export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from app import components
from core.db.connection import transaction
from models.lifecycle.label_export import (
    EXAMPLES_FILE,
    check_export,
    collect_labels,
    purge_expired_exports,
    read_export,
    write_export,
)
from models.training.data import Example
from outreach import workflow
from outreach.workflow import Worker
from tests.app.review.conftest import seed_suggestions


def _decide(conn, settings, ids: list[int]) -> None:
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('aino', 'Aino', 'counsellor') "
                    "RETURNING id")
        worker = Worker(cur.fetchone()["id"], "aino", "counsellor", None)
    policy = components.workflow_policy(settings)
    for suggestion_id in ids:
        workflow.claim(conn, worker, policy, suggestion_id)
    workflow.reach_out(conn, worker, policy, ids[0], draft_edited=False)           # confirms level 3
    workflow.dismiss(conn, worker, ids[1], "not_distress")
    workflow.relabel(conn, worker, ids[1], 1)                                       # corrected to 1
    workflow.dismiss(conn, worker, ids[2], "not_reachable")                         # not a label
    if len(ids) > 3:
        workflow.dismiss(conn, worker, ids[3], "helping_someone_else", confirmed=True)  # a false alarm: level 0


def test_corrections_confirmations_and_false_alarms_become_labels_other_dismissals_do_not(conn, settings):
    ids = seed_suggestions(conn, settings, [{"text": "En halua elää enää", "level": 3},
                                            {"text": "Peli meni taas pieleen, kuolen nauruun", "level": 2},
                                            {"text": "Väsyttää koko ajan", "level": 2},
                                            {"text": "Soita 112 nyt, olen sun kanssa", "level": 4}])
    _decide(conn, settings, ids)
    with transaction(conn) as cur:
        examples, purge_after = collect_labels(cur, components.cipher(settings))
    assert [(e.text, e.level, e.tags) for e in examples] == [
        ("En halua elää enää", 3, ("counsellor_confirmed",)),
        ("Peli meni taas pieleen, kuolen nauruun", 1, ("counsellor_corrected",)),
        ("Soita 112 nyt, olen sun kanssa", 0, ("counsellor_corrected",)),
    ]
    assert purge_after is not None and purge_after > datetime.now(UTC)


def test_export_is_encrypted_versioned_checked_audited_and_readable(conn, settings, tmp_path):
    ids = seed_suggestions(conn, settings, [{"text": "En halua elää enää", "level": 3},
                                            {"text": "Peli meni taas pieleen", "level": 2},
                                            {"text": "Väsyttää koko ajan", "level": 2}])
    _decide(conn, settings, ids)
    cipher = components.cipher(settings)
    manifest = write_export(conn, cipher, tmp_path, actor="mlops", role="ml_engineer")
    directory = tmp_path / manifest.version
    assert manifest.examples == 2 and manifest.by_level["3"] == 1 and manifest.by_level["1"] == 1
    assert b"halua" not in (directory / EXAMPLES_FILE).read_bytes()
    assert [e.level for e in read_export(directory, cipher)] == [3, 1]
    assert manifest.checks_passed and manifest.failed_checks == []  # two levels, two authors: balanced, no leakage
    with transaction(conn) as cur:
        cur.execute("SELECT object_id, details FROM audit_log WHERE action = 'labels.export'")
        event = cur.fetchone()
    assert event["object_id"] == manifest.version and event["details"]["examples"] == 2


def test_export_checks_catch_duplicates_imbalance_and_split_leakage():
    def example(i: int, text: str, level: int, group: str) -> Example:
        return Example(f"e{i}", text, "fi", level, group)

    balanced = [example(i, f"teksti numero {i}", i % 5, f"g{i}") for i in range(20)]
    assert check_export(balanced).passed
    duplicated = [*balanced, example(99, "Teksti numero 3 ", 3, "g99")]
    assert "text_sha256" in {f.column for f in check_export(duplicated).failures}
    lopsided = [example(i, f"teksti {i}", 2, f"g{i}") for i in range(10)]
    assert "level_share" in {f.column for f in check_export(lopsided).failures}


def test_exports_are_purged_when_their_rows_retention_ends(tmp_path):
    for name, days in (("old", -1), ("fresh", 10)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(json.dumps(
            {"purge_after": (datetime.now(UTC) + timedelta(days=days)).isoformat()}))
    assert purge_expired_exports(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["fresh"]


def test_export_command_says_when_there_is_nothing_to_export(settings):
    done = subprocess.run([sys.executable, "-m", "app.cli", "export-labels"], env=dict(os.environ),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "no counsellor decision is a training label yet" in done.stderr
