"""Time use (issue 4, item 6): the casework source sums contact moments in the database per contact
type, school and brugfiguur; the overview combines every source into time per pillar, per school and
per brugfiguur (against their FTE), shows each persona what they may count, and runs a fixed number
of queries however many activities there are."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brugwerk.accounts.models import User
from brugwerk.cases.models import ContactType
from brugwerk.cases.selectors.timeuse import time_spent
from brugwerk.cases.timescope import time_scope
from brugwerk.core.timeuse import Pillar, TimeScope, TimeSpent
from brugwerk.pool.models import PoolMember
from brugwerk.timeuse import sources
from brugwerk.timeuse.periods import last_30_days, school_year, this_month
from brugwerk.timeuse.selectors import Figure, time_overview
from tests import factories as f
from tests import factories_cases as fc

CASES_SOURCE = "brugwerk.cases.selectors.timeuse.time_spent"
FAKE_SOURCE = "tests.timeuse.test_timeuse_selectors.fake_time_spent"
TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=27), TODAY  # four weeks, today included


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def contact(world, *, by, minutes, days_ago=3, case=None, school=None, kind=ContactType.HOME_VISIT, region=None):
    extra = {"first_name": "Anoniem"} if case is None else {}
    return fc.ContactMomentFactory(
        case=case, region=region or world.region, brugfiguur=by, school=school, contact_type=kind,
        duration_minutes=minutes, occurred_at=at(days_ago), **extra,
    )


@pytest.fixture
def contacts(world):
    """bf1 leads a case at the school: two home visits (60 + 30 min) and a phone call (15 min) in the
    period, one visit before it. bf1's low-threshold school-gate contact at the school (20 min).
    bf2 leads a case at the other school: a conversation (45 min); bf2 also spent 25 min on bf1's case
    at the school, which bf1 shared with them. A low-threshold contact of bf2 without a school
    (10 min). Region B: a contact of its brugfiguur (500 min) that counts nowhere here."""
    bf1, bf2 = world.brugfiguur, world.brugfiguur2
    mine = fc.CaseFactory(region=world.region, lead=bf1, school=world.school)
    fc.CaseShareFactory(case=mine, user=bf2, starts_on=TODAY - datetime.timedelta(days=60))
    contact(world, by=bf1, minutes=60, case=mine, school=world.school)
    contact(world, by=bf1, minutes=30, case=mine, school=world.school, days_ago=27)
    contact(world, by=bf1, minutes=15, case=mine, school=world.school, kind=ContactType.PHONE_MESSAGE_EMAIL)
    contact(world, by=bf1, minutes=90, case=mine, school=world.school, days_ago=28)  # before the period
    contact(world, by=bf1, minutes=20, school=world.school, kind=ContactType.SCHOOL_GATE)
    theirs = fc.CaseFactory(region=world.region, lead=bf2, school=world.other_school)
    contact(world, by=bf2, minutes=45, case=theirs, school=world.other_school,
            kind=ContactType.CONVERSATION_AT_SCHOOL)
    contact(world, by=bf2, minutes=25, case=mine, school=world.school)
    contact(world, by=bf2, minutes=10, kind=ContactType.NEIGHBOURHOOD)
    foreign = fc.CaseFactory(region=world.other_region, lead=world.foreign_brugfiguur, school=world.foreign_school)
    contact(world, by=world.foreign_brugfiguur, minutes=500, case=foreign, school=world.foreign_school,
            region=world.other_region)
    return world


def fake_time_spent(*, user, region, start, end) -> list[TimeSpent]:
    """A second source, as another app would give it: 2 trainings (240 min) at the school by bf1
    for whoever may count the region's time."""
    if time_scope(user=user, region=region) is None:
        return []
    bf1 = PoolMember.objects.get(region=region, user__username="bf1").user_id
    school = region.schools.order_by("name").last().pk  # Sint-Amandscollege
    return [TimeSpent(Pillar.EXPERTISE, "training", school, bf1, 240, 2)]


def rows_of(result: list[TimeSpent]) -> set[tuple]:
    return {(r.pillar, r.kind, r.school_id, r.person_id, r.minutes, r.activities) for r in result}


# --- The casework source -------------------------------------------------------------------------


