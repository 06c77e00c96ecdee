"""Start pages per role: each role sees first what it needs, and nothing it may not see."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.agenda.models import Appointment
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseStatus,
    Consent,
    Goal,
    GoalStatus,
    ReferralOut,
    ReferralOutStatus,
    ReferralSource,
    ReferralStatus,
)
from brugwerk.cases.selectors.overview import casework_figures
from brugwerk.cooperation.models import MeetingAction
from brugwerk.expertise.models import ActivityKind, SchoolTeamActivity
from brugwerk.expertise.selectors import OwnSummary
from brugwerk.groups.models import GroupSession
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.records.cooperation import make_action, make_agreement, make_meeting
from tests.records.groups import offering_in, session_of
from tests.records.learning import make_session
from tests.records.signals import signal_of

START = reverse("home:start")


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def served(world):
    """bf1 serves the first school of region A (0.90 FTE); bf2 serves none."""
    member = PoolMember.objects.get(user=world.brugfiguur)
    member.schools.add(world.school)
    return member


def _page(user):
    response = client_for(user).get(START)
    assert response.status_code == 200
    return response, response.content.decode()


def test_bridge_figure_sees_their_schools_fte_and_the_contact_finder(world, served):
    response, content = _page(world.brugfiguur)
    section = response.context["brugfiguur"]
    assert section["schools"] == [world.school]
    assert section["member"].fte == Decimal("0.90")
    assert reverse("regions:school_detail", args=[world.school.pk]) in content
    assert reverse("network:contact_finder") in content
    assert "coordinator" not in response.context and "beleid" not in response.context


def test_bridge_figure_without_a_pool_place_is_told_so(world):
    user = f.user_with_role(Role.BRUGFIGUUR, world.region, username="nieuw-bf")
    response, content = _page(user)
    assert response.context["brugfiguur"]["member"] is None
    assert "not listed in the pool" in content


def test_coordinator_sees_the_pool_with_fte_schools_served_and_gaps(world, served):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    response, content = _page(world.coordinator)
    section = response.context["coordinator"]
    assert {m.user_id for m in section["members"]} == {world.brugfiguur.pk, world.brugfiguur2.pk}
    assert section["total_fte"] == Decimal("1.80")
    assert section["unserved_schools"] == [world.other_school]  # Atheneum has nobody yet
    assert section["users_without_second_factor"] == 6  # 7 people in region A, one with a device
    assert section["can_see_audit"] is True
    assert str(world.brugfiguur) in content and str(world.brugfiguur2) in content
    assert reverse("audit:entry_list") in content


def test_coordinator_start_page_records_the_pool_members_shown(world):
    client_for(world.coordinator).get(START)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="pool.poolmember")
    assert entry.region_id == world.region.pk
    members = PoolMember.objects.filter(region=world.region).values_list("pk", flat=True)
    assert sorted(entry.changes["shown"]) == sorted(members)


def test_coordinator_start_page_runs_the_same_queries_for_2_or_10_pool_members(
    world, served, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    client.get(START)
    with CaptureQueriesContext(connection) as two:
        client.get(START)
    for n in range(8):
        user = f.user_with_role(Role.BRUGFIGUUR, world.region, username=f"pool{n}")
        member = f.PoolMemberFactory(region=world.region, user=user, home_base=world.municipality)
        member.schools.add(world.school, world.other_school)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(START)
    assert len(response.context["coordinator"]["members"]) == 10


def test_school_contact_sees_their_school_its_bridge_figures_and_contact_points(world, served):
    world.brugfiguur.phone = "0470 12 34 56"
    world.brugfiguur.save()
    response, content = _page(world.schoolcontact)
    (school,) = response.context["schoolcontact"]["schools"]
    assert school == world.school
    assert [m.user for m in school.serving] == [world.brugfiguur]
    assert school.contacts == [world.contact_point]
    assert world.brugfiguur.email in content and "0470 12 34 56" in content
    assert "An Contact" in content
    assert str(world.brugfiguur2) not in content  # serves another school (none, in fact)
    shown = AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.schoolcontact)
    assert set(shown.values_list("subject_type", flat=True)) == {"pool.poolmember", "network.contactpoint"}


def test_partner_sees_their_organisation_and_its_contact_points(world):
    response, content = _page(world.partner)
    (organisation,) = response.context["partner"]["organisations"]
    assert organisation == world.organisation
    assert organisation.contacts == [world.contact_point]
    assert "CAW Zuid-West-Vlaanderen" in content and "An Contact" in content
    assert "Els Elders" not in content


def test_policy_maker_sees_figures_and_no_names(world, served):
    response, content = _page(world.beleid)
    section = response.context["beleid"]
    assert section["school_count"] == 2
    assert section["pupil_count"] == 1200
    assert section["fte"] == Decimal("1.80")
    assert section["zone_count"] == 1
    for name in (
        str(world.brugfiguur),
        str(world.brugfiguur2),
        "An Contact",
        "Sint-Amandscollege",
        world.brugfiguur.email,
        str(world.coordinator),
    ):
        assert name not in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.beleid).exists()


def test_administrator_sees_account_figures_and_recent_login_trouble(world):
    record(
        actor=Actor(user=None, ip="10.1.2.3"),
        actor_label="bf1",
        event=AuditEvent.LOGIN_FAILED,
        subject=world.brugfiguur,
        region_id=world.region.pk,
    )
    record(
        actor=Actor(user=None, ip="10.9.9.9"),
        actor_label="bf-b",
        event=AuditEvent.LOCKED_OUT,
        subject=world.foreign_brugfiguur,
        region_id=world.other_region.pk,
    )
    response, content = _page(world.beheerder)
    section = response.context["beheerder"]
    assert section["user_count"] == 7
    assert section["users_without_second_factor"] == 7
    assert [e.event for e in section["trouble"]] == [AuditEvent.LOGIN_FAILED]
    assert "10.1.2.3" in content and "10.9.9.9" not in content
    assert reverse("accounts:user_list") in content


def test_coordinator_of_region_b_sees_nothing_of_region_a(world, served):
    response, content = _page(world.foreign_coordinator)
    section = response.context["coordinator"]
    assert section["members"] == [] and section["total_fte"] == 0
    assert str(world.brugfiguur) not in content and "Sint-Amandscollege" not in content


def test_user_without_a_role_is_told_to_ask_for_one(db):
    response, content = _page(f.UserFactory())
    assert "do not hold a role" in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW).exists()


# --- Casework on the start pages (issue 3) --------------------------------------------------------


def _at(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:  # a page another engineer is still building: the start page leaves it out
        return None


@dataclass
class Work:
    mine: Case
    quiet: Case
    shared: Case
    colleagues: Case
    foreign: Case
    actions: dict[str, AgreedAction]
    goals: dict[str, Goal]
    overdue_mine: ReferralOut
    overdue_colleague: ReferralOut
    recent: ReferralOut
    today_appointment: Appointment


@pytest.fixture
def work(world) -> Work:
    """bf1 leads two open cases (one quiet for 40 days) and one closed, bf2 shares one with bf1 and
    leads one alone; region B has a case of its own. Follow-ups, referrals out and appointments hang
    off them, each with a look-alike that must not show."""
    fc.pool_serves(world)
    today = timezone.localdate()
    person = lambda first, last: fc.YoungPersonFactory(  # noqa: E731
        region=world.region, first_name=first, last_name=last, school=world.school)
    mine = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                          young_person=person("Yasmine", "Mijnzaak"))
    fc.ContactMomentFactory(case=mine, note="GEHEIM-NOTITIE")
    quiet = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                           young_person=person("Quinten", "Stilzaak"), opened_on=today - datetime.timedelta(days=90))
    fc.ContactMomentFactory(case=quiet, occurred_at=timezone.now() - datetime.timedelta(days=40))
    fc.CaseFactory(region=world.region, lead=world.brugfiguur, young_person=person("Cato", "Geslotenzaak"),
                   status=CaseStatus.CLOSED, closed_on=today, opened_on=today - datetime.timedelta(days=90))
    shared = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, school=world.school,
                            young_person=person("Sara", "Gedeeldzaak"))
    fc.CaseShareFactory(case=shared, user=world.brugfiguur, granted_by=world.brugfiguur2)
    colleagues = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, school=world.other_school,
                                young_person=person("Otto", "Collegazaak"))
    foreign = fc.CaseFactory(region=world.other_region, lead=world.foreign_brugfiguur,
                             young_person=fc.YoungPersonFactory(region=world.other_region, first_name="Elias",
                                                                last_name="Buitenzaak"))
    day = datetime.timedelta(days=1)
    actions = {
        "overdue": fc.AgreedActionFactory(case=mine, description="Actie-te-laat", due_date=today - day),
        "soon": fc.AgreedActionFactory(case=mine, description="Actie-binnenkort", due_date=today + 3 * day),
        "shared": fc.AgreedActionFactory(case=shared, description="Actie-gedeeld", due_date=today + day),
        "later": fc.AgreedActionFactory(case=mine, description="Actie-later", due_date=today + 20 * day),
        "done": fc.AgreedActionFactory(case=mine, description="Actie-gedaan", due_date=today - day,
                                       done_at=timezone.now()),
        "colleague": fc.AgreedActionFactory(case=colleagues, description="Actie-collega", due_date=today - day),
    }
    goals = {
        "passed": fc.GoalFactory(case=mine, description="Doel-voorbij", start_date=today - 60 * day,
                                 target_date=today - 5 * day, status=GoalStatus.IN_PROGRESS),
        "reached": fc.GoalFactory(case=mine, description="Doel-bereikt", start_date=today - 60 * day,
                                  target_date=today - 5 * day, status=GoalStatus.REACHED),
        "future": fc.GoalFactory(case=mine, description="Doel-later", start_date=today,
                                 target_date=today + 30 * day),
    }
    month_ago = timezone.now() - datetime.timedelta(days=30)
    overdue_mine = fc.ReferralOutFactory(consent__case=mine, consent__organisation=world.organisation,
                                         sent_at=month_ago, question="Vraag-te-laat")
    overdue_colleague = fc.ReferralOutFactory(consent__case=colleagues, consent__organisation=world.organisation,
                                              sent_at=month_ago, question="Vraag-collega")
    recent = fc.ReferralOutFactory(consent__case=mine, consent__organisation=world.organisation,
                                   question="Vraag-recent")
    today_appointment = fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur, case=mine,
                                              school=world.school, starts_at=_at(today, 10),
                                              ends_at=_at(today, 11), location="Locatie-vandaag")
    fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur, starts_at=_at(today + day, 10),
                          ends_at=_at(today + day, 11), location="Locatie-morgen")
    fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur2, starts_at=_at(today, 10),
                          ends_at=_at(today, 11), location="Locatie-collega")
    return Work(mine=mine, quiet=quiet, shared=shared, colleagues=colleagues, foreign=foreign, actions=actions,
                goals=goals, overdue_mine=overdue_mine, overdue_colleague=overdue_colleague, recent=recent,
                today_appointment=today_appointment)


def test_bridge_figure_sees_their_open_cases_also_shared_ones_and_nobody_elses(world, work):
    response, content = _page(world.brugfiguur)
    section = response.context["brugfiguur"]
    assert section["open_cases"] == [work.quiet, work.shared, work.mine]  # by first name
    assert "Yasmine Mijnzaak" in content and "Sara Gedeeldzaak" in content
    assert "shared with you" in content
    for other in ("Otto Collegazaak", "Elias Buitenzaak", "Cato Geslotenzaak"):
        assert other not in content
    if (detail := _url("cases:case_detail", work.mine.pk)) is not None:
        assert f'href="{detail}"' in content


def test_bridge_figure_follows_up_actions_due_this_week_and_goals_past_their_target(world, work):
    response, content = _page(world.brugfiguur)
    section = response.context["brugfiguur"]
    assert section["actions_due"] == [work.actions["overdue"], work.actions["shared"], work.actions["soon"]]
    assert section["goals_overdue"] == [work.goals["passed"]]
    assert section["follow_up_count"] == 4
    assert "Actie-te-laat" in content and "Doel-voorbij" in content and "overdue" in content
    for hidden in ("Actie-later", "Actie-gedaan", "Actie-collega", "Doel-bereikt", "Doel-later"):
        assert hidden not in content


def test_bridge_figure_sees_referrals_out_without_feedback_past_the_regions_limit(world, work):
    response, content = _page(world.brugfiguur)
    [item] = response.context["brugfiguur"]["overdue_feedback"]
    assert item.referral_out == work.overdue_mine and item.working_days >= 20
    assert "CAW Zuid-West-Vlaanderen" in content
    fc.set_casework_settings(world.region, feedback_reminder_working_days=40)  # the limit is the region's
    response, _ = _page(world.brugfiguur)
    assert response.context["brugfiguur"]["overdue_feedback"] == []


def test_bridge_figure_sees_only_their_own_appointments_of_today(world, work):
    response, content = _page(world.brugfiguur)
    [appointment] = response.context["brugfiguur"]["appointments"]
    assert appointment == work.today_appointment and appointment.visible_case == work.mine
    assert "10:00" in content and "Locatie-vandaag" in content
    assert "Locatie-morgen" not in content and "Locatie-collega" not in content


def test_bridge_figure_is_reminded_of_open_cases_without_contact_for_the_regions_days(world, work):
    response, content = _page(world.brugfiguur)
    assert response.context["brugfiguur"]["inactive_cases"] == [work.quiet]
    assert "no contact for more than 30 days" in content
    fc.set_casework_settings(world.region, inactivity_reminder_days=60)
    response, content = _page(world.brugfiguur)
    assert response.context["brugfiguur"]["inactive_cases"] == []
    assert "No reminders" in content


def test_bridge_figure_start_page_records_the_cases_it_showed(world, work):
    _page(world.brugfiguur)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.brugfiguur, subject_type="cases.case")
    assert entry.region_id == world.region.pk
    assert entry.changes["shown"] == sorted([work.mine.pk, work.quiet.pk, work.shared.pk])


def test_bridge_figures_quick_buttons_link_to_the_pages_that_exist(world):
    _, content = _page(world.brugfiguur)
    for name, label in (("cases:quick_contact", "Register a contact"), ("cases:referral_create",
                                                                         "Register a referral")):
        url = _url(name)
        if url is None:
            assert label not in content  # no button to a page that does not exist yet
        else:
            assert f'href="{url}"' in content and label in content


def test_coordinator_sees_caseload_per_bridge_figure_and_per_fte(world, work):
    response, content = _page(world.coordinator)
    section = response.context["coordinator"]
    load = {m.user_id: (m.caseload.open_cases, m.caseload.cases_per_fte) for m in section["members"]}
    assert load == {world.brugfiguur.pk: (2, Decimal("2.2")), world.brugfiguur2.pk: (2, Decimal("2.2"))}
    assert section["open_cases"] == 4
    assert section["can_see_caseload"] is True
    assert reverse("cases:caseload") in content


def test_coordinator_sees_waiting_lists_per_school_and_zone_and_referrals_to_triage(world):
    now = timezone.now()
    days = lambda n: now - datetime.timedelta(days=n)  # noqa: E731
    fc.ReferralFactory(region=world.region, school=world.school, received_at=days(5))
    fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.WAITING, received_at=days(12))
    fc.ReferralFactory(region=world.region, school=world.other_school, status=ReferralStatus.WAITING,
                       received_at=days(3))
    fc.ReferralFactory(region=world.region, school=None, source=ReferralSource.DIRECT, received_at=days(1))
    fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.ASSIGNED, received_at=days(40))
    fc.ReferralFactory(region=world.other_region, school=world.foreign_school, received_at=days(50))
    response, content = _page(world.coordinator)
    waiting = response.context["coordinator"]["waiting"]
    assert (waiting.awaiting_triage, waiting.queued, waiting.oldest_days) == (2, 2, 12)
    by_school = {g.label: (g.awaiting_triage, g.queued, g.oldest_days) for g in waiting.schools}
    assert by_school == {"Atheneum Kortrijk": (0, 1, 3), "Sint-Amandscollege": (1, 1, 12), "": (1, 0, 1)}
    by_zone = {g.label: (g.awaiting_triage, g.queued, g.oldest_days) for g in waiting.zones}
    assert by_zone == {"Zone Kortrijk": (1, 2, 12), "": (1, 0, 1)}
    assert "Without a school" in content and "College Elders" not in content
    for name in ("cases:triage_list", "cases:waiting_list"):
        if (url := _url(name)) is not None:
            assert f'href="{url}"' in content


def test_coordinator_sees_overdue_feedback_of_the_whole_region(world, work):
    response, content = _page(world.coordinator)
    section = response.context["coordinator"]
    assert [i.referral_out for i in section["overdue_feedback"]] == [work.overdue_mine, work.overdue_colleague]
    assert section["overdue_count"] == 2
    assert "Yasmine Mijnzaak" in content and "Otto Collegazaak" in content and "Elias Buitenzaak" not in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.coordinator, subject_type="cases.referralout")
    assert sorted(entry.changes["shown"]) == sorted([work.overdue_mine.pk, work.overdue_colleague.pk])


SECRETS = ("GEHEIM-NOTITIE", "GEHEIM-DOEL", "GEHEIM-HULPVRAAG", "Actie-geheim", "0470 99 99 99", "Vraag-geheim")


@pytest.fixture
def school_referrals(world):
    """The school's referrals: one became a case full of content, one waits, one was refused; a
    referral of the other school and one of region B must not show."""
    fc.pool_serves(world)
    person = fc.YoungPersonFactory(region=world.region, first_name="Lotte", last_name="Leerling",
                                   school=world.school, phone="0470 99 99 99")
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school, young_person=person)
    fc.ContactMomentFactory(case=case, note="GEHEIM-NOTITIE")
    fc.GoalFactory(case=case, description="GEHEIM-DOEL")
    fc.HelpQuestionFactory(case=case, description="GEHEIM-HULPVRAAG")
    fc.AgreedActionFactory(case=case, description="Actie-geheim")
    fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation, question="Vraag-geheim")
    now = timezone.now()
    return {
        "assigned": fc.ReferralFactory(
            region=world.region, school=world.school, referred_by=world.schoolcontact, young_person=person,
            case=case, status=ReferralStatus.IN_PROGRESS, pupil_first_name="Lotte", pupil_last_name="Leerling",
            received_at=now - datetime.timedelta(days=3), decided_at=now - datetime.timedelta(days=2)),
        "waiting": fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.WAITING,
                                      pupil_first_name="Wout", pupil_last_name="Wachter",
                                      referred_by=f.user_with_role(Role.SCHOOLCONTACT, world.region,
                                                                   school=world.school),
                                      received_at=now - datetime.timedelta(days=2)),
        "refused": fc.ReferralFactory(region=world.region, school=world.school, status=ReferralStatus.REFUSED,
                                      pupil_first_name="Rik", pupil_last_name="Geweigerd",
                                      refusal_reason="Reden-weigering", received_at=now - datetime.timedelta(days=1),
                                      decided_at=now),
        "other_school": fc.ReferralFactory(region=world.region, school=world.other_school,
                                           pupil_first_name="Andere", pupil_last_name="Schoolleerling"),
        "foreign": fc.ReferralFactory(region=world.other_region, school=world.foreign_school,
                                      pupil_first_name="Verre", pupil_last_name="Regioleerling"),
    }


def test_school_contact_sees_their_schools_referrals_and_status_but_never_case_content(world, school_referrals):
    response, content = _page(world.schoolcontact)
    rows = response.context["schoolcontact"]["referrals"]
    refs = school_referrals
    assert [r.pk for r in rows] == [refs["refused"].pk, refs["waiting"].pk, refs["assigned"].pk]
    assert [r.status_label for r in rows] == ["refused", "on the waiting list", "in progress"]
    assert "Lotte Leerling" in content and "Wout Wachter" in content and "Reden-weigering" in content
    assert "Andere Schoolleerling" not in content and "Verre Regioleerling" not in content
    leaked = [secret for secret in SECRETS if secret in content]
    assert leaked == []
    if (url := _url("cases:case_detail", refs["assigned"].case_id)) is not None:
        assert url not in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.schoolcontact, subject_type="cases.referral")
    assert sorted(entry.changes["shown"]) == sorted(r.pk for r in rows)


def test_school_contact_sees_the_presence_days_at_their_school(world):
    today = timezone.localdate()
    tuesday = fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school,
                                    weekday=1)
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=3,
                          valid_from=today - datetime.timedelta(days=90),
                          valid_until=today - datetime.timedelta(days=10))  # ended
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur2, school=world.other_school, weekday=4)
    response, content = _page(world.schoolcontact)
    (school,) = response.context["schoolcontact"]["schools"]
    assert school.presence == [tuesday]
    assert "Tuesday" in content and "Thursday" not in content and "Friday" not in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.schoolcontact,
                                   subject_type="agenda.presenceday")
    assert entry.changes["shown"] == [tuesday.pk]
    if (url := _url("cases:referral_create")) is not None:
        assert f'href="{url}"' in content


def test_partner_sees_referrals_to_acknowledge_and_those_with_overdue_feedback(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur,
                          young_person=fc.YoungPersonFactory(region=world.region, last_name="Partnerzaak"))
    now, month = timezone.now(), datetime.timedelta(days=30)
    send = lambda **kw: fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation,  # noqa: E731
                                              **kw)
    new = send(question="Vraag-nieuw")
    old_unacknowledged = send(question="Vraag-oud", sent_at=now - month)
    acknowledged_late = send(question="Vraag-bevestigd", sent_at=now - month, status=ReferralOutStatus.ACKNOWLEDGED,
                             acknowledged_at=now - month)
    send(question="Vraag-beantwoord", sent_at=now - month, status=ReferralOutStatus.STARTED, last_feedback_at=now)
    withdrawn = send(question="Vraag-ingetrokken", sent_at=now - month)
    Consent.objects.filter(pk=withdrawn.consent_id).update(withdrawn_at=now)
    elsewhere = f.PartnerOrganisationFactory(region=world.region, name="OCMW Elders")
    fc.ReferralOutFactory(consent__case=case, consent__organisation=elsewhere, question="Vraag-ander",
                          sent_at=now - month)
    response, content = _page(world.partner)
    section = response.context["partner"]
    assert section["to_acknowledge"] == [old_unacknowledged, new]
    assert section["overdue_feedback"] == [old_unacknowledged, acknowledged_late]
    assert (section["to_acknowledge_count"], section["overdue_count"]) == (2, 2)
    assert "Vraag-nieuw" in content and "Vraag-bevestigd" in content
    for hidden in ("Vraag-beantwoord", "Vraag-ingetrokken", "Vraag-ander", "Partnerzaak"):
        assert hidden not in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.partner, subject_type="cases.referralout")
    assert sorted(entry.changes["shown"]) == sorted([new.pk, old_unacknowledged.pk, acknowledged_late.pk])
    if (url := _url("cases:partner_referral", new.pk)) is not None:
        assert f'href="{url}"' in content


def test_policy_maker_sees_casework_figures_and_no_names(world, work):
    fc.ContactMomentFactory(case=None, region=world.region, brugfiguur=world.brugfiguur, first_name="Anoniem")
    fc.ReferralFactory(region=world.region, school=world.school, pupil_first_name="Beleid",
                       pupil_last_name="Mag-niet-zien")
    response, content = _page(world.beleid)
    figures = response.context["beleid"]["casework"]
    assert figures.open_cases == 4  # bf1's two, the shared one, the colleague's; not region B's, not the closed
    assert figures.contacts_last_30_days == 2 and figures.low_threshold_contacts_last_30_days == 1
    assert figures.referrals_waiting == 1
    for name in ("Yasmine", "Mijnzaak", "Anoniem", "Mag-niet-zien", "Actie-te-laat", "Vraag-te-laat",
                 str(world.brugfiguur), "Sint-Amandscollege"):
        assert name not in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.beleid).exists()
    assert casework_figures(user=world.foreign_coordinator, region=world.region) is None
    assert casework_figures(user=world.brugfiguur, region=world.region) is None


def test_region_b_sees_nothing_of_region_as_casework_on_its_start_pages(world, work):
    for persona in ("foreign_coordinator", "foreign_brugfiguur"):
        _, content = _page(world.persona(persona))
        for name in ("Yasmine Mijnzaak", "Sara Gedeeldzaak", "Otto Collegazaak", "Actie-te-laat", "Vraag-te-laat",
                     "Locatie-vandaag"):
            assert name not in content, (persona, name)
    response, content = _page(world.foreign_brugfiguur)
    assert [c.pk for c in response.context["brugfiguur"]["open_cases"]] == [work.foreign.pk]
    assert "Elias Buitenzaak" in content


# --- Query counts on casework ----------------------------------------------------------------------


def _more_work(world, count: int) -> None:
    """`count` of everything each start page lists: bf1's cases with a contact, an action due, a goal
    past its target, an overdue referral out and an appointment today; referrals of the school."""
    today, month_ago = timezone.localdate(), timezone.now() - datetime.timedelta(days=30)
    for n in range(count):
        case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                              opened_on=today - datetime.timedelta(days=90))
        fc.ContactMomentFactory(case=case, occurred_at=timezone.now() - datetime.timedelta(days=40))
        fc.AgreedActionFactory(case=case, due_date=today)
        fc.GoalFactory(case=case, start_date=today - datetime.timedelta(days=60),
                       target_date=today - datetime.timedelta(days=1))
        fc.ReferralOutFactory(consent__case=case, consent__organisation=world.organisation, sent_at=month_ago)
        fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur, case=case, school=world.school,
                              starts_at=_at(today, 8) + datetime.timedelta(minutes=n), ends_at=_at(today, 9))
        fc.ReferralFactory(region=world.region, school=world.school, referred_by=world.schoolcontact,
                           status=ReferralStatus.WAITING if n % 2 else ReferralStatus.RECEIVED)
        fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=n % 5)
    _more_pillar_work(world, count)


SIGNAL_STATUSES = ("recorded", "discussed", "passed_on", "answered", "action_taken", "closed")


def _more_pillar_work(world, count: int) -> None:
    """`count` of every record of pillars 2 and 3 the start pages count or list, all of this month:
    bf1's school-team activities (with bf2), signals in every status, network meetings bf1 attended
    with an action for bf1, schools with an overdue agreement evaluation, group offerings bf1
    organises with a session held today and one to come, and intervision sessions."""
    today, bf1, bf2 = timezone.localdate(), world.brugfiguur, world.brugfiguur2
    for n in range(count):
        _activity(world, lead=bf1, school=world.school, minutes=60, participants=4, co=[bf2], evaluated=n % 2 == 0)
        signal_of(world.region, bf1, title=f"Signaal {n}", status=SIGNAL_STATUSES[n % len(SIGNAL_STATUSES)])
        meeting = make_meeting(world.region, title=f"Netwerk {n}", date=today, attendees=[bf1, bf2],
                               schools=[world.school])
        make_action(meeting, owner=bf1, due_in_days=-1 if n % 2 else 3)
        school = f.SchoolFactory(region=world.region, municipality=world.municipality)
        make_agreement(world.region, school, next_evaluation_on=today - datetime.timedelta(days=1))
        offering = offering_in(world, organisers=[bf1, bf2], title=f"Oudercafé {n}")
        session_of(offering, days_ago=0)
        session_of(offering, days_ago=-(n + 1))
        make_session(world.region, recorded_by=bf1, participants=[bf1, bf2], days_ago=0)


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator", "schoolcontact", "partner", "beleid"])
def test_start_page_runs_the_same_queries_for_2_or_15_records_of_each_kind(
    world, persona, django_assert_max_num_queries
):
    fc.pool_serves(world)
    _more_work(world, 2)
    client = client_for(world.persona(persona))
    client.get(START)
    with CaptureQueriesContext(connection) as two:
        response = client.get(START)
    _more_work(world, 13)
    with django_assert_max_num_queries(len(two.captured_queries)):
        more = client.get(START)
    if persona == "brugfiguur":
        assert len(response.context["brugfiguur"]["open_cases"]) == 2
        assert len(more.context["brugfiguur"]["open_cases"]) == 15
        assert len(more.context["brugfiguur"]["appointments"]) == 15
    if persona == "schoolcontact":
        assert len(more.context["schoolcontact"]["referrals"]) == 15
        assert more.context["schoolcontact"]["expertise"].activities == 15
    if persona == "brugfiguur":
        section = more.context["brugfiguur"]
        assert section["expertise"].activities == 15 and section["open_action_count"] == 15
        assert len(section["open_actions"]) == 5 and len(section["group_sessions"]) == 5
    if persona == "coordinator":
        assert more.context["coordinator"]["evaluations_overdue_count"] == 15
        assert len(more.context["coordinator"]["evaluations_overdue"]) == 5
        assert more.context["coordinator"]["time"].total.minutes > response.context["coordinator"]["time"].total.minutes
    if persona == "beleid":
        assert more.context["beleid"]["expertise"].activities == 15


# --- Pillars 2 and 3 on the start pages (issue 4) -------------------------------------------------


def _hours(section) -> dict[str, Decimal]:
    """The hours per pillar of the section's time card, leaving out pillars without time."""
    return {row.pillar: row.figure.hours for row in section["time"].pillars if row.figure.minutes}


