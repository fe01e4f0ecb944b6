"""Opting out by signing in with Reddit: proof of ownership, so the purge happens at once."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from app import components
from app.review.routes.public import OAUTH_STATE_COOKIE
from core.db.connection import transaction
from tests.app.review.conftest import seed_suggestions


def _leave_for_reddit(client) -> dict[str, str]:
    """Start the opt-out: Majakka sends the browser to Reddit's authorize page; returns its query."""
    leaving = client.get("/opt-out/reddit", follow_redirects=False)
    assert leaving.status_code == 303
    query = {key: values[-1] for key, values in parse_qs(urlsplit(leaving.headers["location"]).query).items()}
    assert query["scope"] == "identity" and query["duration"] == "temporary"
    assert query["redirect_uri"].endswith("/opt-out/reddit/callback")
    return query


def _reddit_decides(reddit_server, query: dict[str, str], *, username: str, decision: str = "allow") -> dict:
    """The person on Reddit's page: signed in as ``username``, allows or declines; returns the way back."""
    page = httpx.get(f"{reddit_server.base_url}/api/v1/authorize", params=query)
    assert page.status_code == 200 and 'id="reddit-allow"' in page.text
    back = httpx.post(f"{reddit_server.base_url}/api/v1/authorize", data={
        "state": query["state"], "redirect_uri": query["redirect_uri"], "username": username, "decision": decision})
    assert back.status_code == 302
    return {key: values[-1] for key, values in parse_qs(urlsplit(back.headers["location"]).query).items()}


def test_signing_in_with_reddit_proves_ownership_and_purges_at_once(make_client, conn, settings, reddit_server,
                                                                  reddit_state):
    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", "Oma_tili")
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": pseudonym}])
    client = make_client()
    back = _reddit_decides(reddit_server, _leave_for_reddit(client), username="Oma_tili")
    done = client.get("/opt-out/reddit/callback", params=back)
    assert done.status_code == 200 and 'id="opt-out-done"' in done.text and "Oma_tili" not in done.text
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs, "
                    "(SELECT count(*) FROM privacy_cases) AS cases")
        assert dict(cur.fetchone()) == {"posts": 0, "opt_outs": 1, "cases": 0}
        cur.execute("SELECT actor, details::text AS details FROM audit_log WHERE action = 'optout.register'")
        event = cur.fetchone()
    assert event["actor"] == "public:opt-out-verified" and "Oma_tili" not in event["details"]
    assert not reddit_state.identities, "the identity token was revoked"
    replay = client.get("/opt-out/reddit/callback", params=back)
    assert replay.status_code == 400  # the state was used up with its cookie


def test_a_forged_or_declined_return_changes_nothing(make_client, conn, settings, reddit_server):
    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", "Toisen_tili")
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3, "author": pseudonym}])
    attacker = make_client()
    query = _leave_for_reddit(attacker)
    back = _reddit_decides(reddit_server, query, username="Toisen_tili")
    victim_browser = make_client()  # a link with someone else's code and state: no matching cookie here
    assert victim_browser.get("/opt-out/reddit/callback", params=back).status_code == 400
    forged_state = attacker.get("/opt-out/reddit/callback", params={**back, "state": "guessed"})
    assert forged_state.status_code == 400
    declined_client = make_client()
    declined = _reddit_decides(reddit_server, _leave_for_reddit(declined_client), username="x", decision="decline")
    answer = declined_client.get("/opt-out/reddit/callback", params=declined)
    assert answer.status_code == 200 and 'id="opt-out-declined"' in answer.text
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs")
        assert dict(cur.fetchone()) == {"posts": 1, "opt_outs": 0}


def test_a_code_reddit_refuses_is_a_clear_answer_not_a_crash(make_client, conn):
    client = make_client()
    query = _leave_for_reddit(client)
    client.cookies.set(OAUTH_STATE_COOKIE, query["state"], domain="testserver", path="/opt-out/reddit")
    refused = client.get("/opt-out/reddit/callback", params={"state": query["state"], "code": "made-up"})
    assert refused.status_code == 502 and 'id="opt-out-reddit-error"' in refused.text
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM opt_outs")
        assert cur.fetchone()["n"] == 0
