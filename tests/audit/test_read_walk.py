"""Audit of reads by construction (issue 9): every page a persona of the demo reaches that shows a
young person's name (a referred pupil's, a family member's, a learning session's participant's) has
written, during that very request, a VIEW entry of that read by that persona, with the record (or
one that belongs to it: its case, a list naming its id) as the subject; and no page writes two
entries of one record.

The walk is generic, as `tests/project/test_crawl.py` and `tests/project/test_form_fuzz.py` are: from the start page
and every route without arguments, following links, as every login of the demo regions. The names
are taken from the database, not from a list of pages, so a new page is checked as soon as it is
linked. `test_the_walk_fails_when_a_selector_stops_recording` shows the check bites: with the case
file's selector recording nothing, the walk fails on the case file."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve, reverse

from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import Case, FamilyMember, Referral, YoungPerson
from brugwerk.demo.build import DEFAULT_PASSWORD
from brugwerk.demo.oost import demo_oost
from brugwerk.demo.w13 import w13
from brugwerk.learning.models import LearningSession
from tests.conftest import FAST_HASHERS

PAGES_PER_ROUTE = 1  # pages of one route read per persona (one case, one offering ...)
QUERIES_PER_ROUTE = 1  # and of those with a query string (a filter, a further page)
MAX_PAGES = 200  # per persona
# POST-only routes and links a walker must not follow.
SKIPPED = ("accounts:logout", "set_language", "home:switch_region")
WORD = re.compile(r"\w+")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def links_in(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    return parser.hrefs


def route_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def start_pages() -> list[str]:
    """The start page and every route of the URLconf that takes no argument."""
    pages = ["/"]

    def walk(resolver, namespace: str = "") -> None:
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif entry.name and not getattr(entry.pattern, "converters", {}):
                name = f"{namespace}{entry.name}"
                if name not in SKIPPED:
                    pages.append(reverse(name))

    walk(get_resolver())
    return pages


# --- Whose names a page shows, and which reads cover them ---------------------------------------------------


@dataclass
class Names:
    """Full names as pages show them, each with the records it may stand for."""

    young_people: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    pupils: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # referral ids
    family: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # young person ids
    users: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        names = cls()
        for pk, first, last in YoungPerson.objects.values_list("pk", "first_name", "last_name"):
            names.young_people[f"{first} {last}"].add(pk)
        for pk, first, last in Referral.objects.values_list("pk", "pupil_first_name", "pupil_last_name"):
            names.pupils[f"{first} {last}"].add(pk)
        for name, person in FamilyMember.objects.values_list("name", "young_person_id"):
            if len(name.split()) > 1:  # "Mama" alone is not a name a page could be caught showing
                names.family[name].add(person)
        names.users = {pk: f"{first} {last}" for pk, first, last in User.objects.values_list(
            "pk", "first_name", "last_name") if first and last}
        return names


def shown(text: str, table: dict[str, set[int]]) -> dict[str, set[int]]:
    words = set(WORD.findall(text))
    return {name: ids for name, ids in table.items() if name.split()[0] in words and name in text}


# Details of an entry that name ids of a model (for "participants", the subject's app decides).
DETAIL_MODELS = {
    "case": "cases.case",
    "cases": "cases.case",
    "evidence_cases": "cases.case",
    "young_people": "cases.youngperson",
    "duplicates": "cases.youngperson",
    "contacts": "cases.contactmoment",
    "referrals": "cases.referral",
    "referrals_out": "cases.referralout",
    "appointments": "cases.appointment",
    "sessions": "learning.learningsession",
}


@dataclass
class Covered:
    young_people: set[int] = field(default_factory=set)
    referrals: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)

    def add(self, label: str, ids: list) -> None:
        ids = [int(i) for i in ids if str(i).isdigit()]
        if not ids:
            return
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return
        objects = model._default_manager.filter(pk__in=ids)
        names = {f.name for f in model._meta.get_fields()}
        if model is YoungPerson:
            self.young_people.update(ids)
        elif model is Case or model is FamilyMember:
            self.young_people.update(v for v in objects.values_list("young_person_id", flat=True) if v)
        elif model is User:
            self.users.update(ids)
        elif model is LearningSession:
            self.users.update(objects.values_list("participants", flat=True))
        elif model._meta.label_lower == "groups.groupoffering":
            self.young_people.update(objects.values_list("participants__case__young_person_id", flat=True))
        elif model._meta.label_lower == "groups.groupsession":
            self.young_people.update(objects.values_list("offering__participants__case__young_person_id", flat=True))
        if model is Referral:
            self.referrals.update(ids)
            self.young_people.update(v for v in objects.values_list("young_person_id", flat=True) if v)
        if "case" in names and model is not Case:
            self.young_people.update(v for v in objects.values_list("case__young_person_id", flat=True) if v)
        self.young_people.discard(None)
        self.users.discard(None)

    @classmethod
    def by(cls, entries: list[AuditEntry]) -> Covered:
        covered = cls()
        for entry in entries:
            if entry.subject_id:
                covered.add(entry.subject_type, [entry.subject_id])
            for key, value in (entry.changes or {}).items():
                values = value if isinstance(value, list) else [value]
                if key == "participants":
                    label = "accounts.user" if entry.subject_type.startswith("learning.") else "groups.groupparticipant"
                elif key == "shown":
                    label = entry.subject_type
                else:
                    label = DETAIL_MODELS.get(key, "")
                if label:
                    covered.add(label, values)
        return covered


def unrecorded(text: str, url: str, entries: list[AuditEntry], names: Names, viewer: User) -> list[str]:
    """The names `text` shows without a read of their record among `entries`."""
    covered = Covered.by(entries)
    missing = []
    # A name stands for every record of that name: a referred pupil may share a young person's name
    # (a possible duplicate), and either read covers it.
    for name in shown(text, names.young_people) | shown(text, names.pupils):
        if not names.young_people.get(name, set()) & covered.young_people and not (
            names.pupils.get(name, set()) & covered.referrals
        ):
            missing.append(f"young person or referred pupil {name}")
    for name, people in shown(text, names.family).items():
        if not people & covered.young_people:
            missing.append(f"family member {name}")
    missing += [f"participant {n}" for n in _participants_shown(text, url, names, viewer) if n not in covered.users]
    return missing


def _participants_shown(text: str, url: str, names: Names, viewer: User) -> dict[int, str]:
    """Participants (other than the viewer) of the learning sessions the page shows, by name: the
    session the page is about and those it links to."""
    match = resolve(urlsplit(url).path)
    link = re.escape(reverse("learning:session_detail", args=[12345])).replace("12345", r"(\d+)")
    ids = {int(pk) for pk in re.findall(link, text)}
    if match.app_name == "learning" and "pk" in match.kwargs and match.url_name.startswith("session"):
        ids.add(int(match.kwargs["pk"]))
    people = set(LearningSession.participants.through.objects.filter(
        learningsession_id__in=ids).values_list("user_id", flat=True)) if ids else set()
    people.discard(viewer.pk)
    return {pk: names.users[pk] for pk in people if pk in names.users and names.users[pk] in text}


def twice(entries: list[AuditEntry]) -> list[str]:
    """Reads written more than once by one page (a record, or a list under one label)."""
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for entry in entries:
        seen[(entry.subject_type, entry.subject_id, "" if entry.subject_id else entry.subject_label)] += 1
    return [f"{n} entries of {key}" for key, n in seen.items() if n > 1]


# --- The walk ---------------------------------------------------------------------------------------------


def client_for(user: User) -> Client:
    """Logged in, and having just given the password again (so pages behind the re-entry open too)."""
    client = Client()
    client.force_login(user, backend="brugwerk.accounts.backends.UsernameOrEmailBackend")
    response = client.post(reverse("accounts:confirm_password"), {"password": DEFAULT_PASSWORD, "next": "/"})
    assert response.status_code == 302, f"{user} could not give their password again"
    return client


def walk(
    user: User, names: Names, max_pages: int = MAX_PAGES, start: list[str] | None = None
) -> tuple[dict[str, list[str]], set[str]]:
    """Every page `user` reaches (from `start`, else from every start page), checked. Returns the
    unrecorded names (and reads written twice) by URL and the routes answered with a page that
    showed a name."""
    client = client_for(user)
    skip = tuple(reverse(name) for name in SKIPPED) + (settings.STATIC_URL,)
    problems: dict[str, list[str]] = {}
    checked: set[str] = set()
    per_route: dict[tuple[str | None, bool], int] = defaultdict(int)
    queue = deque(dict.fromkeys(start or start_pages()))
    queued = set(queue)
    visited = 0
    while queue and visited < max_pages:
        url = queue.popleft()
        visited += 1
        before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        if response.status_code == 302:
            targets = [response["Location"]]
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            text = html.unescape(response.content.decode(errors="replace"))
            entries = list(AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW, actor=user))
            missing = unrecorded(text, url, entries, names, user)
            missing += twice(entries)
            if missing:
                problems[url] = missing
            if shown(text, names.young_people) or shown(text, names.pupils):
                checked.add(route_of(urlsplit(url).path) or url)
            targets = links_in(text)
        else:
            targets = []
        for href in targets:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            route = route_of(parts.path)
            if route is None or target in queued or parts.path.startswith(skip):
                continue
            slot = (route, bool(parts.query))
            if per_route[slot] < (QUERIES_PER_ROUTE if parts.query else PAGES_PER_ROUTE):
                per_route[slot] += 1
                queued.add(target)
                queue.append(target)
    return problems, checked


def personas() -> list[str]:
    """Every login of the demo regions."""
    return [login.username for spec in (w13(), demo_oost()) for login in spec.logins]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo regions, loaded once for the module inside a transaction rolled back after it."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, BRUGWERK_REQUIRE_2FA=False),
    ):
        call_command("demo", stdout=io.StringIO())
        yield Names.load()
        transaction.set_rollback(True)


@pytest.fixture
def names(demo, db) -> Names:
    return demo


WALKS: dict[str, tuple[dict[str, list[str]], set[str]]] = {}  # by username, for the module


def walked(username: str, names: Names) -> tuple[dict[str, list[str]], set[str]]:
    if username not in WALKS:
        WALKS[username] = walk(User.objects.get(username=username), names)
    return WALKS[username]


@pytest.mark.parametrize("username", personas())
def test_no_page_shows_a_young_person_without_an_audit_entry_of_the_read(names, username):
    problems, _ = walked(username, names)
    assert problems == {}


def test_the_walk_sees_the_pages_with_names(names):
    """The check is not empty: a brugfiguur's walk reaches the case file, the case list and the edit
    pages of the case file, all showing a young person's name."""
    _, checked = walked("bf-sofie", names)
    assert {"cases:case_detail", "cases:case_list", "cases:goal_create", "cases:family_member_create"} <= checked


