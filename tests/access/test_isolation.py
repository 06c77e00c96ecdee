"""Many regions in one installation: the people of region B see nothing of region A.

Three layers are checked, each data-driven so that new record kinds, selectors and pages are
covered as they are added:

1. `scope()` over every record kind with a rule (the registry, brugwerk.access.registry.RULES);
2. every public selector in `brugwerk/<app>/selectors.py` that takes `user`, called with region A's
   records as arguments (an attacker's ids) and with region B's own (a normal page): no record of
   region A comes back, and asked about A, no count or yes/no answer tells anything either;
3. every page about one record (RECORD_URLS) answers 404 to B's people for A's records, and list
   pages (LIST_URLS) never show A's names.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import models, transaction
from django.http import Http404
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import brugwerk
import tests.records
from brugwerk.access import Action, scope
from brugwerk.access.registry import RULES
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.agenda.models import Appointment, CalendarFeed, PresenceDay
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record, record_view
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    Consent,
    ConsentPurpose,
    ContactMoment,
    FamilyMember,
    Goal,
    HelpQuestion,
    LifeDomain,
    Referral,
    ReferralOut,
    SavedFilter,
    YoungPerson,
)
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership
from tests import factories as f
from tests.conftest import FAST_HASHERS, build_world, client_for
from tests.factories_cases import casework_in

B_PERSONAS = ["foreign_coordinator", "foreign_brugfiguur", "foreign_beheerder"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclasses.dataclass
class Side:
    """One region's records, as arguments for selectors and URLs."""

    region: Region
    records: dict[type[models.Model], models.Model]
    subject: User  # a person of this region only
    names: list[str]  # text that identifies this region's records on a page

    def __getitem__(self, model: type[models.Model]) -> Any:
        return self.records[model]


@dataclasses.dataclass
class Regions:
    world: Any
    a: Side
    b: Side
    people: dict[str, User]


