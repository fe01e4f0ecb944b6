"""The review app when requests outnumber database connections, and when the database is gone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from app.review.app import RETRY_AFTER_SECONDS, SECURITY_HEADERS, create_app
from tests.app.review.conftest import login


def test_many_concurrent_requests_wait_for_a_connection_instead_of_failing(settings, staff) -> None:
    narrow = settings.model_copy(update={"web_threads": 2})
    with TestClient(create_app(narrow), base_url="https://testserver") as client:
        assert login(client, "aino").status_code == 303

        def fetch(index: int) -> int:
            path = "/health" if index % 2 else "/queue"
            return client.get(path, headers={"accept": "text/html"}).status_code

        with ThreadPoolExecutor(max_workers=24) as executor:
            statuses = list(executor.map(fetch, range(120)))
    assert statuses == [200] * 120


def _unreachable(settings):
    return settings.model_copy(update={"database_url": "postgresql://nobody@127.0.0.1:9/none?connect_timeout=1"})


def test_an_unreachable_database_is_a_503_with_retry_after_not_a_traceback(settings) -> None:
    with TestClient(create_app(_unreachable(settings)), base_url="https://testserver") as client:
        health = client.get("/health")
        page = client.get("/login?lang=fi", headers={"accept": "text/html"})
    assert health.status_code == 503
    assert health.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert "busy or unavailable" in health.json()["detail"]
    assert page.status_code == 503
    assert "Palvelu on ruuhkautunut" in page.text and "Traceback" not in page.text
    for name, value in SECURITY_HEADERS.items():
        assert page.headers[name] == value
