"""Browser tests: the real app (``majakka serve`` in its own process) driven through headless Chromium.

Uses Debian's ``chromium`` and ``chromium-driver`` (installed by ``make setup``) via Selenium,
with explicit paths so nothing is downloaded. Set ``MAJAKKA_SCREENSHOTS`` to a directory to
keep a screenshot of each main page.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from core.db.connection import transaction
from tests.app.review.conftest import PASSWORD, CodeSource, seed_suggestions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = os.environ.get("MAJAKKA_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(settings, staff, tmp_path) -> Iterator[str]:
    """``majakka serve`` on a free port over this test's database (plain HTTP on localhost)."""
    port = _free_port()
    env = {**os.environ, "MAJAKKA_WEB_COOKIE_SECURE": "false", "MAJAKKA_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError(f"review app did not start: {(tmp_path / 'serve.log').read_text()}")
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def browser(tmp_path) -> Iterator[webdriver.Chrome]:
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "run `make setup` (chromium, chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--lang=en-GB"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _shot(driver, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SCREENSHOTS) / f"{name}.png"))


#: One-time codes per server (each test has its own server and database), never a step twice.
_CODES: dict[str, CodeSource] = {}


def _login(driver, base: str, username: str) -> None:
    """Sign in as a person would: the password, then the authenticator's code where the account has one."""
    driver.get(f"{base}/login?lang=en")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(driver, 15).until(_replaced(page))
    if "/login/code" in driver.current_url:
        driver.find_element(By.ID, "code").send_keys(_CODES.setdefault(base, CodeSource()).next_code(username))
        _click(driver, "check-code")


def _status(conn, suggestion_id: int) -> dict:
    with transaction(conn) as cur:
        cur.execute("SELECT status, outcome, corrected_level, dismiss_reason FROM suggestions WHERE id = %s",
                    (suggestion_id,))
        return dict(cur.fetchone())


def _replaced(page):
    """Wait condition: the old page's root element has left the document (Chromium may report this as a
    stale reference or as an inspector error about a node that no longer belongs to the document)."""

    def check(driver) -> bool:
        try:
            page.is_enabled()
        except (StaleElementReferenceException, WebDriverException):
            return driver.execute_script("return document.readyState") == "complete"
        return False

    return check


