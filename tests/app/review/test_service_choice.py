"""One door on the item page: the services that fit the post now, and switching the draft with one click."""

from __future__ import annotations

from core.db.connection import transaction
from outreach.directory import every_service
from tests.app.review.conftest import csrf_of, seed_suggestions


def _claimed_item(conn, settings, signed_in, text: str, language: str = "fi"):
    [item_id] = seed_suggestions(conn, settings, [{"text": text, "level": 3, "language": language,
                                                   "source_id": f"choice{abs(hash(text))}",
                                                   "author": f"{abs(hash(text)):064x}"}])
    client = signed_in("aino")
    client.post(f"/items/{item_id}/claim", data={"csrf_token": csrf_of(client)})
    return client, item_id


def _offered(conn, item_id: int) -> tuple[list[str], str]:
    with transaction(conn) as cur:
        cur.execute("SELECT service_ids, draft_message FROM suggestions WHERE id = %s", (item_id,))
        row = cur.fetchone()
    return list(row["service_ids"]), row["draft_message"]


def test_the_item_page_says_which_age_the_post_suggests_and_lists_services_that_fit(conn, settings, signed_in):
    client, item_id = _claimed_item(conn, settings, signed_in, "Jag är 15 år och orkar inte med skolan", "sv")
    blurred = client.get(f"/items/{item_id}?lang=en").text.split('id="age-cue"')[1].split("</p>")[0]
    assert "Jag är 15 år" not in blurred and "hidden text" in blurred, "blurring keeps the cue's words hidden"
    with transaction(conn) as cur:
        cur.execute("UPDATE users SET blur_text = false WHERE username = 'aino'")
    page = client.get(f"/items/{item_id}?lang=en").text
    assert "Jag är 15 år" in page.split('id="age-cue"')[1].split("</p>")[0]
    listed = page.split('id="fitting-services"')[1].split("</ul>")[0]
    assert "BRIS" in listed, "a 15-year-old's post lists the children's helpline"
    adult_client, adult_id = _claimed_item(conn, settings, signed_in, "Jag orkar inte med jobbet längre", "sv")
    adult = adult_client.get(f"/items/{adult_id}?lang=en").text
    assert "BRIS" not in adult.split('id="fitting-services"')[1].split("</ul>")[0]
    assert "no cue of the writer" in adult


def test_one_click_rewrites_the_draft_to_offer_another_fitting_service(conn, settings, signed_in):
    client, item_id = _claimed_item(conn, settings, signed_in, "Olen 16 enkä jaksa enää koulua")
    before, draft_before = _offered(conn, item_id)
    page = client.get(f"/items/{item_id}").text
    listed = page.split('id="fitting-services"')[1].split("</ul>")[0]
    alternatives = [value for value in listed.split('name="service_id" value="')[1:]]
    assert alternatives, "at least one fitting service is not yet in the draft"
    chosen = alternatives[0].split('"')[0]
    answer = client.post(f"/items/{item_id}/offer-service", data={"service_id": chosen, "csrf_token": csrf_of(client)},
                         follow_redirects=False)
    assert answer.status_code == 303 and "notice=saved" in answer.headers["location"]
    after, draft_after = _offered(conn, item_id)
    with transaction(conn) as cur:
        service = every_service(cur)[chosen]
        cur.execute("SELECT details FROM audit_log WHERE action = 'suggestion.service_switched'")
        event = cur.fetchone()["details"]
    assert after[0] == chosen and after != before and service.contact in draft_after and draft_after != draft_before
    assert event == {"from": before, "to": after}
    offered = client.post(f"/items/{item_id}/reach-out", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert offered.status_code == 303
    with transaction(conn) as cur:
        cur.execute("SELECT offered_service FROM suggestions WHERE id = %s", (item_id,))
        assert cur.fetchone()["offered_service"] == chosen, "the item records the service the draft led with"


def test_a_service_that_does_not_fit_cannot_be_offered(conn, settings, signed_in):
    client, item_id = _claimed_item(conn, settings, signed_in, "En jaksa enää töissä")
    before = _offered(conn, item_id)
    for service_id in ("se-bris", "fi-emergency", "no-such-service", "esimerkkila-youth-chat"):
        answer = client.post(f"/items/{item_id}/offer-service", follow_redirects=False,
                             data={"service_id": service_id, "csrf_token": csrf_of(client)})
        assert "notice=invalid_choice" in answer.headers["location"], service_id
    assert _offered(conn, item_id) == before
    unclaimed = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2, "source_id": "other"}])[-1]
    refused = client.post(f"/items/{unclaimed}/offer-service", follow_redirects=False,
                          data={"service_id": before[0][0], "csrf_token": csrf_of(client)})
    assert "notice=not_claimed" in refused.headers["location"]


def test_the_counsellor_can_start_from_another_tone(conn, settings, signed_in):
    client, item_id = _claimed_item(conn, settings, signed_in, "En jaksa enää töissä")
    warm = client.get(f"/items/{item_id}?lang=en").text.split('id="draft"')[1].split("</textarea>")[0]
    brief = client.get(f"/items/{item_id}?tone=brief&lang=en").text
    assert "Miten jaksat?" in brief.split('id="draft"')[1].split("</textarea>")[0]
    assert "Miten jaksat?" not in warm and 'id="tone-formal"' in brief
    unknown = client.get(f"/items/{item_id}?tone=%3Cscript%3E").text.split('id="draft"')[1].split("</textarea>")[0]
    assert unknown == warm, "an unknown tone falls back to the stored draft"
