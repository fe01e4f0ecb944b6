"""Every interface string has a Finnish and a Swedish translation, and pages render in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from app.review.i18n import LANGUAGES, Translator, catalogue, negotiate
from core.db.connection import transaction
from tests.app.review.conftest import csrf_of

REVIEW_DIR = Path(__file__).resolve().parents[3] / "app" / "review"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "translate": None}


def used_messages() -> set[str]:
    """Messages the templates and the Python code pass to the gettext functions."""
    found = extract_from_dir(str(REVIEW_DIR), [("templates/**.html", "jinja2"), ("**.py", "python")],
                             keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_extraction_finds_the_interface_strings():
    messages = used_messages()
    assert len(messages) > 150
    assert {"Help the next most urgent", "Crisis", "Sign in", "Escalation checklist"} <= messages


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated_with_the_same_placeholders(language):
    translations = catalogue(language)
    missing = sorted(m for m in used_messages() if not translations.get(m))
    assert missing == []
    for message, translated in translations.items():
        assert set(re.findall(r"\{\w+\}", message)) == set(re.findall(r"\{\w+\}", translated)), message


def test_translator_formats_values_and_falls_back_to_english():
    assert Translator("fi").gettext("Item #{id}", id=7).endswith("7")
    assert Translator("en").gettext("Item #{id}", id=7) == "Item #7"
    assert Translator("sv").gettext("a string nobody translated") == "a string nobody translated"


def test_language_negotiation_prefers_choice_then_browser_then_finnish():
    assert negotiate("sv-SE,sv;q=0.9,en;q=0.8") == "sv"
    assert negotiate("de-DE,en;q=0.5") == "en"
    assert negotiate(None) == "fi"
    assert negotiate("sv", cookie="en") == "en"
    assert set(LANGUAGES) == {"fi", "sv", "en"}


def test_login_page_follows_the_chosen_language(make_client):
    client = make_client()
    swedish = client.get("/login?lang=sv").text
    assert 'lang="sv"' in swedish and Translator("sv").gettext("Sign in") in swedish
    assert 'lang="sv"' in client.get("/login").text  # the choice is remembered in a cookie
    finnish = make_client().get("/login", headers={"accept-language": "fi-FI"}).text
    assert Translator("fi").gettext("Sign in") in finnish


def test_a_user_switches_the_interface_language(signed_in, conn):
    client = signed_in("aino")
    assert "Help the next most urgent" in client.get("/queue").text
    client.post("/me/preferences", data={"csrf_token": csrf_of(client), "ui_language": "sv", "blur_text": "true"})
    page = client.get("/queue").text
    assert Translator("sv").gettext("Help the next most urgent") in page and 'lang="sv"' in page
    with transaction(conn) as cur:
        cur.execute("SELECT ui_language FROM users WHERE username = 'aino'")
        assert cur.fetchone()["ui_language"] == "sv"
