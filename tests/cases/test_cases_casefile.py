"""The case file and its course: help questions, goals, actions and family written by the guidance
team; closing with a reason, an outcome and a closing contact; closed cases read-only; reopening;
sharing with dates; another lead; pupil mobility. Every write leaves an audit entry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.access import Action, can
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, verify_chain
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    CloseReason,
    Consent,
    ContactMoment,
    ContactType,
    FamilyMember,
    Goal,
    GoalStatus,
    HelpQuestion,
    Referral,
    ReferralStatus,
    ShareKind,
)
from brugwerk.cases.selectors import referrals_of_referrer
from brugwerk.cases.services import (
    action_add,
    action_complete,
    case_assign_lead,
    case_close,
    case_reopen,
    case_share_grant,
    case_share_revoke,
    case_transfer,
    consent_record,
    contact_register,
    family_member_add,
    family_member_update,
    goal_add,
    goal_update,
    help_question_add,
    help_question_update,
    young_person_update,
)
from tests import factories as f
from tests import factories_cases as fc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def records(world):
    return fc.full_case(world)


def audited(event: AuditEvent, obj) -> bool:
    return AuditEntry.objects.filter(
        event=event, subject_type=obj._meta.label_lower, subject_id=str(obj.pk)
    ).exists()


def fresh(user: User) -> User:
    """The user read again, so the policy reads their roles and shares afresh."""
    return User.objects.get(pk=user.pk)


def closing_contact(**overrides):
    return {"contact_type": ContactType.CONVERSATION_AT_SCHOOL, "occurred_at": timezone.now(),
            "duration_minutes": 30, "with_whom": ["young_person"], "note": "Afsluitend gesprek."} | overrides


def content_writes(world, records):
    """Every way to add to or change a case's content, each as a function of the actor."""
    case, goal = records[Case], records[Goal]
    domain = records[HelpQuestion].life_domain
    return {
        "help_question_add": lambda a: help_question_add(actor=a, case=case, life_domain=domain, description="Werk"),
        "help_question_update": lambda a: help_question_update(
            actor=a, help_question=records[HelpQuestion], values={"status": "answered"}),
        "goal_add": lambda a: goal_add(actor=a, case=case, description="Diploma halen"),
        "goal_update": lambda a: goal_update(actor=a, goal=goal, values={"status": GoalStatus.REACHED}),
        "action_add": lambda a: action_add(actor=a, case=case, description="Bellen", owner_label="jongere"),
        "action_complete": lambda a: action_complete(actor=a, action=records[AgreedAction]),
        "family_member_add": lambda a: family_member_add(
            actor=a, young_person=case.young_person, values={"relation": "father", "name": "Karim"}),
        "family_member_update": lambda a: family_member_update(
            actor=a, member=records[FamilyMember], values={"needs_interpreter": False}),
        "contact_register": lambda a: contact_register(
            actor=a, case=case, contact_type=ContactType.HOME_VISIT, occurred_at=timezone.now()),
        "consent_record": lambda a: consent_record(
            actor=a, case=case, organisation=world.organisation, purpose="referral", shared_fields=["first_name"],
            given_by="young_person", given_on=timezone.localdate(), method="verbal"),
    }


WRITES = ["help_question_add", "help_question_update", "goal_add", "goal_update", "action_add", "action_complete",
          "family_member_add", "family_member_update", "contact_register", "consent_record"]


@pytest.mark.parametrize("write", WRITES)
def test_the_lead_writes_the_case_content_with_an_audit_entry(world, records, write):
    before = AuditEntry.objects.count()
    obj = content_writes(world, records)[write](Actor(user=world.brugfiguur))
    assert audited(AuditEvent.UPDATE if write.endswith(("_update", "_complete")) else AuditEvent.CREATE, obj)
    assert AuditEntry.objects.count() > before
    assert verify_chain()[0]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", ["brugfiguur2", "coordinator", "schoolcontact", "partner", "beleid",
                                     "beheerder", "foreign_brugfiguur"])
