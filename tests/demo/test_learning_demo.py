"""The demo's learning records: in W13 every bridge figure takes part in the monthly intervision, has
coaching moments and goes to a learning network; the library has about 15 items and the social map
about 40 services across every municipality; nothing is written twice; generated Flanders regions
get the same in bulk."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from brugwerk.demo import flanders, w13
from brugwerk.learning.models import LearningKind, LearningSession, LearningTheme, LibraryItem, SocialMapEntry
from brugwerk.learning.services import schools_named_in
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region

pytestmark = pytest.mark.django_db

W13_BRUGFIGUREN = {p.username for p in w13.POOL}


def run(*args: str) -> None:
    call_command("demo", *args, stdout=StringIO())


def test_every_w13_brugfiguur_has_intervision_coaching_and_a_learning_network():
    run()
    region = Region.objects.get(slug=w13.SLUG)
    sessions = LearningSession.objects.filter(region=region)
    intervisions = sessions.filter(kind=LearningKind.INTERVISION)
    assert 8 <= intervisions.count() <= 12  # monthly, not in July and August
    assert len({s.date.month for s in intervisions}) == intervisions.count()
    for username in W13_BRUGFIGUREN:
        mine = sessions.filter(participants__username=username)
        counts = dict(mine.values_list("kind").annotate(n=Count("pk")))
        assert counts[LearningKind.INTERVISION] >= 5, username
        assert counts[LearningKind.COACHING] >= 6, username
        assert counts[LearningKind.LEARNING_NETWORK] >= 1, username
    for session in intervisions.annotate(n=Count("participants")):
        assert session.n >= 3 and session.learned
        assert session.case_question and schools_named_in(session.case_question, region.pk) == []
    coachings = sessions.filter(kind=LearningKind.COACHING).annotate(n=Count("participants"))
    assert {c.n for c in coachings} == {1}
    assert coachings.exclude(private_note="").exists() and coachings.filter(private_note="").exists()
    assert coachings.filter(facilitator__username="coordinator").exists()
    assert coachings.exclude(facilitator_name="").exists()
    assert sessions.filter(kind=LearningKind.LEARNING_NETWORK).exclude(others_present="").count() == 4
    assert not sessions.filter(date__gt=timezone.localdate()).exists()
    assert not sessions.filter(date__lt=timezone.localdate() - datetime.timedelta(days=366)).exists()


def test_w13_has_a_library_and_a_social_map_across_its_municipalities():
    run()
    region = Region.objects.get(slug=w13.SLUG)
    assert LearningTheme.objects.filter(region=region).count() >= 10
    items = LibraryItem.objects.filter(region=region)
    assert 14 <= items.count() <= 20
    assert set(items.values_list("kind", flat=True)) == {"practice", "method", "tool", "reading"}
    assert not items.annotate(n=Count("themes")).filter(n=0).exists()
    entries = SocialMapEntry.objects.filter(region=region)
    assert 35 <= entries.count() <= 50
    covered = set(entries.exclude(municipality=None).values_list("municipality", flat=True))
    assert covered == set(Municipality.objects.filter(region=region).values_list("pk", flat=True))
    assert entries.filter(partner__isnull=False).exists() and entries.filter(partner__isnull=True).exists()
    assert entries.filter(municipality=None).exists()  # for the whole region
    assert not entries.annotate(n=Count("life_domains")).filter(n=0).exists()
    assert not entries.filter(phone="", email="", website="", address="").exists()


def test_a_second_demo_run_adds_no_learning_records():
    run()
    before = [m.objects.count() for m in (LearningSession, LearningTheme, LibraryItem, SocialMapEntry)]
    run()
    assert [m.objects.count() for m in (LearningSession, LearningTheme, LibraryItem, SocialMapEntry)] == before


def test_a_small_flanders_run_gives_the_generated_region_learning_in_bulk():
    run("--scale", "flanders", "--regions", "1", "--casework-scale", "0")
    region = Region.objects.get(slug__startswith=flanders.SLUG_PREFIX)
    pool = set(PoolMember.objects.filter(region=region).values_list("user_id", flat=True))
    sessions = LearningSession.objects.filter(region=region)
    coached = set(sessions.filter(kind=LearningKind.COACHING).values_list("participants", flat=True))
    intervision = set(sessions.filter(kind=LearningKind.INTERVISION).values_list("participants", flat=True))
    assert coached == pool and intervision == pool
    largest = sessions.filter(kind=LearningKind.INTERVISION).annotate(n=Count("participants")).order_by("-n").first()
    assert 2 <= largest.n <= 6
    municipalities = Municipality.objects.filter(region=region)
    entries = SocialMapEntry.objects.filter(region=region)
    assert set(entries.exclude(municipality=None).values_list("municipality", flat=True)) == set(
        municipalities.values_list("pk", flat=True)
    )
    social_houses = entries.filter(partner__type="ocmw", service_name__startswith="Sociale dienst van")
    assert social_houses.count() == municipalities.count()
    assert LibraryItem.objects.filter(region=region).count() == 8
