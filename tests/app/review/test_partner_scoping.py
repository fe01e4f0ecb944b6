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


def _create(conn, username: str, role: str, partner: str) -> None:
    from tests.app.review.conftest import add_account

    with transaction(conn) as cur:
        add_account(cur, username=username, role=role, partner=partner)


def test_notes_stay_inside_a_partner(signed_in, two_queues, staff, conn):
    ville, aino = signed_in("ville"), signed_in("aino")
    refused = ville.post(f"/items/{two_queues['national']}/notes",
                         data={"text": "Katsotko tämän?", "csrf_token": csrf_of(ville)}, follow_redirects=False)
    assert "notice=not_found" in refused.headers["location"]
    colleagues = aino.get(f"/items/{two_queues['national']}").text
    assert f'value="{staff.ids["elsa"]}"' in colleagues and "Ville" not in colleagues
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM users WHERE username = 'ville'")
        ville_id = cur.fetchone()["id"]
    asked = aino.post(f"/items/{two_queues['national']}/notes", follow_redirects=False,
                      data={"text": "Mitä mieltä?", "addressed_to": str(ville_id), "csrf_token": csrf_of(aino)})
    assert "notice=invalid_colleague" in asked.headers["location"]
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM suggestion_notes")
        assert cur.fetchone()["n"] == 0


def test_the_second_look_shows_each_partner_only_its_own_communities(signed_in, two_queues, conn, settings):
    from outreach import second_look
    from tests.app.review.conftest import SEED_MODEL, seed_suggestions

    seed_suggestions(conn, settings, [{"text": "Tavallinen päivä töissä", "level": 0, "source_id": "low-nat"},
                                      {"text": "En vanlig dag i Vasa", "level": 0, "language": "sv",
                                       "source_id": "low-vsa", "community": "Vaasa"}])
    with transaction(conn) as cur:
        assert second_look.sample(cur, SEED_MODEL, 1.0) == 2
        vaasa_item = next(item.id for item in second_look.waiting(cur, None) if item.community == "Vaasa")
    ville, aino = signed_in("ville"), signed_in("aino")
    assert "En vanlig dag i Vasa" in ville.get("/second-look").text
    assert "Tavallinen päivä" not in ville.get("/second-look").text
    assert "Tavallinen päivä" in aino.get("/second-look").text
    assert "En vanlig dag i Vasa" not in aino.get("/second-look").text
    refused = aino.post(f"/second-look/{vaasa_item}", data={"level": "3", "csrf_token": csrf_of(aino)},
                        follow_redirects=False)
    assert "notice=not_found" in refused.headers["location"]
    with transaction(conn) as cur:
        assert second_look.missed_risk(cur).labelled == 0


def test_a_partners_dpo_audits_only_that_partners_events(signed_in, two_queues, conn):
    _create(conn, "vdpo", "dpo", "vaasa")
    signed_in("ville").get(f"/items/{two_queues['vaasa']}")
    signed_in("aino").get(f"/items/{two_queues['national']}")
    own = signed_in("vdpo").get("/dpo/audit.csv").text
    assert "ville" in own and f"suggestion,{two_queues['vaasa']}," in own
    assert "aino" not in own and f"suggestion,{two_queues['national']}," not in own
    everything = signed_in("dpo").get("/dpo/audit.csv").text  # the operator's DPO (default partner)
    assert "ville" in everything and "aino" in everything


