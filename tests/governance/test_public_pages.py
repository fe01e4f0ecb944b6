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


def _opt_out(client, username: str):
    page = client.get("/opt-out?lang=en")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    return client.post("/opt-out", data={"username": username, "form_token": token})


def test_public_opt_out_without_proof_opens_a_case_and_deletes_nothing(make_client, signed_in, conn, settings):
    """Anyone can type anyone's username: the unproven request waits for the DPO, so a stranger cannot
    quietly remove someone in crisis from outreach; the DPO is told, and confirming purges."""
    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", "Nimetön_42")
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": pseudonym}])
    client = make_client()
    forged = client.post("/opt-out", data={"username": "Nimetön_42", "form_token": "guess"})
    assert forged.status_code == 403
    done = _opt_out(client, "u/Nimetön_42")
    assert done.status_code == 200 and 'id="opt-out-done"' in done.text
    reference = re.search(r"DSR-\d{4}-\d{5}", done.text).group(0)
    assert "Nimetön_42" not in done.text
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs, "
                    "(SELECT count(*) FROM privacy_cases WHERE kind = 'opt_out' AND status = 'open') AS cases")
        assert dict(cur.fetchone()) == {"posts": 1, "opt_outs": 0, "cases": 1}
        cur.execute("SELECT pseudonyms::text AS p FROM privacy_cases")
        assert "Nimetön" not in cur.fetchone()["p"]
    dpo = signed_in("dpo")
    notifications = dpo.get("/notifications").text
    assert reference in notifications
    case_id = int(re.search(r'href="/dpo/cases/(\d+)"', notifications).group(1))
    assert "1 posts and 1 suggestions" in dpo.get(f"/dpo/cases/{case_id}?lang=en").text
    dpo.post(f"/dpo/cases/{case_id}/confirm", data={"csrf_token": csrf_of(dpo), "confirmed": "yes"})
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs")
        assert dict(cur.fetchone()) == {"posts": 0, "opt_outs": 1}
    assert components.pseudonymizer(settings).pseudonym("reddit", "nimetön_42") == pseudonym


def test_public_opt_out_refuses_an_empty_username(make_client, conn):
    assert _opt_out(make_client(), " u/ ").status_code == 400
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM privacy_cases")
        assert cur.fetchone()["n"] == 0


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
