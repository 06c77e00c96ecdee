"""The agenda: a brugfiguur plans their own appointments and presence days, the coordinator those
of the whole pool; every change is audited. And the region's list of life domains."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import DEFAULT_LIFE_DOMAINS, Appointment, AppointmentKind, LifeDomain, PresenceDay
from brugwerk.cases.services import (
    appointment_create,
    appointment_delete,
    appointment_update,
    life_domain_create,
    life_domain_update,
    life_domains_ensure_defaults,
    presence_day_create,
    presence_day_delete,
    presence_day_end,
)
from tests import factories_cases as fc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def plan(world, user, **overrides) -> Appointment:
    start = timezone.now() + datetime.timedelta(days=2)
    values = {"region": world.region, "kind": AppointmentKind.HOME_VISIT, "starts_at": start,
              "ends_at": start + datetime.timedelta(hours=1), "location": "thuis"}
    return appointment_create(actor=Actor(user=user), **(values | overrides))


def test_a_brugfiguur_plans_their_own_appointments(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    appointment = plan(world, world.brugfiguur, case=case, school=world.school)
    assert appointment.brugfiguur == world.brugfiguur
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.appointment").exists()
    appointment_update(actor=Actor(user=world.brugfiguur), appointment=appointment, kind=AppointmentKind.MEETING,
                       starts_at=appointment.starts_at, ends_at=appointment.ends_at, location="school")
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.appointment").exists()
    with pytest.raises(PermissionDenied):
        appointment_delete(actor=Actor(user=world.brugfiguur2), appointment=appointment)
    appointment_delete(actor=Actor(user=world.brugfiguur), appointment=appointment)
    assert not Appointment.objects.exists()
    assert AuditEntry.objects.get(event=AuditEvent.DELETE).changes["location"] == "school"


def test_only_the_coordinator_plans_for_someone_else(world):
    with pytest.raises(PermissionDenied):
        plan(world, world.brugfiguur, brugfiguur=world.brugfiguur2)
    assert plan(world, world.coordinator, brugfiguur=world.brugfiguur2).brugfiguur == world.brugfiguur2
    with pytest.raises(ValidationError) as raised:  # an appointment is always in a brugfiguur's agenda
        plan(world, world.coordinator)
    assert "brugfiguur" in raised.value.message_dict
    for persona in ("schoolcontact", "partner", "beleid", "foreign_coordinator"):
        with pytest.raises(PermissionDenied):
            plan(world, world.persona(persona), brugfiguur=world.brugfiguur)


def test_an_appointment_ends_after_it_starts_and_links_only_to_a_case_one_sees(world):
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        plan(world, world.brugfiguur, starts_at=start, ends_at=start, school=world.foreign_school)
    assert {"ends_at", "school"} <= set(raised.value.message_dict)
    with pytest.raises(PermissionDenied):
        plan(world, world.brugfiguur, case=fc.CaseFactory(region=world.region, lead=world.brugfiguur2))
    assert not Appointment.objects.exists()


def test_presence_days_are_planned_dated_and_ended(world):
    day = presence_day_create(actor=Actor(user=world.coordinator), region=world.region, school=world.school,
                              weekday=1, valid_from=timezone.localdate(), brugfiguur=world.brugfiguur)
    with pytest.raises(ValidationError):
        presence_day_end(actor=Actor(user=world.brugfiguur), presence_day=day,
                         valid_until=timezone.localdate() - datetime.timedelta(days=1))
    presence_day_end(actor=Actor(user=world.brugfiguur), presence_day=day,
                     valid_until=timezone.localdate() + datetime.timedelta(days=60))
    with pytest.raises(PermissionDenied):
        presence_day_end(actor=Actor(user=world.schoolcontact), presence_day=day, valid_until=timezone.localdate())
    with pytest.raises(ValidationError) as raised:
        presence_day_create(actor=Actor(user=world.brugfiguur), region=world.region, school=world.school,
                            weekday=9, valid_from=timezone.localdate())
    assert "weekday" in raised.value.message_dict
    presence_day_delete(actor=Actor(user=world.coordinator), presence_day=day)
    assert not PresenceDay.objects.exists()
    events = set(AuditEntry.objects.filter(subject_type="cases.presenceday").values_list("event", flat=True))
    assert events == {AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.DELETE}


def test_a_region_gets_the_default_life_domains_once(world):
    created = life_domains_ensure_defaults(region=world.region)
    assert [d.name for d in created] == list(DEFAULT_LIFE_DOMAINS)
    assert life_domains_ensure_defaults(region=world.region) == list(LifeDomain.objects.filter(region=world.region))
    assert LifeDomain.objects.filter(region=world.region).count() == 11
    assert AuditEntry.objects.filter(subject_type="cases.lifedomain", actor_label="life_domains_ensure_defaults",
                                     region=world.region).count() == 11
    with pytest.raises(PermissionDenied):
        life_domains_ensure_defaults(region=world.other_region, actor=Actor(user=world.brugfiguur))


def test_the_coordinator_keeps_the_list_of_life_domains(world):
    domain = life_domain_create(actor=Actor(user=world.coordinator), region=world.region, name="Digitale inclusie")
    with pytest.raises(ValidationError):
        life_domain_create(actor=Actor(user=world.beheerder), region=world.region, name="digitale inclusie")
    with pytest.raises(PermissionDenied):
        life_domain_create(actor=Actor(user=world.brugfiguur), region=world.region, name="Sport")
    life_domain_update(actor=Actor(user=world.coordinator), life_domain=domain, values={"active": False})
    domain.refresh_from_db()
    assert not domain.active
    with pytest.raises(ValidationError):
        life_domain_update(actor=Actor(user=world.coordinator), life_domain=domain, values={"name": " "})
    with pytest.raises(PermissionDenied):
        life_domain_update(actor=Actor(user=world.foreign_coordinator), life_domain=domain, values={"active": True})