def _click(driver, element_id: str, *, navigates: bool = True) -> None:
    """Click and, for a form submission or link, wait until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, element_id).click()
    if navigates:
        WebDriverWait(driver, 15).until(_replaced(page))


def test_counsellor_claims_reads_reaches_out_records_outcome_and_relabels(server, browser, conn, settings):
    ids = seed_suggestions(conn, settings, [
        {"text": "En jaksa enää, tänään lähden pois", "level": 4},
        {"text": "Väsyttää ja ahdistaa koko ajan", "level": 2},
        {"text": "Jag orkar inte längre med något", "level": 3, "language": "sv"},
    ])
    _login(browser, server, "aino")
    assert browser.current_url.endswith("/queue")
    _shot(browser, "queue")
    _click(browser, "claim-next")
    assert browser.current_url.endswith(f"/items/{ids[0]}")
    assert not browser.find_elements(By.ID, "post-text")  # not even in the page until revealed
    _click(browser, "reveal-text")
    text = browser.find_element(By.ID, "post-text")
    assert "tänään lähden pois" in text.text
    assert browser.find_element(By.CSS_SELECTOR, "mark.raises").text == "En"
    draft = browser.find_element(By.ID, "draft")
    assert "112" in draft.get_attribute("value")
    draft.send_keys(" Olen täällä.")
    _shot(browser, "item")
    _click(browser, "reach-out")
    assert "Saved." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.find_element(By.ID, "sent-message").text.endswith("Olen täällä.")
    assert not browser.find_elements(By.CSS_SELECTOR, "aside.crisis"), "no crisis banner once decided"
    Select(browser.find_element(By.ID, "outcome")).select_by_value("replied")
    _click(browser, "save-outcome")
    Select(browser.find_element(By.ID, "level")).select_by_value("3")
    _click(browser, "relabel")
    assert _status(conn, ids[0]) == {"status": "reached_out", "outcome": "replied", "corrected_level": 3,
                                     "dismiss_reason": None}

    browser.get(f"{server}/queue")
    _click(browser, "claim-next")
    assert browser.current_url.endswith(f"/items/{ids[2]}")
    _click(browser, "dismiss")  # no reason chosen: refused with a notice in the page's language
    assert "Choose why you are not reaching out." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    Select(browser.find_element(By.ID, "reason")).select_by_value("helping_someone_else")
    _click(browser, "dismiss")  # a high item: the confirmation is not ticked
    assert "confirm" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert _status(conn, ids[2])["status"] == "claimed"
    Select(browser.find_element(By.ID, "reason")).select_by_value("helping_someone_else")
    browser.find_element(By.ID, "confirm-dismiss").click()
    _click(browser, "dismiss")
    assert _status(conn, ids[2])["status"] == "dismissed"
    assert _status(conn, ids[2])["dismiss_reason"] == "helping_someone_else"
    _shot(browser, "item-decided")
    _click(browser, "undo")
    assert _status(conn, ids[2])["status"] == "claimed", "the author can take the dismissal back"
    assert browser.find_element(By.ID, "reason")


def test_counsellor_escalates_a_crisis_through_the_checklist(server, browser, conn, settings):
    ids = seed_suggestions(conn, settings, [{"text": "Minulla on suunnitelma tälle illalle", "level": 4}])
    _login(browser, server, "elsa")
    _click(browser, "claim-next")
    assert "112" in browser.find_element(By.CSS_SELECTOR, "aside.crisis").text
    _click(browser, "escalate")  # the required checklist items are unticked: refused, in the page's own language
    assert "Confirm the required checklist items" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert _status(conn, ids[0])["status"] == "claimed"
    for value in ("emergency_number_considered", "supervisor_informed"):
        browser.find_element(By.CSS_SELECTOR, f"input[name='checks'][value='{value}']").click()
    _click(browser, "escalate")
    assert "Saved." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert _status(conn, ids[0])["status"] == "escalated"


def test_supervisor_sees_health_charts_and_overflow(server, browser, conn, settings):
    seed_suggestions(conn, settings, [{"text": f"Väsyttää {i}", "level": 2} for i in range(5)])
    _login(browser, server, "sanna")
    assert browser.current_url.endswith("/supervisor")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    assert browser.find_element(By.ID, "overflow-count").text.startswith("2")
    _shot(browser, "supervisor")
    browser.get(f"{server}/queue")
    assert "Overflow beyond today's capacity (2)" in browser.page_source.replace("&#39;", "'")


def test_dpo_searches_and_exports_the_audit_log_and_uses_the_test_bench(server, browser, conn, settings, tmp_path):
    seed_suggestions(conn, settings, [{"text": "Väsyttää", "level": 2}])
    _login(browser, server, "dpo")
    assert browser.current_url.endswith("/dpo/audit")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert any("login.succeeded" in row.text for row in rows)
    _shot(browser, "dpo-audit")
    _click(browser, "export", navigates=False)
    downloads = tmp_path / "downloads"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not list(downloads.glob("*.csv")):
        time.sleep(0.2)
    exported = next(downloads.glob("*.csv")).read_text(encoding="utf-8")
    assert exported.startswith("id,occurred_at,actor,actor_role,action") and "login.succeeded" in exported
    browser.get(f"{server}/dpo/test-bench")
    browser.find_element(By.ID, "bench-text").send_keys("Soita minulle 040 765 4321")
    _click(browser, "redact")
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#bench-results tbody td")]
    typed, redacted, found = cells[2], cells[3], cells[4]
    assert "040 765 4321" in typed and "040 765 4321" not in redacted and "PHONE" in redacted
    assert "«040 765 4321»" in found, "each entity beside the text it covered, for the DPO who typed it"
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'audit.export' AND actor = 'dpo'")
        assert cur.fetchone()["n"] == 1
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE details::text LIKE '%%765%%'")
        assert cur.fetchone()["n"] == 0, "the typed input is never stored"


def test_ml_engineer_and_admin_reach_their_pages_and_not_the_queue(server, browser):
    _login(browser, server, "mlops")
    assert browser.current_url.endswith("/models")
    browser.get(f"{server}/queue")
    assert "Not allowed" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    _login(browser, server, "admin")
    assert browser.current_url.endswith("/admin/users")
    browser.find_element(By.ID, "new-username").send_keys("ville")
    browser.find_element(By.ID, "new-name").send_keys("Ville")
    browser.find_element(By.ID, "new-password").send_keys("a-long-initial-password")
    _click(browser, "create-user")
    assert "ville" in browser.find_element(By.ID, "users").text
    _shot(browser, "admin")


def test_login_page_in_swedish_and_keyboard_reachable(server, browser):
    browser.get(f"{server}/login?lang=sv")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    assert browser.find_element(By.CSS_SELECTOR, "label[for='username']").text
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "username"  # autofocus: typing starts at once
    _shot(browser, "login-sv")


def test_public_transparency_and_opt_out_pages_work_without_signing_in(server, browser, conn, settings):
    browser.get(f"{server}/about?lang=sv")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    assert "r/Suomi" in browser.find_element(By.ID, "communities").text
    _shot(browser, "about-sv")
    browser.get(f"{server}/about?lang=en")
    assert "30 days" in browser.find_element(By.ID, "retention").text
    browser.find_element(By.LINK_TEXT, "Opt out here").click()
    browser.find_element(By.ID, "opt-out-username").send_keys("u/Nimetön_7")
    _click(browser, "opt-out")
    done = browser.find_element(By.ID, "opt-out-done")
    assert done.is_displayed() and "DSR-" in done.text and "Nimetön" not in browser.page_source
    _shot(browser, "opt-out-done")
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM opt_outs) AS registered, "
                    "(SELECT count(*) FROM privacy_cases WHERE status = 'open') AS waiting")
        assert dict(cur.fetchone()) == {"registered": 0, "waiting": 1}  # nothing happens without proof

    # The DPO is told, opens the case from the notification and carries it out after confirming.
    _login(browser, server, "dpo")
    browser.get(f"{server}/notifications")
    browser.find_element(By.CSS_SELECTOR, "#notification-list a[href^='/dpo/cases/']").click()
    assert "30" in browser.find_element(By.ID, "case-facts").text
    browser.find_element(By.ID, "confirm-case-check").click()
    _shot(browser, "dpo-case-en")
    _click(browser, "confirm-case")
    assert browser.find_element(By.ID, "case-outcome").is_displayed()
    assert not browser.find_elements(By.ID, "unread-count")  # closing the case settled its notice
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM opt_outs")
        assert cur.fetchone()["n"] == 1


def test_two_partners_counsellors_each_see_only_their_own_queue(server, browser, two_queues):
    """A bilingual city that works only its own queue (ville) beside the deployment's default partner,
    which works the national queue (aino): each queue page lists, and each browser opens, only its own."""
    national, vaasa = two_queues["national"], two_queues["vaasa"]
    for username, own, other, own_text in (("ville", vaasa, national, "orkar inte mer"),
                                           ("aino", national, vaasa, "jaksa enää")):
        browser.delete_all_cookies()
        _login(browser, server, username)
        browser.get(f"{server}/queue")
        listed = {link.get_attribute("href").rsplit("/", 1)[-1]
                  for link in browser.find_elements(By.CSS_SELECTOR, "table.list a[href*='/items/']")}
        assert listed == {str(own)}, username
        _shot(browser, f"queue-{username}")
        browser.get(f"{server}/items/{other}")
        assert "orkar inte" not in browser.page_source and "jaksa enää" not in browser.page_source
        browser.get(f"{server}/items/{own}?reveal=1")
        assert own_text in browser.page_source, "the own item opens and its text can be read"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_on_a_phone_the_queue_and_item_need_no_sideways_scrolling(server, browser, conn, settings, language):
    ids = seed_suggestions(conn, settings, [
        {"text": "Olen 16 enkä jaksa enää mitään, tänään lähden pois", "level": 4, "source_id": "phone1"},
        {"text": "Jag är så trött på allt, orkar inte längre", "level": 3, "language": "sv", "source_id": "phone2",
         "author": "f" * 64}])
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET created_at = now() - interval '6 days' WHERE source_id = 'phone2'")
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'aino'", (language,))
    browser.set_window_size(390, 844)
    _login(browser, server, "aino")
    for path in ("/queue", f"/items/{ids[0]}", f"/items/{ids[1]}"):
        browser.get(f"{server}{path}?lang={language}")
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 390 px"
    browser.get(f"{server}/queue?lang={language}")
    _shot(browser, f"queue-phone-{language}")
    link = f"Avaa tapaus #{ids[0]}" if language == "fi" else f"Öppna ärende #{ids[0]}"
    assert browser.find_element(By.LINK_TEXT, link).is_displayed()
    browser.get(f"{server}/items/{ids[1]}?lang={language}")
    age = browser.find_element(By.ID, "post-age").text
    assert ("6 pv sitten" if language == "fi" else "6 d sedan") in age, "a six-day-old post says so"


ESCALATION_WORDS = {"fi": {"refused": "Vahvista tarkistuslistan pakolliset", "listed": "eskaloi tapauksen"},
                    "sv": {"refused": "Bekräfta de obligatoriska", "listed": "eskalerade ett ärende"}}


@pytest.mark.parametrize(("counsellor_language", "supervisor_language"), [("fi", "sv"), ("sv", "fi")])
def test_an_escalation_reaches_the_supervisor_who_acknowledges_and_takes_it_on(
        server, browser, conn, settings, counsellor_language, supervisor_language):
    from datetime import date, timedelta

    from governance import consent

    with transaction(conn) as cur:
        consent.record_consent(cur, source="reddit", community="Suomi", agreed_by="moderaattorit",
                               agreed_on=date.today(), scope="julkiset", review_due=date.today() + timedelta(days=9),
                               document_ref="T-1", actor="test", role="system", country="FI")
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'elsa'", (counsellor_language,))
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'sanna'", (supervisor_language,))
    [item] = seed_suggestions(conn, settings, [{"text": "Jag har en plan för i kväll, det här är mitt sista inlägg",
                                               "level": 4, "language": "sv", "source_id": "esc1"}])
    _login(browser, server, "elsa")
    _click(browser, "claim-next")
    fitting = browser.find_element(By.ID, "fitting-services").text
    assert "MIELI rf:s kristelefon på svenska" in fitting and "1177" not in fitting, "a Finland-Swede's services"
    _click(browser, "escalate")
    assert ESCALATION_WORDS[counsellor_language]["refused"] in browser.find_element(By.CSS_SELECTOR, ".notice").text
    for value in ("emergency_number_considered", "supervisor_informed"):
        browser.find_element(By.CSS_SELECTOR, f"input[name='checks'][value='{value}']").click()
    _click(browser, "escalate")
    browser.delete_all_cookies()
    _login(browser, server, "sanna")
    assert browser.find_element(By.ID, "unread-count").text == "1"
    _click(browser, "notifications-link")
    _shot(browser, f"notifications-{supervisor_language}")
    assert ESCALATION_WORDS[supervisor_language]["listed"] in browser.find_element(By.ID, "notification-list").text
    browser.get(f"{server}/supervisor")
    _click(browser, f"take-{item}")
    assert not browser.find_elements(By.ID, "unread-count"), "taking it on acknowledges the notification"
    Select(browser.find_element(By.ID, f"eo-{item}")).select_by_value("emergency_services_contacted")
    _click(browser, f"eo-save-{item}")
    _shot(browser, f"escalations-{supervisor_language}")
    with transaction(conn) as cur:
        cur.execute("SELECT escalation_outcome FROM suggestions WHERE id = %s", (item,))
        assert cur.fetchone()["escalation_outcome"] == "emergency_services_contacted"


@pytest.mark.parametrize(("admin_language", "counsellor_language", "reminder"), [
    ("sv", "fi", "kirjaa mitä tapahtui"), ("fi", "sv", "registrera vad som hände")])
def test_out_of_hours_alert_and_follow_up_reminder_in_finnish_and_swedish(
        server, browser, conn, settings, staff, admin_language, counsellor_language, reminder):
    from aiosmtpd.controller import Controller

    from outreach.on_call import alert_on_call
    from tests.app.review.test_on_call import CRISIS_TEXT, Inbox

    with transaction(conn) as cur:
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'admin'", (admin_language,))
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'aino'", (counsellor_language,))
    _login(browser, server, "admin")
    browser.find_element(By.ID, f"hours-{staff.team_id}").send_keys("ma-pe 8-16")
    browser.find_element(By.ID, f"oncall-{staff.team_id}").send_keys("paivystys@kunta.example")
    browser.find_element(By.CSS_SELECTOR, f"form[action='/admin/teams/{staff.team_id}'] button").click()
    WebDriverWait(browser, 15).until(lambda driver: "notice=saved" in driver.current_url)
    browser.get(f"{server}/about?lang={counsellor_language}")
    assert "ma-pe 8-16" in browser.find_element(By.ID, "service-hours").text

    [crisis, followed] = seed_suggestions(conn, settings, [
        {"text": CRISIS_TEXT, "level": 4, "source_id": "night1"},
        {"text": "Väsyttää koko ajan", "level": 2, "source_id": "day1", "author": "7" * 64}])
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        sent = alert_on_call(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp.port,
                                                         "public_url": server}), conn)
    finally:
        smtp.stop()
    assert sent["on_call_alerts"] == 1
    [(recipients, content)] = inbox.messages
    assert recipients == ["paivystys@kunta.example"] and f"{server}/items/{crisis}" in content
    assert "suunnitelma" not in content

    browser.delete_all_cookies()
    _login(browser, server, "aino")
    browser.get(f"{server}/items/{followed}")
    _click(browser, "claim")
    _click(browser, "reach-out")
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET decided_at = now() - interval '26 hours' WHERE id = %s", (followed,))
    browser.get(f"{server}/queue")
    listed = browser.find_element(By.ID, "follow-ups").text
    assert reminder in listed and f"#{followed}" in listed


@pytest.mark.parametrize(("language", "refused", "decided"), [
    ("fi", "Korkean tason tai kriisin ohittaminen vaatii vahvistuksen", "Päätetty"),
    ("sv", "avfärdas först när du bekräftar det", "Beslut")])
def test_a_confirmed_dismissal_of_a_crisis_can_be_undone_in_finnish_and_swedish(
        server, browser, conn, settings, language, refused, decided):
    [item] = seed_suggestions(conn, settings, [{"text": "Soita 112 nyt, olen sun kanssa", "level": 4,
                                               "source_id": f"undo-{language}"}])
    with transaction(conn) as cur:
        cur.execute("UPDATE users SET ui_language = %s WHERE username = 'elsa'", (language,))
    _login(browser, server, "elsa")
    _click(browser, "claim-next")
    Select(browser.find_element(By.ID, "reason")).select_by_value("helping_someone_else")
    _click(browser, "dismiss")
    assert refused in browser.find_element(By.CSS_SELECTOR, ".notice").text
    Select(browser.find_element(By.ID, "reason")).select_by_value("helping_someone_else")
    browser.find_element(By.ID, "confirm-dismiss").click()
    _click(browser, "dismiss")
    assert decided in browser.find_element(By.ID, "decision").text
    assert not browser.find_elements(By.CSS_SELECTOR, "aside.crisis")
    _click(browser, "undo")
    assert _status(conn, item)["status"] == "claimed"
    assert browser.find_element(By.CSS_SELECTOR, "aside.crisis").is_displayed(), "an open crisis shows its banner"


def test_a_forged_forwarded_for_header_does_not_change_the_recorded_client(server, conn):
    for forged in ("203.0.113.7", "198.51.100.9"):
        with httpx.Client(base_url=server) as client:
            page = client.get("/login?lang=en")
            token = page.text.split('name="login_csrf" value="')[1].split('"')[0]
            client.post("/login", data={"username": "aino", "password": "wrong-password", "login_csrf": token},
                        headers={"x-forwarded-for": forged})
    with transaction(conn) as cur:
        cur.execute("SELECT DISTINCT client FROM login_failures")
        assert [row["client"] for row in cur.fetchall()] == ["127.0.0.1"]


def test_a_supervisor_without_a_second_factor_sets_one_up_and_then_signs_in_with_codes(server, browser, conn):
    """The role requires it: the first sign-in leads to enrolment (QR code and key), nothing else opens until
    a code from the new key is confirmed, and every later sign-in asks for a fresh code."""
    import pyotp

    from app.staff import accounts, two_factor

    with transaction(conn) as cur:
        accounts.create(cur, username="uusi", display_name="Uusi", role="supervisor", password=PASSWORD,
                        team_id=None, ui_language="fi", actor="test", actor_role="system")
    _login(browser, server, "uusi")
    assert browser.current_url.endswith("/me/two-factor")
    assert browser.find_element(By.ID, "two-factor-required").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "figure.qr svg").is_displayed()
    secret = browser.find_element(By.ID, "totp-secret").text
    browser.get(f"{server}/supervisor")
    assert browser.current_url.endswith("/me/two-factor"), "nothing else opens before the second factor"
    _shot(browser, "two-factor-enrol-fi")
    browser.find_element(By.ID, "enrol-code").send_keys(pyotp.TOTP(secret).now())
    _click(browser, "confirm-two-factor")
    browser.get(f"{server}/supervisor")
    assert browser.current_url.endswith("/supervisor")

    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    browser.get(f"{server}/login?lang=fi")
    browser.find_element(By.ID, "username").send_keys("uusi")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(browser, 15).until(_replaced(page))
    assert "/login/code" in browser.current_url
    browser.get(f"{server}/supervisor")
    assert "/login/code" in browser.current_url, "the password alone opens nothing"
    browser.find_element(By.ID, "code").send_keys("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    _click(browser, "check-code")
    assert browser.find_element(By.ID, "code-error").is_displayed()
    _shot(browser, "two-factor-code-fi")
    step = two_factor.current_step() + 1  # the enrolment used this step's code; the next one is fresh
    browser.find_element(By.ID, "code").send_keys(two_factor.code_at(secret, step))
    _click(browser, "check-code")
    assert browser.current_url.endswith("/supervisor")
    with transaction(conn) as cur:
        cur.execute("SELECT action FROM audit_log WHERE actor = 'uusi' AND action LIKE 'login.%%' "
                    "OR action LIKE 'user.two_factor%%' ORDER BY id")
        actions = [row["action"] for row in cur.fetchall()]
    assert actions == ["login.succeeded", "user.two_factor_on", "login.password_accepted", "login.code_failed",
                       "login.succeeded"]


def test_a_person_opts_out_at_once_by_signing_in_with_reddit(server, browser, conn, settings):
    """The verified way: Majakka sends the browser to Reddit's consent page (the local stand-in), the person
    allows it to see their username, and on the way back everything stored about them is deleted."""
    from app import components

    pseudonym = components.pseudonymizer(settings).pseudonym("reddit", "Oma_tili_9")
    seed_suggestions(conn, settings, [{"text": "En jaksa enää", "level": 3, "author": pseudonym}])
    browser.get(f"{server}/opt-out?lang=sv")
    _shot(browser, "opt-out-sv")
    _click(browser, "opt-out-reddit")
    assert "reddit" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "reddit-username").send_keys("Oma_tili_9")
    _click(browser, "reddit-allow")
    done = browser.find_element(By.ID, "opt-out-done")
    assert done.is_displayed() and browser.current_url.startswith(f"{server}/opt-out/reddit/callback")
    assert "Oma_tili_9" not in browser.page_source
    _shot(browser, "opt-out-verified-sv")
    with transaction(conn) as cur:
        cur.execute("SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM opt_outs) AS opt_outs")
        assert dict(cur.fetchone()) == {"posts": 0, "opt_outs": 1}
