"""The project's own form fuzz (issue 8, finding 8): every form a user of the demo reaches is sent
back with each of its choice lists (selects, checkboxes and radio buttons of ids) and whole-number
inputs set to an integer far outside any key or column, 20 digits, positive and negative. Nothing
may fail (500) and nothing may be written (no row added or removed, no write in the audit trail):
the answer is the form with its error, a refusal, or a redirect that changed nothing. Every id in a
link's query string and every id in a URL of the URLconf is tried that large as well.

Generic: the forms are found by walking the demo, from the start page and every route without
arguments, as a visitor and as one user of each role, following links (as `tests/project/test_crawl.py`
does). A new form is fuzzed as soon as a page links to it, and a route nobody reaches fails
`test_the_walk_reaches_every_page_of_the_urlconf` until it is linked or listed in `NOT_WALKED` with
the reason. The demo is loaded and walked once for the module; each fuzzed request runs in a
savepoint that is rolled back."""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.exceptions import Resolver404
from django.utils import translation

import brugwerk
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.core import forms as core
from brugwerk.demo.build import DEFAULT_PASSWORD
from brugwerk.groups.models import GroupOffering
from brugwerk.regions.models import School
from tests import factories as f
from tests.conftest import FAST_HASHERS
from tests.project.test_crawl import links_in

HUGE = "99999999999999999999"  # above every integer column (2**63 is 19 digits)
VALUES = (HUGE, f"-{HUGE}")
PAGES_PER_ROUTE = 1  # pages of one route read per user (one offering, one case, ...)
QUERIES_PER_ROUTE = 1  # and of those with a query string (a filter, a further page)
SPARE_PAGES = 40  # pages read beyond those per user while a route is not reached yet
# Tables a refused request may still write to: the audit trail (a view of the page with the form's
# errors is recorded), the session and the login-attempt log.
UNCOUNTED_APPS = {"audit", "sessions", "axes"}
WRITES = [AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.DELETE]
# Routes the walk does not reach, with the reason; every other route must be reached by some user.
NOT_WALKED = {
    "set_language": "POST only: the language switch in the page frame",
    "home:switch_region": "POST only: the region switch in the page frame",
    "accounts:logout": "POST only; the walk stays logged in",
    "accounts:invitation_answer": "opened from a one-time link in an e-mail",
    "accounts:password_set": "opened from a one-time link in an e-mail",
    "accounts:otp_verify": "the second login step, for accounts with a TOTP device (the demo's have none)",
    "accounts:user_otp_reset": "for accounts with a TOTP device (the demo's have none)",
    "agenda:calendar_feed_ics": "read by calendar apps from its secret address, not linked",
    "expertise:my_school": "only redirects (to the school contact's school summary)",
    "expertise:topic_defaults": "only redirects (after giving a region without topics the default list)",
    # Linked from the pages of some records only (a shared case, a saved filter, a case with a
    # handover consent, an activity still to evaluate, a backed signal), which the walk's few pages
    # per route may not be.
    "cases:case_share_revoke": "a confirmation without choices, linked from a shared case only",
    "cases:saved_filter_delete": "a confirmation without choices, for a saved filter only",
    "cases:handover_export": "linked from a case with a handover consent only",
    "expertise:activity_evaluate": "linked from an activity the user may evaluate only",
    "signals:backing_withdraw": "a confirmation without choices, linked from a backed signal only",
}