@pytest.fixture(scope="module")
def regions_once(django_db_setup, django_db_blocker) -> Regions:
    """The regions, built once for the whole module (1,500+ tests) inside a transaction that is rolled
    back after it; each test runs in its own savepoint inside it (the `db` fixture), so what one test
    writes is gone before the next."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, BRUGWERK_REQUIRE_2FA=False),
    ):
        yield build_regions(build_world())
        transaction.set_rollback(True)


@pytest.fixture
def regions(regions_once, db) -> Regions:
    return regions_once


def build_regions(world) -> Regions:
    """The world, plus in region B the same kinds of records as in A and a B administrator."""
    foreign_beheerder = f.user_with_role(Role.BEHEERDER, world.other_region, username="beheer-b")
    foreign_zone = f.ZoneFactory(region=world.other_region, name="Zone Elders")
    foreign_zm = f.ZoneMembershipFactory(zone=foreign_zone, municipality=world.foreign_school.municipality)
    foreign_pool = f.PoolMemberFactory(region=world.other_region, user=world.foreign_brugfiguur,
                                       home_base=world.foreign_school.municipality)
    foreign_pool.schools.add(world.foreign_school)
    pool_a = PoolMember.objects.get(user=world.brugfiguur)
    pool_a.schools.add(world.school)
    f.ContactPointFactory(organisation=world.organisation, school=None, municipality=world.municipality,
                          person_name="Mia Gemeente")
    f.ContactPointFactory(organisation=world.organisation, school=None, zone=world.zone,
                          person_name="Zoë Zone")
    for coordinator, cp in ((world.coordinator, world.contact_point),
                            (world.foreign_coordinator, world.foreign_contact_point)):
        record_view(actor=Actor(user=coordinator), subject=cp)
    record(actor=Actor(user=None, ip="192.0.2.1"), actor_label="bf1", event=AuditEvent.LOGIN_FAILED,
           subject=world.brugfiguur, region_id=world.region.pk)

    def side(region, zone, zm, school, org, cp, pool, subject, names) -> Side:
        return Side(
            region=region,
            records={
                Region: region, Zone: zone, Municipality: school.municipality, ZoneMembership: zm,
                School: school, PartnerOrganisation: org, ContactPoint: cp, PoolMember: pool,
                Membership: Membership.objects.get(user=subject, region=region), User: subject,
                AuditEntry: AuditEntry.objects.filter(region=region).first(),
            },
            subject=subject,
            names=names,
        )

    a_names = [
        world.school.name, world.other_school.name, world.organisation.name, "An Contact", "Mia Gemeente",
        "Zoë Zone", world.zone.name, world.brugfiguur.get_full_name(), world.coordinator.get_full_name(),
    ]
    a = side(world.region, world.zone, ZoneMembership.objects.get(zone=world.zone), world.school,
             world.organisation, world.contact_point, pool_a, world.brugfiguur, a_names)
    b = side(world.other_region, foreign_zone, foreign_zm, world.foreign_school, world.foreign_organisation,
             world.foreign_contact_point, foreign_pool, world.foreign_brugfiguur, [])
    # Casework: one record of every kind on both sides.
    a.records.update(casework_in(
        world.region, school=world.school, organisation=world.organisation, contact_point=world.contact_point,
        lead=world.brugfiguur, colleague=world.brugfiguur2, referrer=world.schoolcontact,
    ))
    b.records.update(casework_in(
        world.other_region, school=world.foreign_school, organisation=world.foreign_organisation,
        contact_point=world.foreign_contact_point, lead=world.foreign_brugfiguur,
        colleague=f.user_with_role(Role.BRUGFIGUUR, world.other_region, username="bf2-b"),
        referrer=world.foreign_coordinator,
    ))
    a_names.append(str(a[YoungPerson]))
    # What people keep for themselves: a saved filter in their region, their calendar feed.
    for one_side, owner in ((a, world.brugfiguur), (b, world.foreign_brugfiguur)):
        one_side.records[SavedFilter] = SavedFilter.objects.create(
            owner=owner, region=one_side.region, name=f"Filter {one_side.region.slug}", query={"status": "open"}
        )
        one_side.records[CalendarFeed] = CalendarFeed.objects.create(user=owner)
    a_names.append("Filter regio-a")
    # The other domains: tests/records/<app>.py
    outsider = f.UserFactory(username="outsider")
    for module in tests.records.modules():
        for one_side, w in (
            (a, dict(school=world.school, organisation=world.organisation, contact_point=world.contact_point,
                     lead=world.brugfiguur, colleague=world.brugfiguur2)),
            (b, dict(school=world.foreign_school, organisation=world.foreign_organisation,
                     contact_point=world.foreign_contact_point, lead=world.foreign_brugfiguur,
                     colleague=User.objects.get(username="bf2-b"))),
        ):
            found = module.records(one_side.region, newcomer=outsider, case=one_side[Case], **w)
            one_side.records.update(found.existing)
            if one_side is a:
                a_names.extend(found.names)
    people = {name: world.persona(name) for name in ("foreign_coordinator", "foreign_brugfiguur")}
    people["foreign_beheerder"] = foreign_beheerder
    return Regions(world=world, a=a, b=b, people=people)


# --- What belongs to region A ---------------------------------------------------------------------


def region_ids_of(obj: models.Model) -> set[int]:
    """The regions a record belongs to; for a person, every region they hold or held a role in; for
    a record of one person without a region of its own (a calendar feed), that person's regions."""
    if isinstance(obj, User):
        return set(obj.memberships.values_list("region_id", flat=True))
    rule = RULES.get(type(obj)._meta.concrete_model)
    if rule is not None and not rule.region_path:
        return region_ids_of(obj.user)
    if rule is not None:
        return {rule.region_id_of(obj)} - {None}
    region_id = getattr(obj, "region_id", None)
    return {region_id} if region_id else set()