def test_casework_time_is_summed_per_contact_type_school_and_brugfiguur(contacts):
    w = contacts
    bf1, bf2 = w.brugfiguur.pk, w.brugfiguur2.pk
    result = time_spent(user=w.coordinator, region=w.region, start=START, end=END)
    assert rows_of(result) == {
        ("outreach", "home visit", w.school.pk, bf1, 90, 2),
        ("outreach", "phone, message or e-mail", w.school.pk, bf1, 15, 1),
        ("outreach", "school-gate contact", w.school.pk, bf1, 20, 1),
        ("outreach", "conversation at school", w.other_school.pk, bf2, 45, 1),
        ("outreach", "home visit", w.school.pk, bf2, 25, 1),
        ("outreach", "in the neighbourhood", None, bf2, 10, 1),
    }


def test_policy_makers_count_the_region_s_contacts_they_cannot_open(contacts):
    w = contacts
    assert rows_of(time_spent(user=w.beleid, region=w.region, start=START, end=END)) == rows_of(
        time_spent(user=w.coordinator, region=w.region, start=START, end=END)
    )


def test_a_brugfiguur_counts_their_own_contacts_and_what_they_may_see(contacts):
    w = contacts
    bf1, bf2 = w.brugfiguur.pk, w.brugfiguur2.pk
    # bf2 sees bf1's case (shared) with all its contacts, their own case and their own contacts;
    # not bf1's low-threshold contact.
    seen = rows_of(time_spent(user=w.brugfiguur2, region=w.region, start=START, end=END))
    assert ("outreach", "school-gate contact", w.school.pk, bf1, 20, 1) not in seen
    assert ("outreach", "home visit", w.school.pk, bf1, 90, 2) in seen
    assert {row for row in seen if row[3] == bf2} == {
        ("outreach", "conversation at school", w.other_school.pk, bf2, 45, 1),
        ("outreach", "home visit", w.school.pk, bf2, 25, 1),
        ("outreach", "in the neighbourhood", None, bf2, 10, 1),
    }


def test_a_brugfiguur_keeps_their_time_after_the_case_went_to_another_lead(contacts):
    w = contacts
    case = fc.CaseFactory(region=w.region, lead=w.brugfiguur2, school=w.other_school)
    contact(w, by=w.brugfiguur, minutes=35, case=case, school=w.other_school)  # before the transfer
    own = {r for r in rows_of(time_spent(user=w.brugfiguur, region=w.region, start=START, end=END))
           if r[3] == w.brugfiguur.pk}
    assert ("outreach", "home visit", w.other_school.pk, w.brugfiguur.pk, 35, 1) in own


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beheerder", "foreign_coordinator",
                                     "foreign_brugfiguur"])
def test_others_count_no_casework_time(contacts, persona):
    w = contacts
    assert time_spent(user=w.persona(persona), region=w.region, start=START, end=END) == []


def test_the_period_includes_both_ends(contacts):
    w = contacts
    day = TODAY - datetime.timedelta(days=27)
    result = time_spent(user=w.coordinator, region=w.region, start=day, end=day)
    assert rows_of(result) == {("outreach", "home visit", w.school.pk, w.brugfiguur.pk, 30, 1)}
    assert time_spent(user=w.coordinator, region=w.region, start=END, end=START) == []


# --- The sources ---------------------------------------------------------------------------------


def test_every_source_exists():
    assert [dotted for dotted, _ in sources.available_sources()] == sources.SOURCES


def test_a_source_that_does_not_exist_is_an_error(monkeypatch):
    monkeypatch.setattr(sources, "SOURCES", [CASES_SOURCE, "brugwerk.nowhere.selectors.time_spent"])
    with pytest.raises(ImportError):
        sources.available_sources()


