"""A small Reddit-compatible HTTP API for the offline demo and the tests.

It speaks enough of Reddit's API for PRAW: the OAuth token endpoint, subreddit
listings of new submissions and comments (newest first, ``after`` paging), and
``/api/info`` by fullname. For the verified opt-out it also plays Reddit's side of the
web sign-in (OAuth "identity" scope): an authorize page where the visitor says which
account they are and allows or declines, the code-for-token exchange, ``/api/v1/me``
and token revocation. Tests steer it through :class:`RedditState`: add or delete
items, expire tokens, or queue faults (429 with Retry-After, 5xx, truncated JSON,
slow answers) that the next data requests receive.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from app.demo.sample import SampleItem

MAX_PAGE = 100


@dataclass(frozen=True)
class Fault:
    """What the next data request gets instead of a normal answer."""

    status: int = 200
    retry_after: float | None = None
    truncate: bool = False
    delay_seconds: float = 0.0
    body: str | None = None


@dataclass
class RedditState:
    """Items served, faults queued and requests seen; shared by all handler threads."""

    items: dict[str, SampleItem] = field(default_factory=dict)
    gone: dict[str, str] = field(default_factory=dict)  # fullname -> "[deleted]" | "[removed]"
    faults: deque[Fault] = field(default_factory=deque)
    tokens: set[str] = field(default_factory=set)
    #: authorization codes and identity tokens of the web sign-in: code or token -> account name
    codes: dict[str, str] = field(default_factory=dict)
    identities: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    epoch: float = field(default_factory=time.time)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, items: list[SampleItem]) -> None:
        with self.lock:
            for item in items:
                self.items[item.fullname] = item

    def remove_at_source(self, fullname: str, marker: str = "[removed]") -> None:
        with self.lock:
            self.gone[fullname] = marker

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def next_fault(self) -> Fault | None:
        with self.lock:
            return self.faults.popleft() if self.faults else None

    def data_requests(self) -> list[str]:
        with self.lock:
            return [r for r in self.requests if not r.startswith("POST /api/v1/access_token")]


def _fields(encoded: str) -> dict[str, str]:
    """A query string or form body as a dict, the last value of a repeated field winning."""
    return {key: values[-1] for key, values in parse_qs(encoded).items()}


def thing(item: SampleItem, state: RedditState) -> dict:
    """An item as Reddit's JSON ``{"kind", "data"}``, with deletions applied."""
    marker = state.gone.get(item.fullname)
    created = round(state.epoch - item.age_minutes * 60, 3)
    author = "[deleted]" if marker else item.author
    common = {"id": item.id, "name": item.fullname, "subreddit": item.subreddit, "author": author,
              "created_utc": created, "subreddit_name_prefixed": f"r/{item.subreddit}"}
    if item.kind == "t3":
        permalink = f"/r/{item.subreddit}/comments/{item.id}/post/"
        data = {**common, "title": item.title or "", "selftext": marker or item.text, "is_self": True,
                "permalink": permalink, "url": permalink, "num_comments": 0, "over_18": False,
                "removed_by_category": "moderator" if marker == "[removed]" else None}
    else:
        data = {**common, "body": marker or item.text, "link_id": f"t3_{item.parent}",
                "parent_id": f"t3_{item.parent}",
                "permalink": f"/r/{item.subreddit}/comments/{item.parent}/post/{item.id}/"}
    return {"kind": item.kind, "data": data}


def listing(children: list[dict], after: str | None) -> dict:
    return {"kind": "Listing", "data": {"after": after, "before": None, "dist": len(children),
                                        "children": children}}