def of_region_a_only(obj: models.Model, regions: Regions) -> bool:
    ids = region_ids_of(obj)
    return regions.a.region.pk in ids and regions.b.region.pk not in ids


def walk(value: Any, seen: set[int] | None = None):
    """Every model instance and every number or yes/no answer inside a selector's result, including
    related and prefetched records hanging off the instances."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, models.Model):
        yield value
        children = list(value._state.fields_cache.values())
        children += list(getattr(value, "_prefetched_objects_cache", {}).values())
        children += [v for v in vars(value).values() if isinstance(v, list | tuple | models.Model)]
        for child in children:
            yield from walk(child, seen)
    elif isinstance(value, bool | int | float | Decimal):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from walk(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for fld in dataclasses.fields(value):
            yield from walk(getattr(value, fld.name), seen)


# --- 1. scope() over every record kind ------------------------------------------------------------


@pytest.mark.parametrize("persona", B_PERSONAS)
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.DELETE, Action.EXPORT],
                         ids=lambda a: a.value)
@pytest.mark.parametrize("model", list(RULES), ids=lambda m: m.__name__)
def test_scope_gives_region_b_nothing_of_region_a(regions, persona, action, model):
    user = regions.people[persona]
    leaked = [obj for obj in scope(user, model, action) if of_region_a_only(obj, regions)]
    assert leaked == []


def test_region_a_has_records_of_every_kind(regions):
    """Guards the test above: region A really has something to leak."""
    for model in RULES:
        assert any(of_region_a_only(obj, regions) for obj in model._default_manager.all()), model


# --- 2. Every selector ----------------------------------------------------------------------------


def selector_functions() -> list[Callable]:
    found = []
    for module_info in pkgutil.iter_modules(brugwerk.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"brugwerk.{module_info.name}.selectors")
        except ModuleNotFoundError:
            continue
        modules = [module]
        if hasattr(module, "__path__"):  # a package of selectors: its modules too
            modules += [importlib.import_module(f"{module.__name__}.{sub.name}")
                        for sub in pkgutil.iter_modules(module.__path__)]
        for mod in modules:
            for name, fn in inspect.getmembers(mod, inspect.isfunction):
                if name.startswith("_") or fn.__module__ != mod.__name__:
                    continue
                if "user" in inspect.signature(fn).parameters:
                    found.append(fn)
    return found


SELECTORS = selector_functions()


def _hints(fn: Callable) -> dict[str, Any]:
    """The selector's type hints; names imported for the type checker only (`if TYPE_CHECKING:`) are
    found among the project's models."""
    return typing.get_type_hints(fn, localns={model.__name__: model for model in django_apps.get_models()})


def returned_model(fn: Callable) -> type[models.Model] | None:
    try:
        hint = _hints(fn).get("return")
    except NameError:
        return None
    return hint if isinstance(hint, type) and issubclass(hint, models.Model) else None


# Selectors of one record by `pk` that return something else than the record (what a partner or the
# guidance team sees of it): the record kind the pk is of.
PK_OF: dict[str, type[models.Model]] = {
    "partner_referral": ReferralOut,
    "referral_out_for_team": ReferralOut,
    "family_member_for_page": FamilyMember,  # with the case the page is about
    "meeting_get": django_apps.get_model("cooperation", "NetworkMeeting"),  # with what the page shows of it
    "term_get": LifeDomain,  # generic over the per-region lists; asked of one (see "model" below)
}


def _record_of(side: Side, fn: Callable) -> models.Model:
    return side[returned_model(fn) or PK_OF[fn.__name__]]


def _filter_of(side: Side, fn: Callable) -> Any:
    """A search filter (of the type the selector declares) naming this side's pupil and school."""
    return _hints(fn)["filters"](query=side[YoungPerson].last_name, school=side[School])