def test_a_source_with_a_broken_import_is_not_hidden(monkeypatch, tmp_path):
    module = tmp_path / "broken_time_source.py"
    module.write_text("import no_such_package_at_all\n\ndef time_spent(**kwargs):\n    return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sources, "SOURCES", ["broken_time_source.time_spent"])
    with pytest.raises(ModuleNotFoundError):
        sources.available_sources()


# --- The overview --------------------------------------------------------------------------------


@pytest.fixture
def two_sources(contacts, monkeypatch):
    monkeypatch.setattr(sources, "SOURCES", [CASES_SOURCE, FAKE_SOURCE])
    return contacts


def test_the_coordinator_sees_time_per_pillar_school_and_brugfiguur(two_sources):
    w = two_sources
    overview = time_overview(user=w.coordinator, region=w.region, start=START, end=END)
    assert overview.scope is TimeScope.POOL
    # outreach 90+15+20+45+25+10 = 205 min in 7 contacts; expertise 240 min in 2 trainings
    assert overview.total == Figure(445, 9)
    pillars = {row.pillar: (row.figure, row.share) for row in overview.pillars}
    assert pillars == {
        "outreach": (Figure(205, 7), Decimal("46.1")),
        "expertise": (Figure(240, 2), Decimal("53.9")),
        "groups_network": (Figure(0, 0), Decimal("0.0")),
        "learning": (Figure(0, 0), Decimal("0.0")),
    }
    schools = {row.label: (row.pillars[:2], row.total) for row in overview.schools}
    assert schools == {
        "Sint-Amandscollege": ([Figure(150, 5), Figure(240, 2)], Figure(390, 7)),
        "Atheneum Kortrijk": ([Figure(45, 1), Figure(0, 0)], Figure(45, 1)),
        "Not at one school": ([Figure(10, 1), Figure(0, 0)], Figure(10, 1)),
    }
    persons = {row.person_id: (row.pillars[:2], row.total) for row in overview.persons}
    assert persons == {
        w.brugfiguur.pk: ([Figure(125, 4), Figure(240, 2)], Figure(365, 6)),
        w.brugfiguur2.pk: ([Figure(80, 3), Figure(0, 0)], Figure(80, 3)),
    }
    kinds = [(row.pillar, row.kind, row.figure.minutes) for row in overview.kinds]
    assert kinds[0] == ("outreach", "home visit", 115) and kinds[-1] == ("expertise", "training", 240)


def test_a_brugfiguur_sees_only_their_own_time(two_sources):
    w = two_sources
    overview = time_overview(user=w.brugfiguur2, region=w.region, start=START, end=END)
    assert overview.scope is TimeScope.OWN
    assert overview.total == Figure(80, 3)  # not bf1's contacts on the shared case, nor the trainings
    assert [row.person_id for row in overview.persons] == [w.brugfiguur2.pk]
    assert {row.label: row.total for row in overview.schools} == {
        "Sint-Amandscollege": Figure(25, 1), "Atheneum Kortrijk": Figure(45, 1), "Not at one school": Figure(10, 1)
    }


def test_a_policy_maker_sees_the_region_s_totals_without_persons(two_sources):
    w = two_sources
    overview = time_overview(user=w.beleid, region=w.region, start=START, end=END)
    assert overview.scope is TimeScope.FIGURES
    assert overview.total == Figure(445, 9)
    assert overview.persons == [] and not overview.shows_persons
    assert {row.label for row in overview.schools} == {"Sint-Amandscollege", "Atheneum Kortrijk", "Not at one school"}


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beheerder", "foreign_coordinator",
                                     "foreign_brugfiguur"])
def test_others_get_no_overview_of_the_region(two_sources, persona):
    w = two_sources
    assert time_overview(user=w.persona(persona), region=w.region, start=START, end=END) is None


def test_a_school_without_time_shows_with_zero_hours_for_the_region(contacts):
    w = contacts
    quiet = f.SchoolFactory(region=w.region, municipality=w.municipality, name="Zuidschool")
    overview = time_overview(user=w.beleid, region=w.region, start=START, end=END)
    row = next(row for row in overview.schools if row.school_id == quiet.pk)
    assert row.total == Figure() and row.share == Decimal("0.0")


