"""The demo's school-team expertise: in W13 every school a brugfiguur serves has several activities
this school year and every brugfiguur has some of their own, the records are sound (of their region,
led by the pool, no pupil's name), a second run adds nothing, and generated Flanders regions get
20 to 40 activities per brugfiguur per year."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from brugwerk.cases.models import YoungPerson
from brugwerk.demo import flanders, w13
from brugwerk.expertise.models import (
    DEFAULT_TOPICS,
    ActivityKind,
    ExpertiseTopic,
    ParticipantFunction,
    SchoolTeamActivity,
    school_year_of,
)
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> None:
    call_command("demo", *args, stdout=StringIO())


def test_every_w13_school_served_and_every_brugfiguur_has_activities_this_school_year():
    run()
    region = Region.objects.get(slug=w13.SLUG)
    today = timezone.localdate()
    start, end = school_year_of(today)
    this_year = SchoolTeamActivity.objects.filter(region=region, date__gte=start, date__lte=end)
    served = {(p.username, school) for p in w13.POOL for school in p.schools}
    per_school = dict(this_year.values_list("school__name").annotate(n=Count("pk")))
    for _username, school in served:
        assert per_school.get(school, 0) >= 3, school
    per_lead = dict(this_year.values_list("lead__username").annotate(n=Count("pk")))
    assert set(per_lead) == {p.username for p in w13.POOL}
    assert all(n >= 5 for n in per_lead.values())
    everything = SchoolTeamActivity.objects.filter(region=region)
    # Variety: every kind, past and planned ones, evaluations, trainings led by two.
    assert set(everything.values_list("kind", flat=True)) == set(ActivityKind.values)
    assert everything.filter(date__gt=today).count() == len(w13.POOL)
    assert everything.filter(date__lt=start).exists()
    assert everything.filter(evaluation_score__isnull=False).count() > everything.count() // 2
    assert everything.filter(co_facilitators__isnull=False, kind=ActivityKind.TRAINING).exists()
    assert not everything.filter(date__gt=today, evaluated_at__isnull=False).exists()


def test_the_demo_activities_are_sound():
    run()
    region = Region.objects.get(slug=w13.SLUG)
    activities = SchoolTeamActivity.objects.filter(region=region)
    assert set(ExpertiseTopic.objects.filter(region=region).values_list("name", flat=True)) == set(DEFAULT_TOPICS)
    pool = set(PoolMember.objects.filter(region=region).values_list("user_id", flat=True))
    assert set(activities.values_list("lead_id", flat=True)) <= pool
    assert set(activities.filter(co_facilitators__isnull=False).values_list("co_facilitators", flat=True)) <= pool
    assert not activities.filter(~Q(school__region=region)).exists()
    assert not activities.annotate(n=Count("topics")).filter(n=0).exists()
    for activity in activities.prefetch_related("topics", "co_facilitators")[:50]:
        activity.full_clean()
        assert set(activity.participant_functions) <= set(ParticipantFunction.values)
        assert activity.lead_id not in {u.pk for u in activity.co_facilitators.all()}
        assert {t.region_id for t in activity.topics.all()} == {region.pk}
        assert activity.date.weekday() < 5
    # Never a pupil's name in a description.
    first_names = set(YoungPerson.objects.filter(region=region).values_list("first_name", flat=True))
    descriptions = " ".join(activities.values_list("description", flat=True))
    assert not [name for name in first_names if f" {name} " in descriptions]


def test_a_second_run_adds_no_activity():
    run()
    before = SchoolTeamActivity.objects.count(), ExpertiseTopic.objects.count()
    run()
    assert (SchoolTeamActivity.objects.count(), ExpertiseTopic.objects.count()) == before


def test_generated_regions_get_20_to_40_activities_per_brugfiguur_a_year():
    run("--scale", "flanders", "--regions", "1", "--casework-scale", "0")
    region = Region.objects.get(slug__startswith=flanders.SLUG_PREFIX)
    per_lead = list(
        SchoolTeamActivity.objects.filter(region=region).values("lead").annotate(n=Count("pk")).values_list(
            "n", flat=True)
    )
    assert len(per_lead) == PoolMember.objects.filter(region=region).exclude(schools=None).count()
    assert all(20 <= n <= 40 for n in per_lead)
    assert ExpertiseTopic.objects.filter(region=region).count() == len(DEFAULT_TOPICS)
