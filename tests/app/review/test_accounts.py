"""Accounts outside the browser: the CLI, demo accounts printed once, admin rules, preferences."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.review.server import DEMO_ACCOUNTS, demo_accounts
from app.staff import accounts
from app.staff.accounts import AccountError
from core.db.connection import transaction
from tests.app.review.conftest import PASSWORD, csrf_of, login, seed_suggestions


def test_demo_accounts_get_fresh_passwords_each_run_and_only_hashes_are_kept(conn, settings, make_client):
    first = demo_accounts(conn)
    second = demo_accounts(conn)
    assert [u for u, _, _ in first] == [u for u, *_ in DEMO_ACCOUNTS]
    assert all(a[2] != b[2] for a, b in zip(first, second, strict=True))
    with transaction(conn) as cur:
        cur.execute("SELECT password_hash FROM users")
        stored = " ".join(row["password_hash"] for row in cur.fetchall())
    assert not any(password in stored for _, _, password in first + second)
    username, _, password = second[0]
    assert login(make_client(), username, first[0][2]).status_code == 401
    assert login(make_client(), username, password).status_code == 303


def test_user_create_command_makes_an_account_and_refuses_a_short_password(settings):
    env = {**os.environ, "MAJAKKA_NEW_PASSWORD": "a-long-enough-password"}
    command = [sys.executable, "-m", "app.cli", "user-create", "--username", "Tuuli", "--role", "counsellor",
               "--team", "Pohjoinen", "--capacity", "25"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "created tuuli (counsellor)" in done.stdout
    env["MAJAKKA_NEW_PASSWORD"] = "short"
    again = subprocess.run([*command[:5], "ville", *command[6:]], env=env, capture_output=True, text=True,
                           check=False)
    assert again.returncode == 1 and "at least 12 characters" in again.stderr


def test_account_rules(conn):
    with transaction(conn) as cur:
        accounts.create(cur, username="aino", display_name="Aino", role="counsellor", password="x" * 12,
                        team_id=None, actor="t", actor_role="system")
        for kwargs, message in (({"username": "aino"}, "taken"), ({"username": "a b"}, "a-z, digits"),
                                ({"role": "root"}, "unknown role"), ({"password": "x" * 11}, "12 characters")):
            values = {"username": "ville", "display_name": "V", "role": "counsellor", "password": "y" * 12,
                      "team_id": None, "actor": "t", "actor_role": "system", **kwargs}
            with pytest.raises(AccountError, match=message):
                accounts.create(cur, **values)


def test_admin_cannot_lock_themselves_out(signed_in, staff):
    admin = signed_in("admin")
    response = admin.post(f"/admin/users/{staff.ids['admin']}", data={"csrf_token": csrf_of(admin),
                                                                       "role": "counsellor", "active": "true"})
    assert response.status_code == 400
    assert admin.get("/api/me").json()["role"] == "admin"


def test_admin_sets_team_capacity_and_it_is_audited(signed_in, staff, conn):
    admin = signed_in("admin")
    admin.post(f"/admin/teams/{staff.team_id}", data={"csrf_token": csrf_of(admin), "daily_capacity": "12"})
    with transaction(conn) as cur:
        cur.execute("SELECT daily_capacity FROM teams WHERE id = %s", (staff.team_id,))
        assert cur.fetchone()["daily_capacity"] == 12
        cur.execute("SELECT actor, details FROM audit_log WHERE action = 'team.capacity'")
        event = cur.fetchone()
    assert event["actor"] == "admin" and event["details"] == {"daily_capacity": 12}


def test_blur_preference_controls_whether_text_is_hidden_first(signed_in, conn, settings):
    ids = seed_suggestions(conn, settings, [{"text": "Väsyttää kovasti", "level": 2}])
    client = signed_in("aino")
    hidden = client.get(f"/items/{ids[0]}").text
    assert 'id="reveal-text"' in hidden and "kovasti" not in hidden
    client.post("/me/preferences", data={"csrf_token": csrf_of(client), "ui_language": "en"})
    page = client.get(f"/items/{ids[0]}").text
    assert 'id="reveal-text"' not in page and "</mark> kovasti" in page  # first word is highlighted


def test_break_reminder_appears_after_a_long_session(signed_in, conn, settings):
    client = signed_in("aino")
    assert "A short break helps" not in client.get("/queue").text
    with transaction(conn) as cur:
        cur.execute("UPDATE web_sessions SET created_at = now() - make_interval(mins => %s)",
                    (settings.break_reminder_minutes + 1,))
    assert "A short break helps" in client.get("/queue").text


def test_a_reset_password_is_shown_once_must_be_changed_and_last_sign_in_is_listed(signed_in, make_client, staff, conn):
    admin = signed_in("admin")
    reset = admin.post(f"/admin/users/{staff.ids['aino']}/reset-password", data={"csrf_token": csrf_of(admin)})
    assert reset.headers["cache-control"] == "no-store"
    temporary = reset.text.split('id="temporary-password"')[1].split("<code>")[1].split("</code>")[0]
    client = make_client()
    assert login(client, "aino", PASSWORD).status_code == 401, "the old password no longer works"
    signed = login(client, "aino", temporary)
    assert signed.headers["location"] == "/me/password"
    blocked = client.get("/queue", headers={"accept": "text/html"}, follow_redirects=False)
    assert blocked.headers["location"] == "/me/password"
    assert client.get("/api/queue").status_code == 403, "the API refuses too, until the password is changed"
    wrong = client.post("/me/password", data={"csrf_token": csrf_of_page(client), "current": "nope",
                                              "new": "a-brand-new-passphrase", "repeat": "a-brand-new-passphrase"})
    assert wrong.status_code == 400
    done = client.post("/me/password", follow_redirects=False, data={
        "csrf_token": csrf_of_page(client), "current": temporary, "new": "a-brand-new-passphrase",
        "repeat": "a-brand-new-passphrase"})
    assert done.headers["location"] == "/login?notice=password_changed"
    again = make_client()
    assert login(again, "aino", "a-brand-new-passphrase").headers["location"] == "/queue"
    listed = admin.get("/admin/users").text.split('id="users"')[1]
    aino_row = listed.split("<td>aino</td>")[1].split("</tr>")[0]
    assert "never" not in aino_row.split("</td>")[1]


def csrf_of_page(client) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/me/password").text).group(1)


def test_an_admin_creates_a_team_of_their_own_partner(signed_in, conn):
    admin = signed_in("admin")
    created = admin.post("/admin/teams", data={"name": "Iltatiimi", "daily_capacity": "12",
                                               "csrf_token": csrf_of(admin)}, follow_redirects=False)
    assert created.status_code == 303
    duplicate = admin.post("/admin/teams", data={"name": "Iltatiimi", "daily_capacity": "12",
                                                 "csrf_token": csrf_of(admin)})
    assert duplicate.status_code == 400
    with transaction(conn) as cur:
        cur.execute("SELECT daily_capacity, partner FROM teams WHERE name = 'Iltatiimi'")
        assert dict(cur.fetchone()) == {"daily_capacity": 12, "partner": "default"}