def test_nobody_outside_the_guidance_team_writes_the_case_content(world, records, write, persona):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        content_writes(world, records)[write](Actor(user=world.persona(persona)))
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("write", WRITES)
def test_a_closed_case_is_read_only(world, records, write):
    Case.objects.filter(pk=records[Case].pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    records[Case].refresh_from_db()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        content_writes(world, records)[write](Actor(user=world.brugfiguur))
    assert "closed" in " ".join(raised.value.messages)
    assert AuditEntry.objects.count() == before


def test_a_stand_in_writes_during_their_period(world, records):
    case_share_grant(actor=Actor(user=world.coordinator), case=records[Case], user=world.brugfiguur2,
                     kind=ShareKind.STAND_IN, ends_on=timezone.localdate() + datetime.timedelta(days=14))
    goal = goal_add(actor=Actor(user=fresh(world.brugfiguur2)), case=records[Case], description="Stage zoeken")
    assert goal.pk


def test_goal_and_action_validation(world, records):
    actor = Actor(user=world.brugfiguur)
    case = records[Case]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        goal_add(actor=actor, case=case, description="", start_date=today, target_date=today - datetime.timedelta(1))
    assert {"description", "target_date"} <= set(raised.value.message_dict)
    other_goal = fc.GoalFactory(case=fc.CaseFactory(region=world.region, lead=world.brugfiguur))
    with pytest.raises(ValidationError) as raised:
        action_add(actor=actor, case=case, description="Bellen", goal=other_goal)
    assert {"goal", "owner_label"} <= set(raised.value.message_dict)
    with pytest.raises(ValidationError) as raised:
        action_add(actor=actor, case=case, description="Bellen", owner_user=world.foreign_brugfiguur)
    assert "owner_user" in raised.value.message_dict
    action = action_add(actor=actor, case=case, description="Bellen", owner_user=world.schoolcontact,
                        goal=records[Goal], due_date=today)
    action_complete(actor=actor, action=action)
    with pytest.raises(ValidationError):
        action_complete(actor=actor, action=action)
    with pytest.raises(ValidationError) as raised:
        help_question_add(actor=actor, case=case, life_domain=fc.LifeDomainFactory(region=world.other_region),
                          description="Wonen")
    assert "life_domain" in raised.value.message_dict


def test_young_person_is_changed_by_the_team_and_the_coordinator(world, records):
    person = records[Case].young_person
    young_person_update(actor=Actor(user=world.brugfiguur), young_person=person, values={"phone": "0499 12 34 56"})
    young_person_update(actor=Actor(user=world.coordinator), young_person=person, values={"last_name": "Peeters"})
    person.refresh_from_db()
    assert (person.phone, person.last_name) == ("0499 12 34 56", "Peeters")
    with pytest.raises(PermissionDenied):
        young_person_update(actor=Actor(user=world.brugfiguur2), young_person=person, values={"phone": "1"})
    with pytest.raises(ValidationError) as raised:
        young_person_update(actor=Actor(user=world.brugfiguur), young_person=person,
                            values={"grade": 9, "school": world.foreign_school})
    assert {"grade", "school"} <= set(raised.value.message_dict)
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.youngperson").count() == 2


# --- Closing and reopening ----------------------------------------------------------------------


def test_closing_needs_a_reason_an_outcome_and_a_valid_closing_contact(world, records):
    case, actor = records[Case], Actor(user=world.brugfiguur)
    contacts = ContactMoment.objects.count()
    for reason, outcome, contact in (
        ("", "Goed.", closing_contact()),
        ("goals_reached", " ", closing_contact()),
        ("goals_reached", "Goed.", closing_contact(contact_type="telepathy")),
        ("goals_reached", "Goed.", closing_contact(occurred_at=timezone.now() + datetime.timedelta(days=2))),
    ):
        with pytest.raises(ValidationError):
            case_close(actor=actor, case=case, reason=reason, outcome=outcome, closing_contact=contact)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and ContactMoment.objects.count() == contacts


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator"])
def test_closing_registers_the_closing_contact_and_closes_the_referral(world, records, persona):
    case = case_close(actor=Actor(user=world.persona(persona)), case=records[Case],
                      reason=CloseReason.QUALIFICATION, outcome="Diploma behaald.", closing_contact=closing_contact())
    assert (case.status, case.close_reason, case.closed_on) == (CaseStatus.CLOSED, "qualification",
                                                                timezone.localdate())
    closing = ContactMoment.objects.filter(case=case).latest("created_at")
    assert closing.note == "Afsluitend gesprek." and closing.brugfiguur == world.persona(persona)
    assert audited(AuditEvent.CREATE, closing) and audited(AuditEvent.UPDATE, case)
    assert Referral.objects.get(case=case).status == ReferralStatus.CLOSED


def test_a_sharer_or_outsider_cannot_reopen_but_the_lead_and_coordinator_can(world, records):
    case = records[Case]
    fc.CaseShareFactory(case=case, user=world.brugfiguur2)
    case_close(actor=Actor(user=world.brugfiguur), case=case, reason="no_longer_wanted", outcome="Stopt.",
               closing_contact=closing_contact())
    for persona in ("brugfiguur2", "schoolcontact", "foreign_coordinator"):
        with pytest.raises(PermissionDenied):
            case_reopen(actor=Actor(user=world.persona(persona)), case=case, reason="Nieuwe vraag")
    with pytest.raises(ValidationError):
        case_reopen(actor=Actor(user=world.brugfiguur), case=case, reason="")
    reopened = case_reopen(actor=Actor(user=world.brugfiguur), case=case, reason="Nieuwe vraag van moeder")
    assert (reopened.status, reopened.reopened_count, reopened.closed_on, reopened.close_reason) == (
        CaseStatus.OPEN, 1, None, "")
    entry = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.case").first()
    assert entry.changes["reopen_reason"] == "Nieuwe vraag van moeder"
    assert Referral.objects.get(case=case).status == ReferralStatus.IN_PROGRESS
    assert goal_add(actor=Actor(user=world.brugfiguur), case=reopened, description="Verder").pk  # writable again
    with pytest.raises(ValidationError):
        case_reopen(actor=Actor(user=world.coordinator), case=reopened, reason="Nog eens")
    case_close(actor=Actor(user=world.coordinator), case=reopened, reason="goals_reached", outcome="Klaar.",
               closing_contact=closing_contact())
    assert case_reopen(actor=Actor(user=world.coordinator), case=reopened, reason="Toch").reopened_count == 2


def test_reopening_is_refused_while_the_young_person_has_another_open_case(world, records):
    case = records[Case]
    case_close(actor=Actor(user=world.brugfiguur), case=case, reason="goals_reached", outcome="Klaar.",
               closing_contact=closing_contact())
    fc.CaseFactory(region=world.region, young_person=case.young_person, lead=world.brugfiguur2)
    with pytest.raises(ValidationError):
        case_reopen(actor=Actor(user=world.brugfiguur), case=case, reason="Nieuwe vraag")


# --- Sharing ------------------------------------------------------------------------------------


def test_sharing_is_explicit_dated_and_audited_and_revoking_ends_access(world, records):
    case, actor = records[Case], Actor(user=world.brugfiguur)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        case_share_grant(actor=actor, case=case, user=world.brugfiguur2, kind=ShareKind.STAND_IN)
    assert "ends_on" in raised.value.message_dict
    for user in (world.schoolcontact, world.foreign_brugfiguur, world.brugfiguur):
        with pytest.raises(ValidationError) as raised:
            case_share_grant(actor=actor, case=case, user=user, kind=ShareKind.CO_GUIDANCE)
        assert "user" in raised.value.message_dict
    share = case_share_grant(actor=actor, case=case, user=world.brugfiguur2, kind=ShareKind.CO_GUIDANCE)
    assert audited(AuditEvent.CREATE, share)
    assert can(fresh(world.brugfiguur2), Action.VIEW, case)
    with pytest.raises(ValidationError):  # already shared for this period
        case_share_grant(actor=actor, case=case, user=world.brugfiguur2, kind=ShareKind.STAND_IN,
                         starts_on=today + datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=5))
    with pytest.raises(PermissionDenied):  # a sharer does not share further
        case_share_grant(actor=Actor(user=fresh(world.brugfiguur2)), case=case,
                         user=f.user_with_role(Role.BRUGFIGUUR, world.region), kind=ShareKind.CO_GUIDANCE)
    with pytest.raises(PermissionDenied):
        case_share_revoke(actor=Actor(user=fresh(world.brugfiguur2)), share=share)
    case_share_revoke(actor=actor, share=share)
    share.refresh_from_db()
    assert share.revoked_at is not None and audited(AuditEvent.UPDATE, share)
    assert not can(fresh(world.brugfiguur2), Action.VIEW, case)
    with pytest.raises(PermissionDenied):  # once revoked it is no longer theirs to see
        case_share_revoke(actor=Actor(user=fresh(world.brugfiguur2)), share=share)
    with pytest.raises(ValidationError):
        case_share_revoke(actor=actor, share=share)


