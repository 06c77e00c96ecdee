"""Referrals in and their triage: who refers what, duplicates as a warning, accepting opens the case,
refusing needs a reason, queueing sets a priority, and the referrer follows the status only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, verify_chain
from brugwerk.cases.models import (
    Case,
    CaseStatus,
    ContactType,
    HelpQuestion,
    Referral,
    ReferralSource,
    ReferralStatus,
    Urgency,
    YoungPerson,
)
from brugwerk.cases.selectors import referrals_of_referrer
from brugwerk.cases.services import (
    case_close,
    contact_register,
    referral_accept,
    referral_create,
    referral_queue,
    referral_refuse,
)
from tests import factories as f
from tests import factories_cases as fc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def audited(event: AuditEvent, obj) -> bool:
    return AuditEntry.objects.filter(
        event=event, subject_type=obj._meta.label_lower, subject_id=str(obj.pk)
    ).exists()


def refer(world, user=None, **overrides):
    values = {
        "region": world.region,
        "school": world.school,
        "pupil_first_name": "Amina",
        "pupil_last_name": "El Idrissi",
        "pupil_birth_date": fc.years_ago(14),
        "reason": "Veel afwezig, moeder vraagt hulp bij schoolkosten.",
        "already_tried": "Gesprek met de leerlingbegeleider.",
        "urgency": Urgency.HIGH,
        "pupil_informed": True,
    }
    return referral_create(actor=Actor(user=user or world.schoolcontact), **(values | overrides))


def test_school_contact_refers_a_pupil_and_the_referral_is_audited(world):
    domains = [fc.LifeDomainFactory(region=world.region, name=n) for n in ("onderwijs", "financiën en inkomen")]
    created = refer(world, life_domains=domains)
    referral = created.referral
    assert referral.source == ReferralSource.SCHOOL and referral.referred_by == world.schoolcontact
    assert referral.status == ReferralStatus.RECEIVED and referral.school == world.school
    assert set(referral.life_domains.all()) == set(domains)
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="cases.referral")
    assert entry.region_id == world.region.pk and entry.changes["life_domains"] == sorted(d.pk for d in domains)
    assert created.possible_duplicates == []  # a school contact sees no young people at all
    assert verify_chain()[0]


@pytest.mark.parametrize(
    ("persona", "source"),
    [("schoolcontact", ReferralSource.SCHOOL), ("partner", ReferralSource.PARTNER),
     ("brugfiguur", ReferralSource.DIRECT), ("coordinator", ReferralSource.DIRECT)],
)
def test_the_source_follows_who_refers(world, persona, source):
    referral = refer(world, world.persona(persona), organisation=world.organisation).referral
    assert referral.source == source
    assert (referral.organisation == world.organisation) == (source == ReferralSource.PARTNER)


@pytest.mark.parametrize("persona", ["beleid", "beheerder", "foreign_coordinator"])
def test_roles_without_casework_cannot_refer(world, persona):
    with pytest.raises(PermissionDenied):
        refer(world, world.persona(persona))
    assert not Referral.objects.exists()


def test_school_contact_cannot_refer_for_another_school(world):
    with pytest.raises(PermissionDenied):
        refer(world, school=world.other_school)
    assert not Referral.objects.exists()


def test_a_referral_needs_names_and_a_reason_and_changes_nothing_otherwise(world):
    with pytest.raises(ValidationError) as raised:
        refer(world, pupil_first_name=" ", pupil_last_name="", reason="")
    assert set(raised.value.message_dict) == {"pupil_first_name", "pupil_last_name", "reason"}
    assert not Referral.objects.exists() and not AuditEntry.objects.filter(event=AuditEvent.CREATE).exists()


def test_life_domains_of_another_region_or_out_of_use_are_refused(world):
    foreign = fc.LifeDomainFactory(region=world.other_region)
    unused = fc.LifeDomainFactory(region=world.region, active=False)
    for domains in ([foreign], [unused]):
        with pytest.raises(ValidationError) as raised:
            refer(world, life_domains=domains)
        assert "life_domains" in raised.value.message_dict
    with pytest.raises(ValidationError):
        refer(world, pupil_birth_date=timezone.localdate() + datetime.timedelta(days=1))
    assert not Referral.objects.exists()


def test_possible_duplicates_are_shown_but_do_not_block(world):
    known = fc.YoungPersonFactory(region=world.region, first_name="Amina", last_name="El Idrissi",
                                  birth_date=fc.years_ago(14))
    fc.YoungPersonFactory(region=world.other_region, first_name="Amina", last_name="El Idrissi",
                          birth_date=fc.years_ago(14))
    created = refer(world, world.coordinator, pupil_first_name="amina")
    assert created.referral.pk and created.possible_duplicates == [known]


def test_accepting_opens_a_case_for_a_new_young_person_with_the_referrals_help_questions(world):
    domain = fc.LifeDomainFactory(region=world.region, name="onderwijs")
    referral = refer(world, life_domains=[domain]).referral
    case = referral_accept(actor=Actor(user=world.coordinator), referral=referral, lead=world.brugfiguur)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED and referral.case == case
    assert referral.decided_by == world.coordinator and referral.decided_at is not None
    assert case.lead == world.brugfiguur and case.status == CaseStatus.OPEN and case.school == world.school
    person = case.young_person
    assert (person.first_name, person.last_name, person.school) == ("Amina", "El Idrissi", world.school)
    [question] = HelpQuestion.objects.filter(case=case)
    assert question.life_domain == domain and question.description == referral.reason
    for obj in (person, case, question):
        assert audited(AuditEvent.CREATE, obj)
    assert audited(AuditEvent.UPDATE, referral)


def test_accepting_can_link_a_young_person_already_known(world):
    known = fc.YoungPersonFactory(region=world.region)
    referral = refer(world).referral
    case = referral_accept(actor=Actor(user=world.coordinator), referral=referral, lead=world.brugfiguur,
                           young_person=known)
    assert case.young_person == known and YoungPerson.objects.count() == 1


def test_accepting_refuses_a_young_person_with_an_open_case_and_a_lead_who_is_no_brugfiguur(world):
    busy = fc.CaseFactory(region=world.region, lead=world.brugfiguur).young_person
    referral = refer(world).referral
    actor = Actor(user=world.coordinator)
    with pytest.raises(ValidationError) as raised:
        referral_accept(actor=actor, referral=referral, lead=world.brugfiguur, young_person=busy)
    assert "young_person" in raised.value.message_dict
    for lead in (world.schoolcontact, world.foreign_brugfiguur):
        with pytest.raises(ValidationError) as raised:
            referral_accept(actor=actor, referral=referral, lead=lead)
        assert "lead" in raised.value.message_dict
    assert Case.objects.count() == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beleid", "foreign_coordinator"])
def test_only_the_coordinator_triages_by_default(world, persona):
    referral = refer(world).referral
    actor = Actor(user=world.persona(persona))
    with pytest.raises(PermissionDenied):
        referral_accept(actor=actor, referral=referral, lead=world.brugfiguur)
    with pytest.raises(PermissionDenied):
        referral_refuse(actor=actor, referral=referral, reason="Geen capaciteit.")
    with pytest.raises(PermissionDenied):
        referral_queue(actor=actor, referral=referral, priority=3)
    assert Referral.objects.get().status == ReferralStatus.RECEIVED


def test_the_brugfiguur_of_the_school_triages_when_the_region_says_so(world):
    fc.pool_serves(world)
    fc.set_casework_settings(world.region, triage_by_brugfiguur=True)
    referral = refer(world).referral
    with pytest.raises(PermissionDenied):
        referral_accept(actor=Actor(user=world.brugfiguur2), referral=referral, lead=world.brugfiguur2)
    case = referral_accept(actor=Actor(user=world.brugfiguur), referral=referral, lead=world.brugfiguur)
    assert case.lead == world.brugfiguur


def test_refusing_needs_a_reason_and_a_decision_is_taken_once(world):
    referral = refer(world).referral
    actor = Actor(user=world.coordinator)
    with pytest.raises(ValidationError) as raised:
        referral_refuse(actor=actor, referral=referral, reason="  ")
    assert "reason" in raised.value.message_dict
    referral_refuse(actor=actor, referral=referral, reason="Hoort bij het CLB.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED and referral.refusal_reason == "Hoort bij het CLB."
    assert audited(AuditEvent.UPDATE, referral)
    with pytest.raises(ValidationError):
        referral_accept(actor=actor, referral=referral, lead=world.brugfiguur)
    with pytest.raises(ValidationError):
        referral_queue(actor=actor, referral=referral, priority=1)


def test_queueing_puts_the_referral_on_the_waiting_list_with_a_valid_priority(world):
    referral = refer(world).referral
    actor = Actor(user=world.coordinator)
    for bad in (-1, 101, "3", True, None):
        with pytest.raises(ValidationError):
            referral_queue(actor=actor, referral=referral, priority=bad)
    referral_queue(actor=actor, referral=referral, priority=7)
    referral.refresh_from_db()
    assert (referral.status, referral.priority) == (ReferralStatus.WAITING, 7)
    case = referral_accept(actor=actor, referral=referral, lead=world.brugfiguur)  # from the waiting list
    assert case.pk


def test_the_referrer_follows_the_status_and_nothing_of_the_case(world):
    referral = refer(world).referral
    other_school = f.user_with_role(Role.SCHOOLCONTACT, world.region, school=world.other_school)

    def status() -> str:
        [row] = referrals_of_referrer(user=world.schoolcontact)
        assert row.pk == referral.pk and row.pupil_last_name == "El Idrissi" and row.school == world.school.name
        assert not hasattr(row, "case") and not hasattr(row, "lead")
        return row.status

    assert status() == ReferralStatus.RECEIVED
    case = referral_accept(actor=Actor(user=world.coordinator), referral=referral, lead=world.brugfiguur)
    assert status() == ReferralStatus.ASSIGNED
    contact_register(actor=Actor(user=world.brugfiguur), case=case, contact_type=ContactType.HOME_VISIT,
                     occurred_at=timezone.now())
    assert status() == ReferralStatus.IN_PROGRESS
    case_close(actor=Actor(user=world.brugfiguur), case=case, reason="goals_reached", outcome="Terug op school.",
               closing_contact={"contact_type": ContactType.CONVERSATION_AT_SCHOOL, "occurred_at": timezone.now()})
    assert status() == ReferralStatus.CLOSED
    assert referrals_of_referrer(user=other_school) == []
    assert referrals_of_referrer(user=world.brugfiguur) == []
