"""Time spent on group work (issue 4 item 6): each session's duration counts for each of its
organisers, summed by the database into one row per kind, school and person, for the offerings the
asking user may see, in the asked period only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.groups.models import OfferingKind
from brugwerk.groups.selectors import time_spent
from tests.records.groups import offering_in, session_of


@pytest.fixture(autouse=True)
def _labels_in_english():
    """Kinds are translated labels; these tests compare them in English."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
YEAR = (TODAY - datetime.timedelta(days=365), TODAY)


def rows(user, region, start=YEAR[0], end=YEAR[1]) -> set[tuple]:
    return {(r.kind, r.school_id, r.person_id, r.minutes, r.activities)
            for r in time_spent(user=user, region=region, start=start, end=end)}


def test_each_session_counts_for_each_organiser_once_per_kind_and_school(world):
    cafe = offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2])
    for days in (3, 31, 59):
        session_of(cafe, days_ago=days, minutes=120)
    workshop = offering_in(world, school=world.other_school, kind=OfferingKind.PUPIL_WORKSHOP, title="Atelier")
    session_of(workshop, days_ago=10, minutes=50)
    session_of(workshop, days_ago=-5, minutes=50)  # still to come: outside the period
    found = time_spent(user=world.coordinator, region=world.region, start=YEAR[0], end=YEAR[1])
    assert all(isinstance(row, TimeSpent) and row.pillar == Pillar.GROUPS_NETWORK for row in found)
    assert rows(world.coordinator, world.region) == {
        ("parent café", world.school.pk, world.brugfiguur.pk, 360, 3),
        ("parent café", world.school.pk, world.brugfiguur2.pk, 360, 3),
        ("pupil workshop", world.other_school.pk, world.brugfiguur.pk, 50, 1),
    }


def test_an_offering_at_another_place_has_no_school(world):
    offering = offering_in(world, school=None, place="Buurthuis", kind=OfferingKind.INFORMATION_SESSION)
    session_of(offering, days_ago=1, minutes=60)
    assert rows(world.brugfiguur, world.region) == {("information session", None, world.brugfiguur.pk, 60, 1)}


def test_the_period_and_the_time_scope_decide_what_is_counted(world):
    offering = offering_in(world, school=world.other_school)
    session_of(offering, days_ago=100, minutes=90)
    recent = (TODAY - datetime.timedelta(days=30), TODAY)
    assert rows(world.brugfiguur, world.region, *recent) == set()
    assert len(rows(world.brugfiguur2, world.region)) == 1  # the pool sees every offering of the region
    assert len(rows(world.beleid, world.region)) == 1  # policy makers count the region's time (sums only)
    at_their_school = offering_in(world, title="Oudercafé")
    session_of(at_their_school, days_ago=2)
    for nobody in ("schoolcontact", "partner", "beheerder", "foreign_coordinator"):
        assert rows(world.persona(nobody), world.region) == set(), nobody
    assert rows(world.foreign_coordinator, world.other_region) == set()


def test_time_is_summed_by_the_database_in_one_query(world):
    offering = offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2])
    for days in range(1, 40):
        session_of(offering, days_ago=days, minutes=30)
    with CaptureQueriesContext(connection) as queries:
        found = time_spent(user=world.coordinator, region=world.region, start=YEAR[0], end=YEAR[1])
    assert len(queries.captured_queries) <= 2  # the user's roles, then the sums
    assert len(found) == 2 and {row.minutes for row in found} == {39 * 30}
