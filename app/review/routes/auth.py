"""Signing in and out, the landing redirect, and the health check.

The login form is protected against cross-site submission with a double-submit token
(a random cookie that the form must echo), because no session exists yet to hold one.
Failed logins are throttled per account and client address (see ``sessions.throttle``), and audited.
"""

from __future__ import annotations

import math
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app import components
from app.review.i18n import LANGUAGES
from app.review.policies import HOME_PAGE
from app.review.web import (
    CODE_PAGE,
    PASSWORD_PAGE,
    PUBLIC_FORM_COOKIE,
    SESSION_COOKIE,
    DbConnection,
    PublicVisitor,
    SignedIn,
    client_address,
    public_form_ok,
    public_form_token,
    remember_language,
    render,
    settings_of,
)
from app.staff import accounts, sessions, two_factor
from app.staff.accounts import User
from core import audit
from core.db.connection import Cursor, responds, transaction
from outreach import workflow, worklist
from outreach.workflow import Worker

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, *, next_path: str, error: str | None = None, status_code: int = 200,
                lang: str | None = None, notice: str | None = None, wait_minutes: int = 0) -> Response:
    token = secrets.token_urlsafe(24)
    expired = getattr(request.state, "session_expired", False)
    response = render(request, "login.html", status_code=status_code, login_csrf=token, next_path=next_path,
                      error=error, session_expired=expired, language=lang, wait_minutes=wait_minutes,
                      notice="password_changed" if notice == "password_changed" else None)
    public_form_token(response, request, token)
    remember_language(response, request, lang)
    return response


@router.get("/login", summary="Sign-in page")
def login_page(request: Request, viewer: PublicVisitor, next_path: str | None = Query(None, alias="next"),
               lang: str | None = None, notice: str | None = None) -> Response:
    if viewer is not None:
        return RedirectResponse(_safe_next(next_path) if next_path else HOME_PAGE[viewer.role], status_code=303)
    return _login_page(request, next_path=_safe_next(next_path), lang=lang if lang in LANGUAGES else None,
                       notice=notice)


@router.post("/login", summary="Sign in")
def login(request: Request, conn: DbConnection, _: PublicVisitor, username: str = Form(max_length=200),
          password: str = Form(max_length=1000), login_csrf: str = Form(""),
          next_path: str = Form("/", alias="next")) -> Response:
    settings = settings_of(request)
    if not public_form_ok(request, login_csrf):
        return _login_page(request, next_path=_safe_next(next_path), error="login_csrf", status_code=403)
    name = accounts.normalise_username(username)
    client = client_address(request)
    with transaction(conn) as cur:
        wait = sessions.throttle(cur, name, client, max_failures=settings.login_max_failures)
        user = None
        if wait:
            audit.record(cur, actor=name or "-", role="anonymous", action="login.throttled",
                         details={"wait_seconds": wait})
        else:
            user = accounts.authenticate(cur, name, password)
            if user is None:
                sessions.record_failure(cur, name, client)
                audit.record(cur, actor=name or "-", role="anonymous", action="login.failed")
            elif user.two_factor:  # the session opens only after the one-time code
                token = sessions.start(cur, user.id, hours=sessions.SECOND_FACTOR_MINUTES / 60, client=client,
                                       user_agent=request.headers.get("user-agent", ""),
                                       second_factor_pending=True)
                audit.record(cur, actor=user.username, role=user.role, action="login.password_accepted")
            else:
                _signed_in(cur, user, client)
                token = sessions.start(cur, user.id, hours=settings.web_session_hours, client=client,
                                       user_agent=request.headers.get("user-agent", ""))
    if wait:
        response = _login_page(request, next_path=_safe_next(next_path), error="throttled", status_code=429,
                               wait_minutes=max(1, math.ceil(wait / 60)))
        response.headers["Retry-After"] = str(wait)
        return response
    if user is None:
        return _login_page(request, next_path=_safe_next(next_path), error="bad_credentials", status_code=401)
    target = _safe_next(next_path) if next_path not in ("", "/") else HOME_PAGE[user.role]
    if user.two_factor:
        target = f"{CODE_PAGE}?{urlencode({'next': target})}"
    elif user.must_change_password:
        target = PASSWORD_PAGE
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=settings.web_cookie_secure,
                        max_age=int(settings.web_session_hours * 3600))
    response.delete_cookie(PUBLIC_FORM_COOKIE)
    return response