def test_each_partners_supervisor_sees_only_their_partners_daily_report(signed_in, two_queues, conn, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.runners import daily_report

    _create(conn, "vsup", "supervisor", "vaasa")
    local_day = datetime.now(ZoneInfo(settings.timezone)).date()  # a report day is the service's calendar day
    assert daily_report(settings, conn, local_day)["reports"] == 2
    with transaction(conn) as cur:
        cur.execute("SELECT partner, report FROM daily_reports")
        reports = {row["partner"]: row["report"] for row in cur.fetchall()}
    assert reports["vaasa"]["queued_by_level"] == {"4": 1} and reports["vaasa"]["collected_by_language"] == {"sv": 1}
    assert reports["default"]["queued_by_level"] == {"3": 1}
    assert reports["default"]["collected_by_language"] == {"fi": 1}
    vaasa_page = signed_in("vsup").get("/supervisor").text
    assert "<title>" in vaasa_page and "<section" not in vaasa_page.split("<title>")[1].split("</title>")[0]
    row = vaasa_page.split('id="daily-reports"')[1].split("</tbody>")[0]
    assert f"<td>{local_day.isoformat()}</td><td>1</td><td>1</td>" in row


def test_a_partners_administrator_manages_only_that_partners_accounts_and_teams(signed_in, two_queues, conn, staff):
    from app.staff import accounts

    _create(conn, "vadmin", "admin", "vaasa")
    with transaction(conn) as cur:
        vaasa_team = accounts.ensure_team(cur, "Vaasan tiimi", 5, partner="vaasa")
    vadmin = signed_in("vadmin")
    page = vadmin.get("/admin/users").text
    assert "ville" in page and "Vaasan tiimi" in page
    assert "aino" not in page and "Testitiimi" not in page
    aino = staff.ids["aino"]
    changed = vadmin.post(f"/admin/users/{aino}", data={"role": "admin", "active": "true", "team_id": "",
                                                        "csrf_token": csrf_of(vadmin)})
    assert changed.status_code == 400 and "no such user" in changed.text
    capacity = vadmin.post(f"/admin/teams/{staff.team_id}", data={"daily_capacity": "1", "csrf_token": csrf_of(vadmin)})
    missing = vadmin.post("/admin/teams/999999", data={"daily_capacity": "1", "csrf_token": csrf_of(vadmin)})
    assert capacity.status_code == missing.status_code == 400
    foreign_team = vadmin.post("/admin/users", data={
        "username": "vilho", "display_name": "Vilho", "role": "counsellor", "password": "correct-horse-battery-staple",
        "team_id": str(staff.team_id), "csrf_token": csrf_of(vadmin)})
    assert foreign_team.status_code == 400 and "no such team" in foreign_team.text
    created = vadmin.post("/admin/users", follow_redirects=False, data={
        "username": "vilho", "display_name": "Vilho", "role": "counsellor", "password": "correct-horse-battery-staple",
        "team_id": str(vaasa_team), "csrf_token": csrf_of(vadmin)})
    assert created.status_code == 303
    with transaction(conn) as cur:
        cur.execute("SELECT partner FROM users WHERE username = 'vilho'")
        assert cur.fetchone()["partner"] == "vaasa", "a partner's administrator creates accounts of their own partner"
        assert [t["daily_capacity"] for t in accounts.teams(cur) if t["id"] == staff.team_id] == [3]
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'team.capacity'")
        assert cur.fetchone()["n"] == 0
    everything = signed_in("admin").get("/admin/users").text
    assert "ville" in everything and "aino" in everything


def test_a_partners_administrator_records_consent_only_for_its_own_communities(signed_in, two_queues, conn):
    from governance import consent, partners

    _create(conn, "vadmin", "admin", "vaasa")
    with transaction(conn) as cur:
        partners.save_partner(cur, slug="oulu", name="Oulun kaupunki", service_name="Oulun chat", country="FI",
                              dpo_contact="dpo@oulu.example", shares_national=True, actor="admin", role="admin")
        partners.assign_community(cur, partner="oulu", source="reddit", community="Oulu", actor="admin", role="admin")
    vadmin = signed_in("vadmin")

    def record(community: str):
        return vadmin.post("/admin/communities", follow_redirects=False, data={
            "community": community, "agreed_by": "moderaattorit", "agreed_on": "2026-12-01",
            "scope": "julkiset viestit", "review_due": "2027-12-01", "document_ref": "VSA-1",
            "csrf_token": csrf_of(vadmin)})

    assert record("Vaasa").status_code == 303
    assert record("Vasa_svenska").status_code == 303
    refused = record("Oulu")
    assert refused.status_code == 400 and "belongs to partner oulu" in refused.text
    withdrawn = vadmin.post("/admin/communities/Suomi/withdraw", data={"csrf_token": csrf_of(vadmin)},
                            follow_redirects=False)
    assert "notice=not_found" in withdrawn.headers["location"]
    with transaction(conn) as cur:
        held = {name for _, name in partners.communities_of(cur, "vaasa")}
        states = {s.name: s.state for s in consent.statuses(cur)}
    assert held == {"Vaasa", "Vasa_svenska"}, "a partner's consent record also routes the community to it"
    assert "Oulu" not in states or states["Oulu"] == "none"
    page = vadmin.get("/admin/communities").text.split('id="community-status"')[1].split("</table>")[0]
    assert "r/Vaasa" in page and "r/Suomi" not in page


def test_a_partners_dpo_sees_the_inventory_of_that_partners_data(signed_in, two_queues, conn):
    from governance.dpo.inventory import inventory

    _create(conn, "vdpo", "dpo", "vaasa")
    with transaction(conn) as cur:
        own = {t.table: t.rows for t in inventory(cur, "vaasa")}
        everything = {t.table: t.rows for t in inventory(cur)}
    assert own["posts"] == own["suggestions"] == own["scores"] == 1
    assert everything["posts"] == everything["suggestions"] == 2
    page = signed_in("vdpo").get("/dpo/inventory").text
    assert "<td>posts</td><td>1</td>" in page and "<td>suggestions</td><td>1</td>" in page