# How to fill a selector's arguments from one region's records, by parameter name. A selector with a
# required parameter not named here fails the test below: add the parameter here.
ARGUMENTS: dict[str, Callable[[Side, Callable], Any]] = {
    "region": lambda side, fn: side.region,
    "school": lambda side, fn: side[School],
    "organisation": lambda side, fn: side[PartnerOrganisation],
    "municipality": lambda side, fn: side[Municipality],
    "zone": lambda side, fn: side[Zone],
    "subject": lambda side, fn: side.subject,
    "subject_pk": lambda side, fn: side.subject.pk,
    "login": lambda side, fn: side.subject.username,
    "pk": lambda side, fn: _record_of(side, fn).pk,
    "roles": lambda side, fn: frozenset(Role.values),  # claim every role: the region still decides
    "shown": lambda side, fn: [],
    "case": lambda side, fn: side[Case],
    "contact": lambda side, fn: side[ContactMoment],
    "first_name": lambda side, fn: side[YoungPerson].first_name,
    "last_name": lambda side, fn: side[YoungPerson].last_name,
    "birth_date": lambda side, fn: side[YoungPerson].birth_date,
    "referral_out_id": lambda side, fn: side[ReferralOut].pk,
    "referral": lambda side, fn: side[Referral],
    "consent": lambda side, fn: side[Consent],
    "purpose": lambda side, fn: ConsentPurpose.REFERRAL,
    "owners": lambda side, fn: [side.subject],  # the side's brugfiguur
    "leads": lambda side, fn: User.objects.filter(pk=side.subject.pk),
    "filters": _filter_of,
    "with_case": lambda side, fn: True,
    "today": lambda side, fn: timezone.localdate(),
    "monday": lambda side, fn: timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday()),
    # A period wide enough to hold every record of the test (time spent, figures).
    "start": lambda side, fn: timezone.localdate() - datetime.timedelta(days=3 * 365),
    "end": lambda side, fn: timezone.localdate() + datetime.timedelta(days=365),
    "number": lambda side, fn: 1,  # the first page of a paginated list
    "label": lambda side, fn: "isolation test",  # what the audit entry of the read is called
    "recent": lambda side, fn: 10,
    "referral_out": lambda side, fn: side[ReferralOut],
    # The generic selectors of the per-region lists, asked of one of them (they share every line).
    "model": lambda side, fn: LifeDomain,
    "offering": lambda side, fn: side[django_apps.get_model("groups", "GroupOffering")],
    "signal": lambda side, fn: side[django_apps.get_model("signals", "Signal")],
    "query": lambda side, fn: "",
    "limit": lambda side, fn: 10,
    "per_page": lambda side, fn: 25,
}
# The other domains may add theirs (tests/records/<app>.py: ARGUMENTS).
for _module in tests.records.modules():
    ARGUMENTS.update(getattr(_module, "ARGUMENTS", {}))
# Parameters that are passed even when they have a default, because they choose the region.
REGION_CHOOSING = {
    "region", "school", "organisation", "municipality", "zone", "subject", "subject_pk", "pk", "case", "referral",
    "consent", "owners", "leads", "referral_out", "offering", "signal",
}

# Deliberate exceptions, as (selector, "a" or "b"), each with its reason. None so far.
CROSS_REGION_BY_DESIGN: set[tuple[str, str]] = set()


def call_with(fn: Callable, user: User, side: Side) -> tuple[Any, dict[str, Any]]:
    kwargs: dict[str, Any] = {"user": user}
    for name, param in inspect.signature(fn).parameters.items():
        if name == "user":
            continue
        required = param.default is inspect.Parameter.empty
        if name in ARGUMENTS and (required or name in REGION_CHOOSING):
            kwargs[name] = ARGUMENTS[name](side, fn)
        elif required:
            pytest.fail(f"{fn.__module__}.{fn.__name__}: add a value for parameter {name!r} to ARGUMENTS")
    try:
        return fn(**kwargs), kwargs
    except Http404:
        return None, kwargs


