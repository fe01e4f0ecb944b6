"""Signing in: Argon2 hashes, throttling, idle timeout, logout, redirects, and response headers."""

from __future__ import annotations

import csv
import io

from core.db.connection import transaction
from tests.app.review.conftest import PASSWORD, csrf_of, login


def test_passwords_are_stored_as_argon2id_hashes(conn, staff):
    with transaction(conn) as cur:
        cur.execute("SELECT password_hash FROM users")
        hashes = [row["password_hash"] for row in cur.fetchall()]
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_wrong_password_and_unknown_user_get_the_same_answer_and_are_audited(make_client, conn, staff):
    client = make_client()
    wrong = login(client, "aino", "not-the-password")
    unknown = login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password" in wrong.text and "Wrong username or password" in unknown.text
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed'")
        assert cur.fetchone()["n"] == 2


def test_login_is_throttled_after_repeated_failures_even_with_the_right_password(make_client, settings, staff):
    client = make_client()
    for _ in range(settings.login_max_failures):
        assert login(client, "aino", "wrong-password-123").status_code == 401
    throttled = login(client, "aino", PASSWORD)
    assert throttled.status_code == 429
    assert client.get("/api/me").status_code == 401
    assert login(make_client(), "elsa").status_code == 303  # another account is unaffected


def test_idle_session_expires_and_sends_the_user_back_to_login(signed_in, conn, settings):
    client = signed_in("aino")
    assert client.get("/api/me").json()["username"] == "aino"
    with transaction(conn) as cur:
        cur.execute("UPDATE web_sessions SET last_seen_at = now() - make_interval(mins => %s)",
                    (settings.web_idle_minutes + 1,))
    page = client.get("/queue", headers={"accept": "text/html"}, follow_redirects=True)
    assert page.url.path == "/login"
    assert "Your session ended" in page.text
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM web_sessions")
        assert cur.fetchone()["n"] == 0


def test_logout_ends_the_session_on_the_server(signed_in, conn):
    client = signed_in("aino")
    cookie = client.cookies.get("majakka_session")
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False).status_code == 303
    client.cookies.set("majakka_session", cookie, domain="testserver")
    assert client.get("/api/me").status_code == 401


def test_session_cookie_is_httponly_strict_and_secure(make_client, staff):
    response = login(make_client(), "aino")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie


def test_login_redirects_only_to_same_site_paths(make_client, staff):
    client = make_client()
    page = client.get("/login?next=//evil.example/phish")
    assert 'name="next" value="/"' in page.text
    response = login(client, "aino")
    assert response.headers["location"] == "/queue"


def test_pages_carry_security_headers_and_are_not_cached(signed_in):
    response = signed_in("aino").get("/queue")
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"


def test_deactivated_account_loses_its_sessions(signed_in, staff):
    admin = signed_in("admin")
    counsellor = signed_in("elsa")
    response = admin.post(f"/admin/users/{staff.ids['elsa']}", data={"csrf_token": csrf_of(admin),
                                                                      "role": "counsellor", "team_id": ""},
                          follow_redirects=False)
    assert response.status_code == 303
    assert counsellor.get("/api/me").status_code == 401
    assert login(counsellor, "elsa").status_code == 401


def test_openapi_description_is_served_to_signed_in_users(signed_in):
    spec = signed_in("dpo").get("/openapi.json").json()
    assert "/queue/claim-next" in spec["paths"] and "/items/{suggestion_id}" in spec["paths"]


def test_a_formula_typed_as_a_username_is_inert_in_the_dpos_audit_export(make_client, signed_in, staff):
    login(make_client(), '=HYPERLINK("http://evil.example/x","x")', "not-the-password")
    cells = [cell for row in csv.reader(io.StringIO(signed_in("dpo").get("/dpo/audit.csv").text)) for cell in row]
    assert """'=hyperlink("http://evil.example/x","x")""" in cells  # usernames are compared in lower case
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_odd_input_gets_an_answer_not_a_server_error(make_client, signed_in, staff):
    assert login(make_client(), "ai\x00no", "not-the-password").status_code == 401
    client = signed_in("aino")
    for path in ("/queue?level=%C2%B2", "/queue?page=%C2%B2", "/queue?level=99", "/dpo/audit?page=%C2%B2"):
        assert client.get(path).status_code in (200, 403), path
    note = client.post("/items/1/notes", data={"csrf_token": csrf_of(client), "text": "x", "addressed_to": "²"},
                       follow_redirects=False)
    assert note.status_code == 303


def test_a_trailing_slash_is_not_redirected_to_a_host_the_client_chose(make_client):
    answer = make_client().get("/about/", headers={"host": "evil.example"}, follow_redirects=False)
    assert answer.status_code == 404 and "evil.example" not in answer.headers.get("location", "")


