"""The public transparency and opt-out pages, and the admin's consent page, through the app."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app import components
from app.review.app import create_app
from core.db.connection import transaction
from tests.app.review.conftest import csrf_of, seed_suggestions


def _about(settings) -> str:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        return client.get("/about?lang=en").text


def test_transparency_page_is_generated_from_the_live_configuration(settings, conn):
    page = _about(settings)
    assert "deleted after 30 days" in page and "more than once within 14 days" in page
    assert "r/Suomi" in page and "test moderators" in page
    assert settings.dpo_contact in page
    changed = _about(settings.model_copy(update={"retention_days": 45, "cooldown_days": 21,
                                                 "dpo_contact": "tietosuoja@kunta.example"}))
    assert "deleted after 45 days" in changed and "more than once within 21 days" in changed
    assert "tietosuoja@kunta.example" in changed
    with transaction(conn) as cur:
        cur.execute("UPDATE consent_records SET withdrawn_at = now() FROM communities c "
                    "WHERE c.id = consent_records.community_id AND c.name = 'Suomi'")
    assert "r/Suomi" not in _about(settings)


def test_transparency_page_needs_no_login_and_speaks_three_languages(make_client):
    client = make_client()
    pages = {lang: client.get(f"/about?lang={lang}") for lang in ("fi", "sv", "en")}
    assert all(page.status_code == 200 for page in pages.values())
    assert all(f'<html lang="{lang}">' in page.text for lang, page in pages.items())
    assert "A human always decides" in pages["en"].text
    assert "A human always decides" not in pages["fi"].text and "A human always decides" not in pages["sv"].text


def test_public_opt_out_purges_and_is_protected_against_forged_posts(make_client, conn, settings):
    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", "Nimetön_42")
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": pseudonym}])
    client = make_client()
    forged = client.post("/opt-out", data={"username": "Nimetön_42", "form_token": "guess"})
    assert forged.status_code == 403
    page = client.get("/opt-out?lang=en")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/opt-out", data={"username": "u/Nimetön_42", "form_token": token})
    assert done.status_code == 200 and 'id="opt-out-done"' in done.text
    assert "Nimetön_42" not in done.text
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs")
        assert dict(cur.fetchone()) == {"posts": 0, "opt_outs": 1}


def test_admin_records_and_withdraws_consent_in_the_app(signed_in, conn):
    admin = signed_in("admin")
    response = admin.post("/admin/communities", data={
        "csrf_token": csrf_of(admin), "community": "r/Helsinki", "agreed_by": "r/Helsinki moderators",
        "agreed_on": "2026-11-01", "scope": "public posts", "review_due": "2027-11-01", "document_ref": "MOD-12"},
        follow_redirects=False)
    assert response.status_code == 303
    assert "r/Helsinki moderators" in admin.get("/admin/communities").text
    refused = admin.post("/admin/communities", data={
        "csrf_token": csrf_of(admin), "community": "Oulu", "agreed_by": "mods", "agreed_on": "2026-11-01",
        "scope": "public posts", "review_due": "2026-10-01", "document_ref": "MOD-13"})
    assert refused.status_code == 400 and "review date must come after" in refused.text
    admin.post("/admin/communities/Helsinki/withdraw", data={"csrf_token": csrf_of(admin)})
    with transaction(conn) as cur:
        cur.execute("SELECT action, actor FROM audit_log WHERE action LIKE 'consent.%%' AND actor = 'admin' "
                    "ORDER BY id")
        assert [r["action"] for r in cur.fetchall()] == ["consent.record", "consent.withdraw"]


def test_counsellors_cannot_manage_consent(signed_in):
    counsellor = signed_in("aino")
    assert counsellor.get("/admin/communities").status_code == 403


def test_the_public_page_names_the_controller_legal_basis_complaint_authorities_and_genuine_messages(settings, conn):
    page = _about(settings.model_copy(update={"controller": "Vaasan kaupunki"}))
    assert "run by Vaasan kaupunki, the controller" in page.split('id="controller"')[1].split("</p>")[0]
    basis = page.split('id="legal-basis"')[1].split("</p>")[0]
    assert "Article 6(1)(e)" in basis and "9(2)(h)" in basis
    complaints = page.split('id="complaints"')[1].split("</p>")[0]
    assert "tietosuoja.fi" in complaints and "IMY" in complaints
    assert "never asks for passwords" in page.split('id="genuine-message"')[1].split("</ul>")[0]
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        swedish = client.get("/about?lang=sv").text
    assert "Integritetsskyddsmyndigheten" in swedish and "Rättslig grund" in swedish
