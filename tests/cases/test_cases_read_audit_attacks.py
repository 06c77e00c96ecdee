"""Issue 8, finding 7: every page of casework that shows the young person's name or the case's
content records the read, as the case file does.

The attack was quiet reading: the create pages of goals, actions, family members and help questions
showed the name (and the case's goals) and left no trace. Here every GET page under the cases URLs
that shows a case is opened as its lead, and a new VIEW entry naming that case or young person must
be in the trail. New entries are found by id, not by counting (the suite runs on PostgreSQL too)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.agenda.models import Appointment
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import (
    Case,
    CaseShare,
    CaseStatus,
    CloseReason,
    Consent,
    FamilyMember,
    Goal,
    HelpQuestion,
    Referral,
    ReferralOut,
    YoungPerson,
)
from tests import factories_cases as fc
from tests.conftest import client_for


@pytest.fixture
def records(world):
    return fc.full_case(world)


def case_page(name: str) -> Callable[[dict], str]:
    return lambda r: reverse(f"cases:{name}", args=[r[Case].pk])


def record_page(name: str, model: type) -> Callable[[dict], str]:
    return lambda r: reverse(f"cases:{name}", args=[r[model].pk])


# Every GET page of casework that shows a case: (url for the records, a subject the entry may name
# besides the case and the young person).
PAGES: dict[str, tuple[Callable[[dict], str], type | None]] = {
    "case_detail": (case_page("case_detail"), None),
    "young_person_update": (case_page("young_person_update"), None),
    "family_member_create": (case_page("family_member_create"), None),
    "family_member_update": (record_page("family_member_update", FamilyMember), None),
    "help_question_create": (case_page("help_question_create"), None),
    "help_question_update": (record_page("help_question_update", HelpQuestion), None),
    "goal_create": (case_page("goal_create"), None),
    "goal_update": (record_page("goal_update", Goal), None),
    "action_create": (case_page("action_create"), None),
    "contact_create": (case_page("contact_create"), None),
    "consent_create": (case_page("consent_create"), None),
    "consent_withdraw": (record_page("consent_withdraw", Consent), None),
    "referral_out_create": (case_page("referral_out_create"), None),
    "referral_out_detail": (record_page("referral_out_detail", ReferralOut), None),
    "handover_export": (case_page("handover_export"), None),
    "case_assign": (case_page("case_assign"), None),
    "case_transfer": (case_page("case_transfer"), None),
    "case_share": (case_page("case_share"), None),
    "case_share_revoke": (record_page("case_share_revoke", CaseShare), None),
    "case_close": (case_page("case_close"), None),
    "referral_detail": (record_page("referral_detail", Referral), Referral),
    "appointment_update": (lambda r: reverse("agenda:appointment_update", args=[r[Appointment].pk]), None),
    "appointment_create_for_the_case": (lambda r: reverse("agenda:appointment_create") + f"?case={r[Case].pk}", None),
}


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def names_the_case(entry: AuditEntry, records: dict, also: type | None = None) -> bool:
    case, person = records[Case], records[YoungPerson]
    subjects = {("cases.case", str(case.pk)), ("cases.youngperson", str(person.pk))}
    if also is not None:
        subjects.add((also._meta.label_lower, str(records[also].pk)))
    changes = entry.changes or {}
    return (
        (entry.subject_type, entry.subject_id) in subjects
        or changes.get("case") == case.pk
        or case.pk in (changes.get("cases") or [])
    )


def assert_read_recorded(client, url: str, records: dict, also: type | None = None, *, who) -> None:
    before = last_id()
    response = client.get(url)
    assert response.status_code == 200, url
    if not url.endswith("/overdracht/"):  # the handover page shows the case's consents, not the name
        assert records[YoungPerson].first_name in response.content.decode(), url
    views = AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW, actor=who)
    assert any(names_the_case(entry, records, also) for entry in views), f"{url} left no trace of the read"
    assert all(entry.region_id == records[Case].region_id for entry in views)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_case_page_records_the_read_of_the_lead(world, records, page):
    url, also = PAGES[page]
    assert_read_recorded(client_for(world.brugfiguur), url(records), records, also, who=world.brugfiguur)


def test_the_reopen_page_records_the_read(world, records):
    case = records[Case]
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=timezone.localdate(), close_reason=CloseReason.GOALS_REACHED
    )
    url = reverse("cases:case_reopen", args=[case.pk])
    assert_read_recorded(client_for(world.brugfiguur), url, records, who=world.brugfiguur)


@pytest.mark.parametrize("name", ["goal_create", "action_create", "family_member_create", "help_question_create"])
def test_a_create_page_shown_again_with_errors_records_the_read_too(world, records, name):
    client = client_for(world.brugfiguur)
    before = last_id()
    response = client.post(reverse(f"cases:{name}", args=[records[Case].pk]), {"description": " "})
    assert response.status_code == 200 and response.context["form"].errors
    views = AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW, actor=world.brugfiguur)
    assert any(names_the_case(entry, records) for entry in views)


@pytest.mark.parametrize("name", ["goal_create", "action_create", "family_member_create", "help_question_create"])
def test_an_outsider_gets_404_and_no_read_is_recorded_for_them(world, records, name):
    before = last_id()
    response = client_for(world.brugfiguur2).get(reverse(f"cases:{name}", args=[records[Case].pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW).exists()
