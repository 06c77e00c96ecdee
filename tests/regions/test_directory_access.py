"""Who may use which directory page: every role of the region reads the directory, only the
coordinator and the administrator change it, and nobody of another region gets anything of it."""

import pytest
from django.urls import reverse

from brugwerk.audit.models import AuditEntry
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, School, Zone, ZoneMembership
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


READERS = ["brugfiguur", "schoolcontact", "partner", "beleid"]
MANAGERS = ["coordinator", "beheerder"]


def _pool_member(world):
    return PoolMember.objects.get(user=world.brugfiguur)


def _membership(world):
    return ZoneMembership.objects.get(zone=world.zone)


# (url name, how to find the record's pk in the world); None for pages without a record.
LIST_PAGES = [
    ("regions:overview", None),
    ("regions:school_list", None),
    ("network:organisation_list", None),
    ("network:contact_finder", None),
    ("pool:member_list", None),
]
DETAIL_PAGES = [
    ("regions:school_detail", lambda w: w.school.pk),
    ("network:organisation_detail", lambda w: w.organisation.pk),
    ("pool:member_detail", lambda w: _pool_member(w).pk),
]
CREATE_PAGES = [
    ("regions:zone_create", None),
    ("regions:municipality_create", None),
    ("regions:zone_membership_create", None),
    ("regions:school_create", None),
    ("network:organisation_create", None),
    ("network:contact_point_create", lambda w: w.organisation.pk),
    ("pool:member_create", None),
]
EDIT_PAGES = [
    ("regions:zone_update", lambda w: w.zone.pk),
    ("regions:municipality_update", lambda w: w.municipality.pk),
    ("regions:zone_membership_end", lambda w: _membership(w).pk),
    ("regions:school_update", lambda w: w.school.pk),
    ("network:organisation_update", lambda w: w.organisation.pk),
    ("network:contact_point_update", lambda w: w.contact_point.pk),
    ("network:contact_point_delete", lambda w: w.contact_point.pk),
    ("pool:member_update", lambda w: _pool_member(w).pk),
]


def url_of(world, name, pk_of):
    return reverse(name, args=[pk_of(world)] if pk_of else [])


def counts():
    return [
        model.objects.count()
        for model in (
            Zone,
            Municipality,
            ZoneMembership,
            School,
            PartnerOrganisation,
            ContactPoint,
            PoolMember,
        )
    ]


@pytest.mark.parametrize("persona", READERS + MANAGERS)
@pytest.mark.parametrize(("name", "pk_of"), LIST_PAGES + DETAIL_PAGES)
def test_every_role_of_the_region_reads_the_directory(world, persona, name, pk_of):
    response = client_for(world.persona(persona)).get(url_of(world, name, pk_of))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize(("name", "pk_of"), CREATE_PAGES + EDIT_PAGES)
def test_readers_get_404_on_create_and_edit_pages_and_change_nothing(world, persona, name, pk_of):
    client = client_for(world.persona(persona))
    url = url_of(world, name, pk_of)
    before = counts()
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"name": "Overgenomen", "valid_until": "2030-01-01", "fte": "0.5"}).status_code
        == 404
    )
    assert counts() == before
    assert not AuditEntry.objects.filter(event__in=["create", "update", "delete"]).exists()


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize(("name", "pk_of"), CREATE_PAGES + EDIT_PAGES)
def test_managers_open_create_and_edit_pages(world, persona, name, pk_of):
    response = client_for(world.persona(persona)).get(url_of(world, name, pk_of))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["foreign_coordinator", "foreign_brugfiguur"])
@pytest.mark.parametrize(("name", "pk_of"), DETAIL_PAGES + EDIT_PAGES + [CREATE_PAGES[5]])
def test_users_of_another_region_get_404_on_every_record_of_this_region(world, persona, name, pk_of):
    client = client_for(world.persona(persona))
    url = url_of(world, name, pk_of)
    before = counts()
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"name": "Overgenomen", "person_name": "X", "school": world.school.pk}).status_code
        == 404
    )
    assert counts() == before
    world.school.refresh_from_db()
    world.organisation.refresh_from_db()
    assert world.school.name == "Sint-Amandscollege" and world.organisation.name == "CAW Zuid-West-Vlaanderen"


@pytest.mark.parametrize(("name", "pk_of"), LIST_PAGES)
def test_lists_of_another_region_show_nothing_of_this_region(world, name, pk_of):
    response = client_for(world.foreign_coordinator).get(url_of(world, name, pk_of))
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Sint-Amandscollege",
        "CAW Zuid-West-Vlaanderen",
        "An Contact",
        "Zone Kortrijk",
        str(world.brugfiguur),
    ):
        assert text not in content


def test_detail_and_edit_pages_of_missing_records_are_404(world):
    client = client_for(world.coordinator)
    for name, pk_of in DETAIL_PAGES + EDIT_PAGES:
        if pk_of is not None:
            assert client.get(reverse(name, args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name, pk_of in LIST_PAGES + DETAIL_PAGES + CREATE_PAGES:
        response = client.get(url_of(world, name, pk_of))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_edit_buttons_are_shown_to_managers_only(world):
    url = reverse("regions:school_detail", args=[world.school.pk])
    edit = reverse("regions:school_update", args=[world.school.pk])
    assert edit in client_for(world.coordinator).get(url).content.decode()
    assert edit not in client_for(world.brugfiguur).get(url).content.decode()
    add = reverse("network:organisation_create")
    assert add in client_for(world.beheerder).get(reverse("network:organisation_list")).content.decode()
    assert add not in client_for(world.partner).get(reverse("network:organisation_list")).content.decode()
