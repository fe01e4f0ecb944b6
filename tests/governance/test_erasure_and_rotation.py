"""Erasure by username and key rotation, against real PostgreSQL and the local API."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet

from app import components
from app.pipeline.scoring import score_pending
from core.config import get_settings
from core.db.connection import transaction
from governance.erasure import erase_author
from outreach.queue import enqueue_scored
from privacy.encryption import DecryptionError, TextCipher
from privacy.key_rotation import rotate_stored_text
from tests.factories import make_item

DISTRESS = "Haluun vaan kuolla, en jaksa enää tätä elämää"


def _count(conn, sql: str) -> int:
    with transaction(conn) as cur:
        cur.execute(sql)
        return cur.fetchone()["n"]


def _collect_and_queue(conn, settings) -> None:
    components.ingestor(settings, conn).run(conn)
    score_pending(conn, components.scorer(conn), components.cipher(settings))
    enqueue_scored(conn, model_version=components.scorer(conn).version, policy=components.queue_policy(settings, conn))


def _rotate_pseudonym_key(monkeypatch, settings) -> None:
    old = settings.pseudonym_key.get_secret_value()
    monkeypatch.setenv("MAJAKKA_PSEUDONYM_KEY", "a-brand-new-pseudonym-key-" + "n" * 20)
    monkeypatch.setenv("MAJAKKA_PSEUDONYM_PREVIOUS_KEYS", old)
    get_settings.cache_clear()


def test_erasure_removes_every_row_about_the_author_and_audits_without_username(settings, conn, reddit_state):
    reddit_state.add([make_item("p00001", DISTRESS, author="Poistettava_Tyyppi", age_minutes=30),
                      make_item("c00001", DISTRESS + " taas", kind="t1", parent="p00001",
                                author="Poistettava_Tyyppi", age_minutes=20),
                      make_item("p00002", DISTRESS, author="joku_muu", age_minutes=10)])
    _collect_and_queue(conn, settings)
    assert _count(conn, "SELECT count(*) AS n FROM suggestions") == 2
    result = erase_author(conn, source="reddit", username="u/poistettava_tyyppi",
                          pseudonymizer=components.pseudonymizer(settings), actor="dpo-anna", role="dpo")
    assert (result.posts_removed, result.suggestions_removed) == (2, 1)
    assert _count(conn, "SELECT count(*) AS n FROM posts") == 1
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM audit_log WHERE action = 'erasure.request'")
        event = cur.fetchone()
    assert event["object_id"] == result.request_id
    assert "poistettava" not in json.dumps(event, default=str).lower()


def test_erasure_finds_rows_made_before_a_pseudonym_key_rotation(settings, conn, reddit_state, monkeypatch):
    reddit_state.add([make_item("p00001", DISTRESS, author="Vanha_Kayttaja", age_minutes=30)])
    components.ingestor(settings, conn).run(conn)
    _rotate_pseudonym_key(monkeypatch, settings)
    rotated = get_settings()
    reddit_state.add([make_item("p00002", DISTRESS + "!", author="Vanha_Kayttaja", age_minutes=5)])
    components.ingestor(rotated, conn).run(conn)
    assert _count(conn, "SELECT count(DISTINCT pseudonym_key_id) AS n FROM posts") == 2
    result = erase_author(conn, source="reddit", username="Vanha_Kayttaja",
                          pseudonymizer=components.pseudonymizer(rotated), actor="dpo", role="dpo")
    assert (result.posts_removed, result.keys_checked) == (2, 2)
    assert _count(conn, "SELECT count(*) AS n FROM posts") == 0


def test_without_the_retired_key_old_rows_are_not_found(settings, conn, reddit_state, monkeypatch):
    reddit_state.add([make_item("p00001", DISTRESS, author="Vanha_Kayttaja")])
    components.ingestor(settings, conn).run(conn)
    monkeypatch.setenv("MAJAKKA_PSEUDONYM_KEY", "a-brand-new-pseudonym-key-" + "n" * 20)
    get_settings.cache_clear()
    result = erase_author(conn, source="reddit", username="Vanha_Kayttaja",
                          pseudonymizer=components.pseudonymizer(get_settings()), actor="dpo", role="dpo")
    assert result.posts_removed == 0


def test_empty_username_is_refused(settings, conn):
    with pytest.raises(ValueError, match="needs a username"):
        erase_author(conn, source="reddit", username=" u/ ", pseudonymizer=components.pseudonymizer(settings),
                     actor="dpo", role="dpo")


def test_encryption_rotation_rewrites_rows_so_the_old_key_can_go(settings, conn, reddit_state, monkeypatch):
    reddit_state.add([make_item("p00001", DISTRESS), make_item("p00002", DISTRESS + " ikuisesti", author="x_2")])
    components.ingestor(settings, conn).run(conn)
    old_key = settings.encryption_key.get_secret_value()
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("MAJAKKA_ENCRYPTION_KEY", new_key)
    monkeypatch.setenv("MAJAKKA_ENCRYPTION_PREVIOUS_KEYS", old_key)
    get_settings.cache_clear()
    assert rotate_stored_text(conn, components.cipher(get_settings()), actor="dpo", role="dpo") == 2
    only_new = TextCipher(new_key.encode())
    with transaction(conn) as cur:
        cur.execute("SELECT text_encrypted FROM posts")
        texts = [only_new.decrypt(row["text_encrypted"]) for row in cur.fetchall()]
    assert all("jaksa" in text for text in texts)
    with pytest.raises(DecryptionError):
        TextCipher(old_key.encode()).decrypt(TextCipher(new_key.encode()).encrypt("x"))
