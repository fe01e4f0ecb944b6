"""Two-factor sign-in: codes are checked against the encrypted key, once each, and required for overseers."""

from __future__ import annotations

import subprocess
import sys

import pyotp

from app import components
from app.review.server import demo_accounts, demo_second_factors
from app.staff import two_factor
from core.db.connection import transaction
from tests.app.review.conftest import TOTP_SECRET, give_code, login

NOW = 1_800_000_000.0  # a fixed moment, so the steps below are exact


def test_a_code_counts_once_within_a_step_of_drift(conn, settings, staff):
    cipher = components.cipher(settings)
    step = two_factor.current_step(NOW)
    with transaction(conn) as cur:
        user = staff.ids["dpo"]
        assert not two_factor.verify(cur, user, "12345", cipher, now=NOW)  # not six digits
        assert not two_factor.verify(cur, user, two_factor.code_at(TOTP_SECRET, step + 2), cipher, now=NOW)
        assert two_factor.verify(cur, user, two_factor.code_at(TOTP_SECRET, step - 1), cipher, now=NOW)
        assert two_factor.verify(cur, user, two_factor.code_at(TOTP_SECRET, step)[:3] + " " +
                                 two_factor.code_at(TOTP_SECRET, step)[3:], cipher, now=NOW)  # "123 456" as typed
        assert not two_factor.verify(cur, user, two_factor.code_at(TOTP_SECRET, step), cipher, now=NOW), "replayed"
        assert not two_factor.verify(cur, user, two_factor.code_at(TOTP_SECRET, step - 1), cipher, now=NOW)
        cur.execute("SELECT totp_secret_encrypted::text AS stored FROM users WHERE id = %s", (user,))
        assert TOTP_SECRET not in cur.fetchone()["stored"]


def test_the_password_alone_opens_nothing_and_wrong_codes_are_throttled(make_client, settings, staff, codes):
    client = make_client()
    assert login(client, "dpo").headers["location"].startswith("/login/code")
    page = client.get("/dpo/audit", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.headers["location"] == "/login/code"
    assert client.get("/api/me").status_code == 401
    step = two_factor.current_step()
    valid_now = {two_factor.code_at(TOTP_SECRET, s) for s in range(step - 2, step + 3)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid_now)
    for _ in range(settings.login_max_failures):
        assert give_code(client, wrong).status_code == 401
    refused = give_code(client, codes.next_code("dpo"))
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    other = make_client()
    login(other, "admin")
    assert give_code(other, codes.next_code("admin")).status_code == 303  # other accounts are unaffected
    assert other.get("/api/me").json()["username"] == "admin"


def test_an_optional_user_turns_it_on_and_off_and_a_reset_clears_it(signed_in, conn, settings):
    counsellor = signed_in("aino")
    page = counsellor.get("/me/two-factor").text
    assert "two-factor-required" not in page
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert counsellor.post("/me/two-factor", data={"csrf_token": csrf, "code": "000000"}).status_code in (400, 303)
    counsellor.post("/me/two-factor", data={"csrf_token": csrf, "code": pyotp.TOTP(secret).now()})
    assert 'id="two-factor-on"' in counsellor.get("/me/two-factor").text
    admin = signed_in("admin")
    admin_csrf = admin.get("/admin/users").text.split('name="csrf_token" value="')[1].split('"')[0]
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM users WHERE username = 'aino'")
        aino = cur.fetchone()["id"]
    admin.post(f"/admin/users/{aino}/reset-password", data={"csrf_token": admin_csrf})
    with transaction(conn) as cur:
        cur.execute("SELECT totp_enabled_at, totp_secret_encrypted FROM users WHERE id = %s", (aino,))
        assert dict(cur.fetchone()) == {"totp_enabled_at": None, "totp_secret_encrypted": None}


def test_demo_overseers_get_a_printed_key_that_signs_them_in(conn, settings, make_client):
    people = demo_accounts(conn)
    keys = demo_second_factors(conn, settings, [(u, r) for u, r, _ in people])
    assert set(keys) == {u for u, r, _ in people if two_factor.required_for(r)} and keys
    username, _, password = next(p for p in people if p[0] in keys)
    client = make_client()
    assert login(client, username, password).headers["location"].startswith("/login/code")
    code = subprocess.run([sys.executable, "-m", "app.cli", "totp-code", keys[username]], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert give_code(client, code).status_code == 303
