"""Accounts: each person's own preferences and counts, and the admin's user and team management."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import components
from app.review.access_requests import announce
from app.review.web import (
    SESSION_COOKIE,
    TWO_FACTOR_PAGE,
    Admin,
    Approver,
    DbConnection,
    SignedIn,
    Viewer,
    render,
    settings_of,
)
from app.staff import accounts, sessions, two_factor
from app.staff.accounts import ROLES, TIME_ZONES, UI_LANGUAGES, AccountError
from app.staff.two_factor import TwoFactorError
from core import audit
from core.db.connection import Connection, Cursor, transaction
from governance import consent, partners
from outreach import notifications, stats

router = APIRouter()


@router.get("/me", summary="My preferences and my own counts (no rankings)")
def me_page(request: Request, conn: DbConnection, viewer: SignedIn, notice: str | None = None) -> Response:
    with transaction(conn) as cur:
        personal = stats.personal_counts(cur, viewer.user.id, settings_of(request).timezone)
        signed_in_at = sessions.of_user(cur, viewer.user.id, request.cookies.get(SESSION_COOKIE, ""))
    return render(request, "me.html", personal=personal, notice=notice, ui_languages=UI_LANGUAGES,
                  time_zones=TIME_ZONES, sessions=signed_in_at)


@router.post("/me/sessions/end-others", summary="Sign me out everywhere but here")
def end_other_sessions(request: Request, conn: DbConnection, viewer: SignedIn) -> Response:
    with transaction(conn) as cur:
        ended = sessions.end_others(cur, viewer.user.id, request.cookies.get(SESSION_COOKIE, ""))
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="session.end_others",
                     object_type="user", object_id=str(viewer.user.id), details={"ended": ended})
    return RedirectResponse("/me?notice=signed_out_elsewhere", status_code=303)


@router.get("/notifications", summary="My notifications (escalations), unread first")
def notifications_page(request: Request, conn: DbConnection, viewer: SignedIn, notice: str | None = None) -> Response:
    with transaction(conn) as cur:
        items = notifications.recent(cur, viewer.user.id)
    return render(request, "notifications.html", items=items, notice=notice)


@router.post("/notifications/{notification_id}/acknowledge", summary="Acknowledge one of my notifications")
def acknowledge_notification(notification_id: int, conn: DbConnection, viewer: SignedIn) -> Response:
    with transaction(conn) as cur:
        done = notifications.acknowledge(cur, viewer.user.id, notification_id, actor=viewer.actor, role=viewer.role)
    return RedirectResponse(f"/notifications?notice={'acknowledged' if done else 'not_found'}", status_code=303)


@router.get(TWO_FACTOR_PAGE, summary="Set up (or see) my two-factor sign-in")
def two_factor_page(request: Request, conn: DbConnection, viewer: SignedIn) -> Response:
    return _two_factor_page(request, conn, viewer)


def _two_factor_page(request: Request, conn: Connection, viewer: Viewer, *, error: str | None = None,
                     status_code: int = 200) -> Response:
    settings = settings_of(request)
    secret = qr = None
    if not viewer.user.two_factor:
        with transaction(conn) as cur:
            cipher = components.cipher(settings)
            secret = two_factor.pending_secret(cur, viewer.user.id, cipher) or two_factor.start_enrolment(
                cur, viewer.user.id, cipher)
        qr = two_factor.qr_svg(two_factor.provisioning_uri(secret, viewer.user.username,
                                                           settings.organisation_name))
    response = render(request, "me_two_factor.html", secret=secret, qr=qr, error=error, status_code=status_code,
                      required=two_factor.required_for(viewer.role))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(TWO_FACTOR_PAGE, summary="Turn two-factor sign-in on with a code from the new key")
def confirm_two_factor(request: Request, conn: DbConnection, viewer: SignedIn,
                       code: str = Form(max_length=20)) -> Response:
    try:
        with transaction(conn) as cur:
            two_factor.confirm_enrolment(cur, viewer.user.id, code, components.cipher(settings_of(request)),
                                         actor=viewer.actor, role=viewer.role)
    except TwoFactorError:
        return _two_factor_page(request, conn, viewer, error="mismatch", status_code=400)
    return RedirectResponse("/me?notice=saved", status_code=303)


@router.post(TWO_FACTOR_PAGE + "/off", summary="Turn my two-factor sign-in off (where my role does not require it)")
def turn_two_factor_off(conn: DbConnection, viewer: SignedIn) -> Response:
    if two_factor.required_for(viewer.role):
        return RedirectResponse(f"{TWO_FACTOR_PAGE}", status_code=303)
    with transaction(conn) as cur:
        two_factor.turn_off(cur, viewer.user.id, actor=viewer.actor, role=viewer.role)
    return RedirectResponse("/me?notice=saved", status_code=303)


@router.get("/me/password", summary="Change my password (required after a temporary one)")
def password_page(request: Request, viewer: SignedIn, error: str | None = None) -> Response:
    return render(request, "me_password.html", error=error)


@router.post("/me/password", summary="Change my password; every session ends and I sign in again")
def change_password(request: Request, conn: DbConnection, viewer: SignedIn, current: str = Form(max_length=1000),
                    new: str = Form(max_length=1000), repeat: str = Form(max_length=1000)) -> Response:
    if new != repeat:
        return render(request, "me_password.html", error="The new passwords differ.", status_code=400)
    try:
        with transaction(conn) as cur:
            accounts.change_own_password(cur, viewer.user, current=current, new=new)
    except AccountError as error:
        return render(request, "me_password.html", error=str(error), status_code=400)
    response = RedirectResponse("/login?notice=password_changed", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/me/preferences", summary="Change my interface language and text blurring")
def save_preferences(conn: DbConnection, viewer: SignedIn, ui_language: str = Form(),
                     blur_text: bool = Form(False), time_zone: str = Form("")) -> Response:
    try:
        with transaction(conn) as cur:
            accounts.set_preferences(cur, viewer.user, ui_language=ui_language, blur_text=blur_text,
                                     time_zone=time_zone or None)
    except AccountError:
        return RedirectResponse("/me?notice=invalid_choice", status_code=303)
    return RedirectResponse("/me?notice=saved", status_code=303)


def _admin_page(request: Request, conn: Connection, viewer: Viewer, *, error: str | None = None,
                notice: str | None = None, status_code: int = 200,
                temporary: tuple[int, str] | None = None) -> Response:
    with transaction(conn) as cur:
        users = accounts.list_users(cur, active_only=False, partner=viewer.user.scope.administered)
        team_rows = accounts.teams(cur, viewer.user.scope.administered)
        waiting_ids = {r.user_id for r in accounts.waiting_requests(cur, partner=viewer.user.scope.administered)}
    return render(request, "admin_users.html", users=users, teams=team_rows, roles=ROLES, temporary=temporary,
                  waiting_ids=waiting_ids,
                  error=error, notice=notice, ui_languages=UI_LANGUAGES, status_code=status_code)


@router.get("/admin/users", summary="Accounts and teams")
def admin_users(request: Request, conn: DbConnection, viewer: Admin, notice: str | None = None) -> Response:
    return _admin_page(request, conn, viewer, notice=notice)


def _team(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


@router.post("/admin/users", summary="Create an account")
def create_user(request: Request, conn: DbConnection, viewer: Admin, username: str = Form(max_length=64),
                display_name: str = Form(max_length=100), role: str = Form(), password: str = Form(max_length=200),
                team_id: str = Form(""), ui_language: str = Form("fi")) -> Response:
    try:
        with transaction(conn) as cur:
            user = accounts.create(cur, username=username, display_name=display_name, role=role,
                                   password=password, team_id=_team(team_id), ui_language=ui_language,
                                   actor=viewer.actor, actor_role=viewer.role, partner=viewer.user.scope.partner,
                                   second_person=True)
            waits = not user.active
            if waits:
                announce(cur, user_id=user.id, username=user.username, role=role, requested_by=viewer.actor,
                         partner=user.scope.partner)
    except AccountError as error:
        return _admin_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse(f"/admin/users?notice={'approval_requested' if waits else 'saved'}", status_code=303)


@router.post("/admin/users/{user_id}", summary="Change an account's role, team or status")
def update_user(request: Request, user_id: int, conn: DbConnection, viewer: Admin, role: str = Form(),
                team_id: str = Form(""), active: bool = Form(False)) -> Response:
    if user_id == viewer.user.id and (not active or role != "admin"):
        return _admin_page(request, conn, viewer, error="You cannot remove your own admin access.", status_code=400)
    try:
        with transaction(conn) as cur:
            waits = accounts.update(cur, user_id, role=role, team_id=_team(team_id), active=active,
                                    actor=viewer.actor, actor_role=viewer.role,
                                    partner=viewer.user.scope.administered, second_person=True)
            if waits:
                target = accounts.get_any(cur, user_id)
                announce(cur, user_id=user_id, username=target.username, role=role, requested_by=viewer.actor,
                         partner=target.scope.partner)
    except AccountError as error:
        return _admin_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse(f"/admin/users?notice={'approval_requested' if waits else 'saved'}", status_code=303)


def _approvals_page(request: Request, conn: Connection, viewer: Viewer, *, error: str | None = None,
                    status_code: int = 200, notice: str | None = None) -> Response:
    with transaction(conn) as cur:
        waiting = accounts.waiting_requests(cur, partner=viewer.user.scope.administered)
    return render(request, "approvals.html", waiting=waiting, error=error, notice=notice, status_code=status_code)


@router.get("/approvals", summary="Accounts waiting for a second person's approval of access to post text")
def approvals_page(request: Request, conn: DbConnection, viewer: Approver, notice: str | None = None) -> Response:
    return _approvals_page(request, conn, viewer, notice=notice)


@router.post("/approvals/{user_id}/approve", summary="Approve access to post text (not one's own request)")
def approve_access(request: Request, user_id: int, conn: DbConnection, viewer: Approver) -> Response:
    return _decide_access(request, conn, viewer, user_id, accounts.approve)


@router.post("/approvals/{user_id}/refuse", summary="Turn down a request for access to post text")
def refuse_access(request: Request, user_id: int, conn: DbConnection, viewer: Approver) -> Response:
    return _decide_access(request, conn, viewer, user_id, accounts.refuse)


def _decide_access(request: Request, conn: Connection, viewer: Viewer, user_id: int, decide) -> Response:
    """Approve or refuse a waiting request (``decide``), and settle every approver's notice of it."""
    try:
        with transaction(conn) as cur:
            decide(cur, user_id, actor=viewer.actor, actor_role=viewer.role, partner=viewer.user.scope.administered)
            notifications.acknowledge_account(cur, user_id)
    except AccountError as error:
        return _approvals_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse("/approvals?notice=saved", status_code=303)


