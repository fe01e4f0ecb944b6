"""Two partners in the review app: each counsellor and supervisor sees and acts on their own partner's
queue (and the national one only where their partner shares it), in pages, items, actions and the API."""

from __future__ import annotations

import pytest

from core.db.connection import transaction
from tests.app.review.conftest import csrf_of


@pytest.mark.parametrize(("username", "own", "other"), [
    ("aino", "national", "vaasa"), ("sanna", "national", "vaasa"), ("ville", "vaasa", "national")])
def test_a_person_sees_and_opens_only_their_partners_items(signed_in, two_queues, username, own, other):
    client = signed_in(username)
    queue = client.get("/queue").text
    assert f"/items/{two_queues[own]}" in queue and f"/items/{two_queues[other]}" not in queue
    assert client.get(f"/items/{two_queues[own]}").status_code == 200
    assert client.get(f"/items/{two_queues[other]}").status_code == 404
    listed = {item["id"] for item in client.get("/api/queue").json()["items"]}
    assert listed == {two_queues[own]}


def test_another_partners_item_cannot_be_claimed_and_claim_next_stays_in_scope(signed_in, two_queues, conn):
    ville = signed_in("ville")
    refused = ville.post(f"/items/{two_queues['national']}/claim", data={"csrf_token": csrf_of(ville)},
                         follow_redirects=False)
    assert refused.status_code == 303 and "notice=not_found" in refused.headers["location"]
    taken = ville.post("/queue/claim-next", data={"csrf_token": csrf_of(ville)}, follow_redirects=False)
    assert taken.headers["location"] == f"/items/{two_queues['vaasa']}"
    with transaction(conn) as cur:
        cur.execute("SELECT id, status FROM suggestions ORDER BY id")
        states = {row["id"]: row["status"] for row in cur.fetchall()}
    assert states == {two_queues["national"]: "new", two_queues["vaasa"]: "claimed"}


def test_the_public_about_page_names_each_partner_and_its_data_protection_officer(make_client, two_queues):
    page = make_client().get("/about?lang=en").text
    partners_list = page.split('id="partners"')[1].split("</ul>")[0]
    assert "Vaasan kaupunki - Vasa stad" in partners_list and "dpo@vaasa.example" in partners_list
    assert "r/Vaasa" in partners_list
