"""The pool: its members with FTE, home base and schools served, the region's total FTE, and how
managers keep it (FTE 0.05–1.00; only schools and a home base of the same region)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests.conftest import client_for

LIST = reverse("pool:member_list")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def member(world):
    return PoolMember.objects.get(user=world.brugfiguur)


def edit_post(world, **overrides):
    return {
        "fte": "0.80",
        "home_base": world.municipality.pk,
        "schools": [world.school.pk],
        "started_on": "2023-02-01",
        "active": "on",
    } | overrides


def test_list_shows_members_with_fte_home_base_schools_and_the_regions_total(world, member):
    member.schools.add(world.school, world.other_school)
    f.PoolMemberFactory(
        region=world.region,
        user=f.UserFactory(first_name="Oud"),
        fte=Decimal("0.5"),
        home_base=world.municipality,
        active=False,
    )
    response = client_for(world.schoolcontact).get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert str(world.brugfiguur) in content and str(world.brugfiguur2) in content
    assert "Atheneum Kortrijk" in content and "Sint-Amandscollege" in content
    assert response.context["pool"].total_fte == Decimal("1.80")  # the inactive member does not count
    assert "1.80" in content and "inactive" in content


def test_list_records_whose_names_were_shown(world):
    client_for(world.beleid).get(LIST)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="pool.poolmember")
    assert entry.actor == world.beleid and len(entry.changes["pool_members"]) == 2


def test_list_of_another_region_is_its_own_pool(world):
    response = client_for(world.foreign_brugfiguur).get(LIST)
    assert response.context["pool"].members == [] and str(world.brugfiguur) not in response.content.decode()


def test_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(16):
        client.get(LIST)
    schools = f.SchoolFactory.create_batch(5, region=world.region, municipality=world.municipality)
    for _ in range(12):
        f.PoolMemberFactory(region=world.region, home_base=world.municipality).schools.set(schools)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert len(response.context["pool"].members) == 14


def test_detail_shows_the_member_and_records_the_view(world, member):
    member.schools.add(world.school)
    response = client_for(world.partner).get(reverse("pool:member_detail", args=[member.pk]))
    content = response.content.decode()
    assert str(world.brugfiguur) in content and "0.90" in content and "Sint-Amandscollege" in content
    assert f"mailto:{world.brugfiguur.email}" in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="pool.poolmember")
    assert entry.subject_id == str(member.pk)


def test_manager_edits_fte_home_base_and_schools(world, member):
    home = f.MunicipalityFactory(region=world.region, name="Harelbeke")
    response = client_for(world.coordinator).post(
        reverse("pool:member_update", args=[member.pk]),
        edit_post(world, fte="0.5", home_base=home.pk, schools=[world.school.pk, world.other_school.pk]),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.fte == Decimal("0.50") and member.home_base == home
    assert set(member.schools.all()) == {world.school, world.other_school}
    changes = AuditEntry.objects.get(event=AuditEvent.UPDATE).changes
    assert changes["fte"] == {"old": "0.90", "new": "0.50"} and "schools" in changes


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fte": "0.01"}, "fte"),
        ({"fte": "1.5"}, "fte"),
        ({"fte": "half"}, "fte"),
        ({"fte": ""}, "fte"),
        ({"fte": "0.333"}, "fte"),
        ({"home_base": "999999"}, "home_base"),
        ({"home_base": ""}, "home_base"),
        ({"schools": ["abc"]}, "schools"),
        ({"schools": ["999999"]}, "schools"),
        ({"started_on": "31/02/2023"}, "started_on"),
    ],
)
def test_bad_pool_input_rerenders_the_form_and_changes_nothing(world, member, overrides, field):
    response = client_for(world.coordinator).post(
        reverse("pool:member_update", args=[member.pk]), edit_post(world, **overrides)
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    member.refresh_from_db()
    assert member.fte == Decimal("0.90") and list(member.schools.all()) == []
    assert not AuditEntry.objects.filter(event=AuditEvent.UPDATE).exists()


def test_schools_of_another_region_are_refused_with_a_clear_error(world, member):
    response = client_for(world.coordinator).post(
        reverse("pool:member_update", args=[member.pk]),
        edit_post(world, schools=[world.school.pk, world.foreign_school.pk]),
    )
    error = " ".join(response.context["form"].errors["schools"])
    assert "Only schools of this region can be served" in error
    assert list(member.schools.all()) == []


def test_home_base_of_another_region_is_refused(world, member):
    response = client_for(world.coordinator).post(
        reverse("pool:member_update", args=[member.pk]),
        edit_post(world, home_base=world.foreign_school.municipality_id),
    )
    assert response.context["form"].errors["home_base"] == ["Choose a municipality of this region."]
    member.refresh_from_db()
    assert member.home_base == world.municipality


def test_manager_adds_a_bridge_figure_of_the_region_to_the_pool(world):
    newcomer = f.user_with_role(Role.BRUGFIGUUR, world.region, first_name="Nieuw")
    client = client_for(world.coordinator)
    form = client.get(reverse("pool:member_create")).context["form"]
    assert list(form.fields["user"].queryset) == [newcomer]  # not the two already in the pool, not others
    response = client.post(reverse("pool:member_create"), edit_post(world, user=newcomer.pk))
    assert response.status_code == 302
    assert PoolMember.objects.get(user=newcomer).region == world.region


@pytest.mark.parametrize("who", ["in_pool", "partner", "foreign"])
def test_only_bridge_figures_of_the_region_not_yet_in_the_pool_can_be_added(world, who):
    user = {"in_pool": world.brugfiguur, "partner": world.partner, "foreign": world.foreign_brugfiguur}[who]
    response = client_for(world.coordinator).post(
        reverse("pool:member_create"), edit_post(world, user=user.pk)
    )
    assert response.status_code == 200 and "user" in response.context["form"].errors
    assert PoolMember.objects.count() == 2
