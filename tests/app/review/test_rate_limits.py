"""No anonymous client can exhaust the app: per-address budgets on everything done without a session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.review.app import create_app
from app.review.rate_limit import SlidingWindow
from core.db.connection import transaction
from tests.app.review.conftest import login


def _client(settings, address: str, **limits) -> TestClient:
    app = create_app(settings.model_copy(update=limits))
    client = TestClient(app, base_url="https://testserver", client=(address, 40000))
    client.__enter__()
    return client


def test_an_anonymous_flood_gets_429_with_retry_after_and_other_clients_are_served(settings, staff):
    app = create_app(settings.model_copy(update={"public_requests_per_minute": 10}))
    flooder = TestClient(app, base_url="https://testserver", client=("198.51.100.9", 40000))
    neighbour = TestClient(app, base_url="https://testserver", client=("192.0.2.9", 40000))
    with flooder, neighbour:
        answers = [flooder.get("/health").status_code for _ in range(15)]
        assert answers[:10] == [200] * 10 and set(answers[10:]) == {429}
        refused = flooder.get("/about", headers={"accept": "text/html", "accept-language": "en"})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert refused.headers["x-frame-options"] and "Too many requests" in refused.text
        faked = flooder.get("/queue", cookies={"majakka_session": "made-up"})  # a bogus cookie does not bypass it
        assert faked.status_code == 429
        assert neighbour.get("/health").status_code == 200
        assert login(neighbour, "aino").status_code == 303


def test_a_signed_in_counsellor_is_not_limited_by_the_anonymous_budget(settings, staff):
    app = create_app(settings.model_copy(update={"public_requests_per_minute": 10}))
    with TestClient(app, base_url="https://testserver", client=("192.0.2.10", 40000)) as counsellor:
        assert login(counsellor, "aino").status_code == 303
        assert {counsellor.get("/api/me").status_code for _ in range(30)} == {200}


def test_the_public_opt_out_form_cannot_flood_the_dpo_with_cases(settings, conn):
    client = _client(settings, "198.51.100.20", public_opt_outs_per_hour=3)
    answers = []
    for n in range(5):
        page = client.get("/opt-out?lang=en")
        token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
        answers.append(client.post("/opt-out", data={"username": f"someone{n}", "form_token": token}).status_code)
    assert answers == [200, 200, 200, 429, 429]
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM privacy_cases")
        assert cur.fetchone()["n"] == 3


def test_the_window_slides():
    window = SlidingWindow(limit=2, seconds=60)
    assert [window.retry_after("a", now=t) for t in (0, 1, 2)] == [0, 0, 59]
    assert window.retry_after("b", now=2) == 0
    assert window.retry_after("a", now=60.5) == 0