@router.post("/admin/users/{user_id}/reset-password", summary="Give an account a temporary password (shown once)")
def reset_password(request: Request, user_id: int, conn: DbConnection, viewer: Admin) -> Response:
    try:
        with transaction(conn) as cur:
            temporary = accounts.reset_password(cur, user_id, actor=viewer.actor, actor_role=viewer.role,
                                                partner=viewer.user.scope.administered)
    except AccountError as error:
        return _admin_page(request, conn, viewer, error=str(error), status_code=400)
    response = _admin_page(request, conn, viewer, temporary=(user_id, temporary))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/admin/teams", summary="Create a team of the administrator's partner")
def create_team(request: Request, conn: DbConnection, viewer: Admin, name: str = Form(max_length=100),
                daily_capacity: int = Form(ge=1, le=10000)) -> Response:
    try:
        with transaction(conn) as cur:
            accounts.create_team(cur, name, daily_capacity, partner=viewer.user.scope.partner, actor=viewer.actor,
                                 actor_role=viewer.role)
    except AccountError as error:
        return _admin_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse("/admin/users?notice=saved", status_code=303)


@router.post("/admin/teams/{team_id}", summary="Set a team's daily capacity, service hours and on-call address")
def update_team(request: Request, team_id: int, conn: DbConnection, viewer: Admin,
                daily_capacity: int = Form(), service_hours: str = Form("", max_length=200),
                on_call_email: str = Form("", max_length=200)) -> Response:
    try:
        with transaction(conn) as cur:
            accounts.set_team_capacity(cur, team_id, daily_capacity, actor=viewer.actor, actor_role=viewer.role,
                                       partner=viewer.user.scope.administered)
            accounts.set_team_on_call(cur, team_id, service_hours=service_hours, on_call_email=on_call_email,
                                      actor=viewer.actor, actor_role=viewer.role,
                                      partner=viewer.user.scope.administered)
    except AccountError as error:
        return _admin_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse("/admin/users?notice=saved", status_code=303)