@pytest.mark.parametrize("persona", B_PERSONAS)
@pytest.mark.parametrize("selector", SELECTORS, ids=lambda fn: f"{fn.__module__.split('.')[1]}.{fn.__name__}")
def test_selectors_give_region_b_nothing_of_region_a(regions, persona, selector):
    user = regions.people[persona]
    name = f"{selector.__module__}.{selector.__name__}"
    for which, side in (("a", regions.a), ("b", regions.b)):
        result, kwargs = call_with(selector, user, side)
        arguments = list(kwargs.values())
        # The `shown` list is an output: what the page showed, for the audit trail.
        outputs = [result] + ([kwargs["shown"]] if "shown" in kwargs else [])
        found = [item for item in walk(outputs) if not any(item is arg for arg in arguments)]
        leaked = [obj for obj in found if isinstance(obj, models.Model) and of_region_a_only(obj, regions)]
        if (name, which) not in CROSS_REGION_BY_DESIGN:
            assert leaked == [], f"{name} with region {which.upper()}'s records gave region A's {leaked}"
        # A selector that takes nothing but the user (say, "my referrals") answers about the user's
        # own records whichever side is asked; only one asked about A's records must stay silent.
        asked_about_a = any(name in ARGUMENTS for name in inspect.signature(selector).parameters)
        if which == "a" and asked_about_a and side.region not in regions_of_user(user):
            answers = [v for v in found if not isinstance(v, models.Model) and v]
            assert answers == [], f"{name} told region B's {user} about region A: {answers}"


def regions_of_user(user: User) -> set[Region]:
    return set(Region.objects.filter(memberships__user=user, memberships__revoked_at__isnull=True))


def test_every_selector_module_is_found():
    modules = {fn.__module__ for fn in SELECTORS}
    assert {"brugwerk.accounts.selectors", "brugwerk.regions.selectors", "brugwerk.network.selectors",
            "brugwerk.pool.selectors", "brugwerk.cases.selectors"} <= modules


# --- 3. Pages -------------------------------------------------------------------------------------
#
# Every named route of the URLconf is accounted for here, found by walking it (`urlconf_routes`): a
# route with an argument is a page about one record, asked for with region A's record by region B's
# people (RECORD_URLS), or a route whose argument is no record's id (PAGE_ARGUMENTS, then tested
# as a list page); a route without one is a list, search or form page, which must not show region
# A's names to region B (LIST_URLS). A route that is none of these is listed in NOT_ISOLATED with
# the reason. A route in none fails `test_every_route_of_the_urlconf_is_isolation_tested`, and a
# listed name the URLconf no longer has fails `test_every_listed_route_exists`: nothing is skipped.
# Renaming or moving a route (say into another app's namespace) is a change of its one line here or
# in tests/records/<app>.py.

