"""Request plumbing shared by every route: database connection, signed-in viewer, policy, CSRF, rendering.

A route declares its policy with one typed parameter (``viewer: QueueWorker``, say): each
alias below wraps ``Depends(require(Policy.X))``, which signs the visitor in from the session
cookie, refuses anonymous visitors (a redirect to the login page for pages, 401 otherwise),
refuses roles outside the policy (403), and checks the CSRF token on every state-changing
request. ``conn: DbConnection`` gives the route a pooled connection.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from app.review import clock
from app.review.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, negotiate
from app.review.labels import LEVELS, label
from app.review.policies import Policy, allows
from app.staff import accounts, sessions, two_factor
from app.staff.accounts import User
from core.config import Settings
from core.db.connection import Connection, transaction
from core.db.pool import DatabaseUnavailableError
from core.levels import RiskLevel
from outreach import notifications

SESSION_COOKIE = "majakka_session"
LANGUAGE_COOKIE = "majakka_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TEMPLATES = Jinja2Templates(directory=Path(__file__).with_name("templates"))


@dataclass(frozen=True)
class Viewer:
    """The signed-in person for this request."""

    user: User
    csrf_token: str
    session_started: datetime
    #: notifications waiting for this person (the header shows the count on every page)
    unread_notifications: int = 0
    #: the password was right but the one-time code has not been given yet
    second_factor_pending: bool = False

    @property
    def actor(self) -> str:
        return self.user.username

    @property
    def role(self) -> str:
        return self.user.role


class TooManyRequestsError(Exception):
    """A client spent its anonymous budget (see ``review.rate_limit``); ``wait`` seconds until it may retry."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"retry after {wait} s")
        self.wait = wait


def too_many_requests(request: Request, wait: int) -> Response:
    """429 with ``Retry-After``: a page for a browser, JSON otherwise (no database needed)."""
    headers = {"Retry-After": str(wait)}
    if "text/html" in request.headers.get("accept", ""):
        response = render(request, "error.html", status_code=429, status=429)
        response.headers.update(headers)
        return response
    return JSONResponse({"detail": "too many requests; try again later"}, status_code=429, headers=headers)


class SignInRequiredError(Exception):
    """Raised for anonymous requests; the app turns it into a redirect or a 401."""


#: Where a person with a temporary password is sent, and the pages they may reach meanwhile.
PASSWORD_PAGE = "/me/password"
_WHILE_TEMPORARY = frozenset({PASSWORD_PAGE, "/logout"})
#: Where a session waits for its one-time code, and where a person whose role requires a second factor
#: enrols one; the pages each may reach meanwhile.
CODE_PAGE = "/login/code"
TWO_FACTOR_PAGE = "/me/two-factor"
_WHILE_CODE_PENDING = frozenset({CODE_PAGE, "/logout"})
_WHILE_ENROLLING = frozenset({TWO_FACTOR_PAGE, PASSWORD_PAGE, "/logout"})


class FirstGoThereError(Exception):
    """A signed-in person must finish something on one page before any other opens: the app redirects a
    browser there and answers an API client with ``status`` and ``detail``."""

    page: str
    status: int
    detail: str


class PasswordChangeRequiredError(FirstGoThereError):
    """Raised while a temporary password is unchanged; the app sends the person to change it."""

    page, status, detail = PASSWORD_PAGE, 403, "change your temporary password first"


class SecondFactorPendingError(FirstGoThereError):
    """The session waits for its one-time code; the app sends the person to give it."""

    page, status, detail = CODE_PAGE, 401, "give the one-time code first"


class SecondFactorEnrolmentRequiredError(FirstGoThereError):
    """The person's role requires a second factor they have not set up; the app sends them to enrol."""

    page, status, detail = TWO_FACTOR_PAGE, 403, "your role signs in with a second factor: set it up first"


def client_address(request: Request) -> str:
    """The client's address as the server sees it (forwarded headers count only from trusted proxies)."""
    return request.client.host if request.client else "unknown"


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


async def db(request: Request) -> AsyncIterator[Connection]:
    """One pooled connection per request, returned clean (rolled back if a route left a transaction open).

    The wait for a free connection happens here in the event loop, never in a worker thread: a
    thread waiting for a connection would be missing to the request that holds one and needs a
    thread to finish, and under load every thread would wait (a deadlock).
    """
    state = request.app.state
    with anyio.move_on_after(state.pool.wait_seconds) as waited:
        await state.db_gate.acquire()
    if waited.cancelled_caught:
        raise DatabaseUnavailableError(f"no database connection became free within {state.pool.wait_seconds:g} s")
    try:
        conn = await run_in_threadpool(state.pool.getconn)  # a slot is free: this does not wait
        try:
            yield conn
        finally:
            await run_in_threadpool(state.pool.putconn, conn)
    finally:
        state.db_gate.release()


#: A pooled connection for the route, returned clean after the response.
DbConnection = Annotated[Connection, Depends(db)]


