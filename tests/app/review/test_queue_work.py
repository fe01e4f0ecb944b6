"""Working the queue through the app: claims, concurrency, capacity, cool-down, every action, audit."""

from __future__ import annotations

import re
import threading

from app import components
from core.db.connection import transaction
from outreach import workflow
from outreach.workflow import ActionRefusedError, Worker
from outreach.worklist import WorklistFilter, worklist
from tests.app.review.conftest import csrf_of, seed_suggestions

CRISIS = {"text": "Tänään se tapahtuu, olen päättänyt", "level": 4}


def _status(conn, suggestion_id: int) -> dict:
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM suggestions WHERE id = %s", (suggestion_id,))
        return dict(cur.fetchone())


def _audit_actions(conn, suggestion_id: int) -> list[str]:
    with transaction(conn) as cur:
        cur.execute("SELECT action FROM audit_log WHERE object_type = 'suggestion' AND object_id = %s ORDER BY id",
                    (str(suggestion_id),))
        return [row["action"] for row in cur.fetchall()]


def _claim_next(client) -> str:
    response = client.post("/queue/claim-next", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def test_claim_next_takes_the_most_urgent_item_first(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [
        {"text": "Väsyttää", "level": 2, "confidence": 0.9},
        CRISIS,
        {"text": "En halua elää", "level": 3, "confidence": 0.6},
        {"text": "En halua olla olemassa", "level": 3, "confidence": 0.9},
    ])
    client = signed_in("aino")
    assert [_claim_next(client) for _ in range(4)] == [f"/items/{ids[i]}" for i in (1, 3, 2, 0)]
    assert _claim_next(client) == "/queue?notice=queue_empty"
    assert _status(conn, ids[1])["status"] == "claimed"


def test_a_deadline_that_can_still_be_met_goes_first_and_overdue_items_stay_listed(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Ahdistaa", "level": 2, "confidence": 0.5},
                                            {"text": "Masentaa", "level": 2, "confidence": 0.9}])
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET sla_due = now() - interval '6 days' WHERE id = %s", (ids[1],))
    client = signed_in("aino")
    queue = client.get("/queue?lang=en").text
    assert queue.index(f"/items/{ids[0]}") < queue.index(f"/items/{ids[1]}"), "overdue, still listed, after"
    assert "overdue by 6 d" in queue
    assert _claim_next(client) == f"/items/{ids[0]}"


def test_two_concurrent_claimers_of_one_item_get_it_exactly_once(conn, settings, signed_in):
    seed_suggestions(conn, settings, [CRISIS])
    clients = [signed_in("aino"), signed_in("elsa")]
    tokens = [csrf_of(client) for client in clients]
    barrier = threading.Barrier(2)
    results: list[str] = [""] * 2

    def claim(index: int) -> None:
        barrier.wait()
        response = clients[index].post("/api/queue/claim-next", headers={"x-csrf-token": tokens[index]})
        results[index] = str(response.json()["claimed"])

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("None") == 1 and sum(r.isdigit() for r in results) == 1
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'suggestion.claim'")
        assert cur.fetchone()["n"] == 1


def test_many_concurrent_claimers_never_share_an_item(conn, settings, staff):
    """Eight workers on separate connections race for five items: five distinct claims, three empty."""
    import psycopg2

    seed_suggestions(conn, settings, [{"text": f"En jaksa {i}", "level": 3} for i in range(5)])
    policy = components.workflow_policy(settings)
    barrier = threading.Barrier(8)
    claimed: list[int | None] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        connection = psycopg2.connect(settings.database_url)
        try:
            barrier.wait()
            result = workflow.claim_next(connection, Worker(staff.ids["aino"], f"w{index}", "counsellor", None), policy)
        finally:
            connection.close()
        with lock:
            claimed.append(result)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [c for c in claimed if c is not None]
    assert len(taken) == 5 and len(set(taken)) == 5 and claimed.count(None) == 3


