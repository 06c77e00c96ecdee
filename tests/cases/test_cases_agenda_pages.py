"""The agenda pages: a brugfiguur's week (presence days, appointments, home visits), the coordinator's
view of the pool, planning appointments and presence days, and the iCalendar feed that carries no
personal data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brugwerk.accounts.models import Membership, Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import Appointment, AppointmentKind, CalendarFeed, PresenceDay
from tests import factories_cases as fc
from tests.conftest import client_for

AGENDA = reverse("cases:agenda")
CREATE = reverse("cases:appointment_create")
PRESENCE_CREATE = reverse("cases:presence_day_create")
FEED = reverse("cases:calendar_feed")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages, so texts can be compared whatever the Dutch catalog says (tests of Dutch
    errors switch to Dutch themselves)."""
    settings.LANGUAGE_CODE = "en"


def monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def appointment(world, user, *, day=None, hour=10, **extra) -> Appointment:
    start = at(day or monday() + datetime.timedelta(days=2), hour)
    values = {"region": world.region, "brugfiguur": user, "starts_at": start,
              "ends_at": start + datetime.timedelta(hours=1)}
    return fc.AppointmentFactory(**(values | extra))


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def form_post(world, **overrides) -> dict:
    day = monday() + datetime.timedelta(days=3)
    return {
        "kind": AppointmentKind.HOME_VISIT, "day": day.isoformat(), "starts_at": "14:00", "ends_at": "15:00",
        "school": world.school.pk, "case": "", "location": "thuis",
    } | overrides


# --- The week ----------------------------------------------------------------------------------------


def test_a_brugfiguur_sees_their_own_week_and_not_a_colleagues(world):
    own = appointment(world, world.brugfiguur, location="Kerkstraat 1", school=world.school)
    appointment(world, world.brugfiguur2, location="Marktplein 9")
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=1)
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur2, school=world.other_school, weekday=1)
    response = client_for(world.brugfiguur).get(AGENDA)
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["week"].appointments == [own]
    assert "Kerkstraat 1" in content and "Marktplein 9" not in content
    tuesday = response.context["week"].days[1]
    assert [p.school for p in tuesday.presence] == [world.school]
    assert "Atheneum Kortrijk" not in content  # brugfiguur2's presence day
    assert reverse("cases:appointment_update", args=[own.pk]) in content
    assert "<table" not in content  # a list per day, readable on a phone


def test_the_week_is_chosen_by_iso_week_or_date_with_links_to_the_weeks_around_it(world):
    client = client_for(world.brugfiguur)
    response = client.get(AGENDA, {"week": "2026-W10"})
    assert response.context["week"].monday == datetime.date(2026, 3, 2)
    assert response.context["previous_url"] == f"{AGENDA}?week=2026-W09"
    assert response.context["next_url"] == f"{AGENDA}?week=2026-W11"
    assert client.get(AGENDA, {"date": "2026-03-08"}).context["week"].monday == datetime.date(2026, 3, 2)
    for nonsense in ({"week": "2026-W99"}, {"date": "gisteren"}, {"week": "x"}):
        response = client.get(AGENDA, nonsense)
        assert response.status_code == 200 and response.context["week"].monday == monday()


def test_presence_days_hold_only_within_their_period(world):
    start = monday()
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=0,
                          valid_from=start + datetime.timedelta(days=7))
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.other_school, weekday=2,
                          valid_from=start - datetime.timedelta(days=60),
                          valid_until=start + datetime.timedelta(days=2))
    client = client_for(world.brugfiguur)
    days = client.get(AGENDA).context["week"].days
    assert days[0].presence == [] and [p.school for p in days[2].presence] == [world.other_school]
    days = client.get(AGENDA, {"week": iso_week(start + datetime.timedelta(days=7))}).context["week"].days
    assert [p.school for p in days[0].presence] == [world.school] and days[2].presence == []


