"""Reads of casework: search, the case file (audited), the timeline, waiting lists, caseload per
FTE, reminders on working days and inactivity; and lists whose query count does not grow with data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import Case, CaseStatus, Consent, ContactType, ReferralOutStatus, ReferralStatus, Urgency
from brugwerk.cases.selectors import (
    case_file_get,
    case_timeline,
    caseload,
    cases_visible_to,
    inactive_cases,
    overdue_feedback,
    partner_referrals,
    waiting_list,
)
from brugwerk.core.dates import subtract_working_days, working_days_between
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests import factories_cases as fc

MONDAY = datetime.date(2026, 11, 23)


def fresh(user: User) -> User:
    """A new user object: its principal is read again, as on a new request."""
    return User.objects.get(pk=user.pk)


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Working days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (MONDAY, 1, MONDAY - datetime.timedelta(days=3)),  # Friday before
        (MONDAY + datetime.timedelta(days=2), 2, MONDAY),  # Wednesday - 2 = Monday
        (MONDAY + datetime.timedelta(days=5), 1, MONDAY + datetime.timedelta(days=4)),  # Saturday - 1 = Friday
        (MONDAY, 10, MONDAY - datetime.timedelta(days=14)),
        (MONDAY, 0, MONDAY),
    ],
)
def test_subtract_working_days_skips_weekends(day, count, expected):
    assert subtract_working_days(day, count) == expected


def test_working_days_between_counts_monday_to_friday_only():
    friday = MONDAY - datetime.timedelta(days=3)
    assert working_days_between(friday, MONDAY) == 1
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=7)) == 5
    assert working_days_between(MONDAY, MONDAY) == 0


# --- Cases and the case file --------------------------------------------------------------------


def test_cases_are_searched_among_those_the_user_may_see(world):
    mine = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                          young_person__first_name="Lina", young_person__last_name="Declercq")
    theirs = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, school=world.other_school,
                            young_person__first_name="Lina", young_person__last_name="Maes")
    closed = fc.CaseFactory(region=world.region, lead=world.brugfiguur, status=CaseStatus.CLOSED,
                            closed_on=timezone.localdate(), young_person__last_name="Closed")
    assert set(cases_visible_to(user=world.brugfiguur, region=world.region)) == {mine, closed}
    assert list(cases_visible_to(user=world.brugfiguur, region=world.region, query="lina")) == [mine]
    assert list(cases_visible_to(user=world.brugfiguur, region=world.region, status="closed")) == [closed]
    assert set(cases_visible_to(user=world.coordinator, region=world.region, query="Lina")) == {mine, theirs}
    assert list(cases_visible_to(user=world.coordinator, region=world.region, query="Lina Atheneum")) == [theirs]
    assert set(cases_visible_to(user=world.coordinator, region=world.region, status="nonsense")) == {
        mine, theirs, closed}
    assert not cases_visible_to(user=world.schoolcontact, region=world.region).exists()
    assert not cases_visible_to(user=world.foreign_coordinator, region=world.region).exists()


def test_reading_a_case_file_is_audited_and_others_get_404(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    assert case_file_get(user=world.brugfiguur, pk=case.pk) == case
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW)
    assert (entry.actor, entry.subject_type, entry.subject_id, entry.region_id) == (
        world.brugfiguur, "cases.case", str(case.pk), world.region.pk)
    for persona in ("brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"):
        with pytest.raises(Http404):
            case_file_get(user=world.persona(persona), pk=case.pk)
    with pytest.raises(Http404):
        case_file_get(user=world.coordinator, pk=case.pk + 1000)
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW).count() == 1


def test_the_timeline_merges_everything_newest_first_without_others_private_notes(world):
    case = fc.full_case(world)[Case]
    fc.CaseShareFactory(case=case, user=world.brugfiguur2)
    fc.ContactMomentFactory(case=case, note="Alleen voor mij.", note_private=True,
                            occurred_at=timezone.now() - datetime.timedelta(hours=1))
    items = case_timeline(user=fresh(world.brugfiguur2), case=case)
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)
    kinds = {item.kind for item in items}
    assert {"opened", "contact", "help_question", "goal", "action", "consent", "referral_out", "feedback", "share",
            "transfer"} <= kinds
    notes = [item.note for item in items if item.kind == "contact"]
    assert "Alleen voor mij." not in notes and "" in notes
    mine = [item.note for item in case_timeline(user=world.brugfiguur, case=case) if item.kind == "contact"]
    assert "Alleen voor mij." in mine
    with pytest.raises(Http404):
        case_timeline(user=world.schoolcontact, case=case)


# --- Triage and the pool ------------------------------------------------------------------------


def test_the_waiting_list_orders_by_priority_urgency_and_waiting_time(world):
    today = timezone.localdate()
    old_normal = fc.ReferralFactory(region=world.region, school=world.school, urgency=Urgency.NORMAL,
                                    received_at=at(today - datetime.timedelta(days=12)))
    new_high = fc.ReferralFactory(region=world.region, school=world.school, urgency=Urgency.HIGH,
                                  received_at=at(today - datetime.timedelta(days=1)))
    queued = fc.ReferralFactory(region=world.region, school=world.other_school, status=ReferralStatus.WAITING,
                                priority=5, received_at=at(today - datetime.timedelta(days=3)))
    fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.REFUSED)
    fc.ReferralFactory(region=world.other_region, school=world.foreign_school)
    items = waiting_list(user=world.coordinator, region=world.region)
    assert [item.referral for item in items] == [queued, new_high, old_normal]
    assert [item.waiting_days for item in items] == [3, 1, 12]
    assert [i.referral for i in waiting_list(user=world.coordinator, region=world.region, school=world.school)] == [
        new_high, old_normal]
    assert waiting_list(user=world.brugfiguur, region=world.region) == []  # the coordinator triages here


def test_the_waiting_list_per_zone_follows_todays_zone_membership(world):
    elsewhere = f.MunicipalityFactory(region=world.region, name="Menen")
    other_zone = f.ZoneFactory(region=world.region, name="Zone Menen")
    f.ZoneMembershipFactory(zone=other_zone, municipality=elsewhere)
    school_elsewhere = f.SchoolFactory(region=world.region, municipality=elsewhere)
    here = fc.ReferralFactory(region=world.region, school=world.school)
    there = fc.ReferralFactory(region=world.region, school=school_elsewhere)
    assert [i.referral for i in waiting_list(user=world.coordinator, region=world.region, zone=world.zone)] == [here]
    assert [i.referral for i in waiting_list(user=world.coordinator, region=world.region, zone=other_zone)] == [
        there]
    # Once Menen's membership ended, it no longer counts for that zone.
    other_zone.memberships.update(valid_until=timezone.localdate())
    assert waiting_list(user=world.coordinator, region=world.region, zone=other_zone) == []


def test_caseload_counts_open_cases_per_brugfiguur_and_per_fte(world):
    PoolMember.objects.filter(user=world.brugfiguur).update(fte=Decimal("0.50"))
    for _ in range(3):
        fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    fc.CaseFactory(region=world.region, lead=world.brugfiguur, status=CaseStatus.CLOSED,
                   closed_on=timezone.localdate())
    fc.CaseFactory(region=world.region, lead=world.brugfiguur2)
    rows = {row.member.user: row for row in caseload(user=world.coordinator, region=world.region)}
    assert (rows[world.brugfiguur].open_cases, rows[world.brugfiguur].cases_per_fte) == (3, Decimal("6.0"))
    assert (rows[world.brugfiguur2].open_cases, rows[world.brugfiguur2].cases_per_fte) == (1, Decimal("1.1"))
    [own] = caseload(user=world.brugfiguur, region=world.region)
    assert own.member.user == world.brugfiguur and own.open_cases == 3
    assert caseload(user=world.foreign_coordinator, region=world.region) == []


# --- Reminders ----------------------------------------------------------------------------------


def test_overdue_feedback_counts_working_days_from_the_region_setting(world):
    fc.set_casework_settings(world.region, feedback_reminder_working_days=2)
    thursday = MONDAY - datetime.timedelta(days=4)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    waiting = fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,
                                    sent_at=at(thursday))
    answered = fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,
                                     sent_at=at(thursday), status=ReferralOutStatus.STARTED,
                                     last_feedback_at=at(MONDAY))
    withdrawn = fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,
                                      sent_at=at(thursday))
    Consent.objects.filter(pk=withdrawn.consent_id).update(withdrawn_at=timezone.now())
    # Sent Thursday, two working days (Friday, Monday): due Monday, overdue from Tuesday.
    assert overdue_feedback(user=world.brugfiguur, region=world.region, today=MONDAY) == []
    tuesday = MONDAY + datetime.timedelta(days=1)
    [item] = overdue_feedback(user=world.brugfiguur, region=world.region, today=tuesday)
    assert item.referral_out == waiting and item.working_days == 3
    assert [i.referral_out for i in overdue_feedback(user=world.coordinator, region=world.region, today=tuesday)] == [
        waiting]
    for persona in ("brugfiguur2", "partner", "schoolcontact", "foreign_coordinator"):
        assert overdue_feedback(user=world.persona(persona), region=world.region, today=tuesday) == []
    assert answered.pk


def test_the_partner_sees_which_referrals_wait_for_their_feedback(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    old = fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,
                                sent_at=timezone.now() - datetime.timedelta(days=30))
    new = fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,
                                sent_at=timezone.now())
    rows = {row.pk: row.feedback_overdue for row in partner_referrals(user=world.partner)}
    assert rows == {old.pk: True, new.pk: False}


def test_inactive_cases_have_had_no_contact_for_the_regions_number_of_days(world):
    fc.set_casework_settings(world.region, inactivity_reminder_days=30)
    today = timezone.localdate()
    quiet = fc.CaseFactory(region=world.region, lead=world.brugfiguur, opened_on=today - datetime.timedelta(days=90))
    fc.ContactMomentFactory(case=quiet, occurred_at=timezone.now() - datetime.timedelta(days=40))
    busy = fc.CaseFactory(region=world.region, lead=world.brugfiguur, opened_on=today - datetime.timedelta(days=90))
    fc.ContactMomentFactory(case=busy, occurred_at=timezone.now() - datetime.timedelta(days=40))
    fc.ContactMomentFactory(case=busy, occurred_at=timezone.now() - datetime.timedelta(days=3))
    never = fc.CaseFactory(region=world.region, lead=world.brugfiguur, opened_on=today - datetime.timedelta(days=31))
    fc.CaseFactory(region=world.region, lead=world.brugfiguur, opened_on=today - datetime.timedelta(days=2))
    fc.CaseFactory(region=world.region, lead=world.brugfiguur, opened_on=today - datetime.timedelta(days=90),
                   status=CaseStatus.CLOSED, closed_on=today)
    fc.CaseFactory(region=world.region, lead=world.brugfiguur2, opened_on=today - datetime.timedelta(days=90))
    found = list(inactive_cases(user=world.brugfiguur, region=world.region))
    assert found == [never, quiet]  # never contacted first
    assert found[1].last_contact_at < timezone.now() - datetime.timedelta(days=39)
    assert len(inactive_cases(user=world.coordinator, region=world.region)) == 3


# --- Query counts do not grow with the data -----------------------------------------------------


def _cases(world, count: int) -> None:
    for n in range(count):
        case = fc.CaseFactory(region=world.region, lead=world.brugfiguur if n % 2 else world.brugfiguur2,
                              school=world.school)
        fc.ContactMomentFactory(case=case)
        fc.ReferralFactory(region=world.region, school=world.school if n % 2 else world.other_school)
        f.PoolMemberFactory(region=world.region, user=f.user_with_role("brugfiguur", world.region),
                            home_base=world.municipality)


def _timeline_content(world, case, count: int) -> None:
    for _ in range(count):
        fc.ContactMomentFactory(case=case, note_private=True)
        fc.GoalFactory(case=case)
        fc.AgreedActionFactory(case=case, done_at=timezone.now())
        fc.HelpQuestionFactory(case=case, life_domain=fc.LifeDomainFactory(region=world.region, name="onderwijs"))
        consent = fc.ConsentFactory(case=case, organisation=world.organisation, withdrawn_at=timezone.now())
        referral = fc.ReferralOutFactory(consent=consent)
        fc.ReferralFeedbackFactory(referral_out=referral)
        fc.CaseShareFactory(case=case, user=f.user_with_role("brugfiguur", world.region))
        fc.CaseTransferFactory(case=case)


LISTS = {
    "cases_visible_to": lambda w, u: list(cases_visible_to(user=u, region=w.region, query="Jongere")),
    "waiting_list": lambda w, u: waiting_list(user=u, region=w.region, zone=w.zone),
    "caseload": lambda w, u: caseload(user=u, region=w.region),
    "inactive_cases": lambda w, u: list(inactive_cases(user=u, region=w.region)),
    "overdue_feedback": lambda w, u: overdue_feedback(user=u, region=w.region),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_lists_run_as_many_queries_for_30_cases_as_for_3(world, name, django_assert_max_num_queries):
    _cases(world, 3)
    user = fresh(world.coordinator)
    small = queries(lambda: LISTS[name](world, user))
    assert small <= 3  # the user's roles, the list, and at most one prefetch
    _cases(world, 27)
    user = fresh(world.coordinator)
    with django_assert_max_num_queries(small):
        result = LISTS[name](world, user)
    if name in {"cases_visible_to", "caseload", "waiting_list"}:
        assert len(result) >= 30


def test_the_timeline_runs_as_many_queries_for_30_of_everything_as_for_3(world, django_assert_max_num_queries):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    _timeline_content(world, case, 3)
    user = fresh(world.brugfiguur)
    small = queries(lambda: case_timeline(user=user, case=case))
    _timeline_content(world, case, 27)
    user = fresh(world.brugfiguur)
    with django_assert_max_num_queries(small):
        items = case_timeline(user=user, case=case)
    assert len([item for item in items if item.kind == "contact"]) == 30
    assert small <= 12


def test_reading_the_timeline_of_a_case_does_not_touch_private_notes(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    fc.CaseShareFactory(case=case, user=world.brugfiguur2)
    fc.ContactMomentFactory(case=case, note="Geheim", note_private=True, contact_type=ContactType.HOME_VISIT)
    with CaptureQueriesContext(connection) as context:
        case_timeline(user=fresh(world.brugfiguur2), case=case)
    contact_queries = [q["sql"] for q in context if 'FROM "cases_contactmoment"' in q["sql"]]
    assert contact_queries and all("CASE WHEN" in sql for sql in contact_queries)