def test_claim_by_a_colleague_is_respected_until_it_expires(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [CRISIS])
    aino, elsa = signed_in("aino"), signed_in("elsa")
    _claim_next(aino)
    refused = elsa.post(f"/items/{ids[0]}/claim", data={"csrf_token": csrf_of(elsa)}, follow_redirects=False)
    assert refused.headers["location"].endswith("notice=claimed_by_other")
    assert _claim_next(elsa) == "/queue?notice=queue_empty"
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET claimed_until = now() - interval '1 minute'")
    assert _claim_next(elsa) == f"/items/{ids[0]}"
    acting = aino.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(aino), "reason": "other"},
                       follow_redirects=False)
    assert acting.headers["location"].endswith("notice=not_claimed")


def test_capacity_orders_overflow_for_supervisors_and_keeps_crisis_claimable(conn, settings, signed_in):
    moderate = [{"text": f"Väsyttää {i}", "level": 2, "confidence": 0.5 + i / 100} for i in range(5)]
    ids = seed_suggestions(conn, settings, [*moderate, CRISIS])
    counsellor, supervisor = signed_in("aino"), signed_in("sanna")
    queue = counsellor.get("/api/queue").json()
    assert queue["capacity"] == {"daily": 3, "used": 0}
    assert [item["id"] for item in queue["items"]] == [ids[5], ids[4], ids[3], ids[2]]
    assert queue["overflow"] == 2
    assert "Overflow beyond" not in counsellor.get("/queue").text
    page = supervisor.get("/queue").text
    assert "capacity (2)</h2>" in page
    assert f"/items/{ids[0]}" in page and f"/items/{ids[1]}" in page
    assert 'id="overflow-count">2' in supervisor.get("/supervisor").text

    for _ in range(3):
        _claim_next(counsellor)  # crisis first (never counted), then three moderate items
    _claim_next(counsellor)
    assert _claim_next(counsellor) == "/queue?notice=capacity_reached"
    seed_suggestions(conn, settings, [{**CRISIS, "source_id": "late-crisis", "author": "f" * 64}])
    assert _claim_next(counsellor).startswith("/items/")


def test_same_author_is_suggested_once_within_the_cool_down(conn, settings, signed_in):
    author = "a" * 64
    ids = seed_suggestions(conn, settings, [{"text": "Ahdistaa", "level": 2, "author": author},
                                            {"text": "Väsyttää", "level": 2, "author": author}])
    assert ids[1] is None
    assert len(signed_in("aino").get("/api/queue").json()["items"]) == 1


def test_reaching_out_twice_to_one_author_within_the_cool_down_is_refused(conn, settings, signed_in, staff):
    author = "b" * 64
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": author}])
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET created_at = now() - interval '30 days'")
    later = seed_suggestions(conn, settings, [{"text": "En jaksa vieläkään", "level": 3, "author": author,
                                               "source_id": "later"}])[0]
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET status = 'reached_out', decided_at = now() - interval '2 days', "
                    "decided_by = %s WHERE id = %s", (staff.ids["elsa"], ids[0]))
    client = signed_in("aino")
    assert _claim_next(client) == f"/items/{later}"
    response = client.post(f"/items/{later}/reach-out", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert response.headers["location"].endswith("notice=author_contacted_recently")
    assert _status(conn, later)["status"] == "claimed"
    assert "suggestion.reach_out_refused" in _audit_actions(conn, later)


def test_reach_out_then_outcome_then_relabel_are_recorded_and_audited(conn, settings, signed_in, staff):
    ids = seed_suggestions(conn, settings, [CRISIS])
    client = signed_in("aino")
    _claim_next(client)
    csrf = csrf_of(client)
    assert client.post(f"/items/{ids[0]}/reach-out", data={"csrf_token": csrf, "draft_edited": "true"},
                       follow_redirects=False).headers["location"].endswith("notice=saved")
    client.post(f"/items/{ids[0]}/outcome", data={"csrf_token": csrf, "outcome": "accepted_help"})
    client.post(f"/items/{ids[0]}/relabel", data={"csrf_token": csrf, "level": "3"})
    row = _status(conn, ids[0])
    assert (row["status"], row["outcome"], row["corrected_level"], row["decided_by"]) == (
        "reached_out", "accepted_help", 3, staff.ids["aino"])
    # The last two posts followed their redirect back to the item page: each opening is audited too (as an
    # opening, not a reading: the text stays hidden until revealed, with this test user's blurring on).
    assert _audit_actions(conn, ids[0]) == ["suggestion.claim", "suggestion.reached_out", "suggestion.outcome",
                                            "item.open", "suggestion.relabel", "item.open"]


def test_dismiss_needs_a_known_reason(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    client = signed_in("aino")
    _claim_next(client)
    csrf = csrf_of(client)
    for reason in ("bored", ""):
        bad = client.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf, "reason": reason},
                          follow_redirects=False)
        assert bad.headers["location"].endswith("notice=dismiss_reason_required")
    client.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf, "reason": "not_distress"})
    assert (_status(conn, ids[0])["status"], _status(conn, ids[0])["dismiss_reason"]) == ("dismissed", "not_distress")