def test_the_coordinator_sees_the_pool_and_chooses_a_brugfiguur_of_their_region(world):
    mine, theirs = appointment(world, world.brugfiguur), appointment(world, world.brugfiguur2, hour=12)
    client = client_for(world.coordinator)
    response = client.get(AGENDA)
    assert response.status_code == 200 and response.context["week"].appointments == [mine, theirs]
    assert str(world.brugfiguur2) in response.content.decode()
    response = client.get(AGENDA, {"brugfiguur": world.brugfiguur2.pk})
    assert response.context["owner"] == world.brugfiguur2 and response.context["week"].appointments == [theirs]
    assert f"brugfiguur={world.brugfiguur2.pk}" in response.context["next_url"]
    for stranger in (world.foreign_brugfiguur, world.schoolcontact, world.coordinator):
        assert client.get(AGENDA, {"brugfiguur": stranger.pk}).status_code == 404
    assert client.get(AGENDA, {"brugfiguur": "abc"}).status_code == 404


def test_a_brugfiguur_cannot_open_a_colleagues_agenda(world):
    assert client_for(world.brugfiguur).get(AGENDA, {"brugfiguur": world.brugfiguur2.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder"])
def test_the_agenda_does_not_exist_for_those_without_one(world, persona):
    client = client_for(world.persona(persona))
    for url in (AGENDA, CREATE, PRESENCE_CREATE, FEED):
        assert client.get(url).status_code == 404


def test_another_regions_coordinator_sees_nothing_of_this_region(world):
    appointment(world, world.brugfiguur, location="Kerkstraat 1")
    client = client_for(world.foreign_coordinator)
    response = client.get(AGENDA)
    assert response.status_code == 200 and response.context["week"].appointments == []
    assert "Kerkstraat 1" not in response.content.decode()
    assert client.get(AGENDA, {"brugfiguur": world.brugfiguur.pk}).status_code == 404


def test_an_appointment_shows_its_case_only_to_those_who_may_see_the_case(world):
    own_case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, young_person__first_name="Yasmine")
    other_case = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, young_person__first_name="Bilal")
    appointment(world, world.brugfiguur, case=own_case)
    appointment(world, world.brugfiguur, case=other_case, hour=13)  # e.g. the case moved to a colleague
    content = client_for(world.brugfiguur).get(AGENDA).content.decode()
    assert "Yasmine" in content and "Bilal" not in content
    content = client_for(world.coordinator).get(AGENDA).content.decode()
    assert "Yasmine" in content and "Bilal" in content


def test_the_agenda_records_whose_appointments_and_cases_were_shown(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    shown = appointment(world, world.brugfiguur, case=case)
    client_for(world.brugfiguur).get(AGENDA)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.appointment")
    assert entry.actor == world.brugfiguur and entry.region_id == world.region.pk
    assert entry.changes["appointments"] == [shown.pk] and entry.changes["cases"] == [case.pk]


def test_the_agenda_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    def fill(count):
        for i in range(count):
            case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school)
            appointment(world, world.brugfiguur, day=monday() + datetime.timedelta(days=i % 7), hour=8 + i % 9,
                        case=case, school=world.other_school)
            fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=i % 5)

    def count(persona):
        client = client_for(world.persona(persona))
        client.get(AGENDA)  # the session settles
        with django_assert_max_num_queries(30) as captured:
            response = client.get(AGENDA)
        return len(captured.captured_queries), len(response.context["week"].appointments)

    fill(2)
    small = {persona: count(persona) for persona in ("brugfiguur", "coordinator")}
    fill(13)
    large = {persona: count(persona) for persona in ("brugfiguur", "coordinator")}
    for persona in small:
        assert (small[persona][1], large[persona][1]) == (2, 15)
        assert large[persona][0] == small[persona][0]


# --- Appointments ------------------------------------------------------------------------------------