# --- Reading forms out of a page ---------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # "select", "select-multiple", "number", "hidden", "text", "checkbox", ...
    values: list[str] = field(default_factory=list)  # what the browser would send by default
    options: list[str] = field(default_factory=list)  # for selects


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    def defaults(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for item in self.fields:
            data.setdefault(item.name, []).extend(item.values)
        return data

    def fuzzable(self) -> list[str]:
        """Every choice list (a select, or checkboxes and radio buttons whose values are ids) and every
        whole-number input (a number field, or a hidden one holding an id)."""
        names: list[str] = []
        for item in self.fields:
            if item.name in names or item.name == "csrfmiddlewaretoken":
                continue
            digits = bool(item.options or item.values) and all(v.isdigit() for v in item.options or item.values)
            if item.kind in {"select", "select-multiple", "number"} or (
                item.kind in {"checkbox", "radio", "hidden"} and digits
            ):
                names.append(item.name)
        return names


class FormParser(HTMLParser):
    """The forms of a page with what a browser would submit without anyone touching them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: FormField | None = None
        self.option: dict | None = None
        self.textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value or "") for key, value in attrs}
        if tag == "form":
            self.form = Form(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                value = a.get("value", "on")
                self.form.fields.append(FormField(name, kind, [value] if "checked" in a else [], [value]))
            else:
                self.form.fields.append(FormField(name, kind, [a.get("value", "")]))
        elif tag == "select" and name:
            self.select = FormField(name, "select-multiple" if "multiple" in a else "select")
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self.textarea = FormField(name, "textarea", [""])
            self.form.fields.append(self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea.values[0] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._close_option()
            if self.select.kind == "select" and not self.select.values and self.select.options:
                self.select.values = [self.select.options[0]]  # a browser sends the first option
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.form = None

    def _close_option(self):
        value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
        self.select.options.append(value)
        if self.option["selected"]:
            self.select.values.append(value)
        self.option = None


def forms_in(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- Walking the demo ----------------------------------------------------------------------------------------


def route_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def routes(resolver=None, namespace: str = ""):
    """Every named route of the URLconf as (name, pattern)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@dataclass
class Found:
    user: str | None
    page: str  # where the form was found
    route: str  # the route it is sent to
    form: Form


@dataclass
class Link:
    user: str | None
    url: str  # a link with ids in its query string, e.g. /werk/agenda/nieuw/?case=12
    route: str
    names: list[str]  # the parameters holding an id


@dataclass
class Walk:
    forms: list[Found] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # routes answered with a page
    seen: set[tuple] = field(default_factory=set)


def client_for_username(username: str | None) -> Client:
    """A client logged in as `username` who has just given their password again (so the pages
    behind the password re-entry open too); a visitor who is not logged in for None."""
    client = Client()
    if username:
        user = User.objects.get(username=username)
        client.force_login(user, backend="brugwerk.accounts.backends.UsernameOrEmailBackend")
        response = client.post(reverse("accounts:confirm_password"), {"password": DEFAULT_PASSWORD, "next": "/"})
        assert response.status_code == 302, f"{username} could not give their password again"
    return client


class Clients(dict):
    """A test client per user (logged in unless None), made when first asked for."""

    def __missing__(self, username: str | None) -> Client:
        self[username] = client_for_username(username)
        return self[username]


def _start_pages() -> list[str]:
    """The start page and every route of the URLconf that takes no argument."""
    pages = ["/"]
    for name, entry in routes():
        if not getattr(entry.pattern, "converters", {}) and name not in NOT_WALKED:
            pages.append(reverse(name))
    return pages


def walk(username: str | None, found: Walk) -> None:
    """Add the forms on the pages `username` (None: a visitor who is not logged in) reaches from
    `_start_pages()` by following links, and the links whose query string holds an id. Of each route
    it reads PAGES_PER_ROUTE pages (and QUERIES_PER_ROUTE with a query string); while some route of
    the URLconf is not reached yet, up to SPARE_PAGES more, one more page of each route in turn (a
    closed case, an offering with participants, ... have links the first page may lack). A form
    found before (same route, method and fields) is not added again."""
    client = client_for_username(username) if username else Client()
    logout = reverse("accounts:logout")
    everything = {name for name, _ in routes()} - set(NOT_WALKED)
    per_route: dict[tuple[str, bool], int] = {}
    spare: dict[str, deque[str]] = {}
    queue = deque(dict.fromkeys(_start_pages()))
    queued = set(queue)
    budget = SPARE_PAGES
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code == 200:
            found.reached.add(route_of(urlsplit(url).path))
        if response.status_code == 302:
            targets = [response["Location"]]
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode(errors="replace")
            for form in forms_in(html):
                action = urlsplit(urljoin(url, form.action or url))
                target = route_of(action.path)
                if action.netloc not in {"", "testserver"} or action.path == logout or target is None:
                    continue
                form.action = action.path + (f"?{action.query}" if action.query else "")
                key = (target, form.method, tuple(sorted({item.name for item in form.fields})))
                if key not in found.seen:
                    found.seen.add(key)
                    found.forms.append(Found(user=username, page=url, route=target, form=form))
            targets = links_in(html)
        else:
            targets = []
        for href in targets:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                continue
            route = route_of(parts.path)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if route is None or target in queued or parts.path.startswith((logout, settings.STATIC_URL)):
                continue
            queued.add(target)
            ids = sorted({name for name, value in parse_qsl(parts.query) if value.isdigit() and name != "page"})
            if ids and ("link", route, tuple(ids)) not in found.seen:
                found.seen.add(("link", route, tuple(ids)))
                found.links.append(Link(user=username, url=target, route=route, names=ids))
            slot = (route, bool(parts.query))
            if per_route.get(slot, 0) < (QUERIES_PER_ROUTE if parts.query else PAGES_PER_ROUTE):
                per_route[slot] = per_route.get(slot, 0) + 1
                queue.append(target)
            elif not parts.query:
                spare.setdefault(route, deque()).append(target)
        if not queue and budget > 0 and everything - found.reached - {f.route for f in found.forms}:
            for route in sorted(spare):
                if spare[route] and budget > 0:
                    queue.append(spare[route].popleft())
                    budget -= 1


def one_user_per_role() -> list[str]:
    """A user of the demo for each role (what a page offers depends on the role, not on the person)."""
    users: dict[str, str] = {}
    memberships = Membership.objects.filter(revoked_at__isnull=True, user__is_active=True)
    for role, username in memberships.order_by("role", "user__username").values_list("role", "user__username"):
        users.setdefault(role, username)
    return sorted(set(users.values()))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The W13 demo (and Demo-Oost) loaded once and walked once per role, inside a transaction that
    is rolled back after the module."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, BRUGWERK_REQUIRE_2FA=False),
    ):
        call_command("demo", stdout=io.StringIO())
        found = Walk()
        for username in [None, *one_user_per_role()]:
            walk(username, found)
        yield found
        transaction.set_rollback(True)


