"""Escalation that reaches someone: supervisors are notified in the app until they acknowledge it, take
the escalation on, and record what was done; nothing about it leaves the partner."""

from __future__ import annotations

from core.db.connection import transaction
from tests.app.review.conftest import csrf_of, seed_suggestions

CHECKS = ("emergency_number_considered", "supervisor_informed")


def _escalate(client, item_id: int):
    client.post(f"/items/{item_id}/claim", data={"csrf_token": csrf_of(client)})
    return client.post(f"/items/{item_id}/escalate", follow_redirects=False,
                       data={"csrf_token": csrf_of(client), "checks": list(CHECKS)})


def test_an_escalation_notifies_the_supervisor_who_takes_it_on_and_records_the_outcome(conn, settings, signed_in):
    [item] = seed_suggestions(conn, settings, [{"text": "Minulla on suunnitelma tälle illalle", "level": 4}])
    aino, sanna = signed_in("aino"), signed_in("sanna")
    assert "notice=saved" in _escalate(aino, item).headers["location"]
    header = sanna.get("/queue?lang=en").text
    assert 'id="unread-count"' in header and ">1</span>" in header.split('id="unread-count"')[1][:80]
    listed = sanna.get("/notifications?lang=en").text
    assert "aino escalated an item (Crisis)" in listed and f'href="/items/{item}"' in listed
    assert 'id="unread-count"' not in aino.get("/queue").text, "the counsellor who escalated is not notified"
    escalations = sanna.get("/supervisor?lang=en").text.split('id="escalation-list"')[1].split("</table>")[0]
    assert f"#{item}" in escalations and "nobody yet" in escalations
    sanna.post(f"/supervisor/escalations/{item}/take", data={"csrf_token": csrf_of(sanna)})
    assert 'id="unread-count"' not in sanna.get("/queue").text, "taking it on acknowledges the notification"
    refused = aino.post(f"/supervisor/escalations/{item}/outcome", data={"csrf_token": csrf_of(aino),
                                                                         "outcome": "person_contacted"})
    assert refused.status_code == 403
    sanna.post(f"/supervisor/escalations/{item}/outcome", data={"csrf_token": csrf_of(sanna),
                                                                "outcome": "emergency_services_contacted"})
    with transaction(conn) as cur:
        cur.execute("SELECT escalation_assignee IS NOT NULL AS taken, escalation_acknowledged_at IS NOT NULL AS ack, "
                    "escalation_outcome FROM suggestions WHERE id = %s", (item,))
        row = dict(cur.fetchone())
        cur.execute("SELECT action FROM audit_log WHERE object_id = %s ORDER BY id", (str(item),))
        actions = [r["action"] for r in cur.fetchall()]
    assert row == {"taken": True, "ack": True, "escalation_outcome": "emergency_services_contacted"}
    assert actions[-2:] == ["suggestion.escalation_taken", "suggestion.escalation_outcome"]


def test_a_notification_is_acknowledged_only_by_its_own_reader(conn, settings, signed_in, two_queues):
    from tests.app.review.test_partner_scoping import _create

    _create(conn, "vsup", "supervisor", "vaasa")
    aino, sanna, vsup = signed_in("aino"), signed_in("sanna"), signed_in("vsup")
    _escalate(aino, two_queues["national"])
    assert 'id="unread-count"' not in vsup.get("/queue").text, "another partner's supervisor is not told"
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM notifications")
        [notification] = [r["id"] for r in cur.fetchall()]
    foreign = vsup.post(f"/notifications/{notification}/acknowledge", data={"csrf_token": csrf_of(vsup)},
                        follow_redirects=False)
    assert "notice=not_found" in foreign.headers["location"]
    own = sanna.post(f"/notifications/{notification}/acknowledge", data={"csrf_token": csrf_of(sanna)},
                     follow_redirects=False)
    assert "notice=acknowledged" in own.headers["location"]
    assert "vaasa" not in vsup.get("/supervisor").text.split('id="escalation-list"')[1].split("</table>")[0].lower()
    assert f"#{two_queues['national']}" not in vsup.get("/supervisor").text


def test_an_escalation_undone_in_time_clears_the_notification_and_one_taken_on_cannot_be_undone(
        conn, settings, signed_in):
    first, second = seed_suggestions(conn, settings, [
        {"text": "Minulla on suunnitelma", "level": 4, "source_id": "u1"},
        {"text": "Jag har en plan", "level": 4, "language": "sv", "source_id": "u2", "author": "6" * 64}])
    aino, sanna = signed_in("aino"), signed_in("sanna")
    _escalate(aino, first)
    aino.post(f"/items/{first}/undo", data={"csrf_token": csrf_of(aino)})
    assert 'id="unread-count"' not in sanna.get("/queue").text, "an undone escalation needs nobody"
    _escalate(aino, second)
    sanna.post(f"/supervisor/escalations/{second}/take", data={"csrf_token": csrf_of(sanna)})
    late = aino.post(f"/items/{second}/undo", data={"csrf_token": csrf_of(aino)}, follow_redirects=False)
    assert late.headers["location"].endswith("notice=undo_too_late")
