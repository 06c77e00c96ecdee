"""Schools: the searchable list (htmx or plain GET), the detail page with everyone who serves the
school, and the forms managers keep them with."""

import datetime

import pytest
from django.urls import reverse

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import School
from tests import factories as f
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


LIST = reverse("regions:school_list")


def names(response):
    return [school.name for school in response.context["page"].object_list]


# --- List, search, filters ----------------------------------------------------------------------


def test_list_shows_the_schools_of_the_users_region_with_their_zone_today(world):
    response = client_for(world.schoolcontact).get(LIST)
    assert names(response) == ["Atheneum Kortrijk", "Sint-Amandscollege"]
    assert all(school.zone_name_today == "Zone Kortrijk" for school in response.context["page"].object_list)
    assert "College Elders" not in response.content.decode()


def test_search_matches_school_name_or_municipality_and_every_word(world):
    menen = f.SchoolFactory(region=world.region, name="Sint-Aloysius", municipality__name="Menen")
    client = client_for(world.brugfiguur)
    assert names(client.get(LIST, {"q": "atheneum"})) == ["Atheneum Kortrijk"]
    assert names(client.get(LIST, {"q": "menen"})) == [menen.name]
    assert names(client.get(LIST, {"q": "sint kortrijk"})) == ["Sint-Amandscollege"]
    assert names(client.get(LIST, {"q": "Elders"})) == []  # another region's school


def test_filter_by_zone_uses_todays_membership_and_by_network(world):
    zone = f.ZoneFactory(region=world.region, name="Regio Menen")
    menen = f.MunicipalityFactory(region=world.region, name="Menen")
    f.ZoneMembershipFactory(
        zone=world.zone,
        municipality=menen,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2025, 1, 1),
    )
    f.ZoneMembershipFactory(zone=zone, municipality=menen, valid_from=datetime.date(2025, 1, 1))
    f.SchoolFactory(region=world.region, name="GO! Menen", municipality=menen, network="go")
    client = client_for(world.brugfiguur)
    assert names(client.get(LIST, {"zone": zone.pk})) == ["GO! Menen"]
    assert names(client.get(LIST, {"zone": world.zone.pk})) == ["Atheneum Kortrijk", "Sint-Amandscollege"]
    assert names(client.get(LIST, {"network": "go"})) == ["GO! Menen"]
    assert names(client.get(LIST, {"network": "katholiek", "q": "amand"})) == ["Sint-Amandscollege"]


@pytest.mark.parametrize(
    "params",
    [
        {"zone": "abc"},
        {"zone": "999999"},
        {"network": "nope"},
        {"page": "x"},
        {"page": "-3"},
        {"page": "99999"},
        {"q": "x" * 500},
        {"zone": "1.5", "page": "1e9"},
    ],
)
def test_bad_query_parameters_never_break_the_list(world, params):
    response = client_for(world.brugfiguur).get(LIST, params)
    assert response.status_code == 200


def test_zone_of_another_region_is_not_a_valid_filter(world):
    foreign_zone = f.ZoneFactory(region=world.other_region)
    response = client_for(world.coordinator).get(LIST, {"zone": foreign_zone.pk})
    assert "zone" in response.context["form"].errors
    assert len(names(response)) == 2  # the bad filter is ignored, not applied