def test_the_walk_fails_when_a_selector_stops_recording(names, monkeypatch):
    """One kind of read left out (the case file's selector records nothing): the walk fails there."""
    monkeypatch.setattr("brugwerk.cases.selectors.record_read", lambda **kwargs: None)
    user = User.objects.get(username="bf-sofie")
    problems, _ = walk(user, names, max_pages=40, start=[reverse("cases:case_list")])
    assert any(route_of(urlsplit(url).path) == "cases:case_detail" for url in problems), problems
    assert all(route_of(urlsplit(url).path) == "cases:case_detail" for url in problems), problems


def test_the_check_reads_names_and_entries_as_meant(names, db):
    """The check itself: a name on a page is unrecorded until an entry of its case (or a list naming
    the case) was written."""
    case = Case.objects.select_related("young_person").first()
    viewer = User.objects.get(username="bf-sofie")
    text = f"<p>{case.young_person.first_name} {case.young_person.last_name}</p>"
    assert unrecorded(text, "/", [], names, viewer)
    read = AuditEntry(event=AuditEvent.VIEW, subject_type="cases.case", subject_id=str(case.pk), changes={})
    assert unrecorded(text, "/", [read], names, viewer) == []
    listed = AuditEntry(event=AuditEvent.VIEW, subject_type="cases.case", subject_id="", changes={"cases": [case.pk]})
    assert unrecorded(text, "/", [listed], names, viewer) == []
    other = AuditEntry(event=AuditEvent.VIEW, subject_type="cases.case", subject_id="", changes={"cases": [0]})
    assert unrecorded(text, "/", [other], names, viewer)
