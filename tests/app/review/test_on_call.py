"""Nobody on shift: a crisis item that arrives while nobody of a team is signed in is e-mailed to the
team's on-call address through a real (local) SMTP server, without post text, once."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller

from app.staff import accounts
from core.db.connection import transaction
from outreach.on_call import alert_on_call
from tests.app.review.conftest import seed_suggestions

CRISIS_TEXT = "Minulla on suunnitelma tälle illalle, kirjoitan tämän viimeisen kerran"


class Inbox:
    """An aiosmtpd handler that keeps every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def _on_call(conn, team_id: int) -> None:
    with transaction(conn) as cur:
        accounts.set_team_on_call(cur, team_id, service_hours="ma-pe 8-22", on_call_email="paivystys@kunta.example",
                                  actor="admin", actor_role="admin")


def test_a_crisis_nobody_is_signed_in_to_see_reaches_the_on_call_address_once(conn, settings, staff, inbox):
    handler, port = inbox
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port,
                                          "public_url": "https://majakka.kunta.example"})
    _on_call(conn, staff.team_id)
    [item] = seed_suggestions(conn, settings, [{"text": CRISIS_TEXT, "level": 4}])
    assert alert_on_call(mailing, conn) == {"on_call_alerts": 1, "on_call_failed": 0}
    [(recipients, content)] = handler.messages
    assert recipients == ["paivystys@kunta.example"]
    assert f"https://majakka.kunta.example/items/{item}" in content
    assert "suunnitelma" not in content and "viimeisen" not in content, "no post text leaves in an alert"
    assert alert_on_call(mailing, conn) == {"on_call_alerts": 0, "on_call_failed": 0}, "one alert per item"


def test_no_alert_while_someone_of_the_team_is_signed_in(conn, settings, staff, inbox, signed_in):
    handler, port = inbox
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    _on_call(conn, staff.team_id)
    signed_in("aino").get("/queue")
    seed_suggestions(conn, settings, [{"text": CRISIS_TEXT, "level": 4}])
    assert alert_on_call(mailing, conn)["on_call_alerts"] == 0 and handler.messages == []


def test_a_failed_delivery_is_audited_and_tried_again(conn, settings, staff, inbox):
    handler, port = inbox
    _on_call(conn, staff.team_id)
    [item] = seed_suggestions(conn, settings, [{"text": CRISIS_TEXT, "level": 4}])
    unreachable = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": _free_port()})
    assert alert_on_call(unreachable, conn) == {"on_call_alerts": 0, "on_call_failed": 1}
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'oncall.alert_failed' AND object_id = %s",
                    (str(item),))
        assert "error" in cur.fetchone()["details"]
    working = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    assert alert_on_call(working, conn)["on_call_alerts"] == 1 and len(handler.messages) == 1


def test_an_admin_sets_a_teams_hours_and_on_call_address_and_the_public_page_states_the_hours(
        conn, staff, signed_in, make_client):
    from tests.app.review.conftest import csrf_of

    admin = signed_in("admin")
    saved = admin.post(f"/admin/teams/{staff.team_id}", follow_redirects=False, data={
        "daily_capacity": "3", "service_hours": "ma-pe 8-22, la 10-16", "on_call_email": "paivystys@kunta.example",
        "csrf_token": csrf_of(admin)})
    assert saved.status_code == 303
    refused = admin.post(f"/admin/teams/{staff.team_id}", data={
        "daily_capacity": "3", "service_hours": "", "on_call_email": "not an address", "csrf_token": csrf_of(admin)})
    assert refused.status_code == 400
    about = make_client().get("/about?lang=en").text
    assert "ma-pe 8-22, la 10-16" in about.split('id="service-hours"')[1].split("</ul>")[0]
    assert 'id="outside-hours"' in about and "paivystys@" not in about, "the on-call address stays internal"


def test_without_an_smtp_server_the_alert_is_recorded_once_not_retried_forever(conn, settings, staff):
    _on_call(conn, staff.team_id)
    [item] = seed_suggestions(conn, settings, [{"text": CRISIS_TEXT, "level": 4}])
    unconfigured = settings.model_copy(update={"smtp_host": None})
    assert alert_on_call(unconfigured, conn) == {"on_call_alerts": 0, "on_call_failed": 0}
    assert alert_on_call(unconfigured, conn) == {"on_call_alerts": 0, "on_call_failed": 0}
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action LIKE 'oncall.%%' AND object_id = %s", (str(item),))
        assert [row["details"]["delivered"] for row in cur.fetchall()] == [False]