def test_escalation_requires_the_checklist(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [CRISIS])
    client = signed_in("aino")
    _claim_next(client)
    csrf = csrf_of(client)
    partial = client.post(f"/items/{ids[0]}/escalate", data={"csrf_token": csrf, "checks": ["supervisor_informed"]},
                          follow_redirects=False)
    assert partial.headers["location"].endswith("notice=checklist_incomplete")
    client.post(f"/items/{ids[0]}/escalate",
                data={"csrf_token": csrf, "checks": ["emergency_number_considered", "supervisor_informed"]})
    assert _status(conn, ids[0])["status"] == "escalated"


def test_notes_are_encrypted_and_second_opinion_reaches_the_colleague(conn, settings, signed_in, staff):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3}])
    aino, elsa = signed_in("aino"), signed_in("elsa")
    note = "Kirjoittaja mainitsi koulun, kysy Elsalta"
    aino.post(f"/items/{ids[0]}/notes", data={"csrf_token": csrf_of(aino), "text": note,
                                              "addressed_to": str(staff.ids["elsa"])})
    with transaction(conn) as cur:
        cur.execute("SELECT note_encrypted FROM suggestion_notes")
        assert note.encode() not in bytes(cur.fetchone()["note_encrypted"])
    queue_page = elsa.get("/queue").text
    assert f"/items/{ids[0]}" in queue_page and "Colleagues asked for your opinion" in queue_page
    assert note in elsa.get(f"/items/{ids[0]}").text
    elsa.post(f"/items/{ids[0]}/notes", data={"csrf_token": csrf_of(elsa), "text": "Samaa mieltä, ota yhteyttä."})
    assert "Colleagues asked for your opinion" not in elsa.get("/queue").text


def test_reading_is_logged_as_reading_and_the_reveal_is_its_own_request(conn, settings, signed_in):
    """With "hide post text" on, opening an item carries no post text and is logged as an opening; only the
    request that shows the text is logged as a view of the post."""
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää ihan hirveästi", "level": 2}])
    client = signed_in("sanna")
    opened = client.get(f"/items/{ids[0]}").text
    assert "hirveästi" not in opened and 'id="reveal-text"' in opened
    revealed = client.get(f"/items/{ids[0]}?reveal=1").text
    assert "hirveästi" in revealed and 'id="reveal-text"' not in revealed
    with transaction(conn) as cur:
        cur.execute("SELECT action, actor, actor_role, details FROM audit_log WHERE object_id = %s "
                    "AND action IN ('item.open', 'post.view') ORDER BY id", (str(ids[0]),))
        events = [(r["action"], r["actor"], r["actor_role"], r["details"].get("revealed")) for r in cur.fetchall()]
    assert events == [("item.open", "sanna", "supervisor", None), ("post.view", "sanna", "supervisor", True)]