def _activity(world, *, lead, school, minutes, participants, co=(), region=None, evaluated=False):
    activity = SchoolTeamActivity.objects.create(
        region=region or world.region, school=school, kind=ActivityKind.TRAINING, date=timezone.localdate(),
        duration_minutes=minutes, lead=lead, participant_count=participants,
        description="Teamcoaching-GEHEIM", evaluation_score=4 if evaluated else None, created_by=lead,
    )
    activity.co_facilitators.set(co)
    return activity


@dataclass
class Pillars:
    late: MeetingAction
    soon: MeetingAction
    sessions: list[GroupSession]


@pytest.fixture
def pillars(world) -> Pillars:
    """Region A: bf1 leads two school-team activities at the school (one evaluated) and helps bf2 with
    a third there; bf2 leads one alone at the other school. Signals in every status, a network
    meeting today that bf1 attended with actions for bf1 (one overdue, one done), bf2 and CAW, an
    overdue agreement evaluation at the school, and bf1's next group sessions. Region B has one of
    everything, which must never count in A."""
    fc.pool_serves(world)
    today, day = timezone.localdate(), datetime.timedelta(days=1)
    bf1, bf2 = world.brugfiguur, world.brugfiguur2
    _activity(world, lead=bf1, school=world.school, minutes=120, participants=10, evaluated=True)
    _activity(world, lead=bf1, school=world.school, minutes=60, participants=5)
    _activity(world, lead=bf2, school=world.school, minutes=90, participants=8, co=[bf1])
    _activity(world, lead=bf2, school=world.other_school, minutes=30, participants=3)
    _activity(world, lead=world.foreign_brugfiguur, school=world.foreign_school, minutes=600, participants=50,
              region=world.other_region)
    for status, count in (("recorded", 2), ("discussed", 1), ("passed_on", 2), ("answered", 1),
                          ("action_taken", 1), ("closed", 1)):
        for n in range(count):
            signal_of(world.region, bf1 if n == 0 else bf2, title=f"Signaal-{status}-{n}", status=status)
    signal_of(world.other_region, world.foreign_brugfiguur, title="Signaal-elders", status="passed_on")
    signal_of(world.other_region, world.foreign_brugfiguur, title="Signaal-elders-nieuw")
    meeting = make_meeting(world.region, title="Netwerk-vandaag", date=today, duration_minutes=90, attendees=[bf1])
    late = make_action(meeting, owner=bf1, description="Actie-bf1-te-laat", due_date=today - 3 * day)
    soon = make_action(meeting, owner=bf1, description="Actie-bf1-later", due_in_days=5)
    make_action(meeting, owner=bf1, description="Actie-bf1-gedaan", due_date=today - day, done_at=timezone.now())
    make_action(meeting, owner=bf2, description="Actie-bf2-te-laat", due_date=today - day)
    make_action(meeting, label="CAW", description="Actie-CAW", due_in_days=10)
    foreign = make_meeting(world.other_region, title="Netwerk-elders", date=today,
                           attendees=[world.foreign_brugfiguur])
    make_action(foreign, owner=world.foreign_brugfiguur, description="Actie-elders", due_date=today - day)
    make_agreement(world.region, world.school, next_evaluation_on=today - 10 * day)
    make_agreement(world.region, world.other_school)
    make_agreement(world.other_region, world.foreign_school, next_evaluation_on=today - 10 * day)
    mine = offering_in(world, organisers=[bf1], title="Oudercafé-bf1")
    sessions = [session_of(mine, days_ago=-2), session_of(mine, days_ago=-1, topic="Schoolkosten")]
    session_of(offering_in(world, organisers=[bf2], title="Atelier-bf2"), days_ago=-1)
    return Pillars(late=late, soon=soon, sessions=sorted(sessions, key=lambda s: s.date))