@router.get("/admin/communities", summary="Partner communities and their consent records")
def communities_page(request: Request, conn: DbConnection, viewer: Admin, notice: str | None = None) -> Response:
    return _communities_page(request, conn, viewer, notice=notice)


def _own_communities(cur: Cursor, viewer: Viewer) -> set[str] | None:
    """The community names (lower case) a partner's administrator looks after (None: the operator, all)."""
    partner = viewer.user.scope.administered
    return None if partner is None else {name.lower() for _, name in partners.communities_of(cur, partner)}


def _communities_page(request: Request, conn: Connection, viewer: Viewer, *, notice: str | None = None,
                      error: str | None = None, status_code: int = 200) -> Response:
    with transaction(conn) as cur:
        own = _own_communities(cur, viewer)
        statuses = [s for s in consent.statuses(cur) if own is None or s.name.lower() in own]
        records = [r for r in consent.history(cur) if own is None or r.community.lower() in own]
    return render(request, "admin_communities.html", statuses=statuses, records=records, notice=notice,
                  error=error, configured=settings_of(request).subreddits, status_code=status_code)


@router.post("/admin/communities", summary="Record a community's consent (adds it to the allowlist)")
def add_consent(request: Request, conn: DbConnection, viewer: Admin, community: str = Form(max_length=64),
                agreed_by: str = Form(max_length=200), agreed_on: date = Form(), scope: str = Form(max_length=500),
                review_due: date = Form(), document_ref: str = Form(max_length=200),
                country: str = Form("")) -> Response:
    """A partner's administrator records consent for a community of their own partner: the record also
    routes the community's suggestions to that partner (refused if another partner holds it)."""
    partner = viewer.user.scope.administered
    try:
        with transaction(conn) as cur:
            consent.record_consent(cur, source="reddit", community=community, agreed_by=agreed_by,
                                   agreed_on=agreed_on, scope=scope, review_due=review_due,
                                   document_ref=document_ref, actor=viewer.actor, role=viewer.role,
                                   country=country or None)
            if partner is not None:
                partners.assign_community(cur, partner=partner, source="reddit", community=community,
                                          actor=viewer.actor, role=viewer.role)
    except (consent.ConsentError, partners.PartnerError) as error:
        return _communities_page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse("/admin/communities?notice=saved", status_code=303)


@router.post("/admin/communities/{name}/withdraw", summary="Withdraw a community's consent (collection stops)")
def withdraw_consent(name: str, conn: DbConnection, viewer: Admin) -> Response:
    with transaction(conn) as cur:
        own = _own_communities(cur, viewer)
        if own is not None and name.lower() not in own:
            return RedirectResponse("/admin/communities?notice=not_found", status_code=303)
        consent.withdraw(cur, source="reddit", community=name, actor=viewer.actor, role=viewer.role)
    return RedirectResponse("/admin/communities?notice=saved", status_code=303)
