"""Start pages per role: each role sees first what it needs, and nothing it may not see."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.accounts.models import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests.conftest import client_for

START = reverse("home:start")


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def served(world):
    """bf1 serves the first school of region A (0.90 FTE); bf2 serves none."""
    member = PoolMember.objects.get(user=world.brugfiguur)
    member.schools.add(world.school)
    return member


def _page(user):
    response = client_for(user).get(START)
    assert response.status_code == 200
    return response, response.content.decode()


def test_bridge_figure_sees_their_schools_fte_and_the_contact_finder(world, served):
    response, content = _page(world.brugfiguur)
    section = response.context["brugfiguur"]
    assert section["schools"] == [world.school]
    assert section["member"].fte == Decimal("0.90")
    assert reverse("regions:school_detail", args=[world.school.pk]) in content
    assert reverse("network:contact_finder") in content
    assert "coordinator" not in response.context and "beleid" not in response.context


def test_bridge_figure_without_a_pool_place_is_told_so(world):
    user = f.user_with_role(Role.BRUGFIGUUR, world.region, username="nieuw-bf")
    response, content = _page(user)
    assert response.context["brugfiguur"]["member"] is None
    assert "not listed in the pool" in content


def test_coordinator_sees_the_pool_with_fte_schools_served_and_gaps(world, served):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    response, content = _page(world.coordinator)
    section = response.context["coordinator"]
    assert {m.user_id for m in section["members"]} == {world.brugfiguur.pk, world.brugfiguur2.pk}
    assert section["total_fte"] == Decimal("1.80")
    assert section["unserved_schools"] == [world.other_school]  # Atheneum has nobody yet
    assert section["users_without_second_factor"] == 6  # 7 people in region A, one with a device
    assert section["can_see_audit"] is True
    assert str(world.brugfiguur) in content and str(world.brugfiguur2) in content
    assert reverse("audit:entry_list") in content


def test_coordinator_start_page_records_the_pool_members_shown(world):
    client_for(world.coordinator).get(START)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="pool.poolmember")
    assert entry.region_id == world.region.pk
    members = PoolMember.objects.filter(region=world.region).values_list("pk", flat=True)
    assert sorted(entry.changes["shown"]) == sorted(members)


def test_coordinator_start_page_runs_the_same_queries_for_2_or_10_pool_members(
    world, served, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    client.get(START)
    with CaptureQueriesContext(connection) as two:
        client.get(START)
    for n in range(8):
        user = f.user_with_role(Role.BRUGFIGUUR, world.region, username=f"pool{n}")
        member = f.PoolMemberFactory(region=world.region, user=user, home_base=world.municipality)
        member.schools.add(world.school, world.other_school)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(START)
    assert len(response.context["coordinator"]["members"]) == 10


def test_school_contact_sees_their_school_its_bridge_figures_and_contact_points(world, served):
    world.brugfiguur.phone = "0470 12 34 56"
    world.brugfiguur.save()
    response, content = _page(world.schoolcontact)
    (school,) = response.context["schoolcontact"]["schools"]
    assert school == world.school
    assert [m.user for m in school.serving] == [world.brugfiguur]
    assert school.contacts == [world.contact_point]
    assert world.brugfiguur.email in content and "0470 12 34 56" in content
    assert "An Contact" in content
    assert str(world.brugfiguur2) not in content  # serves another school (none, in fact)
    shown = AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.schoolcontact)
    assert set(shown.values_list("subject_type", flat=True)) == {"pool.poolmember", "network.contactpoint"}


def test_partner_sees_their_organisation_and_its_contact_points(world):
    response, content = _page(world.partner)
    (organisation,) = response.context["partner"]["organisations"]
    assert organisation == world.organisation
    assert organisation.contacts == [world.contact_point]
    assert "CAW Zuid-West-Vlaanderen" in content and "An Contact" in content
    assert "Els Elders" not in content


def test_policy_maker_sees_figures_and_no_names(world, served):
    response, content = _page(world.beleid)
    section = response.context["beleid"]
    assert section["school_count"] == 2
    assert section["pupil_count"] == 1200
    assert section["fte"] == Decimal("1.80")
    assert section["zone_count"] == 1
    for name in (
        str(world.brugfiguur),
        str(world.brugfiguur2),
        "An Contact",
        "Sint-Amandscollege",
        world.brugfiguur.email,
        str(world.coordinator),
    ):
        assert name not in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.beleid).exists()


def test_administrator_sees_account_figures_and_recent_login_trouble(world):
    record(
        actor=Actor(user=None, ip="10.1.2.3"),
        actor_label="bf1",
        event=AuditEvent.LOGIN_FAILED,
        subject=world.brugfiguur,
        region_id=world.region.pk,
    )
    record(
        actor=Actor(user=None, ip="10.9.9.9"),
        actor_label="bf-b",
        event=AuditEvent.LOCKED_OUT,
        subject=world.foreign_brugfiguur,
        region_id=world.other_region.pk,
    )
    response, content = _page(world.beheerder)
    section = response.context["beheerder"]
    assert section["user_count"] == 7
    assert section["users_without_second_factor"] == 7
    assert [e.event for e in section["trouble"]] == [AuditEvent.LOGIN_FAILED]
    assert "10.1.2.3" in content and "10.9.9.9" not in content
    assert reverse("accounts:user_list") in content


def test_coordinator_of_region_b_sees_nothing_of_region_a(world, served):
    response, content = _page(world.foreign_coordinator)
    section = response.context["coordinator"]
    assert section["members"] == [] and section["total_fte"] == 0
    assert str(world.brugfiguur) not in content and "Sint-Amandscollege" not in content


def test_user_without_a_role_is_told_to_ask_for_one(db):
    response, content = _page(f.UserFactory())
    assert "do not hold a role" in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW).exists()
