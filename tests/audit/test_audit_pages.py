"""The audit trail pages: the coordinator reads their region's trail, the administrator its account
events only; filters, paging, "who accessed this record?" and the CSV export behind a fresh password."""

import csv
import datetime as dt
import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.core.http import SESSION_PASSWORD_CONFIRMED_AT
from tests.conftest import client_for
from tests.factories import PASSWORD

LIST = reverse("audit:entry_list")
EXPORT = reverse("audit:entry_export")
CONFIRM = reverse("accounts:confirm_password")


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def trail(world):
    """A few entries in region A (a school viewed, a failed login) and one in region B."""
    return {
        "school_view": record(
            actor=Actor(user=world.brugfiguur), event=AuditEvent.VIEW, subject=world.school
        ),
        "failed": record(
            actor=Actor(user=None, ip="10.0.0.9"),
            actor_label="bf1",
            event=AuditEvent.LOGIN_FAILED,
            subject=world.brugfiguur,
            region_id=world.region.pk,
        ),
        "foreign": record(
            actor=Actor(user=world.foreign_brugfiguur), event=AuditEvent.VIEW, subject=world.foreign_school
        ),
    }


def _seqs(response):
    return {e.seq for e in response.context["page"].object_list}


def _confirmed(client, seconds_ago=0):
    session = client.session
    session[SESSION_PASSWORD_CONFIRMED_AT] = time.time() - seconds_ago
    session.save()
    return client


def test_coordinator_reads_the_trail_of_their_region_only(world, trail):
    response = client_for(world.coordinator).get(LIST)
    assert response.status_code == 200
    seqs = _seqs(response)
    assert {trail["school_view"].seq, trail["failed"].seq} <= seqs
    assert trail["foreign"].seq not in seqs


def test_administrator_reads_only_account_events(world, trail):
    response = client_for(world.beheerder).get(LIST)
    seqs = _seqs(response)
    assert trail["failed"].seq in seqs
    assert trail["school_view"].seq not in seqs
    assert all(e.event != AuditEvent.VIEW for e in response.context["page"].object_list)
    offered = {value for value, _label in response.context["form"].fields["event"].choices}
    assert AuditEvent.LOGIN_FAILED in offered and AuditEvent.VIEW not in offered


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beleid"])
def test_audit_pages_are_not_found_for_other_roles(world, persona, trail):
    client = _confirmed(client_for(world.persona(persona)))
    assert client.get(LIST).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_reading_the_trail_is_itself_recorded(world, trail):
    client_for(world.coordinator).get(LIST, {"event": AuditEvent.VIEW})
    entry = AuditEntry.objects.filter(subject_type="audit.auditentry", event=AuditEvent.VIEW).get()
    assert entry.actor_id == world.coordinator.pk and entry.region_id == world.region.pk
    assert entry.changes["filters"] == {"event": "view"}


def test_who_accessed_this_record_lists_the_views_of_that_school(world, trail):
    other = record(actor=Actor(user=world.coordinator), event=AuditEvent.VIEW, subject=world.other_school)
    response = client_for(world.coordinator).get(
        LIST, {"subject_type": "regions.school", "subject_id": world.school.pk}
    )
    assert _seqs(response) == {trail["school_view"].seq}
    assert other.seq not in _seqs(response)
    assert str(world.brugfiguur) in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"who": "bf1"}, {"school_view", "failed"}),
        ({"event": AuditEvent.LOGIN_FAILED}, {"failed"}),
        ({"subject_type": "accounts.user"}, {"failed"}),
    ],
)
def test_filters_narrow_the_trail(world, trail, params, expected):
    seqs = _seqs(client_for(world.coordinator).get(LIST, params))
    wanted = {trail[name].seq for name in expected}
    others = {trail[name].seq for name in trail} - wanted
    assert wanted <= seqs and not (others & seqs)


def test_date_range_filter_includes_the_whole_last_day(world, trail):
    today = timezone.localdate()
    client = client_for(world.coordinator)
    assert trail["failed"].seq in _seqs(client.get(LIST, {"date_from": today, "date_to": today}))
    yesterday = today - dt.timedelta(days=1)
    assert _seqs(client.get(LIST, {"date_to": yesterday})) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"date_from": "gisteren"},
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"event": "hacked"},
        {"subject_id": "x" * 500},
        {"subject_type": "nope.nope"},
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
    ],
)
def test_bad_filters_show_an_error_not_a_crash(world, trail, params):
    response = client_for(world.coordinator).get(LIST, params)
    assert response.status_code == 200
    if set(params) != {"page"}:
        assert response.context["form"].errors


def test_trail_is_paged(world):
    actor = Actor(user=world.brugfiguur)
    for _ in range(60):
        record(actor=actor, event=AuditEvent.VIEW, subject=world.school)
    client = client_for(world.coordinator)
    schools = {"subject_type": "regions.school"}  # leaves out the entries that reading the trail adds
    first, second = client.get(LIST, schools), client.get(LIST, {**schools, "page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
    assert not _seqs(first) & _seqs(second)


def test_trail_page_runs_the_same_number_of_queries_for_more_entries(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for person in (world.brugfiguur, world.brugfiguur2, world.partner, world.schoolcontact):
        for _ in range(15):
            record(actor=Actor(user=person), event=AuditEvent.VIEW, subject=world.school)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50


# --- Export --------------------------------------------------------------------------------------


def test_export_first_asks_for_the_password(world, trail):
    response = client_for(world.coordinator).get(EXPORT, {"event": "view"})
    assert response.status_code == 302
    assert response.url.startswith(CONFIRM)
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_a_password_confirmed_more_than_ten_minutes_ago_is_not_enough(world, trail):
    client = _confirmed(client_for(world.coordinator), seconds_ago=11 * 60)
    assert client.get(EXPORT).status_code == 302
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_coordinator_exports_the_filtered_trail_after_confirming_the_password(world, trail):
    client = client_for(world.coordinator)
    next_url = f"{EXPORT}?event=view"
    response = client.post(CONFIRM, {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response.url == next_url
    response = client.get(next_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "seq"
    seqs = {int(row[0]) for row in rows[1:]}
    assert trail["school_view"].seq in seqs
    assert trail["failed"].seq not in seqs and trail["foreign"].seq not in seqs
    export = AuditEntry.objects.get(event=AuditEvent.EXPORT)
    assert export.actor_id == world.coordinator.pk and export.region_id == world.region.pk
    assert export.changes["filters"] == {"event": "view"}
    assert export.changes["rows"] == len(rows) - 1


def test_wrong_password_does_not_unlock_the_export_and_is_recorded(world, trail):
    client = client_for(world.coordinator)
    response = client.post(CONFIRM, {"password": "not-my-password", "next": EXPORT})
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert client.get(EXPORT).status_code == 302
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, actor=world.coordinator).exists()


def test_too_many_wrong_passwords_log_the_user_out(world):
    client = client_for(world.coordinator)
    for _ in range(5):
        response = client.post(CONFIRM, {"password": "not-my-password", "next": EXPORT})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert client.get(LIST).status_code == 302  # back to the login page


def test_administrator_cannot_export(world, trail):
    client = _confirmed(client_for(world.beheerder))
    assert client.get(EXPORT).status_code == 404
    assert EXPORT not in client.get(LIST).content.decode()


def test_export_cells_cannot_run_as_spreadsheet_formulas(world):
    record(
        actor=Actor(user=None),
        actor_label='=HYPERLINK("http://x")',
        event=AuditEvent.LOGIN_FAILED,
        region_id=world.region.pk,
    )
    response = _confirmed(client_for(world.coordinator)).get(EXPORT)
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in content