def test_bridge_figure_sees_their_school_team_work_open_actions_group_sessions_and_time(world, pillars):
    response, content = _page(world.brugfiguur)
    section = response.context["brugfiguur"]
    assert section["expertise"] == OwnSummary(activities=3, minutes=270, not_evaluated=2)
    assert f'href="{reverse("expertise:activity_list")}?mine=on"' in content
    assert section["open_actions"] == [pillars.late, pillars.soon] and section["open_action_count"] == 2
    assert [a.overdue for a in section["open_actions"]] == [True, False]
    assert "Actie-bf1-te-laat" in content and "overdue" in content
    for hidden in ("Actie-bf1-gedaan", "Actie-bf2-te-laat", "Actie-CAW", "Actie-elders", "Teamcoaching-GEHEIM"):
        assert hidden not in content
    assert f'href="{reverse("cooperation:action_list")}"' in content
    assert section["group_sessions"] == pillars.sessions
    assert "Oudercafé-bf1" in content and "Atelier-bf2" not in content
    assert _hours(section) == {"expertise": Decimal("4.5"), "groups_network": Decimal("1.5")}  # own time only
    assert section["time"].scope == "own" and "your own time" in content
    assert f'href="{reverse("timeuse:overview")}?period=month"' in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, actor=world.brugfiguur,
                                   subject_type="cooperation.meetingaction")
    assert entry.changes["shown"] == [pillars.late.pk, pillars.soon.pk]


