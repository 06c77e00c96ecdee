"""The access policy as a matrix: every persona × every record kind × every action, on a record of
the persona's own region and on one of another region. The expectations are written out by hand in
EXPECTED (never computed from the rules in brugwerk/<app>/rules.py); docs/access.md shows the same table, and
`test_docs_show_the_same_matrix` keeps the two equal.

Each cell is asked of `can()` and, for the actions that filter lists, of `scope()` too: a record is in
scope exactly when `can()` allows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

import tests.conftest
import tests.records
from brugwerk.access import Action, can, get_object_or_404, scope
from brugwerk.access.registry import RULES
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, RoleInvitation, User
from brugwerk.accounts.services import membership_grant, membership_revoke
from brugwerk.agenda.models import Appointment, CalendarFeed, PresenceDay
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseTransfer,
    Consent,
    ContactMoment,
    FamilyMember,
    Goal,
    HelpQuestion,
    LifeDomain,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralSource,
    SavedFilter,
    YoungPerson,
)
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership
from tests import factories as f
from tests.conftest import PERSONAS
from tests.factories_cases import casework_in

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "access.md"

# --- The expectation table ------------------------------------------------------------------------
# What a role may do with a record of a region where it holds that role:
#   V view · C create · U change (update) · D delete · E export · — nothing.
# On a record of a region where the user holds no role the answer is always "—".
ROLE_COLUMNS = (
    Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.PARTNER, Role.BELEID, Role.BEHEERDER
)
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "Region":                    ("V",       "V",         "V",           "V",     "V",    "V U"),
    "Zone":                      ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "Municipality":              ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "ZoneMembership":            ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "School":                    ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "PartnerOrganisation":       ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "ContactPoint":              ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    "PoolMember":                ("V",       "V C U D",   "V",           "V",     "V",    "V C U D"),
    # A role that sees case content (the new record is a brugfiguur role): only the coordinator grants
    # it. The beheerder grants the beheerder and beleid roles (test_who_grants_which_role).
    "Membership":                ("—",       "V C D",     "—",           "—",     "—",    "V D"),
    "User":                      ("—",       "V C",       "—",           "—",     "—",    "V C U"),
    "AuditEntry":                ("—",       "V E",       "—",           "—",     "—",    "—"),
    "AuditEntry (account event)": ("—",      "V E",       "—",           "—",     "—",    "V"),
    # Casework. A brugfiguur's column is for a case they neither lead nor share; a school contact's
    # for a referral of their school; a partner's for a referral out to their organisation under a
    # standing consent. The personal links (lead, share, referrer, dates) are in tests/cases/test_cases_access.py.
    "LifeDomain":                ("V",       "V C U",     "V",           "V",     "V",    "V C U"),
    "YoungPerson":               ("C",       "V C U",     "—",           "—",     "—",    "—"),
    "FamilyMember":              ("—",       "V",         "—",           "—",     "—",    "—"),
    "Referral":                  ("C",       "V C U",     "V C",         "C",     "—",    "—"),
    "Case":                      ("C",       "V C U E",   "—",           "—",     "—",    "—"),
    "CaseShare":                 ("—",       "V C U",     "—",           "—",     "—",    "—"),
    "HelpQuestion":              ("—",       "V",         "—",           "—",     "—",    "—"),
    "Goal":                      ("—",       "V",         "—",           "—",     "—",    "—"),
    "AgreedAction":              ("—",       "V",         "—",           "—",     "—",    "—"),
    "ContactMoment":             ("C",       "V",         "—",           "—",     "—",    "—"),
    "Consent":                   ("—",       "V U",       "—",           "—",     "—",    "—"),
    "ReferralOut":               ("—",       "V",         "—",           "V U",   "—",    "—"),
    "ReferralFeedback":          ("—",       "V",         "—",           "V C",   "—",    "—"),
    "CaseTransfer":              ("—",       "V C",       "—",           "—",     "—",    "—"),
    "Appointment":               ("—",       "V C U D",   "—",           "—",     "—",    "—"),
    "PresenceDay":               ("—",       "V C U D",   "V",           "—",     "—",    "—"),
    # What a user keeps for themselves. Seeing, changing and deleting is asked of somebody else's
    # record (so nobody may); creating a saved filter is asked of one of the asker's own (in a region
    # where they hold a role), a calendar feed of somebody else's (so nobody may). The owner's own
    # rights are tested below, in test_saved_filters_* and test_a_calendar_feed_*.
    "SavedFilter":               ("C",       "C",         "C",           "C",     "C",    "C"),
    "CalendarFeed":              ("—",       "—",         "—",           "—",     "—",    "—"),
}  # fmt: skip
# The other domains' rows: tests/records/<app>.py
DOMAIN_MODULES = tests.records.modules()
for _module in DOMAIN_MODULES:
    EXPECTED.update(_module.EXPECTED)
OTHER_REGION = "—"

LETTERS = {"V": Action.VIEW, "C": Action.CREATE, "U": Action.CHANGE, "D": Action.DELETE, "E": Action.EXPORT}
ROLE_OF_PERSONA = {
    "brugfiguur": Role.BRUGFIGUUR,
    "brugfiguur2": Role.BRUGFIGUUR,
    "coordinator": Role.COORDINATOR,
    "schoolcontact": Role.SCHOOLCONTACT,
    "partner": Role.PARTNER,
    "beleid": Role.BELEID,
    "beheerder": Role.BEHEERDER,
    "foreign_coordinator": Role.COORDINATOR,
    "foreign_brugfiguur": Role.BRUGFIGUUR,
}
FOREIGN_PERSONAS = {"foreign_coordinator", "foreign_brugfiguur"}


def expected(persona: str, kind: str, where: str, action: Action) -> bool:
    if where == "other":
        return False
    cell = EXPECTED[kind][ROLE_COLUMNS.index(ROLE_OF_PERSONA[persona])]
    return action in {LETTERS[letter] for letter in cell.split() if letter != "—"}


# --- The records the matrix asks about ------------------------------------------------------------


@dataclass
class RegionRecords:
    """One existing record of every kind in one region, and a way to make an unsaved new one."""

    region: Region
    existing: dict[str, models.Model]
    new: dict[str, Callable[[], models.Model | None]]
    # Record kinds one only ever creates for oneself: the unsaved record is the asker's own.
    new_own: dict[str, Callable[[User], models.Model]] = field(default_factory=dict)


@dataclass
class MatrixData:
    world: Any
    own: dict[str, RegionRecords]  # "A" and "B"

    def user(self, persona: str) -> User:
        return self.world.persona(persona)

    def records(self, persona: str, where: str) -> RegionRecords:
        home = "B" if persona in FOREIGN_PERSONAS else "A"
        if where == "own":
            return self.own[home]
        return self.own["A" if home == "B" else "B"]


CASEWORK_MODELS = (
    LifeDomain, YoungPerson, FamilyMember, Referral, Case, CaseShare, HelpQuestion, Goal, AgreedAction,
    ContactMoment, Consent, ReferralOut, ReferralFeedback, CaseTransfer, Appointment, PresenceDay,
    SavedFilter, CalendarFeed,
)

MODEL_OF_KIND: dict[str, type[models.Model]] = {
    "Region": Region,
    "Zone": Zone,
    "Municipality": Municipality,
    "ZoneMembership": ZoneMembership,
    "School": School,
    "PartnerOrganisation": PartnerOrganisation,
    "ContactPoint": ContactPoint,
    "PoolMember": PoolMember,
    "Membership": Membership,
    "User": User,
    "AuditEntry": AuditEntry,
    "AuditEntry (account event)": AuditEntry,
    **{model.__name__: model for model in CASEWORK_MODELS},
    **{model.__name__: model for module in DOMAIN_MODULES for model in module.MODELS},
}


def _records_of(region: Region, *, zone, school, organisation, contact_point, manager: User,
                newcomer: User) -> RegionRecords:
    """A subject person (a brugfiguur of this region only, not one of the personas) gives the
    Membership, User and PoolMember records, so no persona's own record sneaks into the matrix."""
    subject = f.user_with_role(Role.BRUGFIGUUR, region, username=f"subject-{region.slug}")
    pool_member = f.PoolMemberFactory(region=region, user=subject, home_base=school.municipality)
    content_event = record(actor=Actor(user=manager), event=AuditEvent.VIEW, subject=contact_point)
    account_event = record(
        actor=Actor(user=subject), event=AuditEvent.LOGIN, subject=subject, region_id=region.pk
    )
    existing = {
        "Region": region,
        "Zone": zone,
        "Municipality": school.municipality,
        "ZoneMembership": ZoneMembership.objects.get(zone=zone),
        "School": school,
        "PartnerOrganisation": organisation,
        "ContactPoint": contact_point,
        "PoolMember": pool_member,
        "Membership": Membership.objects.get(user=subject, region=region),
        "User": subject,
        "AuditEntry": content_event,
        "AuditEntry (account event)": account_event,
    }
    new: dict[str, Callable[[], models.Model | None]] = {
        "Region": lambda: Region(name="Nieuwe regio", slug="nieuw"),
        "Zone": lambda: Zone(region=region, name="Nieuwe zone"),
        "Municipality": lambda: Municipality(region=region, name="Nieuwe gemeente"),
        "ZoneMembership": lambda: ZoneMembership(
            zone=zone, municipality=school.municipality, valid_from=timezone.localdate()
        ),
        "School": lambda: School(region=region, name="Nieuwe school", municipality=school.municipality),
        "PartnerOrganisation": lambda: PartnerOrganisation(region=region, name="Nieuwe partner"),
        "ContactPoint": lambda: ContactPoint(organisation=organisation, school=school, person_name="Nieuw"),
        "PoolMember": lambda: PoolMember(region=region, user=newcomer, home_base=school.municipality),
        "Membership": lambda: Membership(user=newcomer, region=region, role=Role.BRUGFIGUUR),
        "User": lambda: None,  # an unsaved account has no region yet: asked of the record kind only
        "AuditEntry": lambda: AuditEntry(region=region, event=AuditEvent.VIEW),
        "AuditEntry (account event)": lambda: AuditEntry(region=region, event=AuditEvent.LOGIN),
    }
    # Casework: a case led by the subject, shared with a colleague, referred by another school
    # contact of the school: none of them a persona.
    colleague = f.user_with_role(Role.BRUGFIGUUR, region, username=f"colleague-{region.slug}")
    referrer = f.user_with_role(Role.SCHOOLCONTACT, region, school=school, username=f"referrer-{region.slug}")
    casework = casework_in(region, school=school, organisation=organisation, contact_point=contact_point,
                           lead=subject, colleague=colleague, referrer=referrer)
    existing.update({model.__name__: obj for model, obj in casework.items()})
    case, today = casework[Case], timezone.localdate()
    new.update({
        "LifeDomain": lambda: LifeDomain(region=region, name="nieuw levensdomein"),
        "YoungPerson": lambda: YoungPerson(region=region, first_name="Nieuwe", last_name="Jongere"),
        "FamilyMember": lambda: FamilyMember(young_person=case.young_person, relation="father", name="Vader"),
        "Referral": lambda: Referral(region=region, school=school, organisation=organisation,
                                     source=ReferralSource.SCHOOL, pupil_first_name="N", pupil_last_name="N"),
        "Case": lambda: Case(region=region, young_person=case.young_person, lead=subject, opened_on=today),
        "CaseShare": lambda: CaseShare(case=case, user=newcomer, kind="stand_in", starts_on=today),
        "HelpQuestion": lambda: HelpQuestion(case=case, life_domain=casework[LifeDomain], description="?"),
        "Goal": lambda: Goal(case=case, description="Nieuw doel", start_date=today),
        "AgreedAction": lambda: AgreedAction(case=case, description="Nieuwe afspraak"),
        "ContactMoment": lambda: ContactMoment(region=region, brugfiguur=subject, contact_type="school_gate",
                                               occurred_at=timezone.now()),
        "Consent": lambda: Consent(case=case, organisation=organisation, purpose="referral", given_on=today),
        "ReferralOut": lambda: ReferralOut(case=case, organisation=organisation, consent=casework[Consent]),
        "ReferralFeedback": lambda: ReferralFeedback(referral_out=casework[ReferralOut], status="started"),
        "CaseTransfer": lambda: CaseTransfer(case=case, from_lead=subject),
        "Appointment": lambda: Appointment(region=region, brugfiguur=subject, kind="meeting"),
        "PresenceDay": lambda: PresenceDay(region=region, brugfiguur=subject, school=school, weekday=0,
                                           valid_from=today),
    })
    # What the subject keeps for themselves: a saved filter in this region, their calendar feed.
    existing["SavedFilter"] = SavedFilter.objects.create(owner=subject, region=region, name="Mijn open dossiers",
                                                         query={"status": "open"})
    existing["CalendarFeed"] = CalendarFeed.objects.create(user=subject)
    new["CalendarFeed"] = lambda: CalendarFeed(user=subject)
    new_own = {"SavedFilter": lambda user: SavedFilter(owner=user, region=region, name="Nieuwe filter")}
    for module in DOMAIN_MODULES:
        found = module.records(region, school=school, organisation=organisation, contact_point=contact_point,
                               lead=subject, colleague=colleague, newcomer=newcomer, case=case)
        existing.update({model.__name__: obj for model, obj in found.existing.items()})
        new.update({model.__name__: make for model, make in found.new.items()})
    return RegionRecords(region=region, existing=existing, new=new, new_own=new_own)


