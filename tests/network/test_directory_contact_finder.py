""" "Who is my contact?": for a school, the contact point on the most specific scope wins — the
school's own, else its municipality's, else the one of the zone its municipality is in that day."""

import datetime

import pytest
from django.urls import reverse

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.network.models import PartnerType
from brugwerk.network.selectors import FoundOn, contact_points_by_organisation, contact_points_for
from tests import factories as f
from tests.conftest import client_for

FINDER = reverse("network:contact_finder")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clb(world):
    """A CLB with a contact point on each scope for the world's municipality and zone."""
    clb = f.PartnerOrganisationFactory(region=world.region, name="CLB Kortrijk", type=PartnerType.CLB)
    zone_cp = f.ContactPointFactory(organisation=clb, school=None, zone=world.zone, person_name="Zita Zone")
    municipality_cp = f.ContactPointFactory(
        organisation=clb, school=None, municipality=world.municipality, person_name="Guy Gemeente"
    )
    school_cp = f.ContactPointFactory(organisation=clb, school=world.school, person_name="Sam School")
    return clb, zone_cp, municipality_cp, school_cp


def people(points):
    return [point.person_name for point in points]


# --- The selector -------------------------------------------------------------------------------


def test_school_contact_point_beats_municipality_and_zone(world, clb):
    organisation = clb[0]
    points = contact_points_for(user=world.brugfiguur, school=world.school, organisation=organisation)
    assert people(points) == ["Sam School"] and points[0].found_on == FoundOn.SCHOOL


def test_municipality_contact_point_beats_zone(world, clb):
    organisation = clb[0]
    points = contact_points_for(user=world.brugfiguur, school=world.other_school, organisation=organisation)
    assert people(points) == ["Guy Gemeente"] and points[0].found_on == FoundOn.MUNICIPALITY


def test_zone_contact_point_answers_when_nothing_more_specific_exists(world, clb):
    organisation, zone_cp, municipality_cp, school_cp = clb
    municipality_cp.delete()
    points = contact_points_for(user=world.brugfiguur, school=world.other_school, organisation=organisation)
    assert people(points) == ["Zita Zone"] and points[0].found_on == FoundOn.ZONE


def test_several_contact_points_on_the_winning_scope_all_answer(world, clb):
    organisation = clb[0]
    f.ContactPointFactory(organisation=organisation, school=world.school, person_name="Ann Andere")
    points = contact_points_for(user=world.brugfiguur, school=world.school, organisation=organisation)
    assert people(points) == ["Ann Andere", "Sam School"]


def test_each_organisation_answers_on_its_own_most_specific_scope(world, clb):
    points = contact_points_for(user=world.coordinator, school=world.other_school)
    assert [(p.organisation.name, p.person_name) for p in points] == [("CLB Kortrijk", "Guy Gemeente")]
    points = contact_points_for(user=world.coordinator, school=world.school)
    assert [(p.organisation.name, p.person_name) for p in points] == [
        ("CAW Zuid-West-Vlaanderen", "An Contact"),
        ("CLB Kortrijk", "Sam School"),
    ]


def test_partner_type_narrows_to_organisations_of_that_type(world, clb):
    assert people(
        contact_points_for(user=world.coordinator, school=world.school, partner_type=PartnerType.CLB)
    ) == ["Sam School"]
    assert people(
        contact_points_for(user=world.coordinator, school=world.school, partner_type=PartnerType.CAW)
    ) == ["An Contact"]
    assert (
        contact_points_for(user=world.coordinator, school=world.school, partner_type=PartnerType.AGODI) == []
    )


def test_dated_zone_membership_decides_which_zone_answers(world):
    """Menen moved from Zone Kortrijk to Regio Menen on 1 January 2025: the zone contact point that
    answers for a Menen school depends on the day."""
    regio_menen = f.ZoneFactory(region=world.region, name="Regio Menen")
    menen = f.MunicipalityFactory(region=world.region, name="Menen")
    f.ZoneMembershipFactory(
        zone=world.zone,
        municipality=menen,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2025, 1, 1),
    )
    f.ZoneMembershipFactory(zone=regio_menen, municipality=menen, valid_from=datetime.date(2025, 1, 1))
    school = f.SchoolFactory(region=world.region, municipality=menen, name="Sint-Aloysius Menen")
    ocmw = f.PartnerOrganisationFactory(region=world.region, name="OCMW", type=PartnerType.OCMW)
    f.ContactPointFactory(organisation=ocmw, school=None, zone=world.zone, person_name="Oud Kortrijk")
    f.ContactPointFactory(organisation=ocmw, school=None, zone=regio_menen, person_name="Nieuw Menen")
    on = {
        d: people(contact_points_for(user=world.brugfiguur, school=school, organisation=ocmw, on=d))
        for d in (datetime.date(2024, 12, 31), datetime.date(2025, 1, 1))
    }
    assert on == {datetime.date(2024, 12, 31): ["Oud Kortrijk"], datetime.date(2025, 1, 1): ["Nieuw Menen"]}
    assert people(contact_points_for(user=world.brugfiguur, school=school, organisation=ocmw)) == [
        "Nieuw Menen"
    ]