def test_coordinator_follows_signals_overdue_evaluations_and_actions_and_the_pools_time(world, pillars):
    response, content = _page(world.coordinator)
    section = response.context["coordinator"]
    assert (section["signals_recorded"], section["signals_discussed"]) == (2, 1)
    assert f'href="{reverse("signals:signal_list")}?status=recorded"' in content
    assert section["evaluations_overdue"] == [world.school] and section["evaluations_overdue_count"] == 1
    assert f'href="{reverse("cooperation:agreement_overview")}?status=overdue"' in content
    assert section["actions_overdue_count"] == 2  # bf1's and bf2's, not the done one nor region B's
    assert reverse("cooperation:action_list") in content
    # The whole pool's time: bf2's 90 minutes and bf1's 90 as co-facilitator both count.
    assert _hours(section) == {"expertise": Decimal("6.5"), "groups_network": Decimal("1.5")}
    assert "Actie-bf1-te-laat" not in content and "College Elders" not in content


def test_school_contact_sees_the_expertise_at_their_own_school_only(world, pillars):
    response, content = _page(world.schoolcontact)
    section = response.context["schoolcontact"]
    total = section["expertise"]
    assert (total.activities, total.minutes, total.participants) == (3, 270, 23)  # not the other school's
    assert section["expertise_school"] == world.school
    assert f'href="{reverse("expertise:my_school")}"' in content
    assert "Teamcoaching-GEHEIM" not in content
    assert "time" not in section and "Time this month per pillar" not in content


