"""The time the pool spent in network meetings (pillar 3): per kind of meeting, school and bridge
figure who attended, summed in the database, only what the asker may see."""

from __future__ import annotations

import datetime

import pytest

from brugwerk.cooperation.models import MeetingKind
from brugwerk.cooperation.selectors import time_spent
from brugwerk.core.timeuse import Pillar, TimeSpent
from tests.records.cooperation import make_meeting

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def meetings(world):
    day = datetime.date(2026, 3, 10)
    both = [world.brugfiguur, world.brugfiguur2]
    make_meeting(world.region, kind=MeetingKind.SCHOOL_CONSULTATION, school=world.school, date=day,
                 duration_minutes=60, attendees=both)
    make_meeting(world.region, kind=MeetingKind.SCHOOL_CONSULTATION, school=world.school, date=day,
                 duration_minutes=45, attendees=[world.brugfiguur])
    make_meeting(world.region, kind=MeetingKind.REGIONAL_STEERING, date=day, duration_minutes=120,
                 attendees=[world.brugfiguur2])
    make_meeting(world.region, kind=MeetingKind.REGIONAL_STEERING, date=datetime.date(2025, 12, 31),
                 duration_minutes=500, attendees=both)  # before the period
    make_meeting(world.other_region, kind=MeetingKind.REGIONAL_STEERING, date=day, duration_minutes=90,
                 attendees=[world.foreign_brugfiguur])


def test_each_attendee_gets_the_meetings_duration_per_kind_and_school(world, meetings):
    rows = time_spent(user=world.coordinator, region=world.region, start=START, end=END)
    school = world.school.pk
    assert sorted(rows, key=lambda r: (r.kind, r.person_id)) == sorted([
        TimeSpent(Pillar.GROUPS_NETWORK, "regional steering group", None, world.brugfiguur2.pk, 120, 1),
        TimeSpent(Pillar.GROUPS_NETWORK, "school consultation", school, world.brugfiguur.pk, 105, 2),
        TimeSpent(Pillar.GROUPS_NETWORK, "school consultation", school, world.brugfiguur2.pk, 60, 1),
    ], key=lambda r: (r.kind, r.person_id))


def test_the_time_is_summed_in_one_query_however_many_meetings(world, meetings, django_assert_num_queries):
    for _ in range(10):
        make_meeting(world.region, date=datetime.date(2026, 2, 2), attendees=[world.brugfiguur])
    world.coordinator.refresh_from_db()  # the principal is read afresh: one query, then the sum
    with django_assert_num_queries(2):
        time_spent(user=world.coordinator, region=world.region, start=START, end=END)


def test_only_what_the_asker_may_see_is_counted(world, meetings):
    assert time_spent(user=world.beheerder, region=world.region, start=START, end=END) == []
    assert time_spent(user=world.foreign_coordinator, region=world.region, start=START, end=END) == []
    own = time_spent(user=world.foreign_coordinator, region=world.other_region, start=START, end=END)
    assert [(r.person_id, r.minutes) for r in own] == [(world.foreign_brugfiguur.pk, 90)]
    # A school contact counts no time; policy makers count the region's, like the coordinator.
    assert time_spent(user=world.schoolcontact, region=world.region, start=START, end=END) == []
    region_wide = time_spent(user=world.coordinator, region=world.region, start=START, end=END)
    assert region_wide and time_spent(user=world.beleid, region=world.region, start=START, end=END) == region_wide