def _resolve_viewer(request: Request, conn: Connection) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    settings = settings_of(request)
    with transaction(conn) as cur:
        session = sessions.resume(cur, token, idle_minutes=settings.web_idle_minutes)
        user = accounts.get(cur, session.user_id) if session else None
        unread = notifications.unread_count(cur, user.id) if user else 0
    if session is None or user is None:
        # A cookie that resolves to no one costs the anonymous budget too (else any cookie bypasses it).
        if wait := request.app.state.public_limits.requests.retry_after(client_address(request)):
            raise TooManyRequestsError(wait)
        request.state.session_expired = True
        return None
    return Viewer(user, session.csrf_token, session.created_at, unread, session.second_factor_pending)


async def _csrf_ok(request: Request, expected: str) -> bool:
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        supplied = (await request.form()).get(CSRF_FIELD)
    return isinstance(supplied, str) and hmac.compare_digest(supplied, expected)


def require(policy: Policy) -> Callable:
    """The dependency that enforces ``policy`` (and CSRF) and returns the viewer (``None`` if public)."""

    async def dependency(request: Request, conn: DbConnection) -> Viewer | None:
        viewer = await run_in_threadpool(_resolve_viewer, request, conn)
        if policy is Policy.PUBLIC and viewer is not None and viewer.second_factor_pending:
            viewer = None  # half signed in is not signed in, on the public pages
        request.state.viewer = viewer
        if policy is Policy.PUBLIC:
            return viewer
        if viewer is None:
            raise SignInRequiredError()
        if viewer.second_factor_pending:
            if request.url.path not in _WHILE_CODE_PENDING:
                raise SecondFactorPendingError()
        elif viewer.user.must_change_password and request.url.path not in _WHILE_TEMPORARY:
            raise PasswordChangeRequiredError()
        elif (two_factor.required_for(viewer.role) and not viewer.user.two_factor
              and request.url.path not in _WHILE_ENROLLING):
            raise SecondFactorEnrolmentRequiredError()
        if not allows(policy, viewer.role):
            raise HTTPException(status_code=403, detail="forbidden")
        if request.method in UNSAFE_METHODS and not await _csrf_ok(request, viewer.csrf_token):
            raise HTTPException(status_code=403, detail="csrf")
        return viewer

    dependency.majakka_policy = policy  # type: ignore[attr-defined]
    return dependency


#: The signed-in visitor under each policy, for route signatures: one alias per policy.
PublicVisitor = Annotated[Viewer | None, Depends(require(Policy.PUBLIC))]
SignedIn = Annotated[Viewer, Depends(require(Policy.SIGNED_IN))]
QueueWorker = Annotated[Viewer, Depends(require(Policy.QUEUE))]
Supervisor = Annotated[Viewer, Depends(require(Policy.SUPERVISE))]
PrivacyOfficer = Annotated[Viewer, Depends(require(Policy.PRIVACY))]
ModelsViewer = Annotated[Viewer, Depends(require(Policy.MODELS))]
Admin = Annotated[Viewer, Depends(require(Policy.ADMIN))]
Approver = Annotated[Viewer, Depends(require(Policy.APPROVE))]


PUBLIC_FORM_COOKIE = "majakka_form_token"


def public_form_token(response, request: Request, token: str) -> None:
    """Set the double-submit cookie that guards forms used before any session exists (login, opt-out)."""
    response.set_cookie(PUBLIC_FORM_COOKIE, token, httponly=True, samesite="strict",
                        secure=settings_of(request).web_cookie_secure, max_age=3600)


def public_form_ok(request: Request, supplied: str) -> bool:
    expected = request.cookies.get(PUBLIC_FORM_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, supplied)


def remember_language(response, request: Request, lang: str | None) -> None:
    """Keep an anonymous visitor's language choice (``?lang=``) in a cookie for their next pages."""
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="strict", secure=settings_of(request).web_cookie_secure,
                            max_age=365 * 86400)


def language_of(request: Request) -> str:
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is not None:
        return viewer.user.ui_language
    return negotiate(request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE))


def break_due(request: Request, viewer: Viewer | None) -> bool:
    """A gentle reminder once a session has lasted longer than the configured stretch of work."""
    if viewer is None or viewer.role not in ("counsellor", "supervisor"):
        return False
    minutes = (datetime.now(UTC) - viewer.session_started).total_seconds() / 60
    return minutes >= settings_of(request).break_reminder_minutes


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the viewer's language with what every layout needs."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    language = context.pop("language", None) or language_of(request)
    translator = Translator(language)
    zone = viewer.user.time_zone if viewer else settings_of(request).timezone
    now = datetime.now(UTC)
    return TEMPLATES.TemplateResponse(
        request, template,
        {
            "_": translator.gettext, "lang": language, "languages": LANGUAGES, "language_names": LANGUAGE_NAMES,
            "viewer": viewer, "csrf_token": viewer.csrf_token if viewer else "",
            "level_name": level_name, "label": label, "break_due": break_due(request, viewer),
            "organisation": settings_of(request).organisation_name, "time_zone": zone,
            "local": lambda moment: clock.local(moment, zone),
            "ago": lambda moment: clock.ago(moment, now, translator.gettext),
            "countdown": lambda due: clock.countdown(due, now, translator.gettext), **context,
        },
        status_code=status_code,
    )


def level_name(level: int | RiskLevel) -> str:
    """The English level name; templates translate it with ``_()``."""
    return LEVELS[int(level)]
