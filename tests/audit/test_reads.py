"""Audit of reads by construction (issue 9): the selectors record the reads, a page writes one entry
per record it shows, and only when it is shown. New entries are found by id, not by counting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brugwerk.audit.context import Page, current_page
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.reads import _flush, record_list_read, record_read
from brugwerk.audit.services import Actor, record
from brugwerk.cases.models import Case, Consent, FamilyMember, Goal, YoungPerson
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.learning import make_session


@pytest.fixture
def records(world):
    return fc.full_case(world)


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def views_since(before: int, who=None):
    entries = AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW).order_by("pk")
    return list(entries.filter(actor=who) if who is not None else entries)


def subjects(entries) -> list[tuple[str, str, str]]:
    return [(e.subject_type, e.subject_id, e.subject_label if not e.subject_id else "") for e in entries]


# --- The mechanism ------------------------------------------------------------------------------------------


def test_outside_a_request_a_read_is_written_at_once(world, records):
    before = last_id()
    record_read(user=world.brugfiguur, subject=records[Case], details={"page": "shell"})
    (entry,) = views_since(before)
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        world.brugfiguur.pk, "cases.case", str(records[Case].pk))
    assert entry.changes == {"page": "shell"} and entry.region_id == records[Case].region_id


def test_a_page_writes_one_entry_per_record_with_the_details_of_every_read(world, rf, records):
    case = records[Case]
    page = Page(rf.get("/"))
    token = current_page.set(page)
    try:
        before = last_id()
        record_read(user=world.brugfiguur, subject=case, details={"page": "x", "cases": [1]})
        record_read(user=world.brugfiguur, subject=case, details={"consent": 7, "cases": [1, 2]})
        record_list_read(user=world.brugfiguur, model=Case, region_id=case.region_id, label="L", details={"cases": [1]})
        record_list_read(user=world.brugfiguur, model=Case, region_id=case.region_id, label="L", details={"cases": [3]})
        assert views_since(before) == []  # nothing is written before the page is shown
        _flush(page)
    finally:
        current_page.reset(token)
    one, listed = views_since(before)
    assert (one.subject_id, one.changes) == (str(case.pk), {"page": "x", "cases": [1, 2], "consent": 7})
    assert (listed.subject_id, listed.subject_label, listed.changes) == ("", "L", {"cases": [1, 3]})


def test_the_read_of_a_case_gives_way_to_the_read_of_its_record_that_names_it(world, rf, records):
    page = Page(rf.get("/"))
    token = current_page.set(page)
    try:
        before = last_id()
        record_read(user=world.brugfiguur, subject=records[Case], details={"page": "goal_update"})
        record_read(user=world.brugfiguur, subject=records[Goal], details={"case": records[Case].pk})
        _flush(page)
    finally:
        current_page.reset(token)
    assert subjects(views_since(before)) == [("cases.goal", str(records[Goal].pk), "")]


# --- Pages: written when shown, once ------------------------------------------------------------------------


def test_a_form_that_saves_and_redirects_leaves_no_read(world, records):
    before = last_id()
    response = client_for(world.brugfiguur).post(
        reverse("cases:goal_create", args=[records[Case].pk]),
        {"description": "Elke dag naar school", "start_date": "2025-01-06", "status": "planned"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.CREATE).exists()
    assert views_since(before) == []


def test_a_refused_page_leaves_no_read(world, records):
    before = last_id()
    response = client_for(world.brugfiguur2).get(reverse("cases:goal_update", args=[records[Goal].pk]))
    assert response.status_code == 404
    assert views_since(before) == []


# Pages that read a case and one of its records, or one record twice: one entry each, naming the case.
ONE_ENTRY = {
    "case_detail": (lambda r: reverse("cases:case_detail", args=[r[Case].pk]), ("cases.case", Case)),
    "young_person_update": (
        lambda r: reverse("cases:young_person_update", args=[r[Case].pk]), ("cases.youngperson", YoungPerson)),
    "goal_update": (lambda r: reverse("cases:goal_update", args=[r[Goal].pk]), ("cases.goal", Goal)),
    "family_member_update": (
        lambda r: reverse("cases:family_member_update", args=[r[FamilyMember].pk]),
        ("cases.familymember", FamilyMember),
    ),
    "consent_withdraw": (lambda r: reverse("cases:consent_withdraw", args=[r[Consent].pk]), ("cases.consent", Consent)),
    "goal_create": (lambda r: reverse("cases:goal_create", args=[r[Case].pk]), ("cases.case", Case)),
}


@pytest.mark.parametrize("name", list(ONE_ENTRY))
def test_a_page_writes_exactly_one_entry_of_what_it_shows(world, records, name):
    url, (label, model) = ONE_ENTRY[name]
    before = last_id()
    response = client_for(world.brugfiguur).get(url(records))
    assert response.status_code == 200
    entries = views_since(before, world.brugfiguur)
    assert subjects(entries) == [(label, str(records[model].pk), "")]
    if model is not Case:
        assert entries[0].changes["case"] == records[Case].pk
    if name not in {"case_detail", "consent_withdraw"}:  # as before issue 9: these entries name no page
        assert entries[0].changes["page"] == name


def test_the_consent_withdraw_page_names_the_case_and_the_referrals_under_it_in_one_entry(world, records):
    consent = records[Consent]
    before = last_id()
    client_for(world.brugfiguur).get(reverse("cases:consent_withdraw", args=[consent.pk]))
    (entry,) = views_since(before, world.brugfiguur)
    referrals = list(consent.referrals_out.values_list("pk", flat=True)) if hasattr(consent, "referrals_out") else None
    assert entry.changes["case"] == records[Case].pk and "referrals_out" in entry.changes
    if referrals is not None:
        assert sorted(entry.changes["referrals_out"]) == sorted(referrals)


def test_a_record_the_page_exported_gets_no_second_entry(world, rf, records):
    """The handover summary: its service writes an export of the case, so the page's read of the
    case is not written again."""
    page = Page(rf.get("/"))
    token = current_page.set(page)
    try:
        before = last_id()
        record_read(user=world.brugfiguur, subject=records[Case], details={"page": "handover_export"})
        record(actor=Actor(user=world.brugfiguur), event=AuditEvent.EXPORT, subject=records[Case])
        _flush(page)
    finally:
        current_page.reset(token)
    entries = AuditEntry.objects.filter(pk__gt=before)
    assert [e.event for e in entries] == [AuditEvent.EXPORT]


def test_the_handover_page_without_a_summary_records_one_read(world, records):
    before = last_id()
    response = client_for(world.brugfiguur).get(reverse("cases:handover_export", args=[records[Case].pk]))
    assert response.status_code == 200
    (entry,) = views_since(before, world.brugfiguur)
    assert (entry.subject_id, entry.changes) == (str(records[Case].pk), {"page": "handover_export"})


# --- The known misses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["goal_create", "action_create", "family_member_create", "help_question_create"])
def test_the_create_pages_of_the_case_file_record_the_read_of_the_case(world, records, name):
    before = last_id()
    response = client_for(world.brugfiguur).get(reverse(f"cases:{name}", args=[records[Case].pk]))
    assert records[YoungPerson].first_name in response.content.decode()
    (entry,) = views_since(before, world.brugfiguur)
    assert (entry.subject_type, entry.subject_id) == ("cases.case", str(records[Case].pk))
    assert entry.changes == {"page": name}


def test_the_learning_session_list_records_the_sessions_and_participants_it_shows(world):
    people = [world.brugfiguur, world.brugfiguur2]
    shown = make_session(world.region, recorded_by=world.coordinator, participants=people)
    before = last_id()
    response = client_for(world.coordinator).get(reverse("learning:session_list"))
    assert world.brugfiguur2.get_full_name() in response.content.decode()
    (entry,) = views_since(before, world.coordinator)
    assert (entry.subject_type, entry.subject_id) == ("learning.learningsession", "")
    assert entry.changes == {"sessions": [shown.pk], "participants": sorted(p.pk for p in people)}