class RedditHandler(BaseHTTPRequestHandler):
    """Routes requests to the token, listing and info endpoints."""

    server: RedditServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Silence per-request logging: request lines are recorded in state instead."""

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        form = _fields(self.rfile.read(length).decode(errors="replace"))
        self._record()
        path = urlsplit(self.path).path.rstrip("/")
        state = self.server.state
        if path == "/api/v1/authorize":
            self._decide(form)
            return
        if path == "/api/v1/revoke_token":
            with state.lock:
                state.identities.pop(form.get("token", ""), None)
                state.tokens.discard(form.get("token", ""))
            self._send(200, {})
            return
        if path != "/api/v1/access_token":
            self._send(404, {"error": 404})
            return
        token = secrets.token_hex(16)
        if form.get("grant_type") == "authorization_code":
            with state.lock:
                name = state.codes.pop(form.get("code", ""), None)
                if name is not None:
                    state.identities[token] = name
                    state.tokens.add(token)
            if name is None:
                self._send(400, {"error": "invalid_grant"})
                return
            self._send(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600, "scope": "identity"})
            return
        with state.lock:
            state.tokens.add(token)
        self._send(200, {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"})

    def _decide(self, form: dict[str, str]) -> None:
        """The visitor allowed (with the account name they typed) or declined; back to the app either way."""
        target = form.get("redirect_uri", "")
        if not target.startswith(("http://", "https://")):
            self._send(400, {"error": "invalid redirect_uri"})
            return
        query = {"state": form.get("state", "")}
        name = form.get("username", "").strip().removeprefix("u/")
        if form.get("decision") == "allow" and name:
            code = secrets.token_urlsafe(16)
            with self.server.state.lock:
                self.server.state.codes[code] = name
            query["code"] = code
        else:
            query["error"] = "access_denied"
        self._send_raw(302, b"", {"location": f"{target}?{urlencode(query)}"})

    def _authorize_page(self, query: dict[str, str]) -> None:
        """Reddit's consent page, as the local stand-in: which account you are, and allow or decline."""
        hidden = "".join(f'<input type="hidden" name="{key}" value="{html.escape(query.get(key, ""))}">'
                         for key in ("state", "redirect_uri"))
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>reddit (local)</title></head>
<body><main><h1>reddit (local stand-in)</h1>
<p>An app wants to know your Reddit username (scope: identity).</p>
<form method="post" action="/api/v1/authorize">{hidden}
<label for="reddit-username">Signed in as</label> <input id="reddit-username" name="username">
<button type="submit" name="decision" value="allow" id="reddit-allow">Allow</button>
<button type="submit" name="decision" value="decline" id="reddit-decline">Decline</button>
</form></main></body></html>"""
        self._send_raw(200, page.encode(), {"content-type": "text/html; charset=utf-8"})

    def do_GET(self) -> None:
        self._record()
        state = self.server.state
        url = urlsplit(self.path)
        if url.path.rstrip("/") == "/api/v1/authorize":  # a browser page: no token needed
            self._authorize_page(_fields(url.query))
            return
        auth = self.headers.get("authorization", "")
        with state.lock:
            valid = auth.lower().startswith("bearer ") and auth.split(" ", 1)[1] in state.tokens
        if not valid:
            self._send(401, {"message": "Unauthorized", "error": 401},
                       {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'})
            return
        fault = state.next_fault()
        if fault is not None and self._apply(fault):
            return
        query = _fields(url.query)
        parts = [p for p in url.path.split("/") if p]
        if parts == ["api", "v1", "me"]:
            with state.lock:
                name = state.identities.get(auth.split(" ", 1)[1])
            if name:
                self._send(200, {"name": name})
            else:
                self._send(403, {"message": "Forbidden", "error": 403})
        elif len(parts) == 3 and parts[0] == "r" and parts[2] in ("new", "comments"):
            self._send(200, self._listing(parts[1], "t3" if parts[2] == "new" else "t1", query))
        elif parts == ["api", "info"]:
            self._send(200, self._info(query.get("id", "")))
        else:
            self._send(404, {"message": "Not Found", "error": 404})

    def _listing(self, subreddit: str, kind: str, query: dict[str, str]) -> dict:
        state = self.server.state
        limit = max(1, min(int(query.get("limit", "25")), MAX_PAGE))
        with state.lock:
            matching = [i for i in state.items.values()
                        if i.kind == kind and i.subreddit.lower() == subreddit.lower()]
            matching.sort(key=lambda i: (i.age_minutes, i.id))
            start = 0
            after = query.get("after")
            if after:
                names = [i.fullname for i in matching]
                start = names.index(after) + 1 if after in names else len(names)
            page = matching[start:start + limit]
            more = start + limit < len(matching)
            children = [thing(i, state) for i in page]
        return listing(children, page[-1].fullname if page and more else None)

    def _info(self, ids: str) -> dict:
        state = self.server.state
        with state.lock:
            children = [thing(state.items[name], state) for name in ids.split(",") if name in state.items]
        return listing(children, None)

    def _apply(self, fault: Fault) -> bool:
        """Serve ``fault``; returns True when it replaced the normal answer."""
        if fault.delay_seconds:
            time.sleep(fault.delay_seconds)
        if fault.truncate:
            self._send_raw(200, b'{"kind": "Listing", "data": {"children": [{"kind": "t3", "da')
            return True
        if fault.body is not None:
            self._send_raw(fault.status, fault.body.encode())
            return True
        if fault.status != 200:
            headers = {"retry-after": str(fault.retry_after)} if fault.retry_after is not None else {}
            self._send(fault.status, {"message": "fault", "error": fault.status}, headers)
            return True
        return False

    def _record(self) -> None:
        with self.server.state.lock:
            self.server.state.requests.append(f"{self.command} {self.path}")

    def _send(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = dict(headers or {})
        self.send_header("content-type", headers.pop("content-type", "application/json; charset=UTF-8"))
        self.send_header("content-length", str(len(body)))
        self.send_header("x-ratelimit-remaining", "590")
        self.send_header("x-ratelimit-used", "10")
        self.send_header("x-ratelimit-reset", "300")
        # One request per connection: no keep-alive reuse races with clients' pools.
        self.send_header("connection", "close")
        self.close_connection = True
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class RedditServer(ThreadingHTTPServer):
    """The HTTP server bound to loopback; ``base_url`` is what MAJAKKA_REDDIT_BASE_URL takes."""

    daemon_threads = True

    def __init__(self, state: RedditState, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), RedditHandler)
        self.state = state

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="reddit-api", daemon=True)
        thread.start()
        return thread