def test_a_future_stand_in_is_recorded_now_and_works_only_from_its_first_day(world, records):
    today = timezone.localdate()
    share = case_share_grant(actor=Actor(user=world.coordinator), case=records[Case], user=world.brugfiguur2,
                             kind=ShareKind.STAND_IN, starts_on=today + datetime.timedelta(days=7),
                             ends_on=today + datetime.timedelta(days=21))
    assert not can(fresh(world.brugfiguur2), Action.VIEW, records[Case])
    assert share.is_active_on(today + datetime.timedelta(days=7))
    assert not share.is_active_on(today + datetime.timedelta(days=22))


# --- Another lead, another school ---------------------------------------------------------------


def test_the_coordinator_assigns_another_lead_recorded_as_a_transfer(world, records):
    case = records[Case]
    with pytest.raises(PermissionDenied):
        case_assign_lead(actor=Actor(user=world.brugfiguur2), case=case, lead=world.brugfiguur2)
    with pytest.raises(ValidationError):
        case_assign_lead(actor=Actor(user=world.coordinator), case=case, lead=world.brugfiguur)
    case_assign_lead(actor=Actor(user=world.coordinator), case=case, lead=world.brugfiguur2, note="Verlof")
    case.refresh_from_db()
    assert case.lead == world.brugfiguur2
    transfer = CaseTransfer.objects.filter(case=case).latest("transferred_at")
    assert (transfer.from_lead, transfer.to_lead, transfer.to_school) == (world.brugfiguur, world.brugfiguur2,
                                                                          world.school)
    assert audited(AuditEvent.CREATE, transfer) and audited(AuditEvent.UPDATE, case)
    assert not can(fresh(world.brugfiguur), Action.VIEW, case)


