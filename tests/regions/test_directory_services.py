"""The directory helper every directory write goes through: access check, whole-record validation
(including "never point to another region"), audit entry with the changed values."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, verify_chain
from brugwerk.network.models import ContactPoint, PartnerType
from brugwerk.network.services import contact_point_create, contact_point_delete, contact_point_update
from brugwerk.pool.models import PoolMember
from brugwerk.pool.services import pool_member_update
from brugwerk.regions.models import School, Zone
from brugwerk.regions.services import (
    directory_create,
    directory_update,
    region_id_of,
    school_create,
    school_update,
    zone_create,
)
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


def school_values(world, **overrides):
    values = {
        "name": "VTI Kortrijk",
        "municipality": world.municipality,
        "network": "go",
        "education_forms": ["labour_market"],
        "pupil_count": 420,
    }
    return values | overrides


def test_create_writes_the_record_and_an_audit_entry_with_its_values(world):
    school = school_create(
        actor=Actor(user=world.coordinator), region=world.region, values=school_values(world)
    )
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="regions.school")
    assert entry.subject_id == str(school.pk) and entry.region_id == world.region.pk
    assert entry.changes["name"] == "VTI Kortrijk" and entry.changes["pupil_count"] == 420
    assert entry.actor == world.coordinator
    assert verify_chain()[0]


def test_update_records_only_what_changed_with_old_and_new_values(world):
    school_update(
        actor=Actor(user=world.beheerder),
        school=world.school,
        values={"pupil_count": 650, "name": world.school.name},
    )
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE)
    assert entry.changes == {"pupil_count": {"old": 600, "new": 650}}


def test_update_without_changes_writes_no_audit_entry(world):
    school_update(
        actor=Actor(user=world.coordinator), school=world.school, values={"name": world.school.name}
    )
    assert not AuditEntry.objects.filter(event=AuditEvent.UPDATE).exists()


def test_update_reads_the_stored_record_so_a_changed_instance_in_memory_does_not_hide_old_values(world):
    world.school.pupil_count = 999  # as a ModelForm does while validating
    school_update(actor=Actor(user=world.coordinator), school=world.school, values={"pupil_count": 999})
    assert AuditEntry.objects.get(event=AuditEvent.UPDATE).changes["pupil_count"] == {"old": 600, "new": 999}


@pytest.mark.parametrize(
    "persona", ["brugfiguur", "schoolcontact", "partner", "beleid", "foreign_coordinator"]
)
def test_only_managers_of_the_region_may_write(world, persona):
    actor = Actor(user=world.persona(persona))
    with pytest.raises(PermissionDenied):
        school_create(actor=actor, region=world.region, values=school_values(world))
    with pytest.raises(PermissionDenied):
        school_update(actor=actor, school=world.school, values={"pupil_count": 1})
    with pytest.raises(PermissionDenied):
        contact_point_delete(actor=actor, contact_point=world.contact_point)
    assert not School.objects.filter(name="VTI Kortrijk").exists()
    assert ContactPoint.objects.filter(pk=world.contact_point.pk).exists()
    assert not AuditEntry.objects.filter(
        event__in=[AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.DELETE]
    ).exists()


def test_a_record_never_points_to_a_record_of_another_region(world):
    foreign_municipality = world.foreign_school.municipality
    with pytest.raises(ValidationError) as error:
        school_create(
            actor=Actor(user=world.coordinator),
            region=world.region,
            values=school_values(world, municipality=foreign_municipality),
        )
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        contact_point_create(
            actor=Actor(user=world.coordinator),
            organisation=world.organisation,
            values={"person_name": "X", "school": world.foreign_school},
        )
    assert "school" in error.value.message_dict
    assert not School.objects.filter(name="VTI Kortrijk").exists()
    assert ContactPoint.objects.count() == 2


def test_duplicate_names_in_a_region_give_a_validation_error_not_a_database_error(world):
    zone_create(actor=Actor(user=world.coordinator), region=world.region, values={"name": "Zone Menen"})
    with pytest.raises(ValidationError):
        zone_create(actor=Actor(user=world.coordinator), region=world.region, values={"name": "Zone Menen"})
    # the same name in another region is fine
    zone_create(
        actor=Actor(user=world.foreign_coordinator), region=world.other_region, values={"name": "Zone Menen"}
    )
    assert Zone.objects.filter(name="Zone Menen").count() == 2


def test_contact_point_needs_exactly_one_scope_with_a_clear_message(world):
    actor = Actor(user=world.coordinator)
    for scope in ({}, {"school": world.school, "municipality": world.municipality}):
        with pytest.raises(ValidationError) as error:
            contact_point_create(
                actor=actor, organisation=world.organisation, values={"person_name": "X", **scope}
            )
        assert "exactly one of school, municipality or zone" in " ".join(error.value.messages)
        assert "contact_point_exactly_one_scope" not in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        contact_point_update(actor=actor, contact_point=world.contact_point, values={"zone": world.zone})
    assert ContactPoint.objects.get(pk=world.contact_point.pk).zone_id is None


def test_contact_point_region_comes_from_its_organisation(world):
    assert region_id_of(world.contact_point) == world.region.pk
    assert region_id_of(world.foreign_contact_point) == world.other_region.pk


def test_delete_keeps_the_deleted_values_in_the_audit_trail(world):
    pk = world.contact_point.pk
    contact_point_delete(actor=Actor(user=world.coordinator), contact_point=world.contact_point)
    entry = AuditEntry.objects.get(event=AuditEvent.DELETE)
    assert entry.subject_id == str(pk) and entry.changes["person_name"] == "An Contact"
    assert entry.region_id == world.region.pk
    assert not ContactPoint.objects.filter(pk=pk).exists()


def test_many_to_many_values_are_written_and_audited(world):
    member = PoolMember.objects.get(user=world.brugfiguur)
    pool_member_update(
        actor=Actor(user=world.coordinator),
        member=member,
        values={"schools": [world.school, world.other_school], "fte": Decimal("0.5")},
    )
    member.refresh_from_db()
    assert set(member.schools.all()) == {world.school, world.other_school} and member.fte == Decimal("0.5")
    changes = AuditEntry.objects.get(event=AuditEvent.UPDATE).changes
    assert changes["schools"] == {"old": [], "new": sorted([world.school.pk, world.other_school.pk])}
    assert changes["fte"] == {"old": "0.90", "new": "0.50"}


def test_generic_helper_serves_plain_records_of_other_apps(world):
    from brugwerk.network.models import PartnerOrganisation

    organisation = directory_create(
        actor=Actor(user=world.coordinator),
        instance=PartnerOrganisation(region=world.region),
        values={"name": "CLB GO Kortrijk", "type": PartnerType.CLB},
    )
    directory_update(
        actor=Actor(user=world.coordinator), instance=organisation, values={"phone": "056 11 22 33"}
    )
    assert [e.event for e in AuditEntry.objects.order_by("seq")] == [AuditEvent.CREATE, AuditEvent.UPDATE]


def test_factories_and_helper_agree_on_validity(world):
    """A valid record built by the factories passes the helper's validation unchanged."""
    other = f.SchoolFactory(region=world.region, municipality=world.municipality)
    school_update(
        actor=Actor(user=world.coordinator), school=other, values={"pupil_count": other.pupil_count + 1}
    )
    other.refresh_from_db()
    assert other.pupil_count == 601