@pytest.fixture(scope="class")
def matrix(django_db_setup, django_db_blocker):
    """The `world` of tests/conftest.py, built once for the whole matrix (1,000+ cells) inside a
    transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        world = tests.conftest.build_world()
        newcomer = f.UserFactory(username="newcomer")  # holds no role anywhere yet
        foreign_zone = f.ZoneFactory(region=world.other_region, name="Zone Elders")
        f.ZoneMembershipFactory(zone=foreign_zone, municipality=world.foreign_school.municipality)
        data = MatrixData(
            world=world,
            own={
                "A": _records_of(
                    world.region, zone=world.zone, school=world.school, organisation=world.organisation,
                    contact_point=world.contact_point, manager=world.coordinator, newcomer=newcomer,
                ),
                "B": _records_of(
                    world.other_region, zone=foreign_zone, school=world.foreign_school,
                    organisation=world.foreign_organisation, contact_point=world.foreign_contact_point,
                    manager=world.foreign_coordinator, newcomer=newcomer,
                ),
            },
        )
        yield data
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def answers(user: User, action: Action, kind: str, records: RegionRecords) -> dict[str, bool]:
    """Every way the policy can be asked this cell's question, with its answer."""
    model = MODEL_OF_KIND[kind]
    if action == Action.CREATE:
        result = {"can(kind, region=...)": can(user, action, model, region=records.region)}
        unsaved = records.new_own[kind](user) if kind in records.new_own else records.new[kind]()
        if unsaved is not None:
            result["can(unsaved record)"] = can(user, action, unsaved)
        return result
    obj = records.existing[kind]
    result = {
        "can(record)": can(user, action, obj),
        "record in scope()": scope(user, model, action).filter(pk=obj.pk).exists(),
    }
    if action == Action.VIEW:
        try:
            get_object_or_404(user, model, action, pk=obj.pk)
            result["get_object_or_404() finds it"] = True
        except Http404:
            result["get_object_or_404() finds it"] = False
    return result