def test_pupil_changing_school_moves_the_case_to_the_brugfiguur_of_the_new_school(world, records):
    fc.pool_serves(world)
    case = records[Case]
    with pytest.raises(ValidationError) as raised:
        case_transfer(actor=Actor(user=world.brugfiguur), case=case, to_school=world.other_school, note="")
    assert "note" in raised.value.message_dict
    with pytest.raises(PermissionDenied):
        case_transfer(actor=Actor(user=world.brugfiguur2), case=case, to_school=world.other_school, note="x")
    case_transfer(actor=Actor(user=world.brugfiguur), case=case, to_school=world.other_school,
                  note="Warme overdracht: moeder spreekt Arabisch, tolk nodig.")
    case.refresh_from_db()
    assert (case.lead, case.school, case.status) == (world.brugfiguur2, world.other_school, CaseStatus.OPEN)
    assert case.young_person.school == world.other_school
    transfer = CaseTransfer.objects.filter(case=case, to_school=world.other_school).get()
    assert transfer.from_school == world.school and transfer.note.startswith("Warme overdracht")
    assert audited(AuditEvent.CREATE, transfer) and audited(AuditEvent.UPDATE, case)
    assert audited(AuditEvent.UPDATE, case.young_person)
    assert can(fresh(world.brugfiguur2), Action.VIEW, case)
    assert not can(fresh(world.brugfiguur), Action.VIEW, case)
    # The old school's referral shows as closed to its school contact, who never saw the case.
    [row] = referrals_of_referrer(user=world.schoolcontact)
    assert row.status == ReferralStatus.CLOSED
    assert not can(world.schoolcontact, Action.VIEW, case)


