"""The demo's network and cooperation: in W13 every brugfiguur attends meetings and has open and
overdue actions, every zone has its local network, every school the pool serves has consultations and
a cooperation agreement (some in a second version, some with an overdue evaluation), the school
contact and the CAW partner see their meetings; a second run adds nothing; generated Flanders regions
get the same in proportion."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from brugwerk.access import scope
from brugwerk.accounts.models import User
from brugwerk.cooperation.models import (
    CooperationAgreement,
    MeetingAction,
    MeetingAgreement,
    MeetingKind,
    NetworkMeeting,
)
from brugwerk.demo import flanders, w13
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> None:
    call_command("demo", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The W13 demo, loaded once for this module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        run()
        yield Region.objects.get(slug=w13.SLUG)
        transaction.set_rollback(True)


@pytest.fixture
def region(demo, db):
    return demo


def test_every_brugfiguur_attends_meetings_and_has_open_overdue_and_done_actions(region):
    today = timezone.localdate()
    for username in (p.username for p in w13.POOL):
        user = User.objects.get(username=username)
        assert NetworkMeeting.objects.filter(region=region, pool_attendees=user).count() >= 5, username
        own = MeetingAction.objects.filter(meeting__region=region, owner_user=user)
        assert own.filter(done_at__isnull=True, due_date__gte=today).exists(), username
        assert own.filter(done_at__isnull=True, due_date__lt=today).exists(), username
        assert own.filter(done_at__isnull=False).exists(), username


def test_every_zone_has_its_local_network_and_the_region_its_steering_group(region):
    local = NetworkMeeting.objects.filter(region=region, kind=MeetingKind.LOCAL_NETWORK)
    assert set(local.values_list("zone__name", flat=True)) == set(w13.ZONES)
    assert NetworkMeeting.objects.filter(region=region, kind=MeetingKind.REGIONAL_STEERING).count() >= 3
    year_ago = timezone.localdate() - datetime.timedelta(days=366)
    assert not NetworkMeeting.objects.filter(region=region, date__lt=year_ago).exists()
    assert not NetworkMeeting.objects.filter(region=region, date__gt=timezone.localdate()).exists()
    without_agreement = NetworkMeeting.objects.filter(region=region).annotate(n=Count("agreements")).filter(n=0)
    assert not without_agreement.exists()


def test_every_served_school_has_consultations_and_one_current_agreement(region):
    served = {name for p in w13.POOL for name in p.schools}
    consulted = set(
        NetworkMeeting.objects.filter(region=region, kind=MeetingKind.SCHOOL_CONSULTATION)
        .values_list("school__name", flat=True)
    )
    assert consulted == served
    current = CooperationAgreement.objects.filter(region=region, valid_until__isnull=True)
    assert sorted(current.values_list("school__name", flat=True)) == sorted(served)
    assert all(len(a.contacts) >= 2 and a.agreed_days for a in current)
    assert CooperationAgreement.objects.filter(region=region, version=2).exists()
    assert current.filter(next_evaluation_on__lt=timezone.localdate()).exists()  # an overdue evaluation
    assert current.filter(role_profile_accepted=False).exists() or current.count() < 5


def test_the_records_keep_the_rules_of_the_services(region):
    actions = MeetingAction.objects.filter(meeting__region=region)
    assert not actions.filter(due_date__lt=F("meeting__date")).exists()
    assert not actions.filter(Q(owner_user__isnull=True, owner_label="") | Q(owner_user__isnull=False) & ~Q(
        owner_label="")).exists()
    pool = set(PoolMember.objects.filter(region=region, active=True).values_list("user_id", flat=True))
    attendees = set(NetworkMeeting.pool_attendees.through.objects.filter(networkmeeting__region=region)
                    .values_list("user_id", flat=True))
    assert attendees <= pool
    assert MeetingAgreement.objects.filter(meeting__region=region).count() > NetworkMeeting.objects.filter(
        region=region).count()


def test_the_school_contact_and_the_caw_partner_see_their_meetings(region):
    school_contact, partner = User.objects.get(username="school"), User.objects.get(username="caw")
    assert scope(school_contact, NetworkMeeting).filter(kind=MeetingKind.SCHOOL_CONSULTATION).count() >= 2
    assert scope(school_contact, CooperationAgreement).filter(valid_until__isnull=True).count() == 1
    assert scope(partner, NetworkMeeting).filter(kind=MeetingKind.LOCAL_NETWORK).exists()
    assert scope(partner, MeetingAction).exists()


def test_a_second_run_adds_nothing(region):
    counts = (NetworkMeeting.objects.count(), MeetingAction.objects.count(), CooperationAgreement.objects.count())
    run()
    assert (NetworkMeeting.objects.count(), MeetingAction.objects.count(),
            CooperationAgreement.objects.count()) == counts


@pytest.mark.django_db
def test_a_generated_flanders_region_gets_meetings_and_agreements_in_proportion():
    run("--scale", "flanders", "--regions", "1", "--casework-scale", "0")
    region = Region.objects.get(slug__startswith=flanders.SLUG_PREFIX)
    pool = PoolMember.objects.filter(region=region)
    served = {school for member in pool.prefetch_related("schools") for school in member.schools.all()}
    current = CooperationAgreement.objects.filter(region=region, valid_until__isnull=True)
    assert {a.school for a in current} == served
    meetings = NetworkMeeting.objects.filter(region=region)
    # Two consultations per served school, the partner consultations of each brugfiguur, the networks.
    assert meetings.count() >= 2 * len(served) + 3 * pool.count()
    assert MeetingAction.objects.filter(meeting__region=region, done_at__isnull=True).exists()