# Pages about one record: (url name, how to get its arguments from region A's records).
RECORD_URLS: list[tuple[str, Callable[[Side], dict[str, Any]]]] = [
    ("regions:school_detail", lambda a: {"pk": a[School].pk}),
    ("regions:school_update", lambda a: {"pk": a[School].pk}),
    ("regions:zone_update", lambda a: {"pk": a[Zone].pk}),
    ("regions:municipality_update", lambda a: {"pk": a[Municipality].pk}),
    ("regions:zone_membership_end", lambda a: {"pk": a[ZoneMembership].pk}),
    ("network:organisation_detail", lambda a: {"pk": a[PartnerOrganisation].pk}),
    ("network:organisation_update", lambda a: {"pk": a[PartnerOrganisation].pk}),
    ("network:contact_point_create", lambda a: {"pk": a[PartnerOrganisation].pk}),
    ("network:contact_point_update", lambda a: {"pk": a[ContactPoint].pk}),
    ("network:contact_point_delete", lambda a: {"pk": a[ContactPoint].pk}),
    ("pool:member_detail", lambda a: {"pk": a[PoolMember].pk}),
    ("pool:member_update", lambda a: {"pk": a[PoolMember].pk}),
    ("accounts:user_detail", lambda a: {"pk": a.subject.pk}),
    ("accounts:user_edit", lambda a: {"pk": a.subject.pk}),
    ("accounts:user_set_password", lambda a: {"pk": a.subject.pk}),
    ("accounts:user_otp_reset", lambda a: {"pk": a.subject.pk}),
    ("accounts:role_grant", lambda a: {"pk": a.subject.pk}),
    ("accounts:role_revoke", lambda a: {"pk": a.subject.pk, "membership_pk": a[Membership].pk}),
    # Casework
    *[(f"cases:{name}", lambda a: {"pk": a[Case].pk}) for name in (
        "case_detail", "young_person_update", "family_member_create", "help_question_create", "goal_create",
        "action_create", "contact_create", "case_assign", "case_transfer", "case_share", "case_close",
        "case_reopen", "consent_create", "referral_out_create", "handover_export",
    )],
    ("cases:referral_detail", lambda a: {"pk": a[Referral].pk}),
    ("cases:referral_accept", lambda a: {"pk": a[Referral].pk}),
    ("cases:referral_refuse", lambda a: {"pk": a[Referral].pk}),
    ("cases:referral_queue", lambda a: {"pk": a[Referral].pk}),
    ("cases:family_member_update", lambda a: {"pk": a[FamilyMember].pk}),
    ("cases:help_question_update", lambda a: {"pk": a[HelpQuestion].pk}),
    ("cases:goal_update", lambda a: {"pk": a[Goal].pk}),
    ("cases:action_complete", lambda a: {"pk": a[AgreedAction].pk}),
    ("cases:case_share_revoke", lambda a: {"pk": a[CaseShare].pk}),
    ("cases:consent_withdraw", lambda a: {"pk": a[Consent].pk}),
    ("cases:referral_out_detail", lambda a: {"pk": a[ReferralOut].pk}),
    ("cases:partner_referral", lambda a: {"pk": a[ReferralOut].pk}),
    ("cases:partner_acknowledge", lambda a: {"pk": a[ReferralOut].pk}),
    ("cases:partner_feedback", lambda a: {"pk": a[ReferralOut].pk}),
    ("cases:saved_filter_delete", lambda a: {"pk": a[SavedFilter].pk}),
    # Agenda
    ("agenda:appointment_update", lambda a: {"pk": a[Appointment].pk}),
    ("agenda:appointment_delete", lambda a: {"pk": a[Appointment].pk}),
    ("agenda:presence_day_end", lambda a: {"pk": a[PresenceDay].pk}),
    ("agenda:presence_day_delete", lambda a: {"pk": a[PresenceDay].pk}),
    *[entry for module in tests.records.modules() for entry in getattr(module, "RECORD_URLS", [])],
]