def test_a_transfer_needs_a_lead_when_no_single_brugfiguur_serves_the_new_school(world, records):
    case = records[Case]
    actor = Actor(user=world.coordinator)
    with pytest.raises(ValidationError) as raised:  # nobody serves the other school yet
        case_transfer(actor=actor, case=case, to_school=world.other_school, note="Verhuisd")
    assert "to_lead" in raised.value.message_dict
    for user in (world.brugfiguur, world.brugfiguur2):
        from brugwerk.pool.models import PoolMember

        PoolMember.objects.get(user=user).schools.add(world.other_school)
    with pytest.raises(ValidationError) as raised:  # now two do
        case_transfer(actor=actor, case=case, to_school=world.other_school, note="Verhuisd")
    assert "several" in " ".join(raised.value.messages).lower()
    with pytest.raises(ValidationError):
        case_transfer(actor=actor, case=case, to_school=world.foreign_school, note="Verhuisd")
    case_transfer(actor=actor, case=case, to_school=world.other_school, to_lead=world.brugfiguur2, note="Verhuisd")
    case.refresh_from_db()
    assert case.lead == world.brugfiguur2


def test_leaving_the_region_closes_the_case_as_moved_away(world, records):
    case = case_transfer(actor=Actor(user=world.brugfiguur), case=records[Case], to_school=None,
                         note="Verhuisd naar Gent.")
    assert (case.status, case.close_reason, case.outcome) == (CaseStatus.CLOSED, CloseReason.MOVED_AWAY,
                                                              "Verhuisd naar Gent.")
    transfer = CaseTransfer.objects.get(case=case, to_school__isnull=True)
    assert transfer.to_lead is None and audited(AuditEvent.CREATE, transfer)
    assert Referral.objects.get(case=case).status == ReferralStatus.CLOSED
    with pytest.raises(ValidationError):
        goal_add(actor=Actor(user=world.brugfiguur), case=case, description="Nog iets")


def test_every_write_of_a_whole_trajectory_is_in_the_audit_trail(world, records):
    """Count: one entry per record written, none missing."""
    actor = Actor(user=world.brugfiguur)
    case = records[Case]
    start = AuditEntry.objects.count()
    goal = goal_add(actor=actor, case=case, description="A")
    goal_update(actor=actor, goal=goal, values={"status": GoalStatus.IN_PROGRESS})
    consent = consent_record(actor=actor, case=case, organisation=world.organisation, purpose="referral",
                             shared_fields=["first_name"], given_by="young_person", given_on=timezone.localdate(),
                             method="written")
    contact_register(actor=actor, case=case, contact_type=ContactType.PHONE_MESSAGE_EMAIL, occurred_at=timezone.now())
    case_close(actor=actor, case=case, reason="goals_reached", outcome="Klaar.", closing_contact=closing_contact())
    entries = AuditEntry.objects.filter(seq__gt=start).values_list("event", "subject_type")
    assert (AuditEvent.CREATE, "cases.goal") in entries and (AuditEvent.UPDATE, "cases.goal") in entries
    assert (AuditEvent.CREATE, "cases.consent") in entries
    assert list(entries).count((AuditEvent.CREATE, "cases.contactmoment")) == 2
    assert (AuditEvent.UPDATE, "cases.case") in entries and (AuditEvent.UPDATE, "cases.referral") in entries
    assert Consent.objects.get(pk=consent.pk).recorded_by == world.brugfiguur
    assert Goal.objects.filter(case=case).count() == 2
    assert not CaseShare.objects.filter(case=case, user=world.brugfiguur).exists()
