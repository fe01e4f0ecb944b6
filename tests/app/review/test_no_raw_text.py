"""Canary test for the web app: posts with planted identifiers go through the real pipeline, then
every page and API response, for every role, is searched for them. None may appear (invariant 1)."""

from __future__ import annotations

from fastapi.routing import APIRoute

from app import components
from app.pipeline.scoring import score_pending
from app.review.app import create_app
from core.db.connection import transaction
from outreach.queue import enqueue_scored
from tests.app.review.conftest import ROLE_USERS, csrf_of
from tests.canaries import CANARY_AUTHORS, CANARY_IDENTIFIERS, CANARY_POSTS


def _get_paths(settings, suggestion_ids: list[int], staff) -> list[str]:
    paths = []
    for route in create_app(settings).routes:
        if isinstance(route, APIRoute) and "GET" in route.methods and route.path not in ("/", "/login"):
            if "{suggestion_id}" in route.path:
                paths.extend(route.path.replace("{suggestion_id}", str(i)) for i in suggestion_ids)
            else:
                paths.append(route.path)
    return [*paths, "/queue?status=claimed", "/queue?language=sv", "/dpo/audit?action=post"]


def test_no_page_or_api_response_carries_a_planted_identifier(conn, settings, reddit_state, signed_in, staff):
    reddit_state.add(CANARY_POSTS)
    assert components.ingestor(settings, conn).run(conn).stored == len(CANARY_POSTS)
    scorer = components.lexicon_scorer()
    score_pending(conn, scorer, components.cipher(settings))
    enqueue_scored(conn, model_version=scorer.version, policy=components.queue_policy(settings, conn))
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM suggestions ORDER BY id")
        suggestion_ids = [row["id"] for row in cur.fetchall()]
    assert len(suggestion_ids) >= 2

    counsellor = signed_in("aino")
    csrf = csrf_of(counsellor)
    counsellor.post("/queue/claim-next", data={"csrf_token": csrf})
    counsellor.post(f"/items/{suggestion_ids[0]}/notes", data={"csrf_token": csrf, "text": "Tarkista huomenna."})
    held = counsellor.get("/queue?status=claimed").text.split('href="/items/')[1].split('"')[0]
    counsellor.post(f"/items/{held}/reach-out", data={"csrf_token": csrf, "message": (
        "Hei Matti Virtaselle! Soita 040 765 4321 tai kirjoita kanarialintu@example.fi, "
        "olen Mannerheimintie 12 B 34, 00100 Helsinki.")})
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM suggestions WHERE sent_message_encrypted IS NOT NULL")
        assert cur.fetchone()["n"] == 1, "the message the counsellor sent is kept, redacted"

    bodies: dict[str, str] = {}
    for role, username in ROLE_USERS.items():
        client = signed_in(username)
        for path in _get_paths(settings, suggestion_ids, staff):
            response = client.get(path)
            if response.status_code == 200:
                bodies[f"{role} {path}"] = response.text
    assert any(key.startswith("counsellor /items/") for key in bodies)
    assert any("&lt;" in body for key, body in bodies.items() if key.startswith("counsellor /items/"))
    leaks = [(key, secret) for key, body in bodies.items()
             for secret in (*CANARY_IDENTIFIERS, *CANARY_AUTHORS) if secret.lower() in body.lower()]
    assert leaks == []
    assert len(bodies) > 40