def test_a_brugfiguur_adds_an_appointment_to_their_agenda(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.other_school)
    client = client_for(world.brugfiguur)
    page = client.get(CREATE, {"case": case.pk})
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["case"] == case.pk and initial["school"] == world.other_school.pk
    assert "brugfiguur" not in page.context["form"].fields  # a brugfiguur plans their own agenda only
    response = client.post(CREATE, form_post(world, case=case.pk))
    saved = Appointment.objects.get()
    assert (saved.brugfiguur, saved.case, saved.school, saved.kind) == (
        world.brugfiguur, case, world.school, AppointmentKind.HOME_VISIT
    )
    assert timezone.localtime(saved.starts_at).time() == datetime.time(14, 0)
    assert response.status_code == 302 and response.url == f"{AGENDA}?week={iso_week(monday())}"
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.appointment").exists()


def test_the_appointment_form_records_whose_cases_it_offers(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    client_for(world.brugfiguur).get(CREATE)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.case")
    assert entry.changes["cases"] == [case.pk]


def test_bad_appointments_get_a_dutch_error_and_change_nothing(world, settings):
    settings.LANGUAGE_CODE = "nl"
    hidden = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, young_person__first_name="Bilal")
    client = client_for(world.brugfiguur)
    page = client.get(CREATE, {"case": hidden.pk})
    assert "case" not in page.context["form"].initial and "Bilal" not in page.content.decode()
    response = client.post(CREATE, form_post(world, starts_at="15:00", ends_at="14:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["Het einde moet na het begin liggen."]
    response = client.post(CREATE, form_post(world, case=hidden.pk))
    assert response.status_code == 200 and "case" in response.context["form"].errors
    assert "geldige keuze" in response.context["form"].errors["case"][0]
    assert "Bilal" not in response.content.decode()
    response = client.post(CREATE, form_post(world, school=world.foreign_school.pk, day="morgen"))
    assert {"school", "day"} <= set(response.context["form"].errors)
    assert not Appointment.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.CREATE).exists()


def test_the_coordinator_plans_for_a_brugfiguur_of_their_region_only(world):
    client = client_for(world.coordinator)
    response = client.post(CREATE, form_post(world, brugfiguur=world.brugfiguur2.pk))
    assert response.status_code == 302 and f"brugfiguur={world.brugfiguur2.pk}" in response.url
    assert Appointment.objects.get().brugfiguur == world.brugfiguur2
    for stranger in (world.foreign_brugfiguur, world.schoolcontact):
        response = client.post(CREATE, form_post(world, brugfiguur=stranger.pk))
        assert response.status_code == 200 and "brugfiguur" in response.context["form"].errors
    assert client.post(CREATE, form_post(world)).context["form"].errors["brugfiguur"]
    assert Appointment.objects.count() == 1


def test_an_appointment_is_changed_by_its_brugfiguur_and_the_coordinator_only(world, settings):
    planned = appointment(world, world.brugfiguur)
    url = reverse("cases:appointment_update", args=[planned.pk])
    client = client_for(world.brugfiguur)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["starts_at"] == datetime.time(10, 0)
    response = client.post(url, form_post(world, kind=AppointmentKind.MEETING, starts_at="09:00", ends_at="09:30"))
    planned.refresh_from_db()
    assert response.status_code == 302 and planned.kind == AppointmentKind.MEETING
    assert timezone.localtime(planned.ends_at).time() == datetime.time(9, 30)
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.appointment").exists()
    settings.LANGUAGE_CODE = "nl"
    response = client.post(url, form_post(world, starts_at="11:00", ends_at="10:00"))
    assert response.context["form"].errors["ends_at"] == ["Het einde moet na het begin liggen."]
    planned.refresh_from_db()
    assert planned.kind == AppointmentKind.MEETING
    assert timezone.localtime(planned.ends_at).time() == datetime.time(9, 30)
    assert client_for(world.coordinator).get(url).status_code == 200
    for persona in ("brugfiguur2", "schoolcontact", "foreign_coordinator"):
        assert client_for(world.persona(persona)).post(url, form_post(world)).status_code == 404


def test_an_appointment_is_deleted_after_confirmation(world):
    planned = appointment(world, world.brugfiguur)
    url = reverse("cases:appointment_delete", args=[planned.pk])
    assert client_for(world.brugfiguur2).post(url).status_code == 404
    client = client_for(world.brugfiguur)
    assert client.get(url).status_code == 200 and Appointment.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and not Appointment.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DELETE, subject_type="cases.appointment").exists()


