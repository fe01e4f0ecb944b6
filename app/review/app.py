"""The review web app: FastAPI with server-rendered pages, started by ``majakka serve``.

Anonymous visitors reach only the login page, the public transparency and opt-out pages,
static files and the health check; every other route (the OpenAPI description included)
needs a session. Responses carry strict security headers: no third-party sources, no
framing, no referrer (a click on a Reddit permalink must not tell Reddit which queue item
it came from), and no caching of pages that show post text.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import anyio
import anyio.to_thread
import psycopg2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from app.review.rate_limit import PublicLimits
from app.review.routes import api, auth, oversight, people, privacy, public, queue, services
from app.review.web import (
    SESSION_COOKIE,
    FirstGoThereError,
    SignedIn,
    SignInRequiredError,
    TooManyRequestsError,
    client_address,
    render,
    too_many_requests,
)
from core.config import Settings
from core.db.connection import database_url
from core.db.pool import DatabaseUnavailableError, WaitingPool

STATIC_DIR = Path(__file__).with_name("static")
#: Seconds a client is asked to wait before retrying when the database is busy or away.
RETRY_AFTER_SECONDS = 5
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


_UNAVAILABLE = "the database is busy or unavailable; please try again in a moment"


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # One connection per worker thread: a request waits for a free one instead of failing.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        pool = WaitingPool(database_url(settings), size=settings.web_threads,
                           wait_seconds=settings.web_db_wait_seconds, application_name="majakka-review")
        app.state.pool = pool
        app.state.db_gate = anyio.Semaphore(settings.web_threads)
        try:
            yield
        finally:
            pool.closeall()

    app = FastAPI(title="Majakka review", version="1.0", summary="Counsellor review of outreach suggestions",
                  openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)
    # No automatic trailing-slash redirect: it builds its Location from the Host header, which a client
    # chooses (an open redirect). "/queue/" is simply not found.
    app.router.redirect_slashes = False
    app.state.settings = settings
    limits = PublicLimits.per(settings.public_requests_per_minute, settings.public_opt_outs_per_hour)
    app.state.public_limits = limits

    @app.middleware("http")
    async def anonymous_budget(request: Request, call_next) -> Response:
        """Requests without a session spend their client's budget before they may take a connection."""
        if SESSION_COOKIE in request.cookies or request.url.path.startswith("/static/"):
            return await call_next(request)
        client = client_address(request)
        wait = limits.requests.retry_after(client)
        if not wait and request.method == "POST" and request.url.path == "/opt-out":
            wait = limits.opt_outs.retry_after(client)
        if wait:
            return too_many_requests(request, wait)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        if settings.web_cookie_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @app.exception_handler(TooManyRequestsError)
    async def too_many(request: Request, error: TooManyRequestsError) -> Response:
        return too_many_requests(request, error.wait)

    @app.exception_handler(SignInRequiredError)
    async def sign_in(request: Request, _: SignInRequiredError) -> Response:
        if _wants_html(request):
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return JSONResponse({"detail": "sign in required"}, status_code=401)

    @app.exception_handler(FirstGoThereError)
    async def first_go_there(request: Request, error: FirstGoThereError) -> Response:
        """A temporary password to change, a one-time code to give, a second factor to set up."""
        if _wants_html(request):
            return RedirectResponse(error.page, status_code=303)
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    @app.exception_handler(DatabaseUnavailableError)
    @app.exception_handler(psycopg2.OperationalError)
    @app.exception_handler(psycopg2.InterfaceError)
    async def database_unavailable(request: Request, _: Exception) -> Response:
        """Busy for longer than the wait, or the server went away: a clear 503, never a traceback."""
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _wants_html(request) or request.method == "POST":
            response = render(request, "error.html", status_code=503, status=503, detail=_UNAVAILABLE)
            response.headers.update(headers)
            return response
        return JSONResponse({"detail": _UNAVAILABLE}, status_code=503, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if _wants_html(request) or (request.method == "POST" and "text/html" in request.headers.get("accept", "")):
            return render(request, "error.html", status_code=error.status_code, status=error.status_code,
                          detail=str(error.detail))
        return JSONResponse({"detail": error.detail}, status_code=error.status_code)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: SignedIn) -> JSONResponse:
        return JSONResponse(app.openapi())

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, public, queue, oversight, privacy, people, services, api):
        app.include_router(module.router)
    return app
