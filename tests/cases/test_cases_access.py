"""Record-level access to casework, beyond the role matrix of tests/access/test_access_matrix.py: the lead
and those a case is shared with (on the share's dates only), the referrer, the brugfiguur serving a
school when the region lets them triage, the partner of the receiving organisation, private notes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from brugwerk.access import Action, can, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.agenda.models import Appointment, PresenceDay
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    Consent,
    ContactMoment,
    FamilyMember,
    Goal,
    HelpQuestion,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralSource,
    ShareKind,
    YoungPerson,
)
from brugwerk.cases.selectors import contact_note_visible, contacts_visible_to, partner_referrals
from tests import factories as f
from tests import factories_cases as fc

CASE_CONTENT = [YoungPerson, FamilyMember, Case, CaseShare, HelpQuestion, Goal, AgreedAction, ContactMoment,
                Consent, ReferralOut, ReferralFeedback, CaseTransfer]


def sees(user, obj) -> bool:
    """can() and scope() agree, and say whether `user` sees `obj`."""
    allowed = can(user, Action.VIEW, obj)
    in_scope = scope(user, type(obj)).filter(pk=obj.pk).exists()
    assert allowed == in_scope, f"can() and scope() disagree on {obj!r} for {user}"
    return allowed


def changes(user, obj) -> bool:
    allowed = can(user, Action.CHANGE, obj)
    assert allowed == scope(user, type(obj), Action.CHANGE).filter(pk=obj.pk).exists()
    return allowed


def fresh(user: User) -> User:
    """The user read again, so the policy reads their roles afresh."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def records(world):
    return fc.full_case(world)


@pytest.mark.parametrize("model", CASE_CONTENT, ids=lambda m: m.__name__)
def test_lead_sees_every_record_of_their_case(world, records, model):
    assert sees(world.brugfiguur, records[model])
    assert sees(world.coordinator, records[model])


@pytest.mark.parametrize("model", CASE_CONTENT, ids=lambda m: m.__name__)
def test_another_brugfiguur_sees_nothing_of_a_case_not_shared_with_them(world, records, model):
    assert not sees(world.brugfiguur2, records[model])
    assert not changes(world.brugfiguur2, records[model])


@pytest.mark.parametrize("model", [Goal, HelpQuestion, AgreedAction, FamilyMember, YoungPerson])
def test_lead_changes_content_of_an_open_case_and_the_coordinator_only_reads_it(world, records, model):
    assert changes(world.brugfiguur, records[model])
    assert can(world.brugfiguur, Action.CREATE, Goal(case=records[Case]))
    coordinator_changes = changes(world.coordinator, records[model])
    assert coordinator_changes == (model is YoungPerson)  # the coordinator corrects identities only
    assert not can(world.coordinator, Action.CREATE, Goal(case=records[Case]))


@pytest.mark.parametrize(
    ("starts", "ends", "revoked", "in_force"),
    [
        (0, None, False, True),  # from today, open-ended
        (-3, 3, False, True),  # within its dates
        (-3, 0, False, True),  # its last day is today
        (1, 5, False, False),  # not started yet
        (-10, -1, False, False),  # over
        (-3, None, True, False),  # revoked
    ],
    ids=["from-today", "within", "last-day", "future", "over", "revoked"],
)
@pytest.mark.parametrize("kind", [ShareKind.STAND_IN, ShareKind.CO_GUIDANCE])
def test_a_share_gives_access_only_while_in_force(world, records, kind, starts, ends, revoked, in_force):
    today = timezone.localdate()
    share = fc.CaseShareFactory(
        case=records[Case], user=world.brugfiguur2, kind=kind, starts_on=today + datetime.timedelta(days=starts),
        ends_on=None if ends is None else today + datetime.timedelta(days=ends),
        revoked_at=timezone.now() if revoked else None,
    )
    for model in (Case, Goal, ContactMoment, YoungPerson, FamilyMember, Consent, ReferralOut):
        assert sees(world.brugfiguur2, records[model]) == in_force, model
    assert changes(world.brugfiguur2, records[Case]) == in_force
    assert changes(world.brugfiguur2, records[Goal]) == in_force
    assert can(world.brugfiguur2, Action.CREATE, Goal(case=records[Case])) == in_force
    assert sees(world.brugfiguur2, share) == in_force