def test_supervisor_precision_counts_false_alarms_from_decisions(conn, settings, staff):
    from outreach import stats

    ids = seed_suggestions(conn, settings, [{"text": f"teksti {i}", "level": 3} for i in range(4)])
    worker = Worker(staff.ids["aino"], "aino", "counsellor", None)  # no team: no capacity limit
    policy = components.workflow_policy(settings)
    for index, suggestion_id in enumerate(ids):
        workflow.claim(conn, worker, policy, suggestion_id)
        if index == 0:
            workflow.dismiss(conn, worker, suggestion_id, "not_distress", confirmed=True)
        elif index == 1:
            workflow.reach_out(conn, worker, policy, suggestion_id, draft_edited=False)
            workflow.relabel(conn, worker, suggestion_id, 1)
        else:
            workflow.reach_out(conn, worker, policy, suggestion_id, draft_edited=False)
    with transaction(conn) as cur:
        high = next(p for p in stats.precision_by_level(cur) if p.level == 3)
    assert (high.decided, high.false_positives, high.precision) == (4, 2, 0.5)


def test_actions_on_a_decided_item_are_refused(conn, settings, staff):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    worker = Worker(staff.ids["aino"], "aino", "counsellor", None)  # no team: no capacity limit
    policy = components.workflow_policy(settings)
    workflow.claim(conn, worker, policy, ids[0])
    workflow.dismiss(conn, worker, ids[0], "already_helped", confirmed=True)
    for action in (lambda: workflow.claim(conn, worker, policy, ids[0]),
                   lambda: workflow.escalate(conn, worker, ids[0], list(workflow.REQUIRED_ESCALATION_CHECKS))):
        try:
            action()
        except ActionRefusedError as refused:
            assert refused.reason == "already_decided"
        else:
            raise AssertionError("a decided item was acted on again")


def test_notes_and_decisions_go_when_the_post_is_purged(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3}])
    client = signed_in("aino")
    client.post(f"/items/{ids[0]}/notes", data={"csrf_token": csrf_of(client), "text": "Muistiinpano"})
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET purge_after = now() - interval '1 minute'")
    from app.pipeline.retention import purge_expired

    purge_expired(conn)
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM suggestion_notes) + (SELECT count(*) FROM suggestions) AS n")
        assert cur.fetchone()["n"] == 0


def test_supervisor_page_lists_daily_reports(conn, settings, signed_in):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from governance.partners import Scope
    from outreach.daily_report import build_report, store_report

    local_day = datetime.now(ZoneInfo(settings.timezone)).date()  # a report day is the service's calendar day
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3}])
    with transaction(conn) as cur:
        store_report(cur, build_report(cur, local_day, settings.timezone, Scope("default", True)))
    page = signed_in("sanna").get("/supervisor?lang=en").text
    table = page.split('id="daily-reports"')[1]
    assert f"<td>{local_day.isoformat()}</td>" in table and "lexicon baseline" in table
    trends = page.split('id="trends"')[1].split("</div>")[0]
    assert trends.count('<svg class="chart trend"') == 2 and "Queued per day" in trends
    assert f"<title>{local_day.isoformat()}: 1</title>" in trends  # one column per day, its value in its title


def test_a_trend_chart_has_labelled_axes_and_scales_to_its_top():
    from app.review.charts import trend_chart

    chart = str(trend_chart("Queued", [("2026-12-01", 4.0, "4"), ("2026-12-02", 8.0, "8"), ("2026-12-03", 0.0, "0")]))
    heights = [int(part.split('"')[0]) for part in chart.split('height="')[2:]]
    assert heights == [60, 120, 0], "columns scale to the largest value"
    assert ">8<" in chart and ">0<" in chart and "12-01" in chart and "12-03" in chart
    share = str(trend_chart("On time", [("2026-12-01", 0.5, "50 %")], maximum=1.0, axis_label="100 %"))
    assert ">100 %<" in share and 'height="60"' in share


