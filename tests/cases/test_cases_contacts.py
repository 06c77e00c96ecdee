"""Contact moments: quick registration on a case or low-threshold without one (a first name at
most), validation, private notes kept out of reach (the audit trail included), and turning
low-threshold contacts into a case with consent, keeping their history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.access import Action, can
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case, CaseStatus, ContactMoment, ContactType, YoungPerson
from brugwerk.cases.selectors import case_timeline, contacts_visible_to
from brugwerk.cases.services import contact_register, low_threshold_convert_to_case
from tests import factories_cases as fc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def quick(world, user=None, **overrides) -> ContactMoment:
    values = {"region": world.region, "contact_type": ContactType.SCHOOL_GATE, "occurred_at": timezone.now(),
              "duration_minutes": 5, "school": world.school, "place": "schoolpoort", "first_name": "Sara",
              "life_domain": fc.LifeDomainFactory(region=world.region, name="onderwijs")}
    return contact_register(actor=Actor(user=user or world.brugfiguur), **(values | overrides))


def test_a_low_threshold_contact_is_registered_in_seconds_with_a_first_name_at_most(world):
    contact = quick(world, with_whom=["young_person", "parent"], language="Frans", interpreter=True)
    assert contact.case is None and contact.first_name == "Sara" and contact.brugfiguur == world.brugfiguur
    assert contact.with_whom == ["young_person", "parent"]
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="cases.contactmoment")
    assert entry.region_id == world.region.pk and entry.changes["first_name"] == "Sara"


def test_a_private_note_stays_out_of_the_audit_trail(world):
    contact = quick(world, note="Vertelt over geweld thuis.", note_private=True)
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_id=str(contact.pk))
    assert "note" not in entry.changes and entry.changes["note_private"] is True
    assert "geweld" not in str(AuditEntry.objects.values_list("changes", flat=True))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": timezone.now() + datetime.timedelta(hours=3)}, "occurred_at"),
        ({"occurred_at": datetime.datetime(2026, 1, 5, 10, 0)}, "occurred_at"),  # noqa: DTZ001 - naive on purpose
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"contact_type": "carrier_pigeon"}, "contact_type"),
        ({"with_whom": ["young_person", "the_neighbours_dog"]}, "with_whom"),
        ({"first_name": "x" * 41}, "first_name"),
    ],
)
def test_bad_input_gives_a_field_error_and_registers_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as raised:
        quick(world, **overrides)
    assert field in raised.value.message_dict
    assert not ContactMoment.objects.exists()


def test_school_and_life_domain_must_be_of_the_region(world):
    with pytest.raises(ValidationError) as raised:
        quick(world, school=world.foreign_school, life_domain=fc.LifeDomainFactory(region=world.other_region))
    assert {"school", "life_domain"} <= set(raised.value.message_dict)


def test_a_contact_in_a_case_has_no_first_name_of_its_own_and_takes_the_cases_school(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.other_school)
    with pytest.raises(ValidationError) as raised:
        quick(world, region=None, case=case, school=None)
    assert "first_name" in raised.value.message_dict
    contact = quick(world, region=None, case=case, school=None, first_name="")
    assert contact.region == world.region and contact.school == world.other_school


@pytest.mark.parametrize("persona", ["coordinator", "schoolcontact", "partner", "beleid", "beheerder"])
def test_only_brugfiguren_register_low_threshold_contacts(world, persona):
    with pytest.raises(PermissionDenied):
        quick(world, world.persona(persona))
    assert not ContactMoment.objects.exists()


def test_low_threshold_contacts_become_a_case_with_consent_keeping_their_history(world):
    first = quick(world, occurred_at=timezone.now() - datetime.timedelta(days=20), note="Eerste babbel.")
    second = quick(world, contact_type=ContactType.NEIGHBOURHOOD, first_name="")
    actor = Actor(user=world.brugfiguur)
    values = {"first_name": "Sara", "last_name": "Vermeulen", "birth_date": fc.years_ago(13), "school": world.school}
    with pytest.raises(ValidationError) as raised:
        low_threshold_convert_to_case(actor=actor, contacts=[first, second], consent_recorded=False,
                                      young_person_values=values)
    assert "consent_recorded" in raised.value.message_dict
    assert not Case.objects.exists()
    case = low_threshold_convert_to_case(actor=actor, contacts=[first, second], consent_recorded=True,
                                         young_person_values=values)
    assert (case.lead, case.status, case.school) == (world.brugfiguur, CaseStatus.OPEN, world.school)
    assert case.young_person.last_name == "Vermeulen"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.case, second.case) == (case, case) and first.first_name == second.first_name == ""
    assert first.note == "Eerste babbel."
    assert {item.record.pk for item in case_timeline(user=world.brugfiguur, case=case)
            if item.kind == "contact"} == {first.pk, second.pk}
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="cases.case")
    assert entry.changes["consent_recorded"] is True and entry.changes["from_contacts"] == [first.pk, second.pk]
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.contactmoment").count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.youngperson").count() == 1


def test_only_ones_own_free_contacts_can_be_converted(world):
    theirs = quick(world, world.brugfiguur2)
    with pytest.raises(PermissionDenied):
        low_threshold_convert_to_case(actor=Actor(user=world.brugfiguur), contacts=[theirs], consent_recorded=True,
                                      young_person_values={"first_name": "A", "last_name": "B"})
    mine = quick(world)
    case = low_threshold_convert_to_case(actor=Actor(user=world.brugfiguur), contacts=[mine], consent_recorded=True,
                                         young_person_values={"first_name": "A", "last_name": "B"})
    with pytest.raises((ValidationError, PermissionDenied)):
        low_threshold_convert_to_case(actor=Actor(user=world.brugfiguur), contacts=[mine], consent_recorded=True,
                                      young_person=case.young_person)
    with pytest.raises(ValidationError):
        low_threshold_convert_to_case(actor=Actor(user=world.brugfiguur), contacts=[], consent_recorded=True,
                                      young_person_values={"first_name": "A", "last_name": "B"})
    assert Case.objects.count() == 1 and YoungPerson.objects.count() == 1


def test_a_known_young_person_without_an_open_case_can_take_the_contacts(world):
    person = fc.YoungPersonFactory(region=world.region)
    closed = fc.CaseFactory(region=world.region, young_person=person, lead=world.brugfiguur,
                            status=CaseStatus.CLOSED, closed_on=timezone.localdate(), close_reason="goals_reached")
    contact = quick(world)
    case = low_threshold_convert_to_case(actor=Actor(user=world.brugfiguur), contacts=[contact],
                                         consent_recorded=True, young_person=person)
    assert case.young_person == person and case != closed


def test_the_coordinator_sees_low_threshold_contacts_but_cannot_convert_them(world):
    contact = quick(world)
    assert [c.pk for c in contacts_visible_to(user=world.coordinator, region=world.region, without_case=True)] == [
        contact.pk]
    assert not can(world.coordinator, Action.CHANGE, contact)
    with pytest.raises(PermissionDenied):
        low_threshold_convert_to_case(actor=Actor(user=world.coordinator), contacts=[contact], consent_recorded=True,
                                      young_person_values={"first_name": "A", "last_name": "B"})
