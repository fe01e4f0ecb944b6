"""Separation of duties: access to post text takes a second person, never the one who asked."""

from __future__ import annotations

from app import components
from app.staff import accounts, two_factor
from core.db.connection import transaction
from tests.app.review.conftest import PASSWORD, TOTP_SECRET, csrf_of, login


def _create(admin, username: str, role: str):
    return admin.post("/admin/users", follow_redirects=False, data={
        "csrf_token": csrf_of(admin), "username": username, "display_name": username.title(), "role": role,
        "password": PASSWORD})


def _account(conn, username: str) -> dict:
    with transaction(conn) as cur:
        cur.execute("SELECT id, role::text AS role, active, pending_role::text AS pending FROM users "
                    "WHERE username = %s", (username,))
        return dict(cur.fetchone())


def test_a_new_counsellor_account_waits_for_the_dpo_and_the_admin_cannot_approve_it(signed_in, make_client, conn):
    admin = signed_in("admin")
    created = _create(admin, "adminin-varjo", "counsellor")  # an admin making themself a reader
    assert created.headers["location"].endswith("notice=approval_requested")
    shadow = _account(conn, "adminin-varjo")
    assert (shadow["active"], shadow["pending"]) == (False, "counsellor")
    assert login(make_client(), "adminin-varjo").status_code == 401  # cannot read anything yet

    own = admin.post(f"/approvals/{shadow['id']}/approve", data={"csrf_token": csrf_of(admin)})
    assert own.status_code == 400 and _account(conn, "adminin-varjo")["active"] is False

    dpo = signed_in("dpo")
    assert "adminin-varjo" in dpo.get("/notifications").text
    assert "adminin-varjo" in dpo.get("/approvals").text
    approved = dpo.post(f"/approvals/{shadow['id']}/approve", data={"csrf_token": csrf_of(dpo)},
                        follow_redirects=False)
    assert approved.status_code == 303
    assert _account(conn, "adminin-varjo") | {"id": 0} == {"id": 0, "role": "counsellor", "active": True,
                                                           "pending": None}
    assert login(make_client(), "adminin-varjo").status_code == 303
    assert 'id="unread-count"' not in dpo.get("/approvals").text  # the decided request's notice is settled
    with transaction(conn) as cur:
        cur.execute("SELECT action, actor, details FROM audit_log WHERE object_type = 'user' "
                    "AND object_id = %s ORDER BY id", (str(shadow["id"]),))
        events = [(e["action"], e["actor"]) for e in cur.fetchall()]
    assert events == [("user.create", "admin"), ("user.access_approved", "dpo")]


def test_promotion_into_a_reading_role_waits_and_a_second_admin_can_approve(signed_in, conn, staff, settings):
    with transaction(conn) as cur:
        second_admin = accounts.create(cur, username="admin2", display_name="Toinen", role="admin", password=PASSWORD,
                                       team_id=None, actor="setup", actor_role="system")
        two_factor.enrol_with_secret(cur, second_admin.id, TOTP_SECRET, components.cipher(settings))
    admin = signed_in("admin")
    mlops = _account(conn, "mlops")
    admin.post(f"/admin/users/{mlops['id']}", data={"csrf_token": csrf_of(admin), "role": "supervisor",
                                                     "active": "true"})
    assert _account(conn, "mlops") | {"id": 0} == {"id": 0, "role": "ml_engineer", "active": True,
                                                   "pending": "supervisor"}
    assert "waits for approval" in admin.get("/admin/users?lang=en").text
    second = signed_in("admin2")
    second.post(f"/approvals/{mlops['id']}/approve", data={"csrf_token": csrf_of(second)})
    assert _account(conn, "mlops")["role"] == "supervisor"


def test_the_holder_of_the_account_cannot_approve_their_own_access_and_refusal_keeps_it_as_it_was(signed_in, conn):
    admin = signed_in("admin")
    dpo_account = _account(conn, "dpo")
    admin.post(f"/admin/users/{dpo_account['id']}", data={"csrf_token": csrf_of(admin), "role": "counsellor",
                                                           "active": "true"})
    dpo = signed_in("dpo")
    refused = dpo.post(f"/approvals/{dpo_account['id']}/approve", data={"csrf_token": csrf_of(dpo)})
    assert refused.status_code == 400 and "second person" in refused.text
    dpo.post(f"/approvals/{dpo_account['id']}/refuse", data={"csrf_token": csrf_of(dpo)})
    assert _account(conn, "dpo") | {"id": 0} == {"id": 0, "role": "dpo", "active": True, "pending": None}


def test_roles_that_do_not_read_post_text_and_team_changes_need_no_second_person(signed_in, conn, staff):
    admin = signed_in("admin")
    assert _create(admin, "analyytikko", "ml_engineer").headers["location"].endswith("notice=saved")
    assert _account(conn, "analyytikko")["active"] is True
    aino = _account(conn, "aino")
    moved = admin.post(f"/admin/users/{aino['id']}", follow_redirects=False, data={
        "csrf_token": csrf_of(admin), "role": "counsellor", "team_id": str(staff.team_id), "active": "true"})
    assert moved.headers["location"].endswith("notice=saved") and _account(conn, "aino")["pending"] is None
    assert signed_in("aino").get("/approvals").status_code == 403