def test_time_is_compared_with_the_fte_over_the_weeks_so_far(two_sources):
    """bf1 (0.50 FTE) over four weeks: 0.50 x 38 h x 4 = 76 h available; 365 min = 6.1 h, 8.0 %.
    A pool member without time shows with 0 h; someone outside the pool without an FTE."""
    w = two_sources
    PoolMember.objects.filter(user=w.brugfiguur).update(fte=Decimal("0.50"))
    idle = f.user_with_role("brugfiguur", w.region, username="bf-idle")
    f.PoolMemberFactory(region=w.region, user=idle, home_base=w.municipality, fte=Decimal("1.00"))
    outsider = f.user_with_role("brugfiguur", w.region, username="invaller")
    contact(w, by=outsider, minutes=120, school=w.school)
    overview = time_overview(user=w.coordinator, region=w.region, start=START, end=END)
    assert overview.weeks == Decimal("4.0")
    rows = {row.person_id: row for row in overview.persons}
    mine = rows[w.brugfiguur.pk]
    assert (mine.fte, mine.total.hours, mine.hours_available, mine.use) == (
        Decimal("0.50"), Decimal("6.1"), Decimal("76.0"), Decimal("8.0"))
    assert (rows[idle.pk].hours_available, rows[idle.pk].use, rows[idle.pk].total) == (
        Decimal("152.0"), Decimal("0.0"), Figure())
    assert (rows[outsider.pk].fte, rows[outsider.pk].hours_available, rows[outsider.pk].total.minutes) == (
        None, None, 120)
    assert rows[outsider.pk].label == str(outsider)
    assert [row.person_id for row in overview.persons][-1] == outsider.pk  # the pool first


def test_hours_available_count_only_the_weeks_up_to_today(world):
    """A school year that began two weeks ago has two weeks of hours available, not 52."""
    start = TODAY - datetime.timedelta(days=13)
    overview = time_overview(user=world.coordinator, region=world.region, start=start,
                             end=start + datetime.timedelta(days=364))
    assert overview.weeks == Decimal("2.0")
    assert {row.hours_available for row in overview.persons} == {Decimal("68.4")}  # 0.90 x 38 x 2


def _ends(period) -> tuple[datetime.date, datetime.date]:
    return period.start, period.end


def test_the_presets_cover_the_school_year_the_month_and_the_last_30_days():
    year = (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    assert _ends(school_year(datetime.date(2025, 10, 3))) == year
    assert _ends(school_year(datetime.date(2025, 9, 1))) == year
    assert _ends(school_year(datetime.date(2026, 8, 31))) == year
    assert _ends(this_month(datetime.date(2024, 2, 10))) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert _ends(this_month(datetime.date(2024, 12, 31))) == (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))
    last = last_30_days(datetime.date(2025, 3, 30))
    assert last.days == 30 and last.end == datetime.date(2025, 3, 30)


# --- Queries -------------------------------------------------------------------------------------


def _many(world, count: int) -> None:
    people = [world.brugfiguur, world.brugfiguur2]
    for n in range(count):
        user = people[n % 2]
        case = fc.CaseFactory(region=world.region, lead=user, school=world.school)
        contact(world, by=user, minutes=30, case=case, school=[world.school, world.other_school][n % 2],
                kind=list(ContactType)[n % len(ContactType)])
    outsider = f.user_with_role("brugfiguur", world.region, username=f"extra{count}")
    contact(world, by=outsider, minutes=15)


def _queries_for(world, persona: str, count: int) -> int:
    _many(world, count)
    user = User.objects.get(pk=world.persona(persona).pk)  # a fresh user: their principal is read again
    with CaptureQueriesContext(connection) as queries:
        overview = time_overview(user=user, region=world.region, start=START, end=END)
    assert overview.total.activities >= count // 2  # a brugfiguur counts their half
    return len(queries)


# The user's roles, the contacts (one query), the schools, the pool members and people outside it.
CASEWORK_QUERIES = {"coordinator": 5, "brugfiguur": 4, "beleid": 3}


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur", "beleid"])
def test_the_casework_overview_runs_a_fixed_number_of_queries(world, persona, monkeypatch):
    monkeypatch.setattr(sources, "SOURCES", [CASES_SOURCE])
    assert [_queries_for(world, persona, count) for count in (2, 20)] == [CASEWORK_QUERIES[persona]] * 2


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur", "beleid"])
def test_the_overview_of_every_source_runs_the_same_queries_for_2_or_20_contacts(world, persona):
    small, large = (_queries_for(world, persona, count) for count in (2, 20))
    assert small == large
