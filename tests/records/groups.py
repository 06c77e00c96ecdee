"""Group offerings in the region-wide access tests: one record of each kind per region.

The offering is at the school of the matrix's school contact and co-organised by the partner's
organisation, organised by `lead`; its linked participant is `lead`'s case (so the matrix's
brugfiguur, who neither leads nor shares it, does not see the participant's name)."""

from __future__ import annotations

import datetime

from django.utils import timezone

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
from brugwerk.regions.models import School
from tests.groups.factories import (
    AnonymousAttendanceFactory,
    GroupAttendanceFactory,
    GroupOfferingFactory,
    GroupParticipantFactory,
    GroupSessionFactory,
)
from tests.records import Records

MODELS = (GroupOffering, GroupSession, GroupParticipant, GroupAttendance, AnonymousAttendance)

EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "GroupOffering":             ("V C",     "V C U",     "V",           "V",     "—",    "—"),
    "GroupSession":              ("V",       "V C U",     "V",           "V",     "—",    "—"),
    "GroupParticipant":          ("—",       "V C D",     "—",           "—",     "—",    "—"),
    "GroupAttendance":           ("—",       "V C U D",   "—",           "—",     "—",    "—"),
    "AnonymousAttendance":       ("V",       "V C U D",   "V",           "V",     "—",    "—"),
}  # fmt: skip


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    today = timezone.localdate()
    offering = GroupOfferingFactory(
        region=region, kind=OfferingKind.PARENT_CAFE, title=f"Oudercafé {region.name}",
        target_group=TargetGroup.PARENTS, school=school, created_by=lead, organisers=[lead], partners=[organisation],
    )
    session = GroupSessionFactory(
        offering=offering, date=today - datetime.timedelta(days=7), start_time=datetime.time(8, 30),
        duration_minutes=90, topic=f"Schoolkosten {region.name}",
    )
    participant = GroupParticipantFactory(offering=offering, case=case, added_by=lead)
    attendance = GroupAttendanceFactory(session=session, participant=participant, status=AttendanceStatus.PRESENT)
    counted = AnonymousAttendanceFactory(
        session=session, role=AttendeeRole.PARENT, gender=Gender.FEMALE, age_group=AgeGroup.ADULT, count=6
    )
    return Records(
        existing={
            GroupOffering: offering,
            GroupSession: session,
            GroupParticipant: participant,
            GroupAttendance: attendance,
            AnonymousAttendance: counted,
        },
        new={
            GroupOffering: lambda: GroupOffering(region=region, kind=OfferingKind.PUPIL_WORKSHOP, title="Nieuw",
                                                 target_group=TargetGroup.PUPILS, school=school, created_by=lead),
            GroupSession: lambda: GroupSession(offering=offering, date=today, start_time=datetime.time(9),
                                               duration_minutes=60),
            GroupParticipant: lambda: GroupParticipant(offering=offering, case=case, added_by=lead),
            GroupAttendance: lambda: GroupAttendance(session=session, participant=participant,
                                                     status=AttendanceStatus.ABSENT),
            AnonymousAttendance: lambda: AnonymousAttendance(session=session, role=AttendeeRole.PUPIL, count=2),
        },
        names=[offering.title, session.topic],
    )


def _offering(side) -> dict:
    return {"pk": side[GroupOffering].pk}


def _session(side) -> dict:
    return {"pk": side[GroupSession].pk}


RECORD_URLS = [
    ("groups:offering_detail", _offering),
    ("groups:offering_update", _offering),
    ("groups:participant_add", _offering),
    ("groups:session_create", _offering),
    ("groups:participant_remove", lambda side: {"pk": side[GroupParticipant].pk}),
    ("groups:session_update", _session),
    ("groups:session_attendance", _session),
    ("groups:session_evaluation", _session),
]

LIST_URLS = [
    ("groups:offering_list", lambda side: ""),
    ("groups:offering_list", lambda side: f"?kind=parent_cafe&school={side[School].pk}&q=Oudercaf"),
    ("groups:figures", lambda side: ""),
    ("groups:offering_create", lambda side: f"?school={side[School].pk}"),
]


# --- Builders for tests/groups/test_groups_*.py ------------------------------------------------------------------


def offering_in(world, *, organisers=None, school="default", partners=(), kind=OfferingKind.PARENT_CAFE,
                title="Oudercafé Sint-Amands", target_group=TargetGroup.PARENTS, place="") -> GroupOffering:
    """An offering of region A of the `world` (tests/conftest.py), at its school unless told."""
    organisers = [world.brugfiguur] if organisers is None else organisers
    return GroupOfferingFactory(
        region=world.region, kind=kind, title=title, target_group=target_group,
        school=world.school if school == "default" else school, place=place,
        created_by=organisers[0] if organisers else world.coordinator,
        organisers=list(organisers), partners=list(partners),
    )


def session_of(offering: GroupOffering, *, days_ago: int = 7, minutes: int = 90, **values) -> GroupSession:
    return GroupSessionFactory(
        offering=offering, date=timezone.localdate() - datetime.timedelta(days=days_ago),
        start_time=values.pop("start_time", datetime.time(8, 30)), duration_minutes=minutes, **values,
    )