# List, search and form pages, with query strings that name region A's records (an attacker's ids).
LIST_URLS: list[tuple[str, Callable[[Side], str]]] = [
    ("home:start", lambda a: ""),
    ("regions:overview", lambda a: ""),
    ("regions:school_list", lambda a: ""),
    ("regions:school_list", lambda a: f"?municipality={a[Municipality].pk}&zone={a[Zone].pk}&q=Sint"),
    ("regions:school_create", lambda a: ""),
    ("regions:zone_create", lambda a: ""),
    ("regions:municipality_create", lambda a: ""),
    ("regions:zone_membership_create", lambda a: f"?zone={a[Zone].pk}&municipality={a[Municipality].pk}"),
    ("network:organisation_list", lambda a: ""),
    ("network:organisation_list", lambda a: "?q=CAW"),
    ("network:organisation_create", lambda a: ""),
    ("network:contact_finder", lambda a: ""),
    ("network:contact_finder", lambda a: f"?school={a[School].pk}"),
    ("network:contact_finder", lambda a: f"?school={a[School].pk}&organisation={a[PartnerOrganisation].pk}"),
    ("pool:member_list", lambda a: ""),
    ("pool:member_create", lambda a: f"?user={a.subject.pk}"),
    ("accounts:user_list", lambda a: ""),
    ("accounts:user_list", lambda a: "?q=Test"),
    ("accounts:user_create", lambda a: ""),
    ("accounts:user_add_existing", lambda a: f"?login={a.subject.username}"),
    ("accounts:my_account", lambda a: ""),
    ("accounts:my_email", lambda a: ""),
    ("accounts:password_change", lambda a: ""),
    ("accounts:confirm_password", lambda a: ""),
    ("accounts:otp_setup", lambda a: ""),
    ("accounts:otp_verify", lambda a: ""),
    ("accounts:login", lambda a: ""),
    ("audit:entry_list", lambda a: ""),
    ("audit:entry_list", lambda a: f"?subject_type=regions.school&subject_id={a[School].pk}"),
    ("audit:entry_export", lambda a: ""),
    ("cases:caseload", lambda a: ""),
    ("cases:case_list", lambda a: ""),
    ("cases:case_list", lambda a: f"?q={a[YoungPerson].first_name}&school={a[School].pk}"),
    ("cases:saved_filter_create", lambda a: f"?school={a[School].pk}"),
    ("cases:referral_list", lambda a: ""),
    ("cases:triage_list", lambda a: ""),
    ("cases:waiting_list", lambda a: f"?school={a[School].pk}&zone={a[Zone].pk}"),
    ("cases:partner_inbox", lambda a: ""),
    ("cases:low_threshold_list", lambda a: ""),
    ("cases:low_threshold_convert", lambda a: "?first_name=Test"),
    ("cases:quick_contact", lambda a: ""),
    ("cases:referral_create", lambda a: ""),
    # Agenda
    ("agenda:agenda", lambda a: ""),
    ("agenda:agenda", lambda a: f"?brugfiguur={a.subject.pk}"),
    ("agenda:appointment_create", lambda a: f"?case={a[Case].pk}"),
    ("agenda:presence_day_create", lambda a: f"?school={a[School].pk}"),
    ("agenda:calendar_feed", lambda a: ""),
    ("timeuse:overview", lambda a: ""),
    ("timeuse:export", lambda a: ""),
    *[entry for module in tests.records.modules() for entry in getattr(module, "LIST_URLS", [])],
]

# Routes with an argument that is not a record's id (a kind, a word): {url name: their arguments};
# they are tested as list pages (LIST_URLS).
PAGE_ARGUMENTS: dict[str, dict[str, Any]] = {
    name: kwargs for module in tests.records.modules()
    for name, kwargs in getattr(module, "PAGE_ARGUMENTS", {}).items()
}

# Routes not asked for by region B's people above, each with the reason.
NOT_ISOLATED: dict[str, str] = {
    "set_language": "POST only: the language switch; holds no record",
    "home:switch_region": "POST only: switches among the user's own regions (tests/home/test_start_pages.py)",
    "accounts:logout": "POST only: ends the session",
    "accounts:password_set": "a one-time link from an e-mail: a signed token, not an id",
    "agenda:calendar_feed_ics": "read by calendar apps at a secret token, without login",
}
for _module in tests.records.modules():
    NOT_ISOLATED.update(getattr(_module, "NOT_ISOLATED", {}))