def test_sharer_writes_only_while_the_case_is_open_and_the_lead_may_still_reopen_it(world, records):
    fc.CaseShareFactory(case=records[Case], user=world.brugfiguur2)
    Case.objects.filter(pk=records[Case].pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    case = Case.objects.get(pk=records[Case].pk)
    assert sees(world.brugfiguur2, case)
    assert not changes(world.brugfiguur2, case)
    assert not changes(world.brugfiguur2, records[Goal])
    assert changes(world.brugfiguur, case)  # reopening
    assert not changes(world.brugfiguur, records[Goal])  # but the content is read-only
    assert changes(world.coordinator, case)


def test_only_the_lead_and_the_coordinator_share_or_transfer_a_case(world, records):
    case = records[Case]
    fc.CaseShareFactory(case=case, user=world.brugfiguur2)
    for who, allowed in ((world.brugfiguur, True), (world.coordinator, True), (world.brugfiguur2, False)):
        assert can(who, Action.CREATE, CaseShare(case=case)) == allowed
        assert can(who, Action.CREATE, CaseTransfer(case=case)) == allowed
        assert changes(who, records[CaseShare]) == allowed


def test_brugfiguur_whose_role_is_revoked_loses_their_cases(world, records):
    Membership.objects.filter(user=world.brugfiguur).update(revoked_at=timezone.now())
    former = fresh(world.brugfiguur)
    for model in CASE_CONTENT:
        assert not sees(former, records[model]), model


@pytest.mark.parametrize("model", [m for m in CASE_CONTENT if m is not Referral])
def test_school_contact_never_sees_case_content_even_of_their_own_referral(world, records, model):
    assert records[Referral].referred_by == world.schoolcontact
    assert not sees(world.schoolcontact, records[model])
    assert sees(world.schoolcontact, records[Referral])


@pytest.mark.parametrize("persona", ["beleid", "beheerder"])
@pytest.mark.parametrize("model", [*CASE_CONTENT, Referral, Appointment, PresenceDay], ids=lambda m: m.__name__)
def test_beleid_and_beheerder_see_none_of_it(world, records, persona, model):
    user = world.persona(persona)
    assert not scope(user, model).exists()
    assert not can(user, Action.CREATE, model, region=world.region)


@pytest.mark.parametrize("persona", ["foreign_coordinator", "foreign_brugfiguur"])
def test_nothing_crosses_regions(world, records, persona):
    user = world.persona(persona)
    for model, obj in records.items():
        assert not sees(user, obj), model
        assert not can(user, Action.CREATE, model, region=world.region)


def test_partner_sees_only_referrals_to_their_organisation_and_only_the_consented_snapshot(world, records):
    other_org = f.PartnerOrganisationFactory(region=world.region, name="OCMW Kortrijk")
    other_partner = f.user_with_role(Role.PARTNER, world.region, organisation=other_org)
    referral_out = records[ReferralOut]
    assert sees(world.partner, referral_out) and changes(world.partner, referral_out)
    assert sees(world.partner, records[ReferralFeedback])
    assert not sees(other_partner, referral_out) and not changes(other_partner, referral_out)
    for model in (Case, YoungPerson, FamilyMember, Consent, ContactMoment, Goal, HelpQuestion, Referral):
        assert not sees(world.partner, records[model]), model
    [row] = partner_referrals(user=world.partner)
    assert row.pk == referral_out.pk
    assert set(row.shared) == set(referral_out.shared_fields) == {"first_name", "school"}
    assert partner_referrals(user=other_partner) == []


def test_referral_is_seen_by_its_referrer_their_school_the_coordinator_and_the_lead(world):
    fc.pool_serves(world)
    colleague = f.user_with_role(Role.SCHOOLCONTACT, world.region, school=world.school)
    other_school_contact = f.user_with_role(Role.SCHOOLCONTACT, world.region, school=world.other_school)
    referral = fc.ReferralFactory(region=world.region, school=world.school, referred_by=world.schoolcontact)
    assert sees(world.schoolcontact, referral)
    assert sees(colleague, referral)  # the school's referrals, whoever of the school sent them
    assert not sees(other_school_contact, referral)
    assert sees(world.coordinator, referral)
    assert not sees(world.brugfiguur, referral)  # the coordinator triages in this region
    assert not sees(world.partner, referral)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, school=world.school)
    Referral.objects.filter(pk=referral.pk).update(case=case)
    assert sees(world.brugfiguur2, Referral.objects.get(pk=referral.pk))


def test_a_partners_own_referral_in_is_theirs_but_not_their_colleagues(world):
    referral = fc.ReferralFactory(region=world.region, source=ReferralSource.PARTNER, organisation=world.organisation,
                                  referred_by=world.partner)
    colleague = f.user_with_role(Role.PARTNER, world.region, organisation=world.organisation)
    assert sees(world.partner, referral)
    assert not sees(colleague, referral)


