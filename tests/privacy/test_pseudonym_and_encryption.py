"""Keyed pseudonyms, encryption at rest, and redaction of the author's own name."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from privacy.encryption import DecryptionError, TextCipher
from privacy.known_names import known_name_spans
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


@pytest.mark.parametrize(("text", "names", "found"), [
    ("moi oon Lumikko77 ja", ["Lumikko77"], ["Lumikko77"]),
    ("LUMIKKO77 täällä, lumikko77 taas", ["Lumikko77"], ["LUMIKKO77", "lumikko77"]),
    ("Lumikko775 on eri tyyppi", ["Lumikko77"], []),
    ("u/Lumikko77 jätetään handle-tunnistimelle", ["Lumikko77"], []),
    ("en jaksa", ["en"], []),  # too short to replace safely
    ("ei nimeä", [None], []),
])
def test_known_names_are_found_as_whole_words(text, names, found):
    assert [text[start:end] for start, end in known_name_spans(text, names)] == found


def test_the_filter_replaces_the_posters_own_name_even_with_an_invisible_character_inside():
    from privacy.redaction import PrivacyFilter

    redaction = PrivacyFilter().redact("terveisin Lumi\u00adkko77, en jaksa", "fi", known_names=["Lumikko77"])
    assert redaction.text == "terveisin <HANDLE>, en jaksa"
    assert [e.type for e in redaction.entities] == ["AUTHOR_NAME"]