def test_htmx_search_returns_only_the_results_fragment(world):
    response = client_for(world.brugfiguur).get(LIST, {"q": "atheneum"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="school-results">')
    assert "Atheneum Kortrijk" in content and "Sint-Amandscollege" not in content
    assert "<html" not in content and "<form" not in content


def test_htmx_history_restore_gets_the_whole_page_and_responses_vary_on_htmx(world):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client_for(world.brugfiguur).get(LIST, {"q": "atheneum"}, headers=headers)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_plain_get_form_renders_the_whole_page_with_the_search_form(world):
    content = client_for(world.brugfiguur).get(LIST, {"q": "atheneum"}).content.decode()
    assert "<form" in content and 'method="get"' in content and 'id="school-results"' in content
    assert 'value="atheneum"' in content


def test_list_is_paginated_and_keeps_the_search_in_page_links(world):
    for i in range(30):
        f.SchoolFactory(region=world.region, municipality=world.municipality, name=f"School {i:02}")
    client = client_for(world.brugfiguur)
    first = client.get(LIST, {"q": "school"})
    assert len(names(first)) == 25 and first.context["page"].paginator.count == 30
    assert "?q=school&amp;page=2" in first.content.decode()
    assert names(client.get(LIST, {"q": "school", "page": 2})) == [f"School {i}" for i in range(25, 30)]


def test_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.brugfiguur)
    with django_assert_max_num_queries(11):
        client.get(LIST)
    for i in range(40):
        f.SchoolFactory(region=world.region, name=f"Extra {i}")  # each in its own municipality, no zone
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert len(names(response)) == 25


# --- Detail -------------------------------------------------------------------------------------


def test_detail_shows_facts_zone_today_pool_and_contact_points_grouped_by_organisation(world):
    member = PoolMember.objects.get(user=world.brugfiguur)
    member.schools.add(world.school)
    clb = f.PartnerOrganisationFactory(region=world.region, name="CLB Kortrijk", type="clb")
    f.ContactPointFactory(organisation=clb, school=None, zone=world.zone, person_name="Zita Zone")
    f.ContactPointFactory(
        organisation=world.organisation,
        school=None,
        municipality=world.municipality,
        person_name="Guy Gemeente",
    )
    f.ContactPointFactory(
        organisation=world.organisation, school=world.other_school, person_name="Andere School"
    )
    response = client_for(world.partner).get(reverse("regions:school_detail", args=[world.school.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Sint-Amandscollege",
        "Schoolstraat 1",
        "Kortrijk",
        "Zone Kortrijk",
        "Catholic Education Flanders",
        "First grade A stream",
        "600",
        str(world.brugfiguur),
    ):
        assert text in content
    groups = [
        (g.organisation.name, [p.person_name for p in g.contact_points])
        for g in response.context["contact_groups"]
    ]
    assert groups == [
        ("CAW Zuid-West-Vlaanderen", ["An Contact", "Guy Gemeente"]),
        ("CLB Kortrijk", ["Zita Zone"]),
    ]
    assert "Andere School" not in content
    assert str(world.brugfiguur2) not in content  # does not serve this school


def test_detail_records_who_saw_which_people(world):
    client_for(world.brugfiguur).get(reverse("regions:school_detail", args=[world.school.pk]))
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="regions.school")
    assert entry.actor == world.brugfiguur and entry.subject_id == str(world.school.pk)
    assert entry.changes["contact_points"] == [world.contact_point.pk]


@pytest.mark.parametrize(
    ("persona", "school", "shown"),
    [
        ("brugfiguur", "school", True),
        ("coordinator", "other_school", True),
        ("schoolcontact", "school", True),  # their own school
        ("schoolcontact", "other_school", False),
        ("partner", "school", False),
        ("beleid", "school", False),
    ],
)
def test_detail_links_to_the_schools_expertise_for_whoever_may_see_its_activities(world, persona, school, shown):
    pk = getattr(world, school).pk
    response = client_for(world.persona(persona)).get(reverse("regions:school_detail", args=[pk]))
    assert response.status_code == 200
    assert response.context["can_see_expertise"] is shown
    link = f'href="{reverse("expertise:school_summary", args=[pk])}"'
    assert (link in response.content.decode()) is shown
    assert ("Expertise at this school" in response.content.decode()) is shown


# --- Create and edit ----------------------------------------------------------------------------


def valid_post(world, **overrides):
    data = {
        "name": "VTI Kortrijk",
        "postal_code": "8500",
        "municipality": world.municipality.pk,
        "network": "go",
        "education_forms": ["labour_market", "dual"],
        "pupil_count": "420",
        "institution_number": "123456",
        "email": "info@vti.test",
    }
    return data | overrides


def test_manager_adds_a_school_with_forms_of_education_as_checkboxes(world):
    client = client_for(world.coordinator)
    form_page = client.get(reverse("regions:school_create")).content.decode()
    assert 'type="checkbox" name="education_forms" value="dual_learning"' in form_page
    assert "<legend>Forms of education</legend>" in form_page
    response = client.post(reverse("regions:school_create"), valid_post(world))
    school = School.objects.get(name="VTI Kortrijk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "regions:school_detail", args=[school.pk]
    )
    assert school.region == world.region and school.education_forms == ["labour_market", "dual"]
    assert AuditEntry.objects.get(event=AuditEvent.CREATE).changes["education_forms"] == [
        "labour_market",
        "dual",
    ]


def test_manager_edits_a_school(world):
    url = reverse("regions:school_update", args=[world.school.pk])
    response = client_for(world.beheerder).post(
        url, valid_post(world, name="Sint-Amandscollege", pupil_count="612")
    )
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.pupil_count == 612 and world.school.network == "go"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"pupil_count": "veel"}, "pupil_count"),
        ({"pupil_count": "-1"}, "pupil_count"),
        ({"municipality": "999999"}, "municipality"),
        ({"municipality": "Kortrijk"}, "municipality"),
        ({"network": "unknown"}, "network"),
        ({"education_forms": ["a_stream", "hogeschool"]}, "education_forms"),
        ({"postal_code": "85"}, "postal_code"),
        ({"institution_number": "12AB"}, "institution_number"),
        ({"email": "geen-adres"}, "email"),
    ],
)
def test_bad_school_input_rerenders_the_form_with_errors_and_changes_nothing(world, overrides, field):
    client = client_for(world.coordinator)
    response = client.post(reverse("regions:school_create"), valid_post(world, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not School.objects.filter(name="VTI Kortrijk").exists()
    response = client.post(
        reverse("regions:school_update", args=[world.school.pk]),
        valid_post(world, name="Nieuwe naam", **overrides)
        if field != "name"
        else valid_post(world, **overrides),
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    world.school.refresh_from_db()
    assert world.school.name == "Sint-Amandscollege" and world.school.pupil_count == 600
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.CREATE, AuditEvent.UPDATE]).exists()


def test_school_in_a_municipality_of_another_region_is_refused(world):
    post = valid_post(world, municipality=world.foreign_school.municipality_id)
    response = client_for(world.coordinator).post(reverse("regions:school_create"), post)
    assert "municipality" in response.context["form"].errors
    assert not School.objects.filter(name="VTI Kortrijk").exists()


def test_duplicate_school_name_is_a_form_error(world):
    response = client_for(world.coordinator).post(
        reverse("regions:school_create"), valid_post(world, name="Atheneum Kortrijk")
    )
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].non_field_errors())
    assert School.objects.filter(name="Atheneum Kortrijk").count() == 1