def _signed_in(cur: Cursor, user: User, client: str) -> None:
    """What a complete sign-in records: the pair's failures cleared, the client remembered, the time, the event."""
    sessions.record_success(cur, user.username, client)
    accounts.record_sign_in(cur, user.id)
    audit.record(cur, actor=user.username, role=user.role, action="login.succeeded")


@router.get(CODE_PAGE, summary="Second step of signing in: the one-time code from the authenticator app")
def code_page(request: Request, viewer: SignedIn, next_path: str | None = Query(None, alias="next")) -> Response:
    if not viewer.second_factor_pending:
        return RedirectResponse(_safe_next(next_path) if next_path else HOME_PAGE[viewer.role], status_code=303)
    return render(request, "login_code.html", next_path=_safe_next(next_path or HOME_PAGE[viewer.role]))


@router.post(CODE_PAGE, summary="Check the one-time code; the session opens when it is right")
def check_code(request: Request, conn: DbConnection, viewer: SignedIn, code: str = Form(max_length=20),
               next_path: str = Form("/", alias="next")) -> Response:
    settings = settings_of(request)
    user = viewer.user
    client = client_address(request)
    target = _safe_next(next_path) if next_path not in ("", "/") else HOME_PAGE[user.role]
    if not viewer.second_factor_pending:
        return RedirectResponse(target, status_code=303)
    with transaction(conn) as cur:
        wait = sessions.throttle(cur, user.username, client, max_failures=settings.login_max_failures)
        accepted = not wait and two_factor.verify(cur, user.id, code, components.cipher(settings))
        if accepted:
            sessions.complete_second_factor(cur, request.cookies.get(SESSION_COOKIE, ""),
                                            hours=settings.web_session_hours)
            _signed_in(cur, user, client)
        elif not wait:
            sessions.record_failure(cur, user.username, client)
            audit.record(cur, actor=user.username, role=user.role, action="login.code_failed")
    if wait:
        response = render(request, "login_code.html", next_path=target, error="throttled", status_code=429,
                          wait_minutes=max(1, math.ceil(wait / 60)))
        response.headers["Retry-After"] = str(wait)
        return response
    if not accepted:
        return render(request, "login_code.html", next_path=target, error="wrong_code", status_code=401)
    return RedirectResponse(PASSWORD_PAGE if user.must_change_password else target, status_code=303)


@router.post("/logout", summary="Sign out (asks first about items you still hold)")
def logout(request: Request, conn: DbConnection, viewer: SignedIn, held: str = Form("")) -> Response:
    with transaction(conn) as cur:
        holding = worklist.held_count(cur, viewer.user.id)
    if holding and held not in ("release", "keep"):
        return render(request, "logout_confirm.html", holding=holding)
    if holding and held == "release":
        workflow.release_all(conn, Worker(viewer.user.id, viewer.user.username, viewer.role, viewer.user.team_id,
                                          viewer.user.scope))
    with transaction(conn) as cur:
        sessions.end(cur, request.cookies.get(SESSION_COOKIE, ""))
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", summary="Landing page: the signed-in role's home")
def home(viewer: SignedIn) -> Response:
    return RedirectResponse(HOME_PAGE[viewer.role], status_code=303)


@router.get("/health", summary="Liveness and database check")
def health(conn: DbConnection, _: PublicVisitor) -> JSONResponse:
    return JSONResponse({"status": "ok" if responds(conn) else "degraded"})
