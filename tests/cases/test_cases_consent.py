"""Consent and what leaves a case: consent per organisation and purpose, from the young person from
age 12 or else a parent; referrals out share only what the consent covers, as a snapshot; the
partner acknowledges and gives feedback; withdrawing consent stops all sharing at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from brugwerk.access import Action, can, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    FeedbackStatus,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
)
from brugwerk.cases.selectors import case_timeline, partner_referral_get, partner_referrals
from brugwerk.cases.services import (
    case_handover_export,
    consent_record,
    consent_withdraw,
    referral_feedback_give,
    referral_out_acknowledge,
    referral_out_send,
    young_person_update,
)
from tests import factories as f
from tests import factories_cases as fc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def case(world) -> Case:
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                          young_person__first_name="Youssef", young_person__last_name="Benali",
                          young_person__school=world.school, young_person__phone="0470 11 22 33")
    fc.FamilyMemberFactory(young_person=case.young_person)
    fc.HelpQuestionFactory(case=case)
    return case


def record_consent(world, case, **overrides) -> Consent:
    values = {
        "case": case, "organisation": world.organisation, "purpose": ConsentPurpose.REFERRAL,
        "shared_fields": ["first_name", "last_name", "school", "help_questions"],
        "given_by": ConsentGiver.YOUNG_PERSON, "given_on": timezone.localdate(), "method": "verbal",
    }
    return consent_record(actor=Actor(user=world.brugfiguur), **(values | overrides))


def send(world, case, consent, fields=("first_name", "school"), **overrides) -> ReferralOut:
    values = {"case": case, "organisation": world.organisation, "contact_point": world.contact_point,
              "question": "Kan het JAC Youssef begeleiden bij het zoeken naar een studentenjob?",
              "consent": consent, "shared_fields": list(fields)}
    return referral_out_send(actor=Actor(user=world.brugfiguur), **(values | overrides))


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- Who may consent ----------------------------------------------------------------------------


def test_a_young_person_of_twelve_or_older_consents_for_themselves(world, case):
    case.young_person.birth_date = fc.years_ago(12)  # twelve today
    case.young_person.save()
    consent = record_consent(world, case)
    assert consent.given_by_name == "Youssef Benali" and consent.shared_fields == [
        "first_name", "last_name", "school", "help_questions"]
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="cases.consent")
    assert entry.changes["purpose"] == "referral" and entry.changes["organisation"] == world.organisation.pk


def test_for_a_child_under_twelve_a_parent_must_consent(world, case):
    case.young_person.birth_date = fc.years_ago(12, days=-1)  # turns twelve tomorrow
    case.young_person.save()
    with pytest.raises(ValidationError) as raised:
        record_consent(world, case)
    [message] = raised.value.message_dict["given_by"]
    assert "under 12" in message and "parent or guardian" in message
    with pytest.raises(ValidationError) as raised:
        record_consent(world, case, given_by=ConsentGiver.PARENT)
    assert "given_by_name" in raised.value.message_dict
    consent = record_consent(world, case, given_by=ConsentGiver.PARENT, given_by_name="Fatima Benali")
    assert consent.given_by == ConsentGiver.PARENT
    assert Consent.objects.count() == 1


def test_without_a_birth_date_the_young_person_is_not_presumed_able(world, case):
    case.young_person.birth_date = None
    case.young_person.save()
    with pytest.raises(ValidationError) as raised:
        record_consent(world, case)
    assert "date of birth" in raised.value.message_dict["given_by"][0]
    assert record_consent(world, case, given_by=ConsentGiver.GUARDIAN, given_by_name="Voogd").pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"shared_fields": []}, "shared_fields"),
        ({"shared_fields": ["first_name", "medical_file"]}, "shared_fields"),
        ({"purpose": "marketing"}, "purpose"),
        ({"method": "telepathy"}, "method"),
        ({"given_on": timezone.localdate() + datetime.timedelta(days=1)}, "given_on"),
    ],
)
def test_a_consent_must_be_complete_and_within_the_vocabulary(world, case, overrides, field):
    with pytest.raises(ValidationError) as raised:
        record_consent(world, case, **overrides)
    assert field in raised.value.message_dict
    assert not Consent.objects.exists()


def test_a_consent_is_for_an_organisation_of_the_region(world, case):
    with pytest.raises(ValidationError) as raised:
        record_consent(world, case, organisation=world.foreign_organisation)
    assert "organisation" in raised.value.message_dict


# --- Referring out ------------------------------------------------------------------------------


def test_a_referral_out_shares_a_snapshot_of_exactly_the_chosen_fields(world, case):
    referral = send(world, case, record_consent(world, case), fields=["school", "first_name", "help_questions"])
    assert referral.shared_fields == ["first_name", "school", "help_questions"]
    assert set(referral.shared_snapshot) == {"first_name", "school", "help_questions"}
    assert referral.shared_snapshot["first_name"] == "Youssef"
    assert referral.shared_snapshot["school"] == world.school.name
    assert referral.shared_snapshot["help_questions"][0]["description"]
    assert "last_name" not in str(referral.shared_snapshot) and "Benali" not in str(referral.shared_snapshot)
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.referralout",
                                     subject_id=str(referral.pk)).exists()
    # The partner sees what was shared when it was sent, not later changes.
    young_person_update(actor=Actor(user=world.brugfiguur), young_person=case.young_person,
                        values={"first_name": "Youssouf"})
    [row] = partner_referrals(user=world.partner)
    assert row.shared == {"first_name": "Youssef", "school": world.school.name,
                          "help_questions": referral.shared_snapshot["help_questions"]}
    assert row.contact_point == "An Contact" and row.question.startswith("Kan het JAC")


def test_a_referral_out_refuses_fields_the_consent_does_not_cover(world, case):
    consent = record_consent(world, case, shared_fields=["first_name", "school"])
    with pytest.raises(ValidationError) as raised:
        send(world, case, consent, fields=["first_name", "contact_details", "family"])
    [message] = raised.value.message_dict["shared_fields"]
    assert "contact details" in message and "family and network" in message and "first name" not in message
    assert not ReferralOut.objects.exists()


@pytest.mark.parametrize("problem", ["other_purpose", "other_organisation", "other_case", "withdrawn",
                                     "contact_point_elsewhere"])
def test_a_referral_out_needs_a_standing_consent_for_this_organisation_and_purpose(world, case, problem):
    other_org = f.PartnerOrganisationFactory(region=world.region, name="OCMW Kortrijk")
    consent = record_consent(world, case)
    overrides = {}
    if problem == "other_purpose":
        consent = record_consent(world, case, purpose=ConsentPurpose.INFORMATION_EXCHANGE)
    elif problem == "other_organisation":
        consent = record_consent(world, case, organisation=other_org)
    elif problem == "other_case":
        other = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
        consent = record_consent(world, other)
    elif problem == "withdrawn":
        consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    else:
        overrides["contact_point"] = f.ContactPointFactory(organisation=other_org, school=world.school)
    with pytest.raises(ValidationError):
        send(world, case, consent, **overrides)
    assert not ReferralOut.objects.exists()


def test_only_the_guidance_team_refers_out(world, case):
    consent = record_consent(world, case)
    for persona in ("brugfiguur2", "coordinator", "partner", "schoolcontact"):
        with pytest.raises(PermissionDenied):
            referral_out_send(actor=Actor(user=world.persona(persona)), case=case, organisation=world.organisation,
                              question="?", consent=consent, shared_fields=["first_name"])


# --- The partner's side -------------------------------------------------------------------------


def test_the_partner_acknowledges_and_gives_feedback(world, case):
    referral = send(world, case, record_consent(world, case))
    partner = Actor(user=world.partner)
    with pytest.raises(PermissionDenied):
        referral_out_acknowledge(actor=Actor(user=world.brugfiguur), referral_out=referral)
    referral_out_acknowledge(actor=partner, referral_out=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.ACKNOWLEDGED and referral.acknowledged_by == world.partner
    with pytest.raises(ValidationError):
        referral_out_acknowledge(actor=partner, referral_out=referral)
    with pytest.raises(ValidationError) as raised:
        referral_feedback_give(actor=partner, referral_out=referral, status=FeedbackStatus.NOT_POSSIBLE)
    assert "note" in raised.value.message_dict
    feedback = referral_feedback_give(actor=partner, referral_out=referral, status=FeedbackStatus.WAITING_LIST,
                                      note="Wachtlijst tot maart.")
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.WAITING_LIST and referral.last_feedback_at == feedback.given_at
    referral_feedback_give(actor=partner, referral_out=referral, status=FeedbackStatus.ENDED, note="Afgerond.")
    with pytest.raises(ValidationError):
        referral_feedback_give(actor=partner, referral_out=referral, status=FeedbackStatus.STARTED)
    for event, kind in ((AuditEvent.CREATE, "cases.referralfeedback"), (AuditEvent.UPDATE, "cases.referralout")):
        assert AuditEntry.objects.filter(event=event, subject_type=kind).exists()
    [row] = partner_referrals(user=world.partner)
    assert [fb.note for fb in row.feedback] == ["Wachtlijst tot maart.", "Afgerond."]
    kinds = [item.kind for item in case_timeline(user=world.brugfiguur, case=case)]
    assert kinds.count("feedback") == 2 and "referral_out" in kinds


def test_feedback_without_acknowledgement_counts_as_one(world, case):
    referral = send(world, case, record_consent(world, case))
    referral_feedback_give(actor=Actor(user=world.partner), referral_out=referral, status=FeedbackStatus.STARTED)
    referral.refresh_from_db()
    assert referral.acknowledged_by == world.partner and referral.status == ReferralOutStatus.STARTED


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "coordinator", "schoolcontact", "beleid"])
def test_only_the_receiving_partner_gives_feedback(world, case, persona):
    referral = send(world, case, record_consent(world, case))
    with pytest.raises(PermissionDenied):
        referral_feedback_give(actor=Actor(user=world.persona(persona)), referral_out=referral,
                               status=FeedbackStatus.STARTED)
    other_partner = f.user_with_role(Role.PARTNER, world.region, organisation=f.PartnerOrganisationFactory(
        region=world.region))
    with pytest.raises(PermissionDenied):
        referral_feedback_give(actor=Actor(user=other_partner), referral_out=referral, status=FeedbackStatus.STARTED)
    assert not ReferralFeedback.objects.exists()


# --- Withdrawing consent ------------------------------------------------------------------------


def test_withdrawing_consent_stops_sharing_at_once(world, case):
    consent = record_consent(world, case)
    referral = send(world, case, consent)
    assert partner_referral_get(user=world.partner, referral_out_id=referral.pk).shared["first_name"] == "Youssef"
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    partner = fresh(world.partner)
    # The partner no longer sees the referral nor what was shared under the consent ...
    assert partner_referrals(user=partner) == []
    with pytest.raises(Http404):
        partner_referral_get(user=partner, referral_out_id=referral.pk)
    assert not can(partner, Action.VIEW, referral)
    assert not scope(partner, ReferralOut).exists() and not scope(partner, ReferralFeedback).exists()
    # ... cannot act on it ...
    with pytest.raises(PermissionDenied):
        referral_out_acknowledge(actor=Actor(user=partner), referral_out=referral)
    with pytest.raises(PermissionDenied):
        referral_feedback_give(actor=Actor(user=partner), referral_out=referral, status=FeedbackStatus.STARTED)
    # ... and nothing new can be sent under it.
    with pytest.raises(ValidationError) as raised:
        send(world, case, consent)
    assert "withdrawn" in raised.value.message_dict["consent"][0]
    # The guidance team keeps its record of what was shared, and the withdrawal is on the timeline.
    assert can(world.brugfiguur, Action.VIEW, referral)
    assert "consent_withdrawn" in [item.kind for item in case_timeline(user=world.brugfiguur, case=case)]
    entry = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.consent").get()
    assert entry.changes["withdrawn_by"]["new"] == world.brugfiguur.pk


def test_withdrawing_applies_only_to_that_consent(world, case):
    first = record_consent(world, case)
    second = record_consent(world, case, shared_fields=["first_name"])
    kept = send(world, case, second, fields=["first_name"])
    send(world, case, first)
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=first)
    assert [row.pk for row in partner_referrals(user=fresh(world.partner))] == [kept.pk]


def test_consent_can_be_withdrawn_after_the_case_closed_but_only_once(world, case):
    consent = record_consent(world, case)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=Actor(user=world.brugfiguur2), consent=consent)
    consent_withdraw(actor=Actor(user=world.coordinator), consent=consent)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)


# --- The handover summary -----------------------------------------------------------------------


def test_the_handover_summary_holds_only_what_a_standing_consent_covers(world, case):
    referral_consent = record_consent(world, case)
    with pytest.raises(ValidationError):  # a consent for referral is not one for a handover summary
        case_handover_export(actor=Actor(user=world.brugfiguur), case=case, consent=referral_consent)
    consent = record_consent(world, case, purpose=ConsentPurpose.HANDOVER_SUMMARY,
                             shared_fields=["first_name", "summary"])
    with pytest.raises(PermissionDenied):
        case_handover_export(actor=Actor(user=world.brugfiguur2), case=case, consent=consent)
    summary = case_handover_export(actor=Actor(user=world.brugfiguur), case=case, consent=consent)
    assert set(summary["fields"]) == {"first_name", "summary"}
    assert summary["fields"]["summary"]["bridge_figure"] == str(world.brugfiguur)
    entry = AuditEntry.objects.get(event=AuditEvent.EXPORT)
    assert entry.changes == {"handover_summary": ["first_name", "summary"], "consent": consent.pk}
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    with pytest.raises(ValidationError):
        case_handover_export(actor=Actor(user=world.coordinator), case=case, consent=consent)
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORT).count() == 1
