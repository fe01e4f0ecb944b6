"""The service directory maintained in the app: CSV out and in, versions, audit, and who may change what."""

from __future__ import annotations

import csv
import io

from app import components
from core.db.connection import transaction
from governance import partners
from tests.app.review.conftest import csrf_of

HEADER = "id,name,country,contact,languages,hours,age_group,region,levels,partner,kind,anonymous,referral\n"
CHAT = ('vaasa-chat,Vaasan chat,FI,chat.vaasa.example,fi;sv,ma-pe 14-20,13-29,Vaasa,2;3,vaasa,online_counselling,yes,'
        '"open the chat"\n')


def _import(client, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/admin/services/import", data={"csrf_token": csrf_of(client)},
                       files={"csv_file": ("services.csv", data, "text/csv")}, follow_redirects=False)


def test_the_directory_round_trips_through_csv_as_a_new_audited_version(signed_in, conn, settings):
    admin = signed_in("admin")
    page = admin.get("/admin/services").text
    assert "Hätänumero 112" in page and "None saved yet" in page
    exported = admin.get("/admin/services.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {"fi-emergency", "esimerkkila-family-voucher"} <= {row["id"] for row in rows}
    assert _import(admin, exported.text + CHAT.replace(",vaasa,", ",,")).status_code == 303
    with transaction(conn) as cur:
        cur.execute("SELECT action, details FROM audit_log WHERE action = 'directory.save'")
        (event,) = cur.fetchall()
    assert event["details"]["services"] == len(rows) + 1
    assert "vaasa-chat" in {s.id for s in components.queue_policy(settings, conn).services}, "drafts use it now"
    assert "Vaasan chat" in admin.get("/admin/services").text


def test_bad_files_are_refused_with_a_reason_and_nothing_changes(signed_in, conn):
    admin = signed_in("admin")
    missing = _import(admin, "id,name\nx,X\n")
    assert missing.status_code == 400 and "the CSV header lacks country" in missing.text
    assert _import(admin, HEADER.encode() + "ä".encode("latin-1")).status_code == 400
    wrong_kind = _import(admin, HEADER + CHAT.replace("online_counselling", "miracle"))
    assert wrong_kind.status_code == 400 and "miracle" in wrong_kind.text
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM service_directories")
        assert cur.fetchone()["n"] == 0


def test_a_partners_administrator_replaces_only_its_own_services(make_client, signed_in, conn, settings, staff):
    from tests.app.review.conftest import CodeSource, add_account, give_code, login

    with transaction(conn) as cur:
        partners.save_partner(cur, slug="vaasa", name="Vaasa", service_name="Vaasan chat", country="FI",
                              dpo_contact="dpo@vaasa.example", shares_national=False, actor="admin", role="admin")
        add_account(cur, username="vadmin", role="admin", partner="vaasa")
    client = make_client()
    assert login(client, "vadmin").status_code == 303
    assert give_code(client, CodeSource().next_code("vadmin")).status_code == 303
    foreign = _import(client, HEADER + CHAT.replace(",vaasa,", ",,"))
    assert foreign.status_code == 400 and "only its own services" in foreign.text
    assert _import(client, HEADER + CHAT).status_code == 303
    services = {s.id: s for s in components.queue_policy(settings, conn).services}
    assert services["vaasa-chat"].partner == "vaasa" and services["vaasa-chat"].anonymous is True
    assert "fi-emergency" in services, "the national services stay as they were"


def test_exported_cells_cannot_run_as_spreadsheet_formulas(signed_in):
    admin = signed_in("admin")
    assert _import(admin, HEADER + CHAT.replace("Vaasan chat", "=HYPERLINK(x)").replace(",vaasa,", ",,")
                   ).status_code == 303
    exported = admin.get("/admin/services.csv").text
    assert "'=HYPERLINK(x)" in exported
    assert _import(admin, exported).status_code == 303  # an export imports back unchanged
    assert "'=HYPERLINK(x)" in admin.get("/admin/services.csv").text
    assert "=HYPERLINK(x)</td>" in admin.get("/admin/services").text.replace("&#39;", "'")
    assert "'=HYPERLINK(x)</td>" not in admin.get("/admin/services").text.replace("&#39;", "'")