def test_a_municipality_without_zone_today_gets_no_zone_contact(world):
    school = f.SchoolFactory(region=world.region, name="Zonder Zone")  # its own municipality, in no zone
    f.ContactPointFactory(
        organisation=world.organisation, school=None, zone=world.zone, person_name="Zita Zone"
    )
    assert contact_points_for(user=world.brugfiguur, school=school) == []


def test_nothing_from_another_region(world):
    # a user of region B asking about a school of region A gets nothing, whatever they pass
    assert contact_points_for(user=world.foreign_coordinator, school=world.school) == []
    assert (
        contact_points_for(
            user=world.foreign_coordinator, school=world.school, organisation=world.foreign_organisation
        )
        == []
    )
    # an organisation of region B never answers for a school of region A, not even for its coordinator
    world.foreign_contact_point.school = None
    world.foreign_contact_point.municipality = world.municipality  # a broken cross-region record
    world.foreign_contact_point.save()
    assert people(contact_points_for(user=world.coordinator, school=world.school)) == ["An Contact"]
    assert contact_points_by_organisation(user=world.foreign_coordinator, school=world.school) == []


def test_by_organisation_lists_every_relevant_scope_most_specific_first(world, clb):
    groups = contact_points_by_organisation(user=world.beleid, school=world.school)
    assert [(g.organisation.name, people(g.contact_points)) for g in groups] == [
        ("CAW Zuid-West-Vlaanderen", ["An Contact"]),
        ("CLB Kortrijk", ["Sam School", "Guy Gemeente", "Zita Zone"]),
    ]


# --- The page -----------------------------------------------------------------------------------


def test_page_answers_with_name_function_tel_and_mailto_links_notes_and_scope(world, clb):
    organisation = clb[0]
    point = clb[2]
    point.notes = "Liefst dinsdagvoormiddag"
    point.phone = "+32 (0)56 24 16 00"
    point.save()
    response = client_for(world.brugfiguur).get(
        FINDER, {"school": world.other_school.pk, "organisation": organisation.pk}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Guy Gemeente" in content and "Onthaalmedewerker" in content
    assert 'href="tel:+3256241600"' in content
    assert f'href="mailto:{point.email}"' in content
    assert "Liefst dinsdagvoormiddag" in content
    assert "for the school&#x27;s municipality (Kortrijk)" in content
    assert "Sam School" not in content and "Zita Zone" not in content


def test_page_records_which_contact_points_were_shown(world, clb):
    client_for(world.partner).get(FINDER, {"school": world.school.pk, "type": PartnerType.CLB})
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="network.contactpoint")
    assert entry.actor == world.partner and entry.region_id == world.region.pk
    assert entry.changes["contact_points"] == [clb[3].pk] and entry.changes["school"] == world.school.pk


def test_school_contact_gets_the_answer_for_their_own_school_straight_away(world):
    response = client_for(world.schoolcontact).get(FINDER)
    assert response.context["form"]["school"].value() == str(world.school.pk)
    assert people(response.context["answers"]) == ["An Contact"]


def test_other_roles_start_with_an_empty_question(world):
    response = client_for(world.brugfiguur).get(FINDER)
    assert response.context["answered"] is False
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW).exists()


def test_no_contact_point_shows_the_organisations_general_contact(world):
    agodi = f.PartnerOrganisationFactory(
        region=world.region, name="AGODI", type=PartnerType.AGODI, phone="02 553 00 00"
    )
    content = (
        client_for(world.brugfiguur)
        .get(FINDER, {"school": world.school.pk, "organisation": agodi.pk})
        .content.decode()
    )
    assert "AGODI has no fixed contact point" in content and 'href="tel:025530000"' in content


def test_htmx_returns_only_the_answer(world):
    response = client_for(world.brugfiguur).get(
        FINDER, {"school": world.school.pk}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="contact-answer">') and "An Contact" in content
    assert "<form" not in content


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"school": "abc"}, "school"),
        ({"school": "999999"}, "school"),
        ({"organisation": "x"}, "organisation"),
        ({"type": "nope"}, "type"),
    ],
)
def test_bad_parameters_show_a_clear_error_instead_of_an_answer(world, params, field):
    response = client_for(world.brugfiguur).get(FINDER, {"school": world.school.pk, **params})
    assert field in response.context["form"].errors
    assert response.status_code == 200 and response.context["answered"] is False
    assert response.context["form"].errors
    assert "Check your choices" in response.content.decode()


def test_schools_and_organisations_of_another_region_cannot_be_asked_about(world):
    response = client_for(world.foreign_coordinator).get(FINDER, {"school": world.school.pk})
    assert "school" in response.context["form"].errors
    assert "An Contact" not in response.content.decode()
    response = client_for(world.coordinator).get(
        FINDER, {"school": world.school.pk, "organisation": world.foreign_organisation.pk}
    )
    assert "organisation" in response.context["form"].errors


def test_page_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.brugfiguur)
    with django_assert_max_num_queries(19):
        client.get(FINDER, {"school": world.school.pk})
    for _ in range(15):
        organisation = f.PartnerOrganisationFactory(region=world.region)
        f.ContactPointFactory(organisation=organisation, school=world.school)
        f.ContactPointFactory(organisation=organisation, school=None, zone=world.zone)
    with django_assert_max_num_queries(19):
        response = client.get(FINDER, {"school": world.school.pk})
    assert len(response.context["answers"]) == 16