@pytest.fixture
def walked(demo, db) -> Walk:
    return demo


# --- What a fuzzed request may change ------------------------------------------------------------------------


def _counted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.app_label not in UNCOUNTED_APPS
    }
    return sorted(tables)


def row_counts() -> dict[str, int]:
    """The number of rows of every table (but those of UNCOUNTED_APPS) in one query, and the number
    of writes the audit trail recorded (every service records its change there, updates included)."""
    tables = _counted_tables()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    counts["audited writes"] = AuditEntry.objects.filter(event__in=WRITES).count()
    return counts


def form_errors(response) -> bool:
    """Whether the page answered holds a bound form (or formset) with errors."""
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


def fuzz(client: Client, found: Found, name: str, value: str) -> str | None:
    """Send `found`'s form with `name` set to `value`; what went wrong, or None."""
    data = found.form.defaults()
    data[name] = [value]
    label = f"{found.user} {found.form.method.upper()} {found.form.action} {name}={value} (form on {found.page})"
    with transaction.atomic():
        problem = _fuzz(client, found, data, label)
        transaction.set_rollback(True)
    return problem


def _fuzz(client: Client, found: Found, data: dict, label: str) -> str | None:
    before = row_counts()
    try:
        if found.form.method == "post":
            response = client.post(found.form.action, data)
        else:
            response = client.get(found.form.action, data)
    except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception: a 500
        return f"{label}: 500 {type(error).__name__}: {error}"
    if response.status_code >= 500:
        return f"{label}: {response.status_code}"
    after = row_counts()
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    if changed:
        return f"{label}: {response.status_code}, changed {changed}"
    if found.form.method == "post" and response.status_code == 200 and not form_errors(response):
        return f"{label}: 200 without an error on the form"
    return None


