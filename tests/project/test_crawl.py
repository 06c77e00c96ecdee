"""Every persona follows every link they can reach from the start page: no page may fail (500) or
answer anything but 200, 302, 403 or 404. Generic: new pages are crawled as soon as they are linked."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS, client_for

MAX_PAGES = 150
QUERY_VARIANTS_PER_PATH = 3  # e.g. a list page, one filter and one further page
ALLOWED = {200, 302, 403, 404}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.hrefs


def skipped_paths() -> tuple[str, ...]:
    """Links a crawler must not follow: POST-only actions and static files."""
    return (reverse("accounts:logout"), reverse("set_language"), reverse("home:switch_region"),
            settings.STATIC_URL)


def crawl(client: Client, start: str = "/") -> tuple[dict[str, int], dict[str, str]]:
    """Visit same-site links breadth first. Returns the status of every page visited and the
    problems found (a 500 or an unexpected status), by URL."""
    skip = skipped_paths()
    statuses: dict[str, int] = {}
    problems: dict[str, str] = {}
    variants: dict[str, int] = {}
    queue = deque([start])
    queued = {start}
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception: a 500
            problems[url] = f"500: {type(error).__name__}: {error}"
            continue
        statuses[url] = response.status_code
        if response.status_code not in ALLOWED:
            problems[url] = f"status {response.status_code}"
        targets = []
        if response.status_code == 302:
            targets.append(response["Location"])
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            targets += links_in(response.content.decode(errors="replace"))
        for href in targets:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                continue  # another site, mailto:, tel:
            if parts.path.startswith(skip):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in queued:
                continue
            if parts.query:
                if variants.get(parts.path, 0) >= QUERY_VARIANTS_PER_PATH:
                    continue
                variants[parts.path] = variants.get(parts.path, 0) + 1
            queued.add(target)
            queue.append(target)
    return statuses, problems


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reachable_page_works_for(world, persona):
    statuses, problems = crawl(client_for(world.persona(persona)))
    assert problems == {}
    assert statuses["/"] == 200
    assert len(statuses) > 1, "the start page links to nothing"


def test_every_reachable_page_works_for_an_anonymous_visitor(world):
    statuses, problems = crawl(Client())
    assert problems == {}
    login = reverse("accounts:login")
    assert statuses["/"] == 302 and statuses[f"{login}?next=/"] == 200


class StubClient:
    """Answers like the test client from a table of pages, to check the crawler itself."""

    def __init__(self, pages):
        self.pages = pages
        self.visited: list[str] = []

    def get(self, url):
        self.visited.append(url)
        page = self.pages.get(url, 404)
        if isinstance(page, Exception):
            raise page
        if isinstance(page, int):
            return HttpResponse(status=page)
        return HttpResponse(page)


def test_crawler_reports_failures_and_follows_only_what_it_should():
    hrefs = ["/a/", "/broken/", "/odd/", "https://elsewhere.example/", "mailto:x@y.be", "/static/app.css",
             reverse("accounts:logout"), "#main"] + [f"/list/?page={n}" for n in range(1, 5)]
    links = "".join(f'<a href="{href}">x</a>' for href in hrefs)
    client = StubClient(
        {"/": links, "/a/": '<a href="/">home</a>', "/broken/": RuntimeError("boom"), "/odd/": 418}
    )
    statuses, problems = crawl(client)
    assert problems == {"/broken/": "500: RuntimeError: boom", "/odd/": "status 418"}
    assert client.visited == ["/", "/a/", "/broken/", "/odd/"] + [f"/list/?page={n}" for n in range(1, 4)]
    assert statuses["/a/"] == 200
