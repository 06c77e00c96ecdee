"""The demo's group offerings: in W13 every brugfiguur organises a monthly parent café with sessions
counted, a pupil workshop and a group trajectory with young people of their own cases; every school
has an offering; the demo school contact and partner see one; a second run adds nothing; a
Flanders region gets 3 to 6 offerings per brugfiguur with 4 to 10 sessions each."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from brugwerk.access import scope
from brugwerk.accounts.models import User
from brugwerk.demo import flanders, w13
from brugwerk.groups.models import (
    AnonymousAttendance,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
)
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import School

pytestmark = pytest.mark.django_db

W13_BRUGFIGUREN = {p.username for p in w13.POOL}


def run(*args: str) -> None:
    call_command("demo", *args, stdout=StringIO())


def test_every_w13_brugfiguur_organises_cafes_workshops_and_a_trajectory():
    run()
    today = timezone.localdate()
    offerings = GroupOffering.objects.filter(region__slug=w13.SLUG)
    for username in W13_BRUGFIGUREN:
        mine = offerings.filter(organisers__username=username)
        cafes = mine.filter(kind=OfferingKind.PARENT_CAFE, school__isnull=False)
        assert cafes.values("school").distinct().count() >= 2, username
        for cafe in cafes:
            held = cafe.sessions.filter(date__lte=today)
            assert held.count() >= 3, cafe
            assert cafe.sessions.filter(date__gt=today).exists(), cafe  # the next one is planned
            assert AnonymousAttendance.objects.filter(session__in=held).values("session").distinct().count() == \
                held.count()
        assert mine.filter(kind=OfferingKind.PUPIL_WORKSHOP).exists(), username
        trajectory = mine.get(kind=OfferingKind.GROUP_TRAJECTORY)
        participants = GroupParticipant.objects.filter(offering=trajectory)
        assert 3 <= participants.count() <= 5, username
        assert set(participants.values_list("case__lead__username", flat=True)) == {username}
        assert GroupAttendance.objects.filter(participant__in=participants).exists()
        # Evaluations name nobody and always come with their forms.
        evaluated = GroupSession.objects.filter(offering__in=mine, evaluation_score__isnull=False)
        assert evaluated.exists() and not evaluated.filter(evaluation_forms__isnull=True).exists()


def test_every_w13_school_has_an_offering_and_the_demo_school_contact_and_partner_see_one():
    run()
    schools = School.objects.filter(region__slug=w13.SLUG)
    without = schools.annotate(n=Count("group_offerings")).filter(n=0)
    assert list(without) == []
    for username in ("school", "caw"):
        seen = scope(User.objects.get(username=username), GroupOffering)
        assert seen.filter(kind=OfferingKind.PARENT_CAFE).exists(), username
    assert not scope(User.objects.get(username="beleid"), GroupOffering).exists()


def test_a_second_run_adds_no_offerings():
    run()
    counts = (GroupOffering.objects.count(), GroupSession.objects.count(), AnonymousAttendance.objects.count())
    run()
    assert (GroupOffering.objects.count(), GroupSession.objects.count(),
            AnonymousAttendance.objects.count()) == counts


def test_a_flanders_region_gets_3_to_6_offerings_per_brugfiguur_with_4_to_10_sessions():
    run("--scale", "flanders", "--regions", "1", "--casework-scale", "0.05")
    generated = Q(region__slug__startswith=flanders.SLUG_PREFIX)
    brugfiguren = PoolMember.objects.filter(generated).count()
    offerings = GroupOffering.objects.filter(generated)
    assert 3 * brugfiguren <= offerings.count() <= 6 * brugfiguren
    sessions = offerings.exclude(kind=OfferingKind.INFORMATION_SESSION).annotate(n=Count("sessions"))
    assert {o.n for o in sessions} <= set(range(4, 11))
    assert AnonymousAttendance.objects.filter(session__offering__in=offerings).exists()
    assert GroupParticipant.objects.filter(offering__in=offerings).exists()
