"""Personas (after healthchecks' alice, bob and charlie): one user per role in region A, a second
brugfiguur, and a coordinator and brugfiguur of region B, which must see nothing of A."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.regions.models import Region, School
from tests import factories as f


@dataclass
class World:
    region: Region
    other_region: Region
    school: School
    other_school: School  # a second school in region A
    foreign_school: School  # a school in region B
    organisation: object
    foreign_organisation: object
    contact_point: object
    foreign_contact_point: object
    zone: object
    municipality: object
    brugfiguur: User
    brugfiguur2: User
    coordinator: User
    schoolcontact: User
    partner: User
    beleid: User
    beheerder: User
    foreign_coordinator: User
    foreign_brugfiguur: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


PERSONAS = [
    "brugfiguur",
    "brugfiguur2",
    "coordinator",
    "schoolcontact",
    "partner",
    "beleid",
    "beheerder",
    "foreign_coordinator",
    "foreign_brugfiguur",
]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_world() -> World:
    """The personas and their records; call inside a database transaction."""
    region = f.RegionFactory(name="Regio A", slug="regio-a")
    other = f.RegionFactory(name="Regio B", slug="regio-b")
    zone = f.ZoneFactory(region=region, name="Zone Kortrijk")
    membership = f.ZoneMembershipFactory(zone=zone, municipality__name="Kortrijk")
    municipality = membership.municipality
    school = f.SchoolFactory(region=region, municipality=municipality, name="Sint-Amandscollege")
    other_school = f.SchoolFactory(region=region, municipality=municipality, name="Atheneum Kortrijk")
    foreign_school = f.SchoolFactory(region=other, name="College Elders")
    organisation = f.PartnerOrganisationFactory(region=region, name="CAW Zuid-West-Vlaanderen")
    foreign_org = f.PartnerOrganisationFactory(region=other, name="CAW Elders")
    contact_point = f.ContactPointFactory(organisation=organisation, school=school, person_name="An Contact")
    foreign_cp = f.ContactPointFactory(organisation=foreign_org, school=foreign_school, person_name="Els Elders")
    users = {
        "brugfiguur": f.user_with_role(Role.BRUGFIGUUR, region, username="bf1"),
        "brugfiguur2": f.user_with_role(Role.BRUGFIGUUR, region, username="bf2"),
        "coordinator": f.user_with_role(Role.COORDINATOR, region, username="coord"),
        "schoolcontact": f.user_with_role(Role.SCHOOLCONTACT, region, school=school, username="school"),
        "partner": f.user_with_role(Role.PARTNER, region, organisation=organisation, username="partner"),
        "beleid": f.user_with_role(Role.BELEID, region, username="beleid"),
        "beheerder": f.user_with_role(Role.BEHEERDER, region, username="beheer"),
        "foreign_coordinator": f.user_with_role(Role.COORDINATOR, other, username="coord-b"),
        "foreign_brugfiguur": f.user_with_role(Role.BRUGFIGUUR, other, username="bf-b"),
    }
    f.PoolMemberFactory(region=region, user=users["brugfiguur"], home_base=municipality)
    f.PoolMemberFactory(region=region, user=users["brugfiguur2"], home_base=municipality)
    return World(
        region=region, other_region=other, school=school, other_school=other_school,
        foreign_school=foreign_school, organisation=organisation, foreign_organisation=foreign_org,
        contact_point=contact_point, foreign_contact_point=foreign_cp, zone=zone,
        municipality=municipality, **users,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Unit tests log in without TOTP unless a test turns it on (the 2FA tests do), and hash
    passwords with a fast hasher: the real one costs ~0.3 s a user."""
    settings.BRUGWERK_REQUIRE_2FA = False
    settings.PASSWORD_HASHERS = FAST_HASHERS


SHARED_SCOPES = {"module", "class", "package"}


@pytest.hookimpl(tryfirst=True)
@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the node ids
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs `-n auto --dist loadgroup`), a module with a test that uses
    a module- or class-scoped fixture of ours (a demo or a region built once and rolled back
    afterwards) runs whole on one worker: all its tests, so that no test of another module comes in
    between and makes pytest tear the fixture down and build it again. Every other test goes to
    whichever worker is free. Runs before xdist reads the groups."""

    def uses_a_shared_fixture(item) -> bool:
        info = getattr(item, "_fixtureinfo", None)
        return info is not None and any(
            fixturedef.scope in SHARED_SCOPES and str(getattr(fixturedef, "baseid", "")).startswith("tests")
            for fixturedefs in info.name2fixturedefs.values()
            for fixturedef in fixturedefs
        )

    def module_of(item) -> str:
        return item.nodeid.split("::")[0]

    shared_modules = {module_of(item) for item in items if uses_a_shared_fixture(item)}
    for item in items:
        if module_of(item) in shared_modules and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(module_of(item)))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="brugwerk.accounts.backends.UsernameOrEmailBackend")
    return client


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
