"""Proving that a Reddit account is one's own, for the public opt-out: Reddit's OAuth "identity" scope.

The person is sent to Reddit's authorize page; Reddit sends them back with a one-time code, which
is exchanged (with the app's own client id and secret) for a short-lived token that can read only
the account's name. The name is used once, to register the opt-out as keyed pseudonyms, and the
token is revoked at once. Every URL comes from the same settings PRAW uses, so the local
Reddit-compatible server answers these calls in the tests and the demo.
"""

from __future__ import annotations

import contextlib

import httpx

from core.config import Settings

AUTHORIZE_PATH = "/api/v1/authorize"
TOKEN_PATH = "/api/v1/access_token"
IDENTITY_PATH = "/api/v1/me"
REVOKE_PATH = "/api/v1/revoke_token"
CALLBACK_PATH = "/opt-out/reddit/callback"
#: Seconds each call to Reddit may take (a person is waiting on the other end).
TIMEOUT_SECONDS = 10.0


class IdentityError(RuntimeError):
    """Reddit did not confirm an account name (unreachable, refused the code, or answered nonsense)."""


def redirect_uri(settings: Settings) -> str:
    """Where Reddit sends the person back: the app's configured public address, never a Host header."""
    return settings.public_url.rstrip("/") + CALLBACK_PATH


def authorize_url(settings: Settings, *, state: str) -> str:
    """Reddit's page that asks the person to let Majakka read their account name, once."""
    query = httpx.QueryParams({"client_id": settings.reddit_client_id.get_secret_value(), "response_type": "code",
                               "state": state, "redirect_uri": redirect_uri(settings), "duration": "temporary",
                               "scope": "identity"})
    return f"{settings.reddit_urls['reddit_url']}{AUTHORIZE_PATH}?{query}"


def confirmed_username(settings: Settings, *, code: str) -> str:
    """Exchange Reddit's one-time ``code`` for the account name it was given for (the token is revoked after)."""
    credentials = (settings.reddit_client_id.get_secret_value(), settings.reddit_client_secret.get_secret_value())
    headers = {"User-Agent": settings.reddit_user_agent}
    www, oauth = settings.reddit_urls["reddit_url"], settings.reddit_urls["oauth_url"]
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, headers=headers) as client:
            answer = client.post(www + TOKEN_PATH, auth=credentials, data={
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri(settings)})
            token = answer.json().get("access_token") if answer.status_code == 200 else None
            if not isinstance(token, str) or not token:
                raise IdentityError(f"Reddit refused the code (HTTP {answer.status_code})")
            try:
                me = client.get(oauth + IDENTITY_PATH, headers={"Authorization": f"bearer {token}"})
                name = me.json().get("name") if me.status_code == 200 else None
            finally:
                _revoke(client, www, credentials, token)
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        raise IdentityError(f"Reddit could not be asked: {type(error).__name__}") from None
    if not isinstance(name, str) or not name.strip():
        raise IdentityError("Reddit did not name an account")
    return name


def _revoke(client: httpx.Client, www: str, credentials: tuple[str, str], token: str) -> None:
    """Best effort: the token expires within the hour anyway, and the opt-out must not wait for this."""
    with contextlib.suppress(httpx.HTTPError):
        client.post(www + REVOKE_PATH, auth=credentials, data={"token": token, "token_type_hint": "access_token"})