def urlconf_routes() -> dict[str, list[str]]:
    """Every named route of the URLconf, with the names of its arguments."""
    def walk_urls(resolver: URLResolver, namespace: tuple[str, ...], arguments: list[str]):
        for entry in resolver.url_patterns:
            names = arguments + list(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                yield from walk_urls(entry, namespace + ((entry.namespace,) if entry.namespace else ()), names)
            elif isinstance(entry, URLPattern) and entry.name:
                yield ":".join((*namespace, entry.name)), names

    return dict(walk_urls(get_resolver(), (), []))


def test_every_route_of_the_urlconf_is_isolation_tested():
    """A new page is tested as soon as it exists: it fails here until it has its line above (or in
    tests/records/<app>.py)."""
    records = {name for name, _ in RECORD_URLS}
    lists = {name for name, _ in LIST_URLS}
    missing = []
    for name, arguments in urlconf_routes().items():
        if name in NOT_ISOLATED:
            continue
        if arguments and name not in records and not (name in PAGE_ARGUMENTS and name in lists):
            missing.append(f"{name} (about one record: add it to RECORD_URLS with region A's record)")
        elif not arguments and name not in lists:
            missing.append(f"{name} (a page without an id: add it to LIST_URLS)")
    assert missing == [], "routes nobody tests for isolation:\n" + "\n".join(missing)


def test_every_listed_route_exists():
    routes = urlconf_routes()
    listed = [name for name, _ in RECORD_URLS + LIST_URLS] + list(PAGE_ARGUMENTS) + list(NOT_ISOLATED)
    assert sorted({name for name in listed if name not in routes}) == []
    record_names = [name for name, _ in RECORD_URLS]
    assert sorted({name for name in record_names if record_names.count(name) > 1}) == [], "listed twice"
    assert [name for name, arguments in routes.items() if name in record_names and not arguments] == []


def page_url(name: str) -> str:
    return reverse(name, kwargs=PAGE_ARGUMENTS.get(name))


@pytest.mark.parametrize("persona", B_PERSONAS)
@pytest.mark.parametrize(("name", "arguments"), RECORD_URLS, ids=[name for name, _ in RECORD_URLS])
def test_region_a_record_pages_are_404_for_region_b(regions, persona, name, arguments):
    url = reverse(name, kwargs=arguments(regions.a))
    client = client_for(regions.people[persona])
    # The highest id so far, not the count: PostgreSQL does not rewind sequences between tests.
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # A POST-only address answers GET with 405 whatever the record: that tells nothing about it.
    assert client.get(url).status_code in {404, 405}, f"GET {url}"
    assert client.get(url, headers={"HX-Request": "true"}).status_code in {404, 405}, f"htmx GET {url}"
    attempt = {"confirm": "1", "name": "Overgenomen", "role": Role.COORDINATOR}
    assert client.post(url, attempt).status_code == 404, f"POST {url}"
    assert not AuditEntry.objects.filter(pk__gt=before).exclude(event=AuditEvent.VIEW).exists()
    assert School.objects.filter(name="Overgenomen").count() == 0
    assert not Membership.objects.filter(user=regions.people[persona], region=regions.a.region).exists()


@pytest.mark.parametrize("persona", B_PERSONAS)
@pytest.mark.parametrize(("name", "query"), LIST_URLS, ids=[f"{n}{i}" for i, (n, _) in enumerate(LIST_URLS)])
def test_region_b_pages_never_show_region_a_names(regions, persona, name, query):
    url = page_url(name) + query(regions.a)
    response = client_for(regions.people[persona]).get(url)
    assert response.status_code in {200, 302, 403, 404}, url
    content = response.content.decode(errors="replace")
    shown = [text for text in regions.a.names if text in content]
    assert shown == [], f"{url} shows region A's {shown}"


def test_region_a_names_show_for_region_a(regions):
    """Guards the test above: the same pages do show these names to region A's coordinator."""
    client = client_for(regions.world.coordinator)
    pages = "".join(
        client.get(page_url(name) + query(regions.a)).content.decode()
        for name, query in LIST_URLS
        if name in {"regions:school_list", "network:organisation_list", "network:contact_finder"}
    )
    assert regions.world.school.name in pages
    assert regions.world.organisation.name in pages