@pytest.mark.parametrize("triage_by_brugfiguur", [False, True])
def test_brugfiguur_of_the_school_triages_only_where_the_region_says_so(world, triage_by_brugfiguur):
    fc.pool_serves(world)
    fc.set_casework_settings(world.region, triage_by_brugfiguur=triage_by_brugfiguur)
    referral = fc.ReferralFactory(region=world.region, school=world.school, referred_by=world.schoolcontact)
    assert sees(world.brugfiguur, referral) == triage_by_brugfiguur
    assert changes(world.brugfiguur, referral) == triage_by_brugfiguur
    assert not sees(world.brugfiguur2, referral)  # serves another school
    assert not changes(world.brugfiguur2, referral)
    assert changes(world.coordinator, referral)
    assert not changes(world.schoolcontact, referral)


def test_referrals_are_created_only_for_ones_own_school_or_organisation(world):
    other_org = f.PartnerOrganisationFactory(region=world.region)
    assert can(world.schoolcontact, Action.CREATE, Referral(region=world.region, school=world.school))
    assert not can(world.schoolcontact, Action.CREATE, Referral(region=world.region, school=world.other_school))
    assert can(world.partner, Action.CREATE, Referral(region=world.region, organisation=world.organisation))
    assert not can(world.partner, Action.CREATE, Referral(region=world.region, organisation=other_org))
    assert can(world.brugfiguur, Action.CREATE, Referral(region=world.region))
    assert not can(world.beleid, Action.CREATE, Referral(region=world.region, school=world.school))


def test_low_threshold_contact_is_seen_by_its_brugfiguur_and_the_coordinator_only(world):
    contact = fc.ContactMomentFactory(case=None, region=world.region, brugfiguur=world.brugfiguur, first_name="Sara")
    assert sees(world.brugfiguur, contact) and changes(world.brugfiguur, contact)
    assert sees(world.coordinator, contact) and not changes(world.coordinator, contact)
    for persona in ("brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"):
        assert not sees(world.persona(persona), contact), persona


def test_private_note_is_readable_by_its_author_only(world, records):
    case = records[Case]
    fc.CaseShareFactory(case=case, user=world.brugfiguur2)
    private = fc.ContactMomentFactory(case=case, note="Vertrouwelijk: vader drinkt.", note_private=True)
    shared = fc.ContactMomentFactory(case=case, brugfiguur=world.brugfiguur2, note="Gedeelde notitie.")
    assert contact_note_visible(user=world.brugfiguur, contact=private)
    for reader in (world.brugfiguur2, world.coordinator):
        assert sees(reader, private)  # the contact itself is part of the case ...
        assert not contact_note_visible(user=reader, contact=private)  # ... its private note is not
        assert contact_note_visible(user=reader, contact=shared)
        notes = {c.pk: c.visible_note for c in contacts_visible_to(user=reader, region=world.region, case=case)}
        assert notes[private.pk] == "" and notes[shared.pk] == "Gedeelde notitie."
    mine = {c.pk: c.visible_note for c in contacts_visible_to(user=world.brugfiguur, region=world.region)}
    assert mine[private.pk] == "Vertrouwelijk: vader drinkt."
    assert not contact_note_visible(user=world.foreign_coordinator, contact=shared)


def test_appointments_are_ones_own_and_the_coordinator_sees_all(world):
    mine = fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur)
    assert sees(world.brugfiguur, mine) and changes(world.brugfiguur, mine)
    assert can(world.brugfiguur, Action.DELETE, mine)
    assert not sees(world.brugfiguur2, mine) and not changes(world.brugfiguur2, mine)
    assert sees(world.coordinator, mine) and changes(world.coordinator, mine)
    assert not sees(world.schoolcontact, mine)


def test_school_contact_sees_presence_days_at_their_school_only(world):
    here = fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school)
    elsewhere = fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.other_school)
    assert sees(world.schoolcontact, here) and not changes(world.schoolcontact, here)
    assert not sees(world.schoolcontact, elsewhere)
    assert not sees(world.brugfiguur2, here)
    assert not sees(world.partner, here)


def test_life_domains_are_read_by_every_role_and_kept_by_the_managers(world):
    domain = fc.LifeDomainFactory(region=world.region)
    for persona in ("brugfiguur", "schoolcontact", "partner", "beleid"):
        assert sees(world.persona(persona), domain)
        assert not changes(world.persona(persona), domain)
    assert changes(world.coordinator, domain) and not can(world.coordinator, Action.DELETE, domain)
    assert not sees(world.foreign_coordinator, domain)
