"""The coordinator's caseload page (cases:caseload): per bridge figure open cases, cases per FTE,
opened and closed this month, contacts of the last 30 days and referrals waiting at their schools,
with the region's totals; for the coordinator only, audited, and in a flat number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import CaseStatus, ReferralSource, ReferralStatus
from brugwerk.cases.selectors.overview import CaseloadFigures, pool_caseload, waiting_summary
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for

URL = reverse("cases:caseload")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def load(world):
    """bf1 (0.90 FTE, serves the school): 3 open cases (1 opened today), 1 closed today, 1 closed
    last month, 3 contacts in the last 30 days and one older. bf2 (0.90 FTE, serves the other
    school): 1 open case opened today and 1 contact. Somebody outside the pool leads 1 open case.
    Referrals: 2 waiting at the school, 1 at the other school, 1 without a school, 1 assigned.
    Region B has a case, a contact and a referral that count nowhere here."""
    fc.pool_serves(world)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    bf1, bf2 = world.brugfiguur, world.brugfiguur2
    opened_today = fc.CaseFactory(region=world.region, lead=bf1, opened_on=today)
    older = [fc.CaseFactory(region=world.region, lead=bf1, opened_on=_days(40)) for _ in range(2)]
    fc.CaseFactory(region=world.region, lead=bf1, opened_on=_days(60), status=CaseStatus.CLOSED, closed_on=today)
    fc.CaseFactory(region=world.region, lead=bf1, opened_on=_days(90), status=CaseStatus.CLOSED,
                   closed_on=last_month)
    now = timezone.now()
    fc.ContactMomentFactory(case=opened_today, occurred_at=now)
    fc.ContactMomentFactory(case=older[0], occurred_at=now - datetime.timedelta(days=29))
    fc.ContactMomentFactory(case=None, region=world.region, brugfiguur=bf1, first_name="Anoniem",
                            occurred_at=now - datetime.timedelta(days=3))
    fc.ContactMomentFactory(case=older[1], occurred_at=now - datetime.timedelta(days=45))
    theirs = fc.CaseFactory(region=world.region, lead=bf2, opened_on=today)
    fc.ContactMomentFactory(case=theirs, occurred_at=now - datetime.timedelta(days=1))
    outsider = f.user_with_role(Role.BRUGFIGUUR, world.region, username="buiten-de-pool")
    fc.CaseFactory(region=world.region, lead=outsider, opened_on=_days(40))
    for school, status in ((world.school, ReferralStatus.RECEIVED), (world.school, ReferralStatus.WAITING),
                           (world.other_school, ReferralStatus.WAITING), (world.school, ReferralStatus.ASSIGNED)):
        fc.ReferralFactory(region=world.region, school=school, status=status)
    fc.ReferralFactory(region=world.region, school=None, source=ReferralSource.DIRECT)
    foreign = fc.CaseFactory(region=world.other_region, lead=world.foreign_brugfiguur, opened_on=today)
    fc.ContactMomentFactory(case=foreign, occurred_at=now)
    fc.ReferralFactory(region=world.other_region, school=world.foreign_school)
    return world


def test_caseload_counts_per_bridge_figure_and_the_region(load):
    world = load
    overview = pool_caseload(user=world.coordinator, region=world.region)
    rows = {row.member.user: row.figures for row in overview.rows}
    assert rows == {
        world.brugfiguur: CaseloadFigures(open_cases=3, cases_per_fte=Decimal("3.3"), new_this_month=1,
                                          closed_this_month=1, contacts_last_30_days=3, waiting=2),
        world.brugfiguur2: CaseloadFigures(open_cases=1, cases_per_fte=Decimal("1.1"), new_this_month=1,
                                           closed_this_month=0, contacts_last_30_days=1, waiting=1),
    }
    assert overview.total_fte == Decimal("1.80")
    # The region: the outsider's case too (5 open, 5 / 1.80 = 2.8 per FTE), the referral without a school.
    assert overview.totals == CaseloadFigures(open_cases=5, cases_per_fte=Decimal("2.8"), new_this_month=2,
                                              closed_this_month=1, contacts_last_30_days=4, waiting=4)


def test_an_inactive_pool_member_has_no_row(load):
    PoolMember.objects.filter(user=load.brugfiguur2).update(active=False)
    overview = pool_caseload(user=load.coordinator, region=load.region)
    assert [row.member.user for row in overview.rows] == [load.brugfiguur]
    assert overview.total_fte == Decimal("0.90")


def test_coordinator_sees_the_caseload_page_and_it_is_audited(load):
    world = load
    response = client_for(world.coordinator).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert str(world.brugfiguur) in content and str(world.brugfiguur2) in content
    assert "buiten-de-pool" not in content  # not in the pool: counted in the totals only
    assert "<h1>" in content and content.count("<h1") == 1
    assert reverse("pool:member_detail", args=[PoolMember.objects.get(user=world.brugfiguur).pk]) in content
    assert ">3.3<" in content and ">2.8<" in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.coordinator, subject_type="pool.poolmember")
    assert entry.region_id == world.region.pk
    assert sorted(entry.changes["shown"]) == sorted(PoolMember.objects.filter(region=world.region)
                                                    .values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder"])
def test_caseload_page_does_not_exist_for_anyone_but_the_coordinator(load, persona):
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client_for(load.persona(persona)).get(URL).status_code == 404
    assert not AuditEntry.objects.filter(pk__gt=before, event=AuditEvent.VIEW).exists()
    assert pool_caseload(user=load.persona(persona), region=load.region).rows == []


def test_coordinator_of_region_b_sees_region_bs_caseload_only(load):
    world = load
    f.PoolMemberFactory(region=world.other_region, user=world.foreign_brugfiguur,
                        home_base=world.foreign_school.municipality)
    response = client_for(world.foreign_coordinator).get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [row.member.user for row in overview.rows] == [world.foreign_brugfiguur]
    assert (overview.totals.open_cases, overview.totals.contacts_last_30_days, overview.totals.waiting) == (1, 1, 1)
    content = response.content.decode()
    assert str(world.brugfiguur) not in content and str(world.brugfiguur2) not in content
    # Asked about region A, region B's coordinator learns nothing.
    assert pool_caseload(user=world.foreign_coordinator, region=world.region).rows == []
    assert waiting_summary(user=world.foreign_coordinator, region=world.region).total == 0


def test_caseload_page_needs_a_region(db):
    assert client_for(f.UserFactory()).get(URL).status_code == 404


def _grow(world, count: int) -> None:
    today, now = timezone.localdate(), timezone.now()
    for n in range(count):
        lead = f.user_with_role(Role.BRUGFIGUUR, world.region)
        member = f.PoolMemberFactory(region=world.region, user=lead, home_base=world.municipality)
        member.schools.add(world.school if n % 2 else world.other_school)
        case = fc.CaseFactory(region=world.region, lead=lead, opened_on=today)
        fc.ContactMomentFactory(case=case, occurred_at=now)
        fc.CaseFactory(region=world.region, lead=lead, opened_on=_days(60), status=CaseStatus.CLOSED,
                       closed_on=today)
        fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.WAITING)


def test_caseload_page_runs_the_same_queries_for_2_or_15_bridge_figures(world, django_assert_max_num_queries):
    fc.pool_serves(world)
    _grow(world, 2)
    client = client_for(world.coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _grow(world, 13)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    overview = response.context["overview"]
    assert len(overview.rows) == 17  # the two personas and fifteen more
    assert overview.totals.open_cases == 15 and overview.totals.closed_this_month == 15