# --- Presence days -----------------------------------------------------------------------------------


def presence_post(world, **overrides) -> dict:
    return {"school": world.school.pk, "weekday": 3, "valid_from": monday().isoformat(), "valid_until": ""} | overrides


def test_a_brugfiguur_adds_a_presence_day_at_a_school_they_serve(world):
    fc.pool_serves(world)
    client = client_for(world.brugfiguur)
    page = client.get(PRESENCE_CREATE)
    assert list(page.context["form"].fields["school"].queryset) == [world.school]
    response = client.post(PRESENCE_CREATE, presence_post(world, school=world.other_school.pk))
    assert response.status_code == 200 and "school" in response.context["form"].errors
    response = client.post(PRESENCE_CREATE, presence_post(world))
    assert response.status_code == 302
    day = PresenceDay.objects.get()
    assert (day.brugfiguur, day.school, day.weekday, day.valid_until) == (world.brugfiguur, world.school, 3, None)
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.presenceday").exists()
    assert [p.school for p in client.get(AGENDA).context["week"].days[3].presence] == [world.school]


def test_the_coordinator_adds_a_presence_day_only_where_the_brugfiguur_serves(world):
    fc.pool_serves(world)
    client = client_for(world.coordinator)
    response = client.post(PRESENCE_CREATE, presence_post(world, brugfiguur=world.brugfiguur2.pk))
    assert "school" in response.context["form"].errors
    response = client.post(
        PRESENCE_CREATE, presence_post(world, brugfiguur=world.brugfiguur2.pk, school=world.other_school.pk)
    )
    assert response.status_code == 302 and PresenceDay.objects.get().brugfiguur == world.brugfiguur2


def test_bad_presence_days_get_a_dutch_error_and_change_nothing(world, settings):
    settings.LANGUAGE_CODE = "nl"
    fc.pool_serves(world)
    client = client_for(world.brugfiguur)
    until = (monday() - datetime.timedelta(days=1)).isoformat()
    response = client.post(PRESENCE_CREATE, presence_post(world, valid_until=until, weekday=9))
    errors = response.context["form"].errors
    assert errors["valid_until"] == ["De laatste dag kan niet voor de eerste liggen."] and "weekday" in errors
    assert not PresenceDay.objects.exists()


def test_a_presence_day_is_ended_and_deleted(world, settings):
    day = fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.school,
                                valid_from=monday())
    end_url = reverse("cases:presence_day_end", args=[day.pk])
    delete_url = reverse("cases:presence_day_delete", args=[day.pk])
    for persona in ("brugfiguur2", "schoolcontact", "foreign_coordinator"):
        other = client_for(world.persona(persona))
        assert other.post(end_url, {"valid_until": monday().isoformat()}).status_code == 404
        assert other.post(delete_url).status_code == 404
    client = client_for(world.brugfiguur)
    settings.LANGUAGE_CODE = "nl"
    response = client.post(end_url, {"valid_until": (monday() - datetime.timedelta(days=1)).isoformat()})
    assert response.context["form"].errors["valid_until"] == ["De laatste dag kan niet voor de eerste liggen."]
    day.refresh_from_db()
    assert day.valid_until is None
    last = monday() + datetime.timedelta(days=20)
    assert client.post(end_url, {"valid_until": last.isoformat()}).status_code == 302
    day.refresh_from_db()
    assert day.valid_until == last
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.presenceday").exists()
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302 and not PresenceDay.objects.exists()


# --- The calendar feed -------------------------------------------------------------------------------


def feed_of(user) -> CalendarFeed:
    return CalendarFeed.objects.get(user=user)


def ics_url(token: str) -> str:
    return reverse("cases:calendar_feed_ics", args=[token])


