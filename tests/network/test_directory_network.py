"""Partner organisations and their fixed contact points: the list, the detail page, and how
managers keep them (a contact point answers for exactly one school, municipality or zone)."""

import pytest
from django.urls import reverse

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from tests import factories as f
from tests.conftest import client_for

LIST = reverse("network:organisation_list")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


def names(response):
    return [organisation.name for organisation in response.context["page"].object_list]


def write_events():
    return AuditEntry.objects.filter(event__in=[AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.DELETE])


# --- Organisations ------------------------------------------------------------------------------


def test_list_filters_by_type_and_searches_by_name(world):
    f.PartnerOrganisationFactory(region=world.region, name="CLB GO Kortrijk", type=PartnerType.CLB)
    f.PartnerOrganisationFactory(region=world.region, name="CLB Katholiek Onderwijs", type=PartnerType.CLB)
    client = client_for(world.beleid)
    assert names(client.get(LIST)) == [
        "CAW Zuid-West-Vlaanderen",
        "CLB GO Kortrijk",
        "CLB Katholiek Onderwijs",
    ]
    assert names(client.get(LIST, {"type": "clb"})) == ["CLB GO Kortrijk", "CLB Katholiek Onderwijs"]
    assert names(client.get(LIST, {"type": "clb", "q": "go"})) == ["CLB GO Kortrijk"]
    assert names(client.get(LIST, {"q": "elders"})) == []  # another region's organisation


def test_list_counts_contact_points_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.brugfiguur)
    with django_assert_max_num_queries(10):
        client.get(LIST)
    for _ in range(20):
        organisation = f.PartnerOrganisationFactory(region=world.region, municipality=world.municipality)
        f.ContactPointFactory.create_batch(2, organisation=organisation, school=world.school)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    counts = {o.name: o.contact_point_count for o in response.context["page"].object_list}
    assert counts.pop("CAW Zuid-West-Vlaanderen") == 1 and set(counts.values()) == {2}


@pytest.mark.parametrize("params", [{"type": "nope"}, {"page": "abc"}, {"q": "%_'\""}])
def test_bad_list_parameters_are_harmless(world, params):
    assert client_for(world.brugfiguur).get(LIST, params).status_code == 200


def test_htmx_list_returns_the_results_fragment(world):
    response = client_for(world.brugfiguur).get(LIST, {"q": "caw"}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="organisation-results">')


def test_detail_shows_contact_points_with_their_scope_and_records_the_view(world):
    f.ContactPointFactory(
        organisation=world.organisation, school=None, zone=world.zone, person_name="Zita Zone"
    )
    response = client_for(world.partner).get(
        reverse("network:organisation_detail", args=[world.organisation.pk])
    )
    content = response.content.decode()
    assert "An Contact" in content and "School: Sint-Amandscollege" in content
    assert "Zita Zone" in content and "Zone: Zone Kortrijk" in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="network.partnerorganisation")
    assert entry.actor == world.partner and len(entry.changes["contact_points"]) == 2
    assert reverse("network:contact_point_update", args=[world.contact_point.pk]) not in content


