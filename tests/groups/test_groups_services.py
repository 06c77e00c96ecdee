"""The group offering services: who may write what (through the one policy), the checks that keep a
series sound (school or place, organisers of the pool, this region's schools and partners), linking
only cases one may see, attendance in one go (only after the session, counts merged per category),
evaluations without names, and an audit entry for every write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case
from brugwerk.groups import services
from brugwerk.groups.models import (
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
    TargetGroup,
)
from brugwerk.groups.services import CategoryCount
from tests import factories_cases as fc
from tests.records.groups import offering_in, session_of


def values(world, **extra):
    return {
        "kind": OfferingKind.PARENT_CAFE, "title": "Oudercafé", "target_group": TargetGroup.PARENTS,
        "school": world.school, "place": "", "organisers": [world.brugfiguur], "partners": [world.organisation],
        "life_domains": [], "languages": "Nederlands, Arabisch", "interpreter": True, "description": "",
    } | extra


def actor(user) -> Actor:
    return Actor(user=user)


def test_a_brugfiguur_creates_an_offering_with_its_lists_and_an_audit_entry(world):
    domain = fc.LifeDomainFactory(region=world.region, name="onderwijs")
    offering = services.offering_create(
        actor=actor(world.brugfiguur), region=world.region,
        values=values(world, organisers=[world.brugfiguur, world.brugfiguur2], life_domains=[domain]),
    )
    assert set(offering.organisers.all()) == {world.brugfiguur, world.brugfiguur2}
    assert list(offering.partners.all()) == [world.organisation]
    assert offering.created_by == world.brugfiguur and offering.interpreter
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="groups.groupoffering")
    assert entry.changes["organisers"] == sorted([world.brugfiguur.pk, world.brugfiguur2.pk])
    assert entry.region_id == world.region.pk


def test_without_organisers_the_creating_brugfiguur_organises_it(world):
    offering = services.offering_create(actor=actor(world.brugfiguur), region=world.region,
                                        values=values(world, organisers=[]))
    assert list(offering.organisers.all()) == [world.brugfiguur]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (lambda w: {"school": None, "place": ""}, "place"),
        (lambda w: {"title": "  "}, "title"),
        (lambda w: {"kind": "bbq"}, "kind"),
        (lambda w: {"organisers": [w.coordinator]}, "organisers"),
        (lambda w: {"school": w.foreign_school}, "school"),
        (lambda w: {"partners": [w.foreign_organisation]}, "partners"),
    ],
    ids=["no school or place", "no title", "unknown kind", "organiser not a brugfiguur", "foreign school",
         "foreign partner"],
)
def test_an_unsound_offering_is_refused_and_nothing_is_written(world, extra, field):
    with pytest.raises(ValidationError) as error:
        services.offering_create(
            actor=actor(world.coordinator), region=world.region, values=values(world, **extra(world))
        )
    assert field in error.value.message_dict
    assert not GroupOffering.objects.exists() and not AuditEntry.objects.filter(event=AuditEvent.CREATE).exists()


def test_an_offering_without_a_school_needs_a_place(world):
    offering = services.offering_create(
        actor=actor(world.brugfiguur), region=world.region,
        values=values(world, school=None, place="Buurthuis De Vonk"),
    )
    assert offering.school is None and offering.place == "Buurthuis De Vonk"


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"])
def test_only_the_pool_and_the_coordinator_create_offerings(world, persona):
    with pytest.raises(PermissionDenied):
        services.offering_create(actor=actor(world.persona(persona)), region=world.region, values=values(world))


def test_organisers_and_the_coordinator_change_an_offering_other_brugfiguren_do_not(world):
    offering = offering_in(world)
    with pytest.raises(PermissionDenied):
        services.offering_update(actor=actor(world.brugfiguur2), offering=offering, values={"title": "Overgenomen"})
    services.offering_update(actor=actor(world.brugfiguur), offering=offering, values={"title": "Oudercafé bis"})
    services.offering_update(actor=actor(world.coordinator), offering=offering,
                             values={"organisers": [world.brugfiguur2]})
    offering.refresh_from_db()
    assert offering.title == "Oudercafé bis" and list(offering.organisers.all()) == [world.brugfiguur2]
    update = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="groups.groupoffering").first()
    assert update.changes["organisers"] == {"old": [world.brugfiguur.pk], "new": [world.brugfiguur2.pk]}


def test_sessions_are_added_by_those_who_change_the_offering(world):
    offering = offering_in(world)
    session_values = {"date": timezone.localdate(), "start_time": datetime.time(9), "duration_minutes": 90}
    with pytest.raises(PermissionDenied):
        services.session_create(actor=actor(world.brugfiguur2), offering=offering, values=session_values)
    with pytest.raises(PermissionDenied):
        services.session_create(actor=actor(world.schoolcontact), offering=offering, values=session_values)
    session = services.session_create(actor=actor(world.brugfiguur), offering=offering, values=session_values)
    assert session.offering == offering
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="groups.groupsession").count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 13 * 60}, "duration_minutes"),
        ({"date": timezone.localdate() + datetime.timedelta(days=3 * 365)}, "date"),
    ],
)
def test_an_unsound_session_is_refused(world, extra, field):
    offering = offering_in(world)
    session_values = {"date": timezone.localdate(), "start_time": datetime.time(9), "duration_minutes": 90} | extra
    with pytest.raises(ValidationError) as error:
        services.session_create(actor=actor(world.brugfiguur), offering=offering, values=session_values)
    assert field in error.value.message_dict and not GroupSession.objects.exists()


def test_only_cases_one_may_see_are_linked(world):
    offering = offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2])
    own = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school)
    colleagues = fc.CaseFactory(region=world.region, lead=world.brugfiguur2)
    added = services.participants_add(actor=actor(world.brugfiguur), offering=offering, cases=[own])
    assert [p.case for p in added] == [own]
    with pytest.raises(PermissionDenied):
        services.participants_add(actor=actor(world.brugfiguur), offering=offering, cases=[colleagues])
    # Adding the same case twice leaves it as it was.
    assert services.participants_add(actor=actor(world.brugfiguur), offering=offering, cases=[own]) == []
    assert GroupParticipant.objects.filter(offering=offering).count() == 1


def test_an_organiser_cannot_remove_a_participant_whose_case_they_do_not_see(world):
    offering = offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2])
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    participant = GroupParticipant.objects.create(offering=offering, case=case, added_by=world.brugfiguur)
    with pytest.raises(PermissionDenied):
        services.participant_remove(actor=actor(world.brugfiguur2), participant=participant)
    services.participant_remove(actor=actor(world.brugfiguur), participant=participant)
    assert not GroupParticipant.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DELETE, subject_type="groups.groupparticipant").exists()
    assert Case.objects.filter(pk=case.pk).exists()


def test_attendance_is_saved_in_one_go_and_counts_are_merged_per_category(world):
    offering = offering_in(world)
    session = session_of(offering)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    participant = GroupParticipant.objects.create(offering=offering, case=case, added_by=world.brugfiguur)
    counts = [
        CategoryCount(AttendeeRole.PARENT, Gender.FEMALE, AgeGroup.ADULT, 0, 3),
        CategoryCount(AttendeeRole.PARENT, Gender.FEMALE, AgeGroup.ADULT, 0, 2),
        CategoryCount(AttendeeRole.PARENT, Gender.MALE, AgeGroup.ADULT, 0, 0),
    ]
    services.attendance_record(actor=actor(world.brugfiguur), session=session,
                               statuses={participant.pk: AttendanceStatus.PRESENT}, counts=counts)
    assert list(session.anonymous_counts.values_list("gender", "count")) == [(Gender.FEMALE, 5)]
    assert GroupAttendance.objects.get(session=session, participant=participant).status == AttendanceStatus.PRESENT
    session.refresh_from_db()
    assert session.attendance_taken_at is not None
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_type="groups.groupsession")
    assert entry.changes["anonymous"]["new"] == [["parent", "female", "adult", 0, 5]]

    # Again: the participant is excused now and the counts are replaced.
    services.attendance_record(actor=actor(world.brugfiguur), session=session,
                               statuses={participant.pk: AttendanceStatus.EXCUSED},
                               counts=[CategoryCount(AttendeeRole.PUPIL, Gender.X, AgeGroup.AGE_12_14, 2, 1)])
    assert list(session.anonymous_counts.values_list("role", "grade", "count")) == [("pupil", 2, 1)]
    assert GroupAttendance.objects.get(participant=participant).status == AttendanceStatus.EXCUSED
    # And "not recorded" removes the status.
    services.attendance_record(actor=actor(world.brugfiguur), session=session, statuses={participant.pk: ""},
                               counts=[])
    assert not GroupAttendance.objects.exists() and not AnonymousAttendance.objects.exists()


def test_attendance_of_a_session_still_to_come_is_refused(world):
    session = session_of(offering_in(world), days_ago=-3)
    with pytest.raises(ValidationError):
        services.attendance_record(actor=actor(world.brugfiguur), session=session, statuses={},
                                   counts=[CategoryCount(AttendeeRole.PARENT, count=4)])
    assert not AnonymousAttendance.objects.exists()


@pytest.mark.parametrize(
    "count",
    [CategoryCount("grandparent", count=1), CategoryCount(AttendeeRole.PARENT, count=-1),
     CategoryCount(AttendeeRole.PARENT, count=501), CategoryCount(AttendeeRole.PARENT, grade=9, count=1)],
)
def test_a_wrong_count_is_refused(world, count):
    session = session_of(offering_in(world))
    with pytest.raises(ValidationError):
        services.attendance_record(actor=actor(world.brugfiguur), session=session, statuses={}, counts=[count])
    assert not AnonymousAttendance.objects.exists()


def test_attendance_of_a_participant_whose_case_one_does_not_see_is_refused(world):
    offering = offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2])
    session = session_of(offering)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    participant = GroupParticipant.objects.create(offering=offering, case=case, added_by=world.brugfiguur)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=actor(world.brugfiguur2), session=session,
                                   statuses={participant.pk: AttendanceStatus.PRESENT}, counts=[])
    other_offering = offering_in(world, title="Ander")
    stranger = GroupParticipant.objects.create(offering=other_offering, case=case, added_by=world.brugfiguur)
    with pytest.raises(PermissionDenied):  # a participant of another series
        services.attendance_record(actor=actor(world.brugfiguur), session=session,
                                   statuses={stranger.pk: AttendanceStatus.PRESENT}, counts=[])
    assert not GroupAttendance.objects.exists()


def test_the_evaluation_keeps_forms_score_and_quotes_without_names(world):
    offering = offering_in(world)
    session = session_of(offering)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, young_person__first_name="Yasmine")
    GroupParticipant.objects.create(offering=offering, case=case, added_by=world.brugfiguur)
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(actor=actor(world.brugfiguur), session=session, forms=4, score="4.5",
                                   quotes="Yasmine vond het fijn")
    assert "evaluation_quotes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(actor=actor(world.brugfiguur), session=session, forms=None, score="4")
    assert "evaluation_forms" in error.value.message_dict
    services.evaluation_record(actor=actor(world.brugfiguur), session=session, forms=4, score="4.25",
                               quotes="  Fijn om andere ouders te leren kennen.\n\nGraag meer over de schoolrekening. ")
    session.refresh_from_db()
    assert session.evaluation_score == Decimal("4.2")  # rounded half to even
    assert session.quotes() == ["Fijn om andere ouders te leren kennen.", "Graag meer over de schoolrekening."]
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="groups.groupsession").exists()


def test_more_forms_than_people_present_is_refused_once_attendance_is_taken(world):
    session = session_of(offering_in(world))
    services.attendance_record(actor=actor(world.brugfiguur), session=session, statuses={},
                               counts=[CategoryCount(AttendeeRole.PARENT, count=3)])
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(actor=actor(world.brugfiguur), session=session, forms=5, score="4")
    assert "evaluation_forms" in error.value.message_dict


def test_an_organiser_who_lost_the_brugfiguur_role_changes_nothing(world):
    offering = offering_in(world)
    Membership.objects.filter(user=world.brugfiguur, role=Role.BRUGFIGUUR).update(revoked_at=timezone.now())
    former = type(world.brugfiguur).objects.get(pk=world.brugfiguur.pk)
    with pytest.raises(PermissionDenied):
        services.offering_update(actor=actor(former), offering=offering, values={"title": "Weg"})
    assert GroupOffering.objects.get(pk=offering.pk).title == "Oudercafé Sint-Amands"