# --- The tests ------------------------------------------------------------------------------------------------


def test_the_walk_finds_the_forms_of_every_app(walked):
    fuzzed = {(found.route, name) for found in walked.forms for name in found.form.fuzzable()}
    for route, name in [
        ("groups:offering_create", "organisers"), ("groups:offering_create", "partners"),
        ("groups:offering_create", "life_domains"), ("groups:offering_create", "school"),
        ("groups:offering_list", "school"), ("groups:participant_add", "cases"),
        ("cooperation:meeting_create", "pool_attendees"), ("cooperation:meeting_create", "schools"),
        ("expertise:activity_create", "co_facilitators"), ("expertise:activity_create", "topics"),
        ("learning:session_create", "themes"), ("learning:library_create", "themes"),
        ("pool:member_create", "schools"), ("cases:referral_create", "life_domains"),
    ]:
        assert (route, name) in fuzzed, (route, name)
    assert len(walked.forms) > 100 and walked.links


def test_the_walk_reaches_every_page_of_the_urlconf(walked):
    missing = {name for name, _ in routes()} - walked.reached - {found.route for found in walked.forms}
    assert missing - set(NOT_WALKED) == set(), "link these pages, or say in NOT_WALKED why the walk cannot"


def _each_fuzz(walked: Walk):
    for found in walked.forms:
        for name in found.form.fuzzable():
            for value in VALUES:
                yield found, name, value


def test_no_form_fails_or_writes_on_an_out_of_range_integer(walked):
    problems = []
    clients = Clients()
    with override_settings(BRUGWERK_REQUIRE_2FA=False):
        for found, name, value in _each_fuzz(walked):
            client = clients[found.user]
            problem = fuzz(client, found, name, value)
            if problem:
                problems.append(problem)
    assert len(list(_each_fuzz(walked))) > 300
    assert problems == [], "\n".join(problems)


def test_no_id_in_a_query_string_fails_when_out_of_range(walked):
    problems = []
    clients = Clients()
    with override_settings(BRUGWERK_REQUIRE_2FA=False):
        for link in walked.links:
            client = clients[link.user]
            parts = urlsplit(link.url)
            for name in link.names:
                for value in VALUES:
                    query = urlencode([(key, value if key == name else old) for key, old in parse_qsl(parts.query)])
                    url = f"{parts.path}?{query}"
                    with transaction.atomic():
                        try:
                            status = client.get(url).status_code
                        except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception
                            status = f"500 {type(error).__name__}: {error}"
                        transaction.set_rollback(True)
                    if status not in {200, 302, 400, 404}:
                        problems.append(f"{link.user} GET {url}: {status}")
    assert walked.links
    assert problems == [], "\n".join(problems)


def test_no_id_in_a_url_fails_when_out_of_range(walked):
    problems = []
    with override_settings(BRUGWERK_REQUIRE_2FA=False):
        for username in one_user_per_role():
            client = client_for_username(username)
            for name, entry in routes():
                converters = getattr(entry.pattern, "converters", {})
                if not any(isinstance(converter, IntConverter) for converter in converters.values()):
                    continue
                kwargs = {key: (HUGE if isinstance(c, IntConverter) else "x") for key, c in converters.items()}
                url = reverse(name, kwargs=kwargs)
                for method in ("get", "post"):
                    with transaction.atomic():
                        try:
                            status = getattr(client, method)(url).status_code
                        except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception
                            status = f"500 {type(error).__name__}: {error}"
                        transaction.set_rollback(True)
                    if status not in {302, 404, 405}:
                        problems.append(f"{username} {method.upper()} {url}: {status}")
    assert problems == [], "\n".join(problems)


