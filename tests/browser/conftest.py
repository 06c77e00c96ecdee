"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the live
server. Every page a test visits is checked with axe-core (zero violations) and photographed under
var/screenshots/<test>/ so anyone can look at what users see."""

import io
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ABORTED_HTMX_REQUEST = re.compile(r"htmx:(sendAbort|afterRequest)\b")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SETTLED = """() => document.fonts.status === "loaded"
    && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")"""

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """One browser tab with the checks every visited page must pass."""

    axe = Axe()

    def __init__(self, page, live_server, test_name: str):
        self.page = page
        self.base = live_server.url
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def _on_console(self, msg) -> None:
        # htmx logs an aborted request (a newer one replaced it: hx-sync) as an error; that is not one.
        if msg.type == "error" and not ABORTED_HTMX_REQUEST.match(msg.text):
            self.console_errors.append(msg.text)

    def url(self, path: str) -> str:
        return self.base + path

    def goto(self, path: str, name: str | None = None):
        response = self.page.goto(self.url(path))
        status = response.status if response is not None else None
        assert status is not None and status < 500, f"{path} answered {status}"
        self.check(name or path)
        return response

    def check(self, name: str) -> None:
        """axe-core on the page as it is now, no CSP or script errors, and a screenshot."""
        # The page and what it loads (styles, scripts, images, fonts) are in, and no htmx request is
        # under way. (Playwright's "networkidle" waits a fixed 500 ms of silence after every page:
        # a third of the browser suite's time; no page of ours requests anything after its load.)
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(SETTLED)
        results = self.axe.run(self.page)
        assert results.violations_count == 0, f"axe-core on {self.page.url}:\n{results.generate_report()}"
        assert not self.console_errors, f"console errors on {self.page.url}: {self.console_errors}"
        self.count += 1
        slug = re.sub(r"[^\w.-]+", "_", name).strip("_") or "page"
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{slug}.png"), full_page=True)


def _visitor(browser, live_server, request, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-BE")
    page = context.new_page()
    visitor = Visitor(page, live_server, request.node.name)
    yield visitor
    context.close()


@pytest.fixture
def visitor(browser, live_server, request):
    yield from _visitor(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone_visitor(browser, live_server, request):
    yield from _visitor(browser, live_server, request, PHONE)


def totp_now(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(visitor: Visitor, username: str, password: str, *, device=None) -> None:
    visitor.goto("/account/inloggen/", "login")
    visitor.page.get_by_label(re.compile("Gebruikersnaam|Username")).fill(username)
    visitor.page.get_by_label(re.compile("Wachtwoord|Password")).fill(password)
    visitor.page.get_by_role("button", name=re.compile("Inloggen|Log in")).click()
    if device is not None:
        visitor.page.wait_for_url(re.compile("/account/tweestaps/"))
        visitor.check("second-factor")
        visitor.page.get_by_label(re.compile("code", re.I)).fill(totp_now(device))
        visitor.page.get_by_role("button", name=re.compile("Bevestig|Confirm")).click()
    visitor.page.wait_for_url(re.compile(r"/$"))


DEMO_PASSWORD = "brugwerk-demo"


@pytest.fixture
def demo(db, settings):
    """The W13 demo (and Demo-Oost), loaded into the test database; logins use DEMO_PASSWORD."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def open_as(browser, live_server, request):
    """A fresh browser (own cookies) logged in as a demo user, desktop or phone: each step of a
    journey is done by the role that does it."""
    contexts = []

    def open_as(username: str, *, phone: bool = False) -> Visitor:
        context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="nl-BE")
        contexts.append(context)
        visitor = Visitor(context.new_page(), live_server, request.node.name)
        visitor.count = len(contexts) * 100  # screenshots of each role sort after the previous one's
        log_in(visitor, username, DEMO_PASSWORD)
        return visitor

    yield open_as
    for context in contexts:
        context.close()