def test_manager_adds_and_edits_an_organisation(world):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("network:organisation_create"),
        {
            "name": "OCMW Kortrijk",
            "type": "ocmw",
            "municipality": world.municipality.pk,
            "phone": "056 24 40 00",
            "email": "info@ocmw.test",
            "website": "https://ocmw.test",
        },
    )
    organisation = PartnerOrganisation.objects.get(name="OCMW Kortrijk")
    assert response.status_code == 302 and organisation.region == world.region
    response = client.post(
        reverse("network:organisation_update", args=[organisation.pk]),
        {"name": "Sociaal Huis Kortrijk", "type": "ocmw"},
    )
    organisation.refresh_from_db()
    assert organisation.name == "Sociaal Huis Kortrijk" and organisation.municipality is None
    assert [e.event for e in write_events().order_by("seq")] == [AuditEvent.CREATE, AuditEvent.UPDATE]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "type": "caw"}, "name"),
        ({"name": "X", "type": "bank"}, "type"),
        ({"name": "X", "type": "caw", "municipality": "999999"}, "municipality"),
        ({"name": "X", "type": "caw", "website": "geen url"}, "website"),
        ({"name": "X", "type": "caw", "email": "x@"}, "email"),
    ],
)
def test_bad_organisation_input_changes_nothing(world, data, field):
    client = client_for(world.coordinator)
    response = client.post(reverse("network:organisation_create"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    response = client.post(reverse("network:organisation_update", args=[world.organisation.pk]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert PartnerOrganisation.objects.filter(region=world.region).count() == 1
    world.organisation.refresh_from_db()
    assert world.organisation.name == "CAW Zuid-West-Vlaanderen"
    assert not write_events().exists()


def test_organisation_in_a_municipality_of_another_region_is_refused(world):
    response = client_for(world.coordinator).post(
        reverse("network:organisation_create"),
        {"name": "X", "type": "caw", "municipality": world.foreign_school.municipality_id},
    )
    assert "municipality" in response.context["form"].errors


# --- Contact points -----------------------------------------------------------------------------


def contact_post(**overrides):
    return {
        "person_name": "Mia Mertens",
        "function": "Consulent",
        "phone": "056 11 22 33",
        "email": "mia@caw.test",
        "notes": "Op dinsdag",
        "school": "",
        "municipality": "",
        "zone": "",
    } | overrides


def test_manager_adds_a_contact_point_for_a_zone(world):
    url = reverse("network:contact_point_create", args=[world.organisation.pk])
    response = client_for(world.coordinator).post(url, contact_post(zone=world.zone.pk))
    assert response.status_code == 302
    point = ContactPoint.objects.get(person_name="Mia Mertens")
    assert point.organisation == world.organisation and point.zone == world.zone and point.school is None
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE)
    assert entry.region_id == world.region.pk and entry.changes["person_name"] == "Mia Mertens"


@pytest.mark.parametrize("scope", ["none", "two", "three"])
def test_contact_point_without_or_with_several_scopes_gets_a_clear_error(world, scope):
    chosen = {
        "none": {},
        "two": {"school": world.school.pk, "zone": world.zone.pk},
        "three": {"school": world.school.pk, "municipality": world.municipality.pk, "zone": world.zone.pk},
    }[scope]
    url = reverse("network:contact_point_create", args=[world.organisation.pk])
    response = client_for(world.coordinator).post(url, contact_post(**chosen))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert list(errors) == [
        "Choose exactly one of school, municipality or zone: the place this contact point answers for."
    ]
    assert "Answers for (choose exactly one)" in response.content.decode()
    assert not ContactPoint.objects.filter(person_name="Mia Mertens").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person_name": "", "zone": "ZONE"}, "person_name"),
        ({"zone": "999999"}, "zone"),
        ({"school": "abc"}, "school"),
        ({"email": "mia at caw", "zone": "ZONE"}, "email"),
    ],
)
def test_bad_contact_point_input_changes_nothing(world, overrides, field):
    overrides = {k: (world.zone.pk if v == "ZONE" else v) for k, v in overrides.items()}
    client = client_for(world.coordinator)
    response = client.post(
        reverse("network:contact_point_create", args=[world.organisation.pk]), contact_post(**overrides)
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    response = client.post(
        reverse("network:contact_point_update", args=[world.contact_point.pk]), contact_post(**overrides)
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    world.contact_point.refresh_from_db()
    assert world.contact_point.person_name == "An Contact" and world.contact_point.school == world.school
    assert ContactPoint.objects.count() == 2 and not write_events().exists()


def test_contact_point_for_a_school_of_another_region_is_refused(world):
    url = reverse("network:contact_point_create", args=[world.organisation.pk])
    response = client_for(world.coordinator).post(url, contact_post(school=world.foreign_school.pk))
    assert "school" in response.context["form"].errors
    assert not ContactPoint.objects.filter(person_name="Mia Mertens").exists()


def test_manager_moves_a_contact_point_from_school_to_municipality(world):
    url = reverse("network:contact_point_update", args=[world.contact_point.pk])
    response = client_for(world.beheerder).post(
        url, contact_post(person_name="An Contact", municipality=world.municipality.pk)
    )
    assert response.status_code == 302
    world.contact_point.refresh_from_db()
    assert world.contact_point.school is None and world.contact_point.municipality == world.municipality
    changes = AuditEntry.objects.get(event=AuditEvent.UPDATE).changes
    assert changes["school"] == {"old": world.school.pk, "new": None}
    assert changes["municipality"] == {"old": None, "new": world.municipality.pk}


def test_manager_deletes_a_contact_point_after_confirming(world):
    url = reverse("network:contact_point_delete", args=[world.contact_point.pk])
    client = client_for(world.coordinator)
    confirm = client.get(url)
    assert "Delete contact point An Contact?" in confirm.content.decode()
    assert ContactPoint.objects.filter(pk=world.contact_point.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:organisation_detail", args=[world.organisation.pk])
    assert not ContactPoint.objects.filter(pk=world.contact_point.pk).exists()
    assert AuditEntry.objects.get(event=AuditEvent.DELETE).changes["person_name"] == "An Contact"