def _client_at(settings, address: str):
    from fastapi.testclient import TestClient

    from app.review.app import create_app

    client = TestClient(create_app(settings), base_url="https://testserver", client=(address, 40000))
    client.__enter__()
    return client


def test_a_stranger_cannot_lock_the_owner_out_of_a_place_they_sign_in_from(settings, staff, conn):
    """Wrong passwords from strangers lock only the stranger's own (account, client) pairs; the owner's
    usual client is never kept out, and a new client gets a delay rather than a lock."""
    owner = _client_at(settings, "192.0.2.10")
    assert login(owner, "aino").status_code == 303  # the owner's usual client
    owner.post("/logout", data={"csrf_token": csrf_of(owner)})
    stranger = _client_at(settings, "198.51.100.1")
    for _ in range(settings.login_max_failures):
        assert login(stranger, "aino", "guessing-password-1").status_code == 401
    refused = login(stranger, "aino", PASSWORD)  # even the right password: this pair is locked
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 60
    with transaction(conn) as cur:  # and a botnet of strangers has failed on the account many times more
        for n in range(2, 30):
            cur.execute("INSERT INTO login_failures (username, client) VALUES ('aino', %s)", (f"198.51.100.{n}",))
    assert login(owner, "aino").status_code == 303
    newcomer = login(_client_at(settings, "203.0.113.5"), "aino")
    assert newcomer.status_code == 429 and 0 < int(newcomer.headers["retry-after"]) <= 300
    with transaction(conn) as cur:
        cur.execute("UPDATE login_failures SET failed_at = failed_at - interval '6 minutes'")
    assert login(_client_at(settings, "203.0.113.5"), "aino").status_code == 303  # the delay, not a lock


def test_a_client_guessing_across_many_accounts_is_stopped(settings, staff):
    sprayer = _client_at(settings, "198.51.100.77")
    for n in range(settings.login_max_failures * 4):
        login(sprayer, f"user{n}", "guessing-password-1")
    assert login(sprayer, "elsa").status_code == 429
    assert login(_client_at(settings, "198.51.100.78"), "elsa").status_code == 303


def test_usernames_are_normalised_and_look_alikes_are_refused(signed_in, settings, conn, staff):
    admin = signed_in("admin")
    for look_alike in ("\u0430ino2", "m\u00e4tti", "a b", "x"):  # Cyrillic a; a non-ASCII letter; a space; short
        refused = admin.post("/admin/users", data={"csrf_token": csrf_of(admin), "username": look_alike,
                                                   "display_name": "X", "role": "counsellor",
                                                   "password": PASSWORD})
        assert refused.status_code == 400, look_alike
    fullwidth = "\uff2b\uff41\uff49\uff53\uff41"
    created = admin.post("/admin/users", data={"csrf_token": csrf_of(admin), "username": fullwidth,
                                               "display_name": "Kaisa", "role": "ml_engineer", "password": PASSWORD},
                         follow_redirects=False)
    assert created.status_code == 303
    with transaction(conn) as cur:
        cur.execute("SELECT username FROM users WHERE display_name = 'Kaisa'")
        assert cur.fetchone()["username"] == "kaisa"  # fullwidth letters folded, case folded
    # The same folding at sign-in: upper case and an invisible zero-width space name the same account.
    assert login(_client_at(settings, "192.0.2.50"), "KAI\u200bSA").status_code == 303


def test_a_person_sees_their_sessions_and_signs_out_everywhere_else(settings, staff, conn):
    phone, desk = _client_at(settings, "192.0.2.21"), _client_at(settings, "192.0.2.22")
    for client in (phone, desk):
        assert login(client, "aino").status_code == 303
    page = desk.get("/me?lang=en").text
    listed = page[page.index('id="my-sessions"'):page.index("</table>", page.index('id="my-sessions"'))]
    assert "192.0.2.21" in listed and "192.0.2.22" in listed and listed.count("(this one)") == 1
    desk.post("/me/sessions/end-others", data={"csrf_token": csrf_of(desk)})
    assert phone.get("/api/me").status_code == 401 and desk.get("/api/me").status_code == 200
    with transaction(conn) as cur:
        cur.execute("SELECT details FROM audit_log WHERE action = 'session.end_others'")
        assert cur.fetchone()["details"] == {"ended": 1}


def test_an_account_keeps_only_its_most_recent_sessions(settings, staff, conn):
    from app.staff.sessions import MAX_SESSIONS_PER_USER

    clients = [_client_at(settings, f"192.0.2.{30 + n}") for n in range(MAX_SESSIONS_PER_USER + 2)]
    for client in clients:
        assert login(client, "elsa").status_code == 303
    assert [c.get("/api/me").status_code for c in clients] == [401, 401] + [200] * MAX_SESSIONS_PER_USER
