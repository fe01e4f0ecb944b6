"""Data-subject requests as cases: recorded with a deadline, carried out only after confirmation."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app import components
from core.db.connection import transaction
from tests.app.review.conftest import csrf_of, seed_suggestions


def _today(settings):
    return datetime.now(ZoneInfo(settings.timezone)).date()


def _open(dpo, kind: str, username: str, received_on: str):
    return dpo.post("/dpo/cases", data={"csrf_token": csrf_of(dpo), "kind": kind, "username": username,
                                        "received_on": received_on}, follow_redirects=False)


def _case_id(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.search(r"/dpo/cases/(\d+)$", response.headers["location"]).group(1))


def _seed_author(conn, settings, username: str, texts: list[str]) -> str:
    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", username)
    seed_suggestions(conn, settings, [{"text": t, "level": 3, "author": pseudonym, "source_id": f"{username}{i}"}
                                      for i, t in enumerate(texts)])
    return pseudonym


def test_erasure_is_a_case_with_a_deadline_and_deletes_only_after_confirmation(signed_in, conn, settings):
    _seed_author(conn, settings, "Poistettava", ["En jaksa enää", "Huono päivä"])
    _seed_author(conn, settings, "Joku_muu", ["Ihan ok päivä"])
    dpo = signed_in("dpo")
    received = _today(settings) - timedelta(days=3)
    case_id = _case_id(_open(dpo, "erasure", "u/Poistettava", received.isoformat()))
    page = dpo.get(f"/dpo/cases/{case_id}?lang=en").text
    assert (received + timedelta(days=30)).isoformat() in page and "27 days left" in page
    assert "2 posts and 1 suggestions" in page  # one suggestion per person (cool-down) and "Poistettava" not in page

    unconfirmed = dpo.post(f"/dpo/cases/{case_id}/confirm", data={"csrf_token": csrf_of(dpo)})
    assert unconfirmed.status_code == 400 and 'id="case-error"' in unconfirmed.text
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        assert cur.fetchone()["n"] == 3

    dpo.post(f"/dpo/cases/{case_id}/confirm", data={"csrf_token": csrf_of(dpo), "confirmed": "yes"})
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        assert cur.fetchone()["n"] == 1
        cur.execute("SELECT status, handled_by, pseudonyms, outcome FROM privacy_cases WHERE id = %s", (case_id,))
        case = cur.fetchone()
        assert (case["status"], case["handled_by"], case["pseudonyms"]) == ("done", "dpo", {})
        assert case["outcome"] == {"posts_removed": 2, "suggestions_removed": 1}
        cur.execute("SELECT action, object_id, details::text AS details FROM audit_log "
                    "WHERE object_type = 'case' ORDER BY id")
        events = cur.fetchall()
    assert [e["action"] for e in events] == ["case.open", "case.done"]
    assert all(e["object_id"].startswith(f"DSR-{received.year}-") for e in events)
    assert not any("oistettava" in e["details"] for e in events)
    again = dpo.post(f"/dpo/cases/{case_id}/confirm", data={"csrf_token": csrf_of(dpo), "confirmed": "yes"})
    assert again.status_code == 409


def test_access_request_exports_only_that_persons_redacted_posts_and_closes(signed_in, conn, settings):
    _seed_author(conn, settings, "Kysyjä", ["Olen ollut tosi väsynyt <PERSON> kanssa"])
    _seed_author(conn, settings, "Toinen", ["Tämä ei kuulu hänelle"])
    dpo = signed_in("dpo")
    case_id = _case_id(_open(dpo, "access", "Kysyjä", _today(settings).isoformat()))
    export = dpo.post(f"/dpo/cases/{case_id}/export", data={"csrf_token": csrf_of(dpo)})
    assert export.status_code == 200 and export.headers["cache-control"] == "no-store"
    assert "attachment" in export.headers["content-disposition"]
    document = json.loads(export.text)
    assert [p["redacted_text"] for p in document["posts"]] == ["Olen ollut tosi väsynyt <PERSON> kanssa"]
    assert document["posts"][0]["outreach_suggestions"][0]["level"] == 3
    assert "Art. 9(2)(h)" in document["legal_basis"] and "Kysyjä" not in export.text
    assert dpo.post(f"/dpo/cases/{case_id}/export", data={"csrf_token": csrf_of(dpo)}).status_code == 409
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM posts")
        assert cur.fetchone()["n"] == 2  # answering an access request deletes nothing


def test_rejecting_needs_a_reason_and_keeps_everything(signed_in, conn, settings):
    _seed_author(conn, settings, "Kohde", ["En jaksa"])
    dpo = signed_in("dpo")
    case_id = _case_id(_open(dpo, "opt_out", "Kohde", _today(settings).isoformat()))
    assert dpo.post(f"/dpo/cases/{case_id}/reject", data={"csrf_token": csrf_of(dpo), "reason": " "}).status_code == 400
    dpo.post(f"/dpo/cases/{case_id}/reject", data={"csrf_token": csrf_of(dpo),
                                                    "reason": "Ownership was not shown within the month"})
    assert "Ownership was not shown" in dpo.get(f"/dpo/cases/{case_id}").text
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs")
        assert dict(cur.fetchone()) == {"posts": 1, "opt_outs": 0}


def test_due_soon_lists_cases_near_or_past_their_deadline(signed_in, settings):
    dpo = signed_in("dpo")
    today = _today(settings)
    _open(dpo, "erasure", "Myöhässä", (today - timedelta(days=33)).isoformat())
    _open(dpo, "access", "Pian", (today - timedelta(days=25)).isoformat())
    _open(dpo, "erasure", "Tuore", today.isoformat())
    page = dpo.get("/dpo/cases?lang=en").text
    due = page[page.index('id="due-soon"'):page.index("Record a request")]
    assert "overdue by 3 days" in due and "5 days left" in due and due.count("/dpo/cases/") == 2


def test_bad_requests_are_refused_without_recording_anything(signed_in, conn, settings):
    dpo = signed_in("dpo")
    tomorrow = (_today(settings) + timedelta(days=2)).isoformat()
    for kind, username, received in (("erasure", "x", tomorrow), ("erasure", " ", ""), ("delete_all", "x", ""),
                                     ("access", "x", "31.12.2026")):
        assert _open(dpo, kind, username, received).status_code == 400
    assert signed_in("aino").get("/dpo/cases").status_code == 403
    assert dpo.get("/dpo/cases/999999").status_code == 404
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM privacy_cases")
        assert cur.fetchone()["n"] == 0
