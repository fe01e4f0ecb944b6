"""Fixtures for the review app: the real app on a per-test PostgreSQL, accounts per role, a seeded queue."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app import components
from app.review.app import create_app
from app.staff import accounts, two_factor
from core.config import get_settings
from core.db.connection import transaction
from governance import partners
from outreach.directory import load_directory
from outreach.queue import QueuePolicy, enqueue_scored
from privacy import posts
from privacy.posts import RedactedPost

PASSWORD = "correct-horse-battery-staple"
#: The authenticator key of every test account whose role signs in with a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ROLE_USERS = {
    "counsellor": "aino", "supervisor": "sanna", "dpo": "dpo", "ml_engineer": "mlops", "admin": "admin",
}
SEED_MODEL = "seed-model-1"


@dataclass(frozen=True)
class Staff:
    team_id: int
    ids: dict[str, int]


@pytest.fixture
def staff(conn, settings) -> Staff:
    """One account per role (plus a second counsellor), counsellors and supervisor in a team of capacity 3;
    the roles that require it have two-factor sign-in with :data:`TOTP_SECRET`."""
    ids = {}
    cipher = components.cipher(settings)
    with transaction(conn) as cur:
        team = accounts.ensure_team(cur, "Testitiimi", 3)
        for role, username in {**ROLE_USERS, "counsellor2": "elsa"}.items():
            real_role = "counsellor" if role == "counsellor2" else role
            in_team = real_role in ("counsellor", "supervisor")
            user = accounts.create(cur, username=username, display_name=username.title(), role=real_role,
                                   password=PASSWORD, team_id=team if in_team else None, ui_language="en",
                                   actor="test", actor_role="system")
            ids[username] = user.id
            if two_factor.required_for(real_role):
                two_factor.enrol_with_secret(cur, user.id, TOTP_SECRET, cipher)
    return Staff(team, ids)


@pytest.fixture
def make_client(settings) -> Iterator[Callable[[], TestClient]]:
    """Each client gets its own app instance (like separate server processes) on the same database."""
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(create_app(settings), base_url="https://testserver")
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def login(client: TestClient, username: str, password: str = PASSWORD, *, follow: bool = False):
    page = client.get("/login?lang=en")  # English pages for anonymous visits of this client
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "login_csrf": token},
                       follow_redirects=follow)


def csrf_of(client: TestClient) -> str:
    page = client.get("/me")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def add_account(cur, *, username: str, role: str, partner: str = partners.DEFAULT_PARTNER,
                team_id: int | None = None) -> accounts.User:
    """A test account of ``partner`` with :data:`PASSWORD`, and two-factor sign-in where its role requires it."""
    user = accounts.create(cur, username=username, display_name=username.title(), role=role, password=PASSWORD,
                           team_id=team_id, ui_language="en", partner=partner, actor="test", actor_role="system")
    if two_factor.required_for(role):
        two_factor.enrol_with_secret(cur, user.id, TOTP_SECRET, components.cipher(get_settings()))
    return user


class CodeSource:
    """Fresh one-time codes of :data:`TOTP_SECRET` for each account, never a step twice (as an app's would be;
    the server refuses a code used already), waiting for the next step when this one is used up."""

    def __init__(self) -> None:
        self._last_step: dict[str, int] = {}

    def next_code(self, username: str) -> str:
        while True:
            now = two_factor.current_step()
            step = max(now - two_factor.DRIFT_STEPS, self._last_step.get(username, -1) + 1)
            if step <= now + two_factor.DRIFT_STEPS:
                self._last_step[username] = step
                return two_factor.code_at(TOTP_SECRET, step)
            time.sleep(1)


def give_code(client: TestClient, code: str, next_path: str = "/"):
    page = client.get("/login/code")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login/code", data={"csrf_token": csrf, "code": code, "next": next_path},
                       follow_redirects=False)


@pytest.fixture
def codes() -> CodeSource:
    return CodeSource()


@pytest.fixture
def signed_in(make_client, staff, codes) -> Callable[[str], TestClient]:
    """A client signed in as the given username (with a one-time code where the account has two factors)."""

    def sign_in(username: str) -> TestClient:
        client = make_client()
        response = login(client, username)
        assert response.status_code == 303, response.text
        if response.headers["location"].startswith("/login/code"):
            assert give_code(client, codes.next_code(username)).status_code == 303
        return client

    return sign_in


def seed_suggestions(conn, settings, specs: list[dict]) -> list[int]:
    """Store redacted posts with fixed scores and queue them; returns suggestion ids in spec order.

    Each spec: text, level, and optionally language, author (64 hex chars), confidence, source_id, community.
    """
    cipher = components.cipher(settings)
    post_ids = []
    with transaction(conn) as cur:
        for index, spec in enumerate(specs):
            source_id = spec.get("source_id", f"seed{index}")
            text = spec["text"]
            community = spec.get("community", "Suomi")
            posts.insert(cur, RedactedPost(
                "reddit", source_id, "post", community, f"https://www.reddit.com/r/{community}/comments/{source_id}/",
                spec.get("author", f"{index:064x}"), "key1", spec.get("language", "fi"), cipher.encrypt(text),
                len(text), {}, "filter-test", datetime.now(UTC)), 30)
            cur.execute("SELECT id FROM posts WHERE source_id = %s", (source_id,))
            post_id = cur.fetchone()["id"]
            level = spec["level"]
            confidence = spec.get("confidence", 0.8)
            probabilities = [(1 - confidence) / 4] * 5
            probabilities[level] = confidence
            first_word_end = text.find(" ") if " " in text else len(text)
            cur.execute(
                "INSERT INTO scores (post_id, model_version, level, probabilities, explanation, purge_after) "
                "VALUES (%s, %s, %s, %s, %s, now() + interval '30 days')",
                (post_id, SEED_MODEL, level, probabilities,
                 json.dumps([{"start": 0, "end": first_word_end, "weight": 0.5, "reason": "raises risk"}])),
            )
            post_ids.append(post_id)
    enqueue_scored(conn, model_version=SEED_MODEL, policy=QueuePolicy(
        sla_hours={2: 72, 3: 24, 4: 1}, cooldown_days=14, organisation="Testikunta", services=load_directory()))
    with transaction(conn) as cur:
        cur.execute("SELECT post_id, id FROM suggestions")
        by_post = {r["post_id"]: r["id"] for r in cur.fetchall()}
    return [by_post.get(post_id) for post_id in post_ids]


@pytest.fixture
def two_queues(conn, settings, staff) -> dict[str, int]:
    """The deployment's default partner (aino, elsa, sanna; shares the national queue) and Vaasa (ville),
    which holds r/Vaasa and does not share it. One national item, one of Vaasa's."""
    with transaction(conn) as cur:
        partners.save_partner(cur, slug="vaasa", name="Vaasan kaupunki - Vasa stad", service_name="Vaasan chat",
                              country="FI", dpo_contact="dpo@vaasa.example", shares_national=False,
                              actor="admin", role="admin")
        partners.assign_community(cur, partner="vaasa", source="reddit", community="Vaasa", actor="admin",
                                  role="admin")
        accounts.create(cur, username="ville", display_name="Ville", role="counsellor", password=PASSWORD,
                        team_id=None, ui_language="en", partner="vaasa", actor="test", actor_role="system")
    national, vaasa = seed_suggestions(conn, settings, [
        {"text": "En jaksa enää mitään", "level": 3, "source_id": "nat1"},
        {"text": "Jag orkar inte mer", "level": 4, "language": "sv", "source_id": "vsa1", "community": "Vaasa"},
    ])
    return {"national": national, "vaasa": vaasa}
