"""The lifecycle pages of a case: another lead, a change of school within the region (the case moves
with the pupil, the old school loses sight), sharing with a co-guide or stand-in and revoking it,
closing with a reason, an outcome and a closing contact (then read-only), and reopening. Who may use
each page, Dutch errors that change nothing, and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.access import Action, can
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import (
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    CloseReason,
    ContactMoment,
    ContactType,
    ReferralStatus,
    ShareKind,
)
from brugwerk.cases.selectors import referrals_of_referrer
from tests import factories_cases as fc
from tests.conftest import client_for

OUTSIDERS = ["brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator",
             "foreign_brugfiguur"]
MANAGING_PAGES = ["case_assign", "case_transfer", "case_share"]


@pytest.fixture
def case(world) -> Case:
    return fc.full_case(world)[Case]


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.pk])


def file_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def now_fields() -> dict[str, str]:
    moment = timezone.localtime() - datetime.timedelta(minutes=5)
    return {"occurred_on": moment.strftime("%Y-%m-%d"), "occurred_time": moment.strftime("%H:%M")}


def close_data(**values) -> dict[str, str]:
    data = {"reason": CloseReason.GOALS_REACHED, "outcome": "Gaat weer elke dag naar school.",
            "contact_type": ContactType.CONVERSATION_AT_SCHOOL, **now_fields(), "duration": "30",
            "with_whom": ["young_person"], "note": "Afsluitend gesprek.", "note_visibility": "shared"}
    return data | values


def close(case: Case, user) -> None:
    response = client_for(user).post(url("case_close", case), close_data())
    assert response.status_code == 302, response.context and response.context["form"].errors
    case.refresh_from_db()


def audited(event: str, subject_type: str, pk: int) -> bool:
    return AuditEntry.objects.filter(event=event, subject_type=subject_type, subject_id=str(pk)).exists()


# --- Who may use which page -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [*MANAGING_PAGES, "case_close"])
@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator"])
def test_the_lead_and_the_coordinator_use_the_pages_of_an_open_case(world, case, name, persona):
    response = client_for(world.persona(persona)).get(url(name, case))
    assert response.status_code == 200
    assert "Yasmine" in response.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.case",
                                     subject_id=str(case.pk)).exists()


@pytest.mark.parametrize("name", [*MANAGING_PAGES, "case_close", "case_reopen"])
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(world, case, name, persona):
    client = client_for(world.persona(persona))
    assert client.get(url(name, case)).status_code == 404
    data = close_data(lead=world.brugfiguur2.pk, to_school=world.other_school.pk, note="x", user=world.brugfiguur2.pk,
                      kind=ShareKind.CO_GUIDANCE, starts_on=timezone.localdate().isoformat())
    assert client.post(url(name, case), data).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.lead, case.school) == (CaseStatus.OPEN, world.brugfiguur, world.school)
    assert not CaseShare.objects.filter(user=world.brugfiguur2).exists()


@pytest.mark.parametrize("name", MANAGING_PAGES)
def test_a_sharer_does_not_manage_the_case(world, case, name):
    fc.CaseShareFactory(case=case, user=world.brugfiguur2, granted_by=world.brugfiguur)
    assert client_for(world.brugfiguur2).get(url(name, case)).status_code == 404


def test_a_sharer_may_close_the_open_case_they_guide(world, case):
    fc.CaseShareFactory(case=case, user=world.brugfiguur2, granted_by=world.brugfiguur)
    close(case, world.brugfiguur2)
    assert case.status == CaseStatus.CLOSED


# --- Another lead ---------------------------------------------------------------------------------


def test_the_coordinator_assigns_another_lead(world, case):
    client = client_for(world.coordinator)
    form = client.get(url("case_assign", case)).context["form"]
    assert list(form.fields["lead"].queryset) == [world.brugfiguur2]  # the pool, without the current lead
    response = client.post(url("case_assign", case), {"lead": world.brugfiguur2.pk, "note": "Verlof van An."})
    assert response.status_code == 302 and response.url == file_url(case)
    case.refresh_from_db()
    assert case.lead == world.brugfiguur2
    transfer = CaseTransfer.objects.filter(case=case).latest("pk")
    assert (transfer.from_lead, transfer.to_lead, transfer.note) == (world.brugfiguur, world.brugfiguur2,
                                                                    "Verlof van An.")
    assert audited(AuditEvent.CREATE, "cases.casetransfer", transfer.pk)
    assert audited(AuditEvent.UPDATE, "cases.case", case.pk)


def test_assigning_without_a_lead_shows_a_dutch_error(world, case):
    response = client_for(world.coordinator).post(url("case_assign", case), {"lead": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    case.refresh_from_db()
    assert case.lead == world.brugfiguur


# --- Change of school -----------------------------------------------------------------------------


def test_a_change_of_school_moves_the_case_to_the_brugfiguur_of_the_new_school(world, case):
    fc.pool_serves(world)
    client = client_for(world.brugfiguur)
    schools = client.get(url("case_transfer", case)).context["form"].fields["to_school"]
    assert list(schools.queryset) == [world.other_school]
    assert str(world.brugfiguur2) in schools.label_from_instance(world.other_school)
    response = client.post(url("case_transfer", case), {"to_school": world.other_school.pk,
                                                        "note": "Warme overdracht: moeder spreekt Frans."})
    # The lead handed the case over and no longer sees it: back to their cases, not to a 404.
    assert response.status_code == 302 and response.url == reverse("cases:case_list")
    case.refresh_from_db()
    assert (case.school, case.lead, case.status) == (world.other_school, world.brugfiguur2, CaseStatus.OPEN)
    transfer = CaseTransfer.objects.get(case=case, to_school=world.other_school)
    assert transfer.note.startswith("Warme overdracht") and audited(AuditEvent.CREATE, "cases.casetransfer",
                                                                    transfer.pk)
    # The new brugfiguur sees it, the old one no longer; the old school sees its referral closed.
    assert can(world.brugfiguur2, Action.VIEW, case) and not can(world.brugfiguur, Action.VIEW, case)
    assert client_for(world.brugfiguur2).get(url("case_close", case)).status_code == 200
    assert client.get(url("case_close", case)).status_code == 404
    rows = referrals_of_referrer(user=world.schoolcontact)
    assert [row.status for row in rows] == [ReferralStatus.CLOSED]
    assert not can(world.schoolcontact, Action.VIEW, case)


def test_a_change_of_school_needs_a_handover_note_and_a_lead_when_nobody_serves_the_school(world, case):
    client = client_for(world.coordinator)
    response = client.post(url("case_transfer", case), {"to_school": world.other_school.pk, "note": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    response = client.post(url("case_transfer", case), {"to_school": world.other_school.pk, "note": "Verhuisd."})
    assert response.status_code == 200
    assert "Geen enkele brugfiguur ondersteunt deze school" in response.content.decode()
    case.refresh_from_db()
    assert (case.school, case.lead) == (world.school, world.brugfiguur)
    assert not CaseTransfer.objects.filter(case=case, to_school=world.other_school).exists()
    response = client.post(url("case_transfer", case), {"to_school": world.other_school.pk, "note": "Verhuisd.",
                                                         "to_lead": world.brugfiguur2.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.school, case.lead) == (world.other_school, world.brugfiguur2)


def test_a_school_of_another_region_cannot_be_chosen(world, case):
    response = client_for(world.brugfiguur).post(url("case_transfer", case),
                                                 {"to_school": world.foreign_school.pk, "note": "Verhuisd."})
    assert response.status_code == 200 and response.context["form"].errors["to_school"]
    case.refresh_from_db()
    assert case.school == world.school


# --- Sharing --------------------------------------------------------------------------------------


def test_sharing_and_revoking_are_dated_and_in_the_audit_trail(world, case):
    client = client_for(world.brugfiguur)
    today = timezone.localdate()
    response = client.post(url("case_share", case), {
        "user": world.brugfiguur2.pk, "kind": ShareKind.STAND_IN, "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=14)).isoformat()})
    assert response.status_code == 302 and response.url == file_url(case)
    share = CaseShare.objects.get(user=world.brugfiguur2)
    assert (share.kind, share.starts_on, share.granted_by) == (ShareKind.STAND_IN, today, world.brugfiguur)
    assert audited(AuditEvent.CREATE, "cases.caseshare", share.pk)
    assert client_for(world.brugfiguur2).get(reverse("cases:contact_create", args=[case.pk])).status_code == 200

    page = client.get(url("case_share", case))
    assert share in page.context["shares"] and page.context["shares"][-1].can_revoke
    assert reverse("cases:case_share_revoke", args=[share.pk]) in page.content.decode()
    revoke = reverse("cases:case_share_revoke", args=[share.pk])
    confirm = client.get(revoke)  # the case file links here: asked to confirm, nothing changed yet
    assert confirm.status_code == 200 and str(world.brugfiguur2) in confirm.content.decode()
    assert client_for(world.brugfiguur2).get(revoke).status_code == 404  # a sharer does not revoke
    assert client_for(world.brugfiguur2).post(revoke).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None
    response = client.post(revoke)
    assert response.status_code == 302 and response.url == file_url(case)
    share.refresh_from_db()
    assert share.revoked_at is not None and audited(AuditEvent.UPDATE, "cases.caseshare", share.pk)
    assert not can(world.brugfiguur2, Action.VIEW, case)
    again = client.post(revoke, follow=True)
    assert "al beëindigd" in again.content.decode()


def test_a_stand_in_without_an_end_date_shows_a_dutch_error(world, case):
    response = client_for(world.coordinator).post(url("case_share", case), {
        "user": world.brugfiguur2.pk, "kind": ShareKind.STAND_IN, "starts_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Een vervanging geldt voor een periode" in response.content.decode()
    assert not CaseShare.objects.filter(user=world.brugfiguur2).exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_revoke_a_share(world, case, persona):  # the coordinator and the lead can (above)
    share = CaseShare.objects.get(case=case)  # the colleague of full_case
    revoke = reverse("cases:case_share_revoke", args=[share.pk])
    assert client_for(world.persona(persona)).get(revoke).status_code == 404
    assert client_for(world.persona(persona)).post(revoke).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


# --- Closing and reopening ------------------------------------------------------------------------


def test_closing_needs_a_reason_and_changes_nothing_without_one(world, case):
    contacts = ContactMoment.objects.count()
    for values in ({"reason": ""}, {"outcome": ""}, {"reason": "bored"}):
        response = client_for(world.brugfiguur).post(url("case_close", case), close_data(**values))
        assert response.status_code == 200 and response.context["form"].errors
        assert "Dit veld is verplicht." in response.content.decode() or "geldige keuze" in response.content.decode()
    response = client_for(world.brugfiguur).post(
        url("case_close", case), close_data(occurred_on="2999-01-01"))
    assert response.status_code == 200 and "toekomst" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and ContactMoment.objects.count() == contacts


def test_closing_registers_the_closing_contact_and_makes_the_case_read_only(world, case):
    close(case, world.brugfiguur)
    assert (case.status, case.close_reason, case.outcome) == (CaseStatus.CLOSED, CloseReason.GOALS_REACHED,
                                                             "Gaat weer elke dag naar school.")
    closing = ContactMoment.objects.filter(case=case).latest("created_at")
    assert (closing.contact_type, closing.duration_minutes, closing.note) == (
        ContactType.CONVERSATION_AT_SCHOOL, 30, "Afsluitend gesprek.")
    assert audited(AuditEvent.UPDATE, "cases.case", case.pk)
    client = client_for(world.brugfiguur)
    before = ContactMoment.objects.count()
    for name in ("contact_create", *MANAGING_PAGES, "case_close"):
        response = client.post(url(name, case), close_data(lead=world.brugfiguur2.pk), follow=True)
        assert response.redirect_chain[0][0] == file_url(case), name
        assert "Heropen het eerst" in response.content.decode(), name
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.lead == world.brugfiguur
    assert ContactMoment.objects.count() == before


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator"])
def test_reopening_is_explicit_with_a_reason(world, case, persona):
    close(case, world.brugfiguur)
    client = client_for(world.persona(persona))
    assert client.get(url("case_reopen", case)).status_code == 200
    response = client.post(url("case_reopen", case), {"reason": "  "})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    response = client.post(url("case_reopen", case), {"reason": "Nieuwe vraag van moeder."})
    assert response.status_code == 302 and response.url == file_url(case)
    case.refresh_from_db()
    assert (case.status, case.reopened_count) == (CaseStatus.OPEN, 1)
    entry = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.case").first()
    assert entry.changes["reopen_reason"] == "Nieuwe vraag van moeder."
    assert client_for(world.brugfiguur).get(reverse("cases:contact_create", args=[case.pk])).status_code == 200


def test_a_sharer_cannot_reopen_and_an_open_case_is_not_reopened(world, case):
    response = client_for(world.brugfiguur).get(url("case_reopen", case), follow=True)
    assert response.redirect_chain[0][0] == file_url(case) and "al open" in response.content.decode()
    fc.CaseShareFactory(case=case, user=world.brugfiguur2, granted_by=world.brugfiguur)
    close(case, world.brugfiguur)
    assert client_for(world.brugfiguur2).post(url("case_reopen", case), {"reason": "Toch"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_coordinator_revokes_a_share_of_a_closed_case_too(world, case):
    close(case, world.brugfiguur)
    share = CaseShare.objects.get(case=case)
    response = client_for(world.coordinator).post(reverse("cases:case_share_revoke", args=[share.pk]))
    assert response.status_code == 302 and response.url == file_url(case)
    share.refresh_from_db()
    assert share.revoked_at is not None and audited(AuditEvent.UPDATE, "cases.caseshare", share.pk)