@pytest.mark.usefixtures("db")
class TestMatrix:
    @pytest.mark.parametrize("action", list(Action), ids=[a.value for a in Action])
    @pytest.mark.parametrize("where", ["own", "other"])
    @pytest.mark.parametrize("kind", list(EXPECTED))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_cell(self, matrix, persona, kind, where, action):
        user = matrix.user(persona)
        want = expected(persona, kind, where, action)
        got = answers(user, action, kind, matrix.records(persona, where))
        assert got == dict.fromkeys(got, want), f"{persona} {action} {kind} ({where} region)"


# --- The table itself -----------------------------------------------------------------------------


def test_every_record_kind_with_a_rule_is_in_the_matrix():
    assert set(RULES) == set(MODEL_OF_KIND.values())


def test_docs_show_the_same_matrix():
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- matrix:start -->(.*?)<!-- matrix:end -->", text, re.S)
    assert block, "docs/access.md must hold the matrix between <!-- matrix:start --> and <!-- matrix:end -->"
    rows = [line for line in block.group(1).splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header[1:] == [str(role.value) for role in ROLE_COLUMNS]
    documented = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        documented[cells[0].strip("`")] = tuple(cells[1:])
    assert documented == EXPECTED


# --- Special cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_their_own_role_and_account_but_cannot_delete_or_export_the_account(world, persona):
    user = world.persona(persona)
    own_membership = Membership.objects.get(user=user)
    assert can(user, Action.VIEW, own_membership)
    assert scope(user, Membership).filter(pk=own_membership.pk).exists()
    assert can(user, Action.VIEW, user)
    assert scope(user, User).filter(pk=user.pk).exists()
    for action in (Action.DELETE, Action.EXPORT):
        assert not can(user, action, user)
        assert not scope(user, User, action).filter(pk=user.pk).exists()
    assert not can(user, Action.CHANGE, own_membership)
    assert not can(user, Action.EXPORT, own_membership)


def test_brugfiguur_does_not_see_a_colleagues_membership_or_account(world):
    colleague_membership = Membership.objects.get(user=world.brugfiguur2)
    assert not can(world.brugfiguur, Action.VIEW, colleague_membership)
    assert not can(world.brugfiguur, Action.VIEW, world.brugfiguur2)
    assert list(scope(world.brugfiguur, User)) == [world.brugfiguur]


def test_beheerder_sees_only_account_events_of_their_region(world):
    login = record(actor=Actor(user=world.brugfiguur), event=AuditEvent.LOGIN, subject=world.brugfiguur,
                   region_id=world.region.pk)
    granted = record(actor=Actor(user=world.coordinator), event=AuditEvent.ROLE_GRANTED,
                     subject=world.brugfiguur, region_id=world.region.pk)
    viewed = record(actor=Actor(user=world.coordinator), event=AuditEvent.VIEW, subject=world.contact_point)
    changed = record(actor=Actor(user=world.coordinator), event=AuditEvent.UPDATE, subject=world.school)
    foreign_login = record(actor=Actor(user=world.foreign_brugfiguur), event=AuditEvent.LOGIN,
                           subject=world.foreign_brugfiguur, region_id=world.other_region.pk)

    assert set(scope(world.beheerder, AuditEntry)) == {login, granted}
    assert can(world.beheerder, Action.VIEW, login)
    assert not can(world.beheerder, Action.VIEW, viewed)
    assert not can(world.beheerder, Action.VIEW, changed)
    assert not can(world.beheerder, Action.EXPORT, login)
    assert set(scope(world.coordinator, AuditEntry)) == {login, granted, viewed, changed}
    assert set(scope(world.foreign_coordinator, AuditEntry)) == {foreign_login}


def test_user_with_roles_in_another_region_is_added_only_by_this_regions_coordinator(world):
    actor_beheerder = Actor(user=world.beheerder)
    with pytest.raises(PermissionDenied):
        membership_grant(actor=actor_beheerder, user=world.foreign_brugfiguur, region=world.region,
                         role=Role.BRUGFIGUUR)
    with pytest.raises(PermissionDenied):
        membership_grant(actor=Actor(user=world.foreign_coordinator), user=world.foreign_brugfiguur,
                         region=world.region, role=Role.BRUGFIGUUR)
    assert not Membership.objects.filter(user=world.foreign_brugfiguur, region=world.region).exists()

    membership_grant(actor=Actor(user=world.coordinator), user=world.foreign_brugfiguur, region=world.region,
                     role=Role.BRUGFIGUUR)
    moved = User.objects.get(pk=world.foreign_brugfiguur.pk)
    assert can(moved, Action.VIEW, world.school)
    # ... whereas someone without any role may be added by the administrator too (to a role that sees
    # no case content).
    newcomer = f.UserFactory()
    membership_grant(actor=actor_beheerder, user=newcomer, region=world.region, role=Role.BELEID)
    assert Membership.objects.filter(user=newcomer, region=world.region, revoked_at__isnull=True).exists()
    foreign_beleid = f.user_with_role(Role.BELEID, world.other_region)
    with pytest.raises(PermissionDenied):
        membership_grant(actor=actor_beheerder, user=foreign_beleid, region=world.region, role=Role.BELEID)


@pytest.mark.parametrize("role", list(Role))
def test_who_grants_which_role(world, role):
    """A role that sees case content only the region's coordinator grants; the others (beheerder,
    beleid) both managers. Asked of the record kind, CREATE means "every role": the coordinator."""
    newcomer = f.UserFactory()
    sees_case_content = role in {Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}
    membership = Membership(user=newcomer, region=world.region, role=role)
    invitation = RoleInvitation(region=world.region, role=role, user=newcomer)
    assert can(world.coordinator, Action.CREATE, membership)
    assert can(world.coordinator, Action.CREATE, invitation)
    assert can(world.beheerder, Action.CREATE, membership) is not sees_case_content
    assert can(world.beheerder, Action.CREATE, invitation) is not sees_case_content
    for persona in ("brugfiguur", "schoolcontact", "partner", "beleid", "foreign_coordinator"):
        assert not can(world.persona(persona), Action.CREATE, membership)
        assert not can(world.persona(persona), Action.CREATE, invitation)
    assert can(world.coordinator, Action.CREATE, Membership, region=world.region)
    assert not can(world.beheerder, Action.CREATE, Membership, region=world.region)
    if sees_case_content:
        with pytest.raises(PermissionDenied):
            membership_grant(actor=Actor(user=world.beheerder), user=newcomer, region=world.region, role=role,
                             school=world.school, organisation=world.organisation)
        assert not Membership.objects.filter(user=newcomer).exists()


def test_the_invitee_sees_and_answers_their_own_invitation_and_managers_see_it_only(world):
    invitee = f.user_with_role(Role.BRUGFIGUUR, world.other_region)
    invitation = RoleInvitation.objects.create(region=world.region, role=Role.BELEID, login=invitee.email,
                                               user=invitee, invited_by=world.coordinator)
    for action in (Action.VIEW, Action.CHANGE):
        assert can(invitee, action, invitation)
        assert scope(invitee, RoleInvitation, action).filter(pk=invitation.pk).exists()
    for persona in ("coordinator", "beheerder"):
        manager = world.persona(persona)
        assert can(manager, Action.VIEW, invitation)
        assert not can(manager, Action.CHANGE, invitation)  # only the invitee accepts or declines
        assert not scope(manager, RoleInvitation, Action.CHANGE).exists()
    for persona in ("brugfiguur", "beleid", "foreign_coordinator", "foreign_brugfiguur"):
        assert not can(world.persona(persona), Action.VIEW, invitation)
        assert not scope(world.persona(persona), RoleInvitation).exists()
    for action in (Action.DELETE, Action.EXPORT):
        assert not can(invitee, action, invitation)


@pytest.mark.parametrize(
    ("persona", "role"),
    [("beheerder", Role.COORDINATOR), ("coordinator", Role.BEHEERDER), ("coordinator", Role.BRUGFIGUUR)],
)
def test_nobody_grants_a_role_to_themselves(world, persona, role):
    user = world.persona(persona)
    assert not can(user, Action.CREATE, Membership(user=user, region=world.region, role=role))
    with pytest.raises(PermissionDenied):
        membership_grant(actor=Actor(user=user), user=user, region=world.region, role=role)
    assert not Membership.objects.filter(user=user, role=role).exists()


def test_administrator_cannot_change_an_account_that_also_belongs_to_another_region(world):
    shared = f.user_with_role(Role.BRUGFIGUUR, world.region)
    f.MembershipFactory(user=shared, region=world.other_region, role=Role.BRUGFIGUUR)
    assert can(world.beheerder, Action.VIEW, shared)
    assert not can(world.beheerder, Action.CHANGE, shared)
    assert not scope(world.beheerder, User, Action.CHANGE).filter(pk=shared.pk).exists()


def test_a_role_in_one_region_grants_nothing_in_another(world):
    both = f.user_with_role(Role.BRUGFIGUUR, world.region)
    f.MembershipFactory(user=both, region=world.other_region, role=Role.COORDINATOR)
    assert can(both, Action.CHANGE, world.foreign_school)
    assert not can(both, Action.CHANGE, world.school)
    assert set(scope(both, School, Action.CHANGE)) == {world.foreign_school}
    assert set(scope(both, AuditEntry)) == set(AuditEntry.objects.filter(region=world.other_region))


def _everything_denied(user) -> list[str]:
    """Every record kind with any record it may see or act on; empty when the user gets nothing."""
    granted = []
    for model in RULES:
        for action in (Action.VIEW, Action.CHANGE, Action.DELETE, Action.EXPORT):
            if scope(user, model, action).exists():
                granted.append(f"scope {model.__name__} {action}")
            for obj in model._default_manager.all():
                if can(user, action, obj):
                    granted.append(f"can {action} {model.__name__} #{obj.pk}")
        for region in Region.objects.all():
            if can(user, Action.CREATE, model, region=region):
                granted.append(f"can create {model.__name__} in {region}")
    return granted


def test_revoked_membership_grants_nothing(world):
    record(actor=Actor(user=world.coordinator), event=AuditEvent.VIEW, subject=world.contact_point)
    membership = Membership.objects.get(user=world.coordinator)
    membership_revoke(actor=Actor(user=world.beheerder), membership=membership)
    former = User.objects.get(pk=world.coordinator.pk)
    # Only their own account and their own (revoked) role stay visible to them.
    assert _everything_denied(former) == [
        "scope Membership view", f"can view Membership #{membership.pk}",
        "scope User view", f"can view User #{former.pk}",
    ]
    with pytest.raises(Http404):
        get_object_or_404(former, School, pk=world.school.pk)


def test_inactive_user_gets_nothing(world):
    User.objects.filter(pk=world.coordinator.pk).update(is_active=False)
    assert _everything_denied(User.objects.get(pk=world.coordinator.pk)) == []


def test_anonymous_user_gets_nothing(world):
    record(actor=Actor(user=world.coordinator), event=AuditEvent.VIEW, subject=world.contact_point)
    assert _everything_denied(AnonymousUser()) == []
    assert _everything_denied(None) == []
    with pytest.raises(Http404):
        get_object_or_404(AnonymousUser(), School, pk=world.school.pk)


@pytest.mark.parametrize("user", ["coordinator", "anonymous"])
def test_record_kind_without_a_rule_fails_loudly(world, user):
    asker = world.coordinator if user == "coordinator" else AnonymousUser()
    session = Session(session_key="x", session_data="", expire_date=timezone.now())
    with pytest.raises(LookupError, match="No access rule for sessions.Session"):
        can(asker, Action.VIEW, session)
    with pytest.raises(LookupError):
        can(asker, Action.CREATE, Session, region=world.region)
    with pytest.raises(LookupError):
        scope(asker, Session)
    with pytest.raises(LookupError):
        get_object_or_404(asker, Session, pk="x")


def test_other_actions_than_create_must_be_asked_of_a_record(world):
    with pytest.raises(TypeError):
        can(world.coordinator, Action.VIEW, School)


# --- What a user keeps for themselves -------------------------------------------------------------


def _rights(user, obj) -> set[Action]:
    """The actions `user` may do on `obj`, asked of can() and checked against scope()."""
    allowed = {action for action in (Action.VIEW, Action.CHANGE, Action.DELETE, Action.EXPORT)
               if can(user, action, obj)}
    in_scope = {action for action in (Action.VIEW, Action.CHANGE, Action.DELETE, Action.EXPORT)
                if scope(user, type(obj), action).filter(pk=obj.pk).exists()}
    assert allowed == in_scope
    return allowed


OWN = {Action.VIEW, Action.CHANGE, Action.DELETE}


def test_saved_filters_are_their_owners_own_in_the_regions_where_they_hold_a_role(world):
    mine = SavedFilter.objects.create(owner=world.brugfiguur, region=world.region, name="Wachtend")
    assert _rights(world.brugfiguur, mine) == OWN
    for persona in ("brugfiguur2", "coordinator", "beheerder", "foreign_coordinator"):
        assert _rights(world.persona(persona), mine) == set(), persona
    # Everyone makes their own, in a region where they hold a role; nobody makes one for another.
    assert can(world.schoolcontact, Action.CREATE, SavedFilter(owner=world.schoolcontact, region=world.region))
    assert not can(world.coordinator, Action.CREATE, SavedFilter(owner=world.brugfiguur, region=world.region))
    assert not can(world.schoolcontact, Action.CREATE,
                   SavedFilter(owner=world.schoolcontact, region=world.other_region))
    # A filter kept in a region where the owner holds no role (any more) is not theirs to use.
    stale = SavedFilter.objects.create(owner=world.brugfiguur, region=world.other_region, name="Oud")
    assert _rights(world.brugfiguur, stale) == set()
    membership_revoke(actor=Actor(user=world.beheerder), membership=Membership.objects.get(user=world.brugfiguur))
    assert _rights(User.objects.get(pk=world.brugfiguur.pk), mine) == set()


def test_a_calendar_feed_is_its_brugfiguurs_own(world):
    feed = CalendarFeed.objects.create(user=world.brugfiguur)
    assert _rights(world.brugfiguur, feed) == OWN
    for persona in ("brugfiguur2", "coordinator", "beheerder", "foreign_brugfiguur", "foreign_coordinator"):
        assert _rights(world.persona(persona), feed) == set(), persona
    assert can(world.brugfiguur, Action.CREATE, CalendarFeed(user=world.brugfiguur))
    assert can(world.foreign_brugfiguur, Action.CREATE, CalendarFeed(user=world.foreign_brugfiguur))
    assert not can(world.coordinator, Action.CREATE, CalendarFeed(user=world.brugfiguur))
    assert not can(world.brugfiguur2, Action.CREATE, CalendarFeed(user=world.brugfiguur))
    assert not can(world.schoolcontact, Action.CREATE, CalendarFeed(user=world.schoolcontact))
    # No feed without the brugfiguur role (a feed has no region: any brugfiguur role will do).
    assert not can(world.coordinator, Action.CREATE, CalendarFeed, region=world.region)
    membership_revoke(actor=Actor(user=world.beheerder), membership=Membership.objects.get(user=world.brugfiguur))
    assert _rights(User.objects.get(pk=world.brugfiguur.pk), feed) == set()