def test_the_form_reader_sends_what_a_browser_sends():
    html = """<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="A &amp; B"><input type="number" name="n" value="3">
      <input type="checkbox" name="c" value="1" checked><input type="checkbox" name="c" value="2">
      <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
      <select name="s"><option value="">--</option><option value="7">7</option></select>
      <select name="m" multiple><option value="1" selected>1</option><option value="2">2</option></select>
      <textarea name="t">hi</textarea><input type="hidden" name="case" value="12">
      <input name="off" value="1" disabled><button name="step" value="x">+</button></form>
      <form><select name="q"><option>a</option><option>b</option></select></form>"""
    first, second = forms_in(html)
    assert first.method == "post" and first.action == "/x/"
    assert first.defaults() == {"csrfmiddlewaretoken": ["t"], "title": ["A & B"], "n": ["3"], "c": ["1"],
                                "r": ["b"], "s": [""], "m": ["1"], "t": ["hi"], "case": ["12"]}
    assert first.fuzzable() == ["n", "c", "s", "m", "case"]  # not the text, the radio of letters, the button
    assert second.method == "get" and second.defaults() == {"q": ["a"]}


# --- The shared fields themselves (brugwerk/core/forms.py) --------------------------------------------------


def _form_classes():
    """Every form class defined in a forms module of the project."""
    for module in pkgutil.walk_packages(brugwerk.__path__, "brugwerk."):
        if module.name.endswith(".forms") or ".forms." in module.name:
            loaded = importlib.import_module(module.name)
            for value in vars(loaded).values():
                if isinstance(value, type) and issubclass(value, BaseForm) and value.__module__ == module.name:
                    yield value


def test_every_key_field_of_every_form_is_one_that_checks_its_range():
    """Declared and model-made fields; fields a form adds when it is made are fuzzed above."""
    checked = 0
    for form_class in _form_classes():
        for name, form_field in form_class.base_fields.items():
            if isinstance(form_field, django_forms.ModelChoiceField):
                checked += 1
                assert isinstance(form_field, core.ModelChoiceField | core.ModelMultipleChoiceField), (
                    f"{form_class.__module__}.{form_class.__name__}.{name}: use brugwerk.core.forms"
                )
    assert checked > 20


@pytest.mark.django_db
@pytest.mark.parametrize("value", VALUES)
def test_a_key_out_of_range_is_an_invalid_choice_before_any_query(value, django_assert_num_queries):
    one = core.ModelChoiceField(queryset=School.objects.all())
    many = core.ModelMultipleChoiceField(queryset=School.objects.all())
    with django_assert_num_queries(0):
        with pytest.raises(ValidationError) as single:
            one.clean(value)
        with pytest.raises(ValidationError) as multiple:
            many.clean(["1", value])
    assert single.value.code == "invalid_choice" and multiple.value.code == "invalid_choice"
    with translation.override("en"):
        assert "Select a valid choice" in str(single.value) and value in str(multiple.value)


@pytest.mark.django_db
def test_keys_in_range_and_other_text_are_checked_as_django_does():
    school = f.SchoolFactory()
    many = core.ModelMultipleChoiceField(queryset=School.objects.all())
    assert list(many.clean([str(school.pk)])) == [school]
    assert core.ModelChoiceField(queryset=School.objects.all()).clean(str(school.pk)) == school
    for value in ("9223372036854775807", "abc", "1.5"):  # the largest key: a query finds nothing
        with pytest.raises(ValidationError):
            many.clean([value])
    assert not core.key_in_range(School.objects.all(), HUGE) and core.key_in_range(School.objects.all(), "12")


def test_a_model_form_makes_its_key_fields_from_brugwerk_core():
    class Form(core.ModelForm):
        class Meta:
            model = GroupOffering
            fields = ["school", "organisers"]

    assert type(Form.base_fields["school"]) is core.ModelChoiceField
    assert type(Form.base_fields["organisers"]) is core.ModelMultipleChoiceField


def test_a_formset_refuses_a_negative_number_of_forms():
    formset_class = django_forms.formset_factory(django_forms.Form, formset=core.BaseFormSet)
    refused = formset_class({"form-TOTAL_FORMS": f"-{HUGE}", "form-INITIAL_FORMS": "0"})
    assert not refused.is_valid() and refused.non_form_errors()
    assert formset_class({"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}).is_valid()
