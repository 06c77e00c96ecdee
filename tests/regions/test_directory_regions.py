"""The region overview: zones with the municipalities they hold today, the dated history of zone
membership (zones were redrawn on 1 January 2025), and how managers keep it up to date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.regions import selectors
from brugwerk.regions.models import Municipality, Zone, ZoneMembership
from brugwerk.regions.services import zone_membership_create
from tests import factories as f
from tests.conftest import client_for

REDRAWN = datetime.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def redrawn(world):
    """Lendelede moved from zone RITS to Zone Kortrijk on 1 January 2025."""
    rits = f.ZoneFactory(region=world.region, name="ELZ RITS")
    lendelede = f.MunicipalityFactory(region=world.region, name="Lendelede")
    f.ZoneMembershipFactory(
        zone=rits, municipality=lendelede, valid_from=datetime.date(2020, 1, 1), valid_until=REDRAWN
    )
    f.ZoneMembershipFactory(zone=world.zone, municipality=lendelede, valid_from=REDRAWN)
    return rits, lendelede


def membership_counts():
    return ZoneMembership.objects.count(), list(ZoneMembership.objects.values_list("valid_until", flat=True))


# --- Reading ------------------------------------------------------------------------------------


def test_zones_hold_the_municipalities_of_the_day(world, redrawn):
    rits, lendelede = redrawn
    before = {
        z.name: [m.municipality.name for m in z.current_memberships]
        for z in selectors.zones_with_municipalities(
            user=world.brugfiguur, region=world.region, on=datetime.date(2024, 6, 1)
        )
    }
    after = {
        z.name: [m.municipality.name for m in z.current_memberships]
        for z in selectors.zones_with_municipalities(
            user=world.brugfiguur, region=world.region, on=datetime.date(2025, 6, 1)
        )
    }
    assert before == {"ELZ RITS": ["Lendelede"], "Zone Kortrijk": ["Kortrijk"]}
    assert after == {"ELZ RITS": [], "Zone Kortrijk": ["Kortrijk", "Lendelede"]}
    # the end date is exclusive: on the day of the redrawing Lendelede is already in the new zone
    assert selectors.zone_of(user=world.brugfiguur, municipality=lendelede, on=REDRAWN) == world.zone


def test_overview_shows_todays_zones_and_the_whole_history(world, redrawn):
    response = client_for(world.beleid).get(reverse("regions:overview"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ELZ RITS" in content and "Lendelede" in content
    history = response.context["history"]
    assert [(m.municipality.name, m.zone.name, m.status) for m in history] == [
        ("Kortrijk", "Zone Kortrijk", "current"),
        ("Lendelede", "ELZ RITS", "ended"),
        ("Lendelede", "Zone Kortrijk", "current"),
    ]
    assert reverse("regions:zone_membership_create") not in content  # beleid reads only


def test_overview_lists_municipalities_that_are_in_no_zone_today(world):
    f.MunicipalityFactory(region=world.region, name="Spiere-Helkijn")
    response = client_for(world.coordinator).get(reverse("regions:overview"))
    assert [m.name for m in response.context["unzoned"]] == ["Spiere-Helkijn"]


def test_overview_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)

    def grow(n):
        for i in range(n):
            zone = f.ZoneFactory(region=world.region)
            for j in range(3):
                f.ZoneMembershipFactory(zone=zone, municipality__name=f"Gemeente {zone.pk}-{i}-{j}")

    grow(1)
    with django_assert_max_num_queries(13):
        client.get(reverse("regions:overview"))
    grow(8)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("regions:overview"))
    assert len(response.context["zones"]) == 10


# --- Zone memberships ---------------------------------------------------------------------------


def test_manager_moves_a_municipality_to_another_zone_and_the_old_membership_ends(world):
    new_zone = f.ZoneFactory(region=world.region, name="Regio Kortrijk-Noord")
    response = client_for(world.coordinator).post(
        reverse("regions:zone_membership_create"),
        {
            "municipality": world.municipality.pk,
            "zone": new_zone.pk,
            "valid_from": "2025-01-01",
            "end_current": "on",
        },
    )
    assert response.status_code == 302
    old, new = ZoneMembership.objects.filter(municipality=world.municipality).order_by("valid_from")
    assert old.zone == world.zone and old.valid_until == REDRAWN
    assert new.zone == new_zone and new.valid_from == REDRAWN and new.valid_until is None
    events = list(
        AuditEntry.objects.filter(subject_type="regions.zonemembership").values_list("event", flat=True)
    )
    assert sorted(events) == [AuditEvent.CREATE, AuditEvent.UPDATE]


def test_overlapping_membership_is_refused_with_a_clear_error(world):
    new_zone = f.ZoneFactory(region=world.region, name="Andere zone")
    before = membership_counts()
    response = client_for(world.coordinator).post(
        reverse("regions:zone_membership_create"),
        {
            "municipality": world.municipality.pk,
            "zone": new_zone.pk,
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Kortrijk already belongs to Zone Kortrijk" in errors and "may not overlap" in errors
    assert membership_counts() == before
    assert not AuditEntry.objects.filter(event=AuditEvent.CREATE).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"valid_from": "2025-01-01", "valid_until": "2024-01-01"}, "valid_until"),
        ({"valid_from": "2025-01-01", "valid_until": "2025-01-01"}, "valid_until"),
        ({"valid_from": "1 januari"}, "valid_from"),
        ({"valid_from": "2025-02-30"}, "valid_from"),
        ({"valid_from": ""}, "valid_from"),
        ({"valid_from": "2025-01-01", "zone": "999999"}, "zone"),
        ({"valid_from": "2025-01-01", "zone": "abc"}, "zone"),
        ({"valid_from": "2025-01-01", "municipality": "999999"}, "municipality"),
    ],
)
def test_bad_membership_input_rerenders_the_form_and_changes_nothing(world, data, field):
    municipality = f.MunicipalityFactory(region=world.region, name="Wielsbeke")
    post = {"municipality": municipality.pk, "zone": world.zone.pk, **data}
    before = membership_counts()
    response = client_for(world.coordinator).post(reverse("regions:zone_membership_create"), post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert membership_counts() == before


def test_membership_of_another_regions_zone_or_municipality_cannot_be_added(world):
    foreign_zone = f.ZoneFactory(region=world.other_region, name="Zone B")
    municipality = f.MunicipalityFactory(region=world.region, name="Wielsbeke")
    before = membership_counts()
    response = client_for(world.coordinator).post(
        reverse("regions:zone_membership_create"),
        {"municipality": municipality.pk, "zone": foreign_zone.pk, "valid_from": "2025-01-01"},
    )
    assert "zone" in response.context["form"].errors
    assert membership_counts() == before


def test_manager_ends_a_membership(world):
    membership = ZoneMembership.objects.get(zone=world.zone)
    response = client_for(world.beheerder).post(
        reverse("regions:zone_membership_end", args=[membership.pk]), {"valid_until": "2025-01-01"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.valid_until == REDRAWN
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE)
    assert entry.changes == {"valid_until": {"old": None, "new": "2025-01-01"}}


@pytest.mark.parametrize("value", ["2019-12-31", "2020-01-01", "morgen", ""])
def test_ending_a_membership_before_it_starts_or_with_a_bad_date_is_refused(world, value):
    membership = ZoneMembership.objects.get(zone=world.zone)
    response = client_for(world.coordinator).post(
        reverse("regions:zone_membership_end", args=[membership.pk]), {"valid_until": value}
    )
    assert response.status_code == 200 and "valid_until" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.valid_until is None


def test_extending_an_ended_membership_into_the_next_one_is_refused(world, redrawn):
    rits, lendelede = redrawn
    old = ZoneMembership.objects.get(zone=rits)
    response = client_for(world.coordinator).post(
        reverse("regions:zone_membership_end", args=[old.pk]), {"valid_until": "2026-01-01"}
    )
    assert "may not overlap" in " ".join(response.context["form"].non_field_errors())
    old.refresh_from_db()
    assert old.valid_until == REDRAWN


# --- Zones and municipalities -------------------------------------------------------------------


def test_manager_adds_and_renames_a_zone(world):
    client = client_for(world.coordinator)
    assert client.post(reverse("regions:zone_create"), {"name": "Regio Waregem"}).status_code == 302
    zone = Zone.objects.get(name="Regio Waregem")
    assert zone.region == world.region
    assert (
        client.post(
            reverse("regions:zone_update", args=[zone.pk]), {"name": "Regio Waregem-Zuid"}
        ).status_code
        == 302
    )
    zone.refresh_from_db()
    assert zone.name == "Regio Waregem-Zuid"
    assert list(
        AuditEntry.objects.filter(subject_type="regions.zone").order_by("seq").values_list("event", flat=True)
    ) == [AuditEvent.CREATE, AuditEvent.UPDATE]


@pytest.mark.parametrize("name", ["", "   ", "Zone Kortrijk"])
def test_zone_with_empty_or_taken_name_is_refused(world, name):
    response = client_for(world.coordinator).post(reverse("regions:zone_create"), {"name": name})
    assert response.status_code == 200 and response.context["form"].errors
    assert Zone.objects.count() == 1


def test_manager_adds_a_municipality(world):
    response = client_for(world.coordinator).post(
        reverse("regions:municipality_create"),
        {"name": "Avelgem", "postal_code": "8580", "inhabitants": "10000"},
    )
    assert response.status_code == 302
    assert Municipality.objects.get(name="Avelgem").region == world.region


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Avelgem", "inhabitants": "tienduizend"}, "inhabitants"),
        ({"name": "Avelgem", "inhabitants": "-5"}, "inhabitants"),
        ({"name": "Avelgem", "postal_code": "85A0"}, "postal_code"),
    ],
)
def test_bad_municipality_input_is_refused(world, data, field):
    response = client_for(world.coordinator).post(reverse("regions:municipality_create"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Municipality.objects.filter(name="Avelgem").exists()


def test_municipality_edit_keeps_values_on_bad_input(world):
    url = reverse("regions:municipality_update", args=[world.municipality.pk])
    response = client_for(world.coordinator).post(url, {"name": "Kortrijk", "inhabitants": "veel"})
    assert response.status_code == 200
    world.municipality.refresh_from_db()
    assert world.municipality.inhabitants is None
    assert not AuditEntry.objects.filter(event=AuditEvent.UPDATE).exists()


def test_a_refused_move_also_leaves_the_current_membership_open(world):
    """Ending the current membership and adding the new one happen together or not at all."""
    other = f.ZoneFactory(region=world.region, name="Andere zone")
    values = {
        "zone": other,
        "municipality": world.municipality,
        "valid_from": REDRAWN,
        "valid_until": datetime.date(2024, 1, 1),
    }
    with pytest.raises(ValidationError):
        zone_membership_create(actor=Actor(user=world.coordinator), values=values, end_current=True)
    assert ZoneMembership.objects.get(municipality=world.municipality).valid_until is None
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.CREATE, AuditEvent.UPDATE]).exists()