def test_policy_maker_sees_signals_passed_on_expertise_totals_and_time_per_pillar_without_names(world, pillars):
    response, content = _page(world.beleid)
    section = response.context["beleid"]
    assert section["signals"] == {"passed_on": 2, "answered": 1, "action_taken": 1}
    assert f'href="{reverse("signals:policy_list")}"' in content
    assert (section["expertise"].activities, section["expertise"].minutes) == (4, 300)
    assert f'href="{reverse("expertise:figures")}"' in content
    assert _hours(section) == {"expertise": Decimal("6.5"), "groups_network": Decimal("1.5")}
    assert section["time"].scope == "figures"
    for name in (str(world.brugfiguur), str(world.brugfiguur2), "Signaal-", "Actie-", "Teamcoaching-GEHEIM",
                 "Sint-Amandscollege", "Oudercafé"):
        assert name not in content
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, actor=world.beleid).exists()


def test_region_b_counts_nothing_of_region_as_pillars_2_and_3(world, pillars):
    section = _page(world.foreign_coordinator)[0].context["coordinator"]
    assert (section["signals_recorded"], section["signals_discussed"]) == (1, 0)
    assert section["evaluations_overdue"] == [world.foreign_school]
    assert section["actions_overdue_count"] == 1
    assert _hours(section) == {"expertise": Decimal("10.0"), "groups_network": Decimal("1.5")}
    response, content = _page(world.foreign_brugfiguur)
    section = response.context["brugfiguur"]
    assert section["expertise"].activities == 1
    assert [a.description for a in section["open_actions"]] == ["Actie-elders"]
    assert section["group_sessions"] == []
    for name in ("Actie-bf1", "Oudercafé-bf1", "Netwerk-vandaag", "Sint-Amandscollege"):
        assert name not in content


def test_someone_both_coordinator_and_bridge_figure_sees_the_time_card_once(world, pillars):
    MembershipFactory(user=world.brugfiguur, region=world.region, role=Role.COORDINATOR)
    response, content = _page(world.brugfiguur)
    assert response.context["coordinator"]["time"].scope == "pool"
    assert "time" not in response.context["brugfiguur"]
    assert content.count("Time this month per pillar") == 1
