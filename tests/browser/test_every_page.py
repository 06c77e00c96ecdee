"""Every page reachable by each demo user: never a 500, zero axe-core violations, a screenshot.

Each demo login crawls the links it is shown, starting at its start page. Pages are grouped by URL
pattern and at most PER_PATTERN of each are visited, so the crawl stays short while every kind of
page is seen by every role that can reach it."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from brugwerk.audit.services import verify_chain
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_USERS = [
    "coordinator", "beheerder", "bf-sofie", "school", "caw", "beleid", "oost-coordinator", "oost-bf",
]
PER_PATTERN = 2
MAX_PAGES = 60
SKIP = re.compile(r"/(uitloggen|logout)|/static/|\.(csv|ics|pdf|xlsx)$|export|download", re.I)


def pattern_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_page_a_demo_user_can_reach_is_accessible(demo, visitor, username):
    log_in(visitor, username, "brugwerk-demo")
    page = visitor.page
    seen_paths: set[str] = set()
    per_pattern: dict[str, int] = {}
    queue = deque(["/"])
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        key = pattern_of(urlsplit(path).path)
        if per_pattern.get(key, 0) >= PER_PATTERN:
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        response = page.goto(visitor.url(path))
        assert response is not None
        assert response.status in (200, 403, 404), f"{username}: {path} answered {response.status}"
        if response.status != 200:
            continue
        visitor.check(f"{key}-{per_pattern[key]}")
        visited += 1
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen_paths:
                queue.append(target)
    assert visited >= 3, f"{username} reached only {visited} pages: {sorted(seen_paths)}"
    intact, entries, problem = verify_chain()
    assert intact, problem
    assert entries > 2  # the demo load, the login, and the pages with personal data that were read