def test_items_you_hold_are_matched_by_account_not_by_display_name(conn, settings, signed_in, staff):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3}, {"text": "Väsyttää", "level": 2}])
    with transaction(conn) as cur:
        cur.execute("UPDATE users SET display_name = 'Aino' WHERE username IN ('aino', 'elsa')")
    aino, elsa = signed_in("aino"), signed_in("elsa")
    assert _claim_next(aino) == f"/items/{ids[0]}"
    held = elsa.get("/queue").text
    assert "Items you hold" not in held
    assert "Items you hold" in aino.get("/queue").text


def test_overflow_is_counted_in_full_beyond_the_capped_list(conn, settings, signed_in):
    seed_suggestions(conn, settings, [{"text": f"Väsyttää {i}", "level": 2} for i in range(205)] + [CRISIS])
    supervisor = signed_in("sanna")
    assert 'id="overflow-count">202 ' in supervisor.get("/supervisor").text  # 205 waiting - capacity 3
    assert supervisor.get("/api/queue").json()["overflow"] == 202


def test_the_sliced_urgency_order_equals_one_sort_over_every_open_item(conn, settings, staff):
    specs = [{"text": f"Rivi {i}", "level": 2 + i % 3, "confidence": 0.3 + (i * 37 % 60) / 100,
              "language": "fi" if i % 4 else "sv"} for i in range(60)]
    ids = seed_suggestions(conn, settings, specs)
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET sla_due = now() - interval '1 hour' WHERE id = ANY(%s)", (ids[::3],))
        cur.execute("UPDATE posts SET quarantined_at = now() WHERE id = (SELECT post_id FROM suggestions "
                    "WHERE id = %s)", (ids[7],))
        cur.execute("UPDATE suggestions SET status = 'claimed', claimed_by = %s, claimed_until = now() - "
                    "interval '1 minute' WHERE id = %s", (staff.ids["aino"], ids[8]))
        cur.execute("UPDATE suggestions SET status = 'dismissed' WHERE id = %s", (ids[9],))
        cur.execute(
            """SELECT g.id FROM suggestions g JOIN posts p ON p.id = g.post_id
               WHERE p.quarantined_at IS NULL AND g.status IN ('new', 'claimed')
               ORDER BY g.level DESC, (g.sla_due < now()) DESC, g.priority DESC, g.sla_due, g.id""")
        expected = [row["id"] for row in cur.fetchall()]
        assert [r.suggestion_id for r in worklist(cur, WorklistFilter(), limit=500)] == expected
        pages = [worklist(cur, WorklistFilter(), limit=7, offset=first) for first in range(0, 70, 7)]
        assert [r.suggestion_id for page in pages for r in page] == expected
        swedish = [r.suggestion_id for r in worklist(cur, WorklistFilter(language="sv", level=3))]
    assert ids[7] not in expected and ids[9] not in expected and ids[8] in expected
    assert swedish == [i for i in expected if specs[ids.index(i)]["language"] == "sv"
                       and specs[ids.index(i)]["level"] == 3]


def test_the_queue_is_paged_in_urgency_order(conn, settings, signed_in, staff):
    with transaction(conn) as cur:
        cur.execute("UPDATE teams SET daily_capacity = 500 WHERE id = %s", (staff.team_id,))
    ids = seed_suggestions(conn, settings, [{"text": f"Väsyttää {i}", "level": 2, "confidence": 0.2 + i / 200}
                                            for i in range(120)])
    counsellor = signed_in("aino")
    pages = [counsellor.get(f"/queue?page={number}").text for number in (1, 2, 3)]
    shown = [[int(i) for i in re.findall(r'href="/items/(\d+)"', page)] for page in pages]
    assert [len(ids_on_page) for ids_on_page in shown] == [50, 50, 20]
    assert [i for page in shown for i in page] == ids[::-1]  # higher confidence first
    assert 'rel="next"' in pages[0] and 'rel="prev"' in pages[1] and 'rel="next"' not in pages[2]
    for junk in ("0", "-1", "²", "abc", "99999999999999999999"):
        assert counsellor.get(f"/queue?page={junk}").status_code == 200


