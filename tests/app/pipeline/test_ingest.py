"""One collection pass against real PostgreSQL and the local API: what is stored, dropped, kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from app import components
from app.demo.reddit_api import Fault
from core.db.connection import transaction
from models.lifecycle import registry
from tests.factories import make_item

FI_DISTRESS = "En jaksa enää mitään, soita mulle 040 123 4567 jos joku lukee tätä"
SV_TEXT = "Orkar inte plugga mer ikväll, tentan är imorgon och jag är helt slut"
EN_TEXT = "Does anyone know a good pizza place in Helsinki that is open late on Sundays?"


def _rows(conn, sql: str, params: tuple = ()) -> list[dict]:
    with transaction(conn) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


@pytest.fixture
def ingestor(settings, conn):
    registry.ensure_shipped_active(conn)  # as every run does: the shipped first stage is active
    return components.ingestor(settings, conn)


def test_stores_only_finnish_and_swedish_redacted_and_encrypted(ingestor, conn, reddit_state, settings):
    reddit_state.add([
        make_item("p00001", FI_DISTRESS, author="Kahvikuppi_92"),
        make_item("p00002", SV_TEXT, subreddit="sweden", author="kanelbulle"),
        make_item("p00003", EN_TEXT, author="tourist"),
        make_item("p00004", "[removed]", author="[deleted]"),
    ])
    stats = ingestor.run(conn)
    assert stats.counts() == {"fetched": 4, "stored": 2, "duplicates": 0, "dropped_language": 1,
                              "cleared_first_stage": 0, "kept_for_second_look": 0,
                              "shadow_would_clear": 0, "shadow_would_pass": 0, "skipped_deleted": 1,
                              "dropped_opted_out": 0, "communities_without_consent": 0,
                              "filter_failed": 0, "cut": 0, "errors": 0}
    rows = _rows(conn, "SELECT source_id, language, text_encrypted, author_pseudonym, filter_version, "
                       "purge_after - collected_at AS kept FROM posts ORDER BY source_id")
    assert [(r["source_id"], r["language"]) for r in rows] == [("t3_p00001", "fi"), ("t3_p00002", "sv")]
    cipher = components.cipher(settings)
    finnish = cipher.decrypt(rows[0]["text_encrypted"])
    assert "040 123 4567" not in finnish and "<PHONE>" in finnish and "En jaksa enää" in finnish
    assert b"jaksa" not in bytes(rows[0]["text_encrypted"])
    assert rows[0]["author_pseudonym"] == components.pseudonymizer(settings).pseudonym("reddit", "Kahvikuppi_92")
    assert rows[0]["filter_version"] == components.privacy_filter().version
    assert rows[0]["kept"].days == settings.retention_days


def test_rerun_adds_nothing_and_cursor_fetches_only_new(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS, age_minutes=30)])
    ingestor.run(conn)
    again = ingestor.run(conn)
    assert again.fetched == 0 and again.stored == 0
    reddit_state.add([make_item("p00002", SV_TEXT, subreddit="sweden", age_minutes=1)])
    third = ingestor.run(conn)
    assert third.stored == 1
    assert _rows(conn, "SELECT count(*) AS n FROM posts")[0]["n"] == 2


def test_items_seen_twice_are_counted_as_duplicates(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS)])
    ingestor.run(conn)
    with transaction(conn) as cur:
        cur.execute("DELETE FROM source_cursors")
    stats = ingestor.run(conn)
    assert (stats.stored, stats.duplicates) == (0, 1)


def test_author_name_in_text_is_redacted(ingestor, conn, reddit_state, settings):
    reddit_state.add([make_item("p00001", "Moi, mä oon Lumikko77 ja mua ahdistaa ihan hirveesti", author="Lumikko77")])
    ingestor.run(conn)
    row = _rows(conn, "SELECT text_encrypted, entity_counts FROM posts")[0]
    text = components.cipher(settings).decrypt(row["text_encrypted"])
    assert "Lumikko77" not in text and "<HANDLE>" in text
    assert row["entity_counts"]["AUTHOR_NAME"] == 1


def test_source_failure_keeps_stored_items_and_does_not_advance_cursor(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS)])
    reddit_state.inject(Fault())  # Suomi submissions answered
    reddit_state.inject(*[Fault(status=503)] * 60)  # everything after fails
    stats = ingestor.run(conn)
    assert stats.stored == 1
    assert stats.errors == 3  # Suomi comments, sweden submissions, sweden comments
    assert all("HTTP 503" in failure for failure in stats.failures)
    cursors = _rows(conn, "SELECT community, stream FROM source_cursors")
    assert cursors == [{"community": "Suomi", "stream": "submissions"}]


def test_audit_log_records_the_run_without_text(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS)])
    ingestor.run(conn)
    event = _rows(conn, "SELECT actor, action, details FROM audit_log WHERE action = 'collect.run'")[0]
    assert event["details"]["stored"] == 1
    assert "jaksa" not in json.dumps(event["details"])


@pytest.mark.parametrize("text", ["", "😭😭😭", "🙂 " * 3000, "ok", "a" * 40_000,
                                  "Mä en jaksa, i can't anymore, jag orkar inte"])
def test_odd_texts_never_break_a_run(ingestor, conn, reddit_state, text):
    reddit_state.add([make_item("p00001", text), make_item("p00002", FI_DISTRESS, age_minutes=20)])
    stats = ingestor.run(conn)
    assert stats.errors == 0
    assert stats.stored + stats.dropped_language + stats.cleared_first_stage == 2


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300, check=False)


def test_cli_collect_prints_one_json_line(settings, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS), make_item("p00002", EN_TEXT)])
    result = _cli("collect")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts == {"fetched": 2, "stored": 1, "duplicates": 0, "dropped_language": 1, "cleared_first_stage": 0,
                      "kept_for_second_look": 0, "shadow_would_clear": 0, "shadow_would_pass": 0,
                      "skipped_deleted": 0, "dropped_opted_out": 0,
                      "communities_without_consent": 0, "filter_failed": 0, "cut": 0, "errors": 0}


def test_cli_collect_fails_with_one_line_reason_and_keeps_data(settings, reddit_state, conn):
    reddit_state.add([make_item("p00001", FI_DISTRESS)])
    reddit_state.inject(Fault(), *[Fault(status=500)] * 200)
    result = _cli("collect")
    assert result.returncode == 1
    reason = [line for line in result.stderr.splitlines() if line.startswith("collection failed")]
    assert len(reason) == 1 and "HTTP 500" in reason[0] and "stored items kept" in reason[0]
    assert json.loads(result.stdout.strip().splitlines()[-1])["stored"] == 1
    assert _rows(conn, "SELECT count(*) AS n FROM posts")[0]["n"] == 1


def test_cli_reports_missing_secret_by_name(monkeypatch, tmp_path):
    monkeypatch.delenv("MAJAKKA_PSEUDONYM_KEY")
    monkeypatch.setenv("MAJAKKA_HOME", str(tmp_path))
    result = _cli("collect")
    assert result.returncode == 2
    assert "MAJAKKA_PSEUDONYM_KEY: missing; expected a secret of at least 32 characters" in result.stderr


EVERYDAY = "Mistä saa halvimmat talvirenkaat Tampereelta? Nokian vai Michelin, kokemuksia?"


def test_the_first_stage_clears_everyday_posts_before_anything_is_stored(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS), make_item("p00002", EVERYDAY, age_minutes=20)])
    stats = ingestor.run(conn)
    assert (stats.stored, stats.cleared_first_stage, stats.kept_for_second_look) == (1, 1, 0)
    assert [row["source_id"] for row in _rows(conn, "SELECT source_id FROM posts")] == ["t3_p00001"]
    event = _rows(conn, "SELECT details FROM audit_log WHERE action = 'collect.run'")[0]
    assert event["details"]["cleared_first_stage"] == 1


def test_a_reply_in_a_thread_that_goes_on_is_kept_even_if_everyday_on_its_own(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS),
                      make_item("c00001", "samaa mieltä, hyvä pointti", kind="t1", parent="p00001"),
                      make_item("c00002", "samaa mieltä, hyvä pointti", kind="t1", parent="p00002"),
                      make_item("p00002", EVERYDAY, age_minutes=30)])
    stats = ingestor.run(conn)
    stored = {row["source_id"] for row in _rows(conn, "SELECT source_id FROM posts")}
    assert stored == {"t3_p00001", "t1_c00001"}
    assert stats.cleared_first_stage == 2


def test_a_reply_to_a_post_stored_in_an_earlier_run_is_kept(ingestor, conn, reddit_state):
    reddit_state.add([make_item("p00001", FI_DISTRESS, age_minutes=60)])
    ingestor.run(conn)
    reddit_state.add([make_item("c00001", "samaa mieltä, hyvä pointti", kind="t1", parent="p00001", age_minutes=5)])
    assert ingestor.run(conn).stored == 1


def test_cleared_posts_in_the_second_look_sample_are_stored(ingestor, conn, reddit_state):
    everything = replace(ingestor, second_look_rate=1.0)
    reddit_state.add([make_item("p00002", EVERYDAY)])
    stats = everything.run(conn)
    assert (stats.stored, stats.cleared_first_stage, stats.kept_for_second_look) == (1, 0, 1)


def test_without_the_first_stage_every_kept_language_post_is_stored(settings, conn, reddit_state):
    registry.ensure_shipped_active(conn)
    reddit_state.add([make_item("p00002", EVERYDAY)])
    stats = components.ingestor(settings.model_copy(update={"first_stage": False}), conn).run(conn)
    assert (stats.stored, stats.cleared_first_stage) == (1, 0)


class _BreaksOn:
    """The real filter, except that it raises on one text (a detector bug meeting one post)."""

    def __init__(self, real, marker: str) -> None:
        self.real, self.marker = real, marker

    @property
    def version(self) -> str:
        return self.real.version

    def redact(self, text, language, known_names=()):
        if self.marker in text:
            raise RuntimeError("detector bug")
        return self.real.redact(text, language, known_names)

    def redact_many(self, texts, languages, known_names=None):
        if any(self.marker in text for text in texts):
            raise RuntimeError("detector bug")
        return self.real.redact_many(texts, languages, known_names)


def test_an_item_the_filter_fails_on_is_not_stored_and_the_run_goes_on(settings, conn, reddit_state, caplog):
    broken = replace(components.ingestor(settings, conn), text_filter=_BreaksOn(components.privacy_filter(), "Q-BUG"))
    reddit_state.add([make_item("p00001", FI_DISTRESS),
                      make_item("p00002", "En jaksa enää Q-BUG", age_minutes=20),
                      make_item("p00003", "Jag orkar inte mer, ingen bryr sig", subreddit="sweden", age_minutes=30)])
    stats = broken.run(conn)
    assert (stats.stored, stats.filter_failed, stats.errors) == (2, 1, 0)
    assert {row["source_id"] for row in _rows(conn, "SELECT source_id FROM posts")} == {"t3_p00001", "t3_p00003"}
    assert "Q-BUG" not in caplog.text and "jaksa" not in caplog.text
