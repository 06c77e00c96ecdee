"""The demo's signals: W13 has signals in every status, recorded and backed by every brugfiguur, with
evidence from cases at every school the pool serves, answers from policy, and one answered by the
school contact's school; the data keeps the model's rules; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from brugwerk.access import scope
from brugwerk.accounts.models import User
from brugwerk.demo import w13
from brugwerk.pool.models import PoolMember
from brugwerk.signals import selectors
from brugwerk.signals.models import (
    POLICY_STATUSES,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalResponse,
    SignalStatus,
    SignalTheme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())
    return Signal.objects.filter(region__slug=w13.SLUG)


def test_w13_has_ten_to_fifteen_signals_in_every_status(demo):
    assert 10 <= demo.count() <= 15
    assert set(demo.values_list("status", flat=True)) == set(SignalStatus.values)
    assert SignalTheme.objects.filter(region__slug=w13.SLUG).count() >= 10


def test_every_brugfiguur_records_and_backs_signals(demo):
    brugfiguren = {p.username for p in w13.POOL}
    authors = set(demo.values_list("created_by__username", flat=True))
    assert authors == brugfiguren
    backers = SignalBacking.objects.filter(signal__in=demo).values("signal").annotate(n=Count("pk"))
    assert all(row["n"] >= 2 for row in backers)
    assert len(backers) == demo.count()


def test_evidence_comes_from_the_backers_cases_at_every_served_school(demo):
    served = set(PoolMember.objects.filter(region__slug=w13.SLUG).values_list("schools", flat=True))
    evidence = SignalEvidence.objects.filter(signal__in=demo).select_related("case")
    assert set(evidence.values_list("case__school", flat=True)) >= served
    for item in evidence:
        assert SignalBacking.objects.filter(signal=item.signal_id, brugfiguur=item.case.lead_id).exists()
        assert item.added_by_id == item.case.lead_id
    assert all(s.evidence_count >= 1 for s in selectors.signals_for(user=User.objects.get(username="coordinator"),
                                                                       region=demo.first().region))


def test_the_history_and_answers_follow_the_status(demo):
    for signal in demo.annotate(n_answers=Count("responses", filter=Q(responses__kind="answer"))):
        history = list(signal.status_changes.order_by("changed_on", "pk"))
        assert history[0].to_status == SignalStatus.RECORDED and history[-1].to_status == signal.status
        assert [c.changed_on for c in history] == sorted(c.changed_on for c in history)
        assert (signal.passed_on_on is not None) == any(c.to_status == SignalStatus.PASSED_ON for c in history)
        if signal.status in (SignalStatus.ANSWERED, SignalStatus.ACTION_TAKEN):
            assert signal.n_answers >= 1
    assert demo.filter(status=SignalStatus.CLOSED, passed_on_on__isnull=True).exists()  # closed in the pool


def test_beleid_and_the_school_contact_have_something_to_read(demo):
    region = demo.first().region
    beleid = User.objects.get(username="beleid")
    seen = set(selectors.signals_for(user=beleid, region=region))
    assert seen == {s for s in demo if s.status in POLICY_STATUSES and s.passed_on_on}
    assert len(seen) >= 5
    school = User.objects.get(username="school")
    theirs = list(selectors.signals_for(user=school, region=region))
    assert len(theirs) == 1 and theirs[0].school.name == w13.SCHOOL_OF_SCHOOLCONTACT
    assert SignalResponse.objects.filter(signal=theirs[0], recorded_by=school).exists()
    assert not scope(beleid, SignalEvidence).exists()


def test_no_demo_signal_names_a_young_person(demo):
    names = {name for pair in SignalEvidence.objects.values_list("case__young_person__first_name",
                                                                 "case__young_person__last_name") for name in pair}
    texts = " ".join(f"{s.title} {s.description}" for s in demo)
    assert not [name for name in names if f" {name} " in f" {texts} "]


def test_a_second_run_adds_no_signals(demo):
    counts = (demo.count(), SignalEvidence.objects.count(), SignalResponse.objects.count())
    call_command("demo", stdout=StringIO())
    assert (demo.count(), SignalEvidence.objects.count(), SignalResponse.objects.count()) == counts


def test_generated_flanders_regions_get_five_to_ten_signals(settings):
    call_command("demo", "--scale", "flanders", "--regions", "1", "--casework-scale", "0.02", stdout=StringIO())
    generated = Signal.objects.filter(region__slug__startswith="fl-")
    per_region = generated.values("region").annotate(n=Count("pk"))
    assert per_region and all(5 <= row["n"] <= 10 for row in per_region)
    assert SignalEvidence.objects.filter(signal__in=generated).exists()
    assert SignalResponse.objects.filter(signal__in=generated).exists()
