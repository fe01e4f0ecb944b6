"""Every route has exactly one policy, and every role is allowed or refused exactly as the policy says."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from app.review.app import create_app
from app.review.policies import ALLOWED_ROLES, Policy, allows
from tests.app.review.conftest import ROLE_USERS, csrf_of, seed_suggestions

ROLES = tuple(ROLE_USERS)


def _policies(route: APIRoute) -> list[Policy]:
    found = []

    def walk(dependant) -> None:
        policy = getattr(dependant.call, "majakka_policy", None)
        if policy is not None:
            found.append(policy)
        for sub in dependant.dependencies:
            walk(sub)

    walk(route.dependant)
    return found


def _routes(settings) -> list[tuple[str, str, Policy]]:
    app = create_app(settings)
    result = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            policies = _policies(route)
            assert len(policies) == 1, f"{route.path} declares {len(policies)} policies"
            for method in route.methods:
                result.append((method, route.path, policies[0]))
    return result


def test_every_route_declares_exactly_one_policy_and_only_the_public_pages_are_public(settings):
    routes = _routes(settings)
    assert len(routes) >= 30
    public = sorted({path for _, path, policy in routes if policy is Policy.PUBLIC})
    assert public == ["/about", "/health", "/login", "/opt-out", "/opt-out/reddit", "/opt-out/reddit/callback"]
    assert ("GET", "/openapi.json", Policy.SIGNED_IN) in routes


def test_policy_table_keeps_post_text_with_the_people_who_work_the_queue():
    assert ALLOWED_ROLES[Policy.QUEUE] == {"counsellor", "supervisor"}
    for policy in (Policy.PRIVACY, Policy.MODELS, Policy.ADMIN):
        assert not ALLOWED_ROLES[policy] & {"counsellor"}
    assert not allows(Policy.SIGNED_IN, None)


def _request(client, method: str, path: str, csrf: str):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    return client.post(path, data={"csrf_token": csrf}, follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_allows_and_refuses_each_route_as_its_policy_says(role, conn, settings, signed_in, staff):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää", "level": 3}])
    client = signed_in(ROLE_USERS[role])
    csrf = csrf_of(client)
    checked = 0
    for method, template, policy in _routes(settings):
        if template in ("/logout", "/login") or template.startswith("/opt-out"):
            continue
        path = (template.replace("{suggestion_id}", str(ids[0])).replace("{user_id}", str(staff.ids["elsa"]))
                .replace("{team_id}", str(staff.team_id)).replace("{name}", "Suomi"))
        response = _request(client, method, path, csrf)
        if allows(policy, role):
            assert response.status_code not in (401, 403), f"{role} refused {method} {path}"
            assert "/login" not in response.headers.get("location", ""), f"{role} sent to login by {path}"
        else:
            assert response.status_code == 403, f"{role} got {response.status_code} from {method} {path}"
        checked += 1
    assert checked >= 30


def test_anonymous_requests_are_refused_everywhere_but_the_public_pages(conn, settings, make_client, staff):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää", "level": 3}])
    client = make_client()
    for method, template, policy in _routes(settings):
        path = (template.replace("{suggestion_id}", str(ids[0])).replace("{user_id}", "1")
                .replace("{team_id}", str(staff.team_id)).replace("{name}", "Suomi"))
        response = _request(client, method, path, "")
        if policy is Policy.PUBLIC:
            assert path in ("/login", "/health", "/about", "/opt-out", "/opt-out/reddit", "/opt-out/reddit/callback")
            assert response.status_code != 500
            continue
        assert response.status_code == 401, f"anonymous got {response.status_code} from {method} {path}"
    page = client.get("/queue", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/queue"
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 404


def test_post_without_or_with_a_wrong_csrf_token_is_refused(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää", "level": 3}])
    client = signed_in("aino")
    assert client.post("/queue/claim-next", data={}, follow_redirects=False).status_code == 403
    assert client.post("/queue/claim-next", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    with conn.cursor() as cur:
        cur.execute("SELECT status FROM suggestions WHERE id = %s", (ids[0],))
        assert cur.fetchone()[0] == "new"
    csrf = csrf_of(client)
    by_header = client.post("/api/queue/claim-next", headers={"x-csrf-token": csrf})
    assert by_header.status_code == 200 and by_header.json()["claimed"] == ids[0]


def test_login_form_needs_its_double_submit_token(make_client, staff):
    client = make_client()
    response = client.post("/login", data={"username": "aino", "password": "x" * 20, "login_csrf": "guess"})
    assert response.status_code == 403
    assert client.get("/api/me").status_code == 401


def test_csrf_tokens_differ_per_session(signed_in):
    first, second = signed_in("aino"), signed_in("aino")
    assert csrf_of(first) != csrf_of(second)
    page = first.get("/me").text
    assert re.search(r'name="csrf_token" value="[^"]{40,}"', page)
