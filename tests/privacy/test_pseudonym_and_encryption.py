"""Keyed pseudonyms, encryption at rest, and redaction of the author's own name."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from privacy.encryption import DecryptionError, TextCipher
from privacy.known_names import redact_known_names
from privacy.pseudonym import Pseudonymizer


def test_pseudonym_is_keyed_stable_and_case_insensitive():
    first = Pseudonymizer.from_keys(b"k" * 32)
    assert first.pseudonym("reddit", "Matti_V") == first.pseudonym("reddit", "matti_v")
    assert first.pseudonym("reddit", "Matti_V") != Pseudonymizer.from_keys(b"j" * 32).pseudonym("reddit", "Matti_V")
    assert first.pseudonym("reddit", "Matti_V") != first.pseudonym("other", "Matti_V")
    assert len(first.pseudonym("reddit", "x")) == 64


def test_key_id_does_not_reveal_the_key():
    key = b"secret-key-material-32-bytes-long!!"
    assert key.decode() not in Pseudonymizer.from_keys(key).key_id
    assert len(Pseudonymizer.from_keys(key).key_id) == 12


def test_encryption_round_trips_and_hides_text():
    cipher = TextCipher(Fernet.generate_key())
    token = cipher.encrypt("en jaksa enää 😔")
    assert b"jaksa" not in token
    assert cipher.decrypt(token) == "en jaksa enää 😔"


def test_wrong_key_is_a_clear_error():
    token = TextCipher(Fernet.generate_key()).encrypt("teksti")
    with pytest.raises(DecryptionError, match="MAJAKKA_ENCRYPTION_KEY"):
        TextCipher(Fernet.generate_key()).decrypt(token)


@pytest.mark.parametrize(("text", "names", "expected", "count"), [
    ("moi oon Lumikko77 ja", ["Lumikko77"], "moi oon <HANDLE> ja", 1),
    ("LUMIKKO77 täällä, lumikko77 taas", ["Lumikko77"], "<HANDLE> täällä, <HANDLE> taas", 2),
    ("Lumikko775 on eri tyyppi", ["Lumikko77"], "Lumikko775 on eri tyyppi", 0),
    ("u/Lumikko77 jätetään handle-tunnistimelle", ["Lumikko77"], "u/Lumikko77 jätetään handle-tunnistimelle", 0),
    ("en jaksa", ["en"], "en jaksa", 0),  # too short to replace safely
    ("ei nimeä", [None], "ei nimeä", 0),
])
def test_known_names_are_redacted_as_whole_words(text, names, expected, count):
    assert redact_known_names(text, names) == (expected, count)