def test_the_service_offered_and_its_take_up_reach_the_supervisors_table(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää mitään, kaikki on turhaa", "level": 3}])
    client = signed_in("aino")
    _claim_next(client)
    page = client.get(f"/items/{ids[0]}").text
    offered = re.findall(r'name="offered_service" value="([^"]+)"', page)
    assert len(offered) == 2, "one door: the draft's two services to choose from"
    assert "fi-emergency" not in offered, "the emergency number is named in every crisis draft, not offered"
    csrf = csrf_of(client)
    client.post(f"/items/{ids[0]}/reach-out", data={"csrf_token": csrf, "offered_service": offered[1]})
    assert "Did they take up" in client.get(f"/items/{ids[0]}").text
    client.post(f"/items/{ids[0]}/outcome", data={"csrf_token": csrf, "outcome": "accepted_help", "taken_up": "yes"})
    row = _status(conn, ids[0])
    assert (row["offered_service"], row["service_taken_up"]) == (offered[1], True)
    table = signed_in("sanna").get("/supervisor").text.split('id="service-outcomes"')[1].split("</table>")[0]
    assert re.search(r"<td>[^<]+</td><td>1</td><td>1</td><td>0</td><td>0</td>", table)


def test_dismissing_a_high_or_crisis_item_needs_a_confirmation_and_the_page_follows_the_decision(
        conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Minulla on suunnitelma tälle illalle", "level": 4}])
    client = signed_in("aino")
    _claim_next(client)
    unconfirmed = client.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(client),
                                                                "reason": "joke_or_hyperbole"}, follow_redirects=False)
    assert unconfirmed.headers["location"].endswith("notice=dismiss_not_confirmed")
    assert _status(conn, ids[0])["status"] == "claimed"
    client.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(client), "reason": "joke_or_hyperbole",
                                                  "confirmed": "true"})
    page = client.get(f"/items/{ids[0]}?lang=en").text
    assert _status(conn, ids[0])["status"] == "dismissed"
    assert 'class="crisis"' not in page and 'id="decision"' in page and 'id="undo"' in page


def test_the_author_can_undo_a_decision_for_a_few_minutes_and_nobody_else_can(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    aino, elsa = signed_in("aino"), signed_in("elsa")
    _claim_next(aino)
    aino.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(aino), "reason": "already_in_care"})
    refused = elsa.post(f"/items/{ids[0]}/undo", data={"csrf_token": csrf_of(elsa)}, follow_redirects=False)
    assert refused.headers["location"].endswith("notice=nothing_to_undo")
    aino.post(f"/items/{ids[0]}/undo", data={"csrf_token": csrf_of(aino)})
    row = _status(conn, ids[0])
    assert (row["status"], row["dismiss_reason"], row["decided_by"]) == ("claimed", None, None)
    aino.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(aino), "reason": "already_in_care"})
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET decided_at = now() - interval '11 minutes' WHERE id = %s", (ids[0],))
    late = aino.post(f"/items/{ids[0]}/undo", data={"csrf_token": csrf_of(aino)}, follow_redirects=False)
    assert late.headers["location"].endswith("notice=undo_too_late")
    assert _audit_actions(conn, ids[0]).count("suggestion.undo") == 1


