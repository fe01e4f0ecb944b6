"""Accessibility basics on every page, for every role: labelled controls, headings, language, tables."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.routing import APIRoute

from app.review.app import create_app
from tests.app.review.conftest import ROLE_USERS, seed_suggestions


class PageAudit(HTMLParser):
    """Collects form controls, labels and headings of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_targets: set[str] = set()
        self.label_depth = 0
        self.h1 = 0
        self.html_lang: str | None = None
        self.th_without_scope = 0
        self._thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.label_targets.add(str(attributes["for"]))
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append({**attributes, "wrapped": self.label_depth > 0, "tag": tag})
        elif tag == "h1":
            self.h1 += 1
        elif tag == "thead":
            self._thead = True
        elif tag == "th" and self._thead and "scope" not in attributes:
            self.th_without_scope += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1
        elif tag == "thead":
            self._thead = False


def _pages(settings, suggestion_id: int) -> list[str]:
    paths = ["/login", "/about", "/opt-out"]
    for route in create_app(settings).routes:
        is_page = isinstance(route, APIRoute) and "GET" in route.methods and not route.path.startswith(
            ("/api", "/openapi")) and route.path not in ("/", "/health", "/dpo/audit.csv")
        if is_page:
            paths.append(route.path.replace("{suggestion_id}", str(suggestion_id)))
    return sorted(set(paths))


def test_every_control_has_a_label_and_every_page_a_language_and_one_h1(conn, settings, signed_in):
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa enää", "level": 4}])
    checked = 0
    for username in ROLE_USERS.values():
        client = signed_in(username)
        for path in _pages(settings, ids[0]):
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
                continue
            page = PageAudit()
            page.feed(response.text)
            unlabelled = [c for c in page.controls if not c["wrapped"] and c.get("id") not in page.label_targets]
            assert unlabelled == [], f"{path} as {username}: unlabelled {unlabelled}"
            assert page.html_lang in ("fi", "sv", "en"), path
            assert page.h1 == 1, f"{path} has {page.h1} h1 elements"
            assert page.th_without_scope == 0, f"{path}: header cells without scope"
            checked += 1
    assert checked >= 25


def test_stylesheet_keeps_a_visible_focus_outline_and_a_skip_link(make_client):
    css = make_client().get("/static/style.css").text
    assert ":focus-visible" in css and "outline: 3px" in css
    page = make_client().get("/login").text
    assert 'class="skip" href="#main"' in page and '<main id="main">' in page