def test_a_brugfiguur_makes_and_renews_their_calendar_address(world):
    client = client_for(world.brugfiguur)
    page = client.get(FEED)
    assert page.status_code == 200 and page.context["feed"] is None
    assert client.post(FEED).status_code == 302
    first = feed_of(world.brugfiguur).token
    page = client.get(FEED)
    assert ics_url(first) in page.context["feed_url"] and first in page.content.decode()
    client.post(FEED)
    second = feed_of(world.brugfiguur).token
    assert second != first
    entries = AuditEntry.objects.filter(subject_type="cases.calendarfeed").order_by("seq")
    assert [e.event for e in entries] == [AuditEvent.CREATE, AuditEvent.UPDATE]
    assert all(first not in str(e.changes) and second not in str(e.changes) for e in entries)
    assert all(e.region_id == world.region.pk for e in entries)


@pytest.mark.parametrize("persona", ["coordinator", "schoolcontact", "partner", "beleid", "beheerder"])
def test_only_a_brugfiguur_has_a_calendar_feed(world, persona):
    client = client_for(world.persona(persona))
    assert client.get(FEED).status_code == 404 and client.post(FEED).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_holds_the_own_appointments_without_personal_data(world):
    person = fc.YoungPersonFactory(region=world.region, first_name="Yasmine", last_name="Uniekenaam")
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, young_person=person)
    visit = appointment(world, world.brugfiguur, case=case, school=world.school, location="Kerkstraat 1, Kortrijk")
    meeting = appointment(world, world.brugfiguur, kind=AppointmentKind.MEETING, hour=14)
    appointment(world, world.brugfiguur2, location="Marktplein 9")
    appointment(world, world.brugfiguur, day=timezone.localdate() + datetime.timedelta(days=400))
    client_for(world.brugfiguur).post(FEED)
    feed = feed_of(world.brugfiguur)
    anonymous = Client()
    response = anonymous.get(ics_url(feed.token))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 2
    assert "Yasmine" not in body and "Uniekenaam" not in body and "Kerkstraat" not in body
    assert "Marktplein" not in body and str(world.brugfiguur) not in body
    assert "SUMMARY:Home visit · Sint-Amandscollege" in body.replace("\r\n ", "")
    assert "SUMMARY:Meeting\r\n" in body
    assert f"UID:appointment-{visit.pk}@brugwerk" in body and f"UID:appointment-{meeting.pk}@brugwerk" in body
    assert anonymous.get(ics_url(feed.token)).content.decode().count(f"UID:appointment-{visit.pk}@brugwerk") == 1
    feed.refresh_from_db()
    assert feed.last_read_at is not None
    assert anonymous.head(ics_url(feed.token)).status_code == 200
    assert anonymous.post(ics_url(feed.token)).status_code == 405
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW).exclude(subject_type="cases.case").exists()


def test_the_feed_speaks_dutch_by_default(world, settings):
    settings.LANGUAGE_CODE = "nl"
    appointment(world, world.brugfiguur)
    feed = CalendarFeed.objects.create(user=world.brugfiguur)
    body = client_for(world.brugfiguur2).get(ics_url(feed.token)).content.decode()
    assert "SUMMARY:Huisbezoek" in body


def test_unknown_renewed_and_lapsed_feed_addresses_do_not_exist(world):
    appointment(world, world.brugfiguur)
    assert client_for(world.brugfiguur).get(ics_url("nietbestaand")).status_code == 404
    client = client_for(world.brugfiguur)
    client.post(FEED)
    old = feed_of(world.brugfiguur).token
    assert client.get(ics_url(old)).status_code == 200
    client.post(FEED)
    assert client.get(ics_url(old)).status_code == 404
    new = feed_of(world.brugfiguur).token
    assert client.get(ics_url(new)).status_code == 200
    membership = Membership.objects.get(user=world.brugfiguur, role=Role.BRUGFIGUUR)
    membership.revoked_at = timezone.now()
    membership.save()
    assert client_for(world.coordinator).get(ics_url(new)).status_code == 404
    membership.revoked_at = None
    membership.save()
    world.brugfiguur.is_active = False
    world.brugfiguur.save()
    assert client_for(world.coordinator).get(ics_url(new)).status_code == 404