def test_the_message_sent_is_kept_redacted_and_encrypted_and_shown_on_the_item(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää töissä", "level": 3}])
    client = signed_in("aino")
    _claim_next(client)
    message = "Hei Matti Virtanen! Soita minulle numeroon 040 123 4567, olen täällä."
    client.post(f"/items/{ids[0]}/reach-out", data={"csrf_token": csrf_of(client), "message": message})
    with transaction(conn) as cur:
        cur.execute("SELECT sent_message_encrypted FROM suggestions WHERE id = %s", (ids[0],))
        stored = bytes(cur.fetchone()["sent_message_encrypted"])
        cur.execute("SELECT details FROM audit_log WHERE action = 'suggestion.reached_out'")
        details = cur.fetchone()["details"]
    assert b"Matti" not in stored and b"040" not in stored
    shown = client.get(f"/items/{ids[0]}").text.split('id="sent-message"')[1].split("</p>")[0]
    assert "olen täällä" in shown and "Matti" not in shown and "040 123 4567" not in shown
    assert details["draft_edited"] is True


def test_signing_out_with_held_items_asks_and_can_give_them_back(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    client = signed_in("aino")
    _claim_next(client)
    asked = client.post("/logout?lang=en", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert asked.status_code == 200 and 'id="release-and-sign-out"' in asked.text
    assert client.get("/queue", follow_redirects=False).status_code == 200, "still signed in until they choose"
    done = client.post("/logout", data={"csrf_token": csrf_of(client), "held": "release"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert _status(conn, ids[0])["status"] == "new"


def test_an_outcome_not_recorded_a_day_after_reaching_out_is_listed_as_a_follow_up(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    client = signed_in("aino")
    _claim_next(client)
    client.post(f"/items/{ids[0]}/reach-out", data={"csrf_token": csrf_of(client), "message": ""})
    assert 'id="follow-ups"' not in client.get("/queue").text
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET decided_at = now() - interval '25 hours' WHERE id = %s", (ids[0],))
    follow_ups = client.get("/queue?lang=en").text.split('id="follow-ups"')[1].split("</section>")[0]
    assert f'href="/items/{ids[0]}"' in follow_ups and "1 d ago" not in follow_ups and "25 h ago" in follow_ups


def test_the_item_shows_its_history_and_the_dpo_finds_who_read_one_item(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}, {"text": "Ahdistaa", "level": 2,
                                                                               "author": "9" * 64}])
    aino = signed_in("aino")
    aino.post(f"/items/{ids[0]}/claim", data={"csrf_token": csrf_of(aino)})
    aino.post(f"/items/{ids[0]}/dismiss", data={"csrf_token": csrf_of(aino), "reason": "already_in_care"})
    aino.post(f"/items/{ids[0]}/undo", data={"csrf_token": csrf_of(aino)})
    aino.get(f"/items/{ids[1]}")  # opened, not read
    page = aino.get(f"/items/{ids[0]}?reveal=1").text
    history = page.split('id="item-history"')[1].split("</ol>")[0]
    order = [history.index(action) for action in ("suggestion.claim", "suggestion.dismiss", "suggestion.undo")]
    assert order == sorted(order) and "post.view" not in history
    assert 'id="copy-draft"' in page and '<script src="/static/copy.js"' in page
    rows = signed_in("dpo").get(f"/dpo/audit?action=post.view&object_id={ids[0]}").text
    listed = rows.split("<tbody>")[1].split("</tbody>")[0]
    assert f"suggestion {ids[0]}" in listed and f"suggestion {ids[1]}<" not in listed


def test_the_supervisor_sees_what_is_due_within_the_hour_and_the_real_age_of_the_oldest_post(
        conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "Minulla on suunnitelma", "level": 4},
                                            {"text": "Väsyttää", "level": 2, "author": "8" * 64}])
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET created_at = now() - interval '6 days' WHERE id = "
                    "(SELECT post_id FROM suggestions WHERE id = %s)", (ids[1],))
    page = signed_in("sanna").get("/supervisor?lang=en").text
    due = page.split('id="due-within-hour"')[1].split("</dd>")[0]
    assert ">1</strong>" in due and "Crisis 1" in due
    assert "post written 144." in page, "the oldest open item is as old as its post"
