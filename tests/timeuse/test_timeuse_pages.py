"""The time overview page (timeuse:overview) and its CSV (timeuse:export): the coordinator sees the
whole pool of their region, a brugfiguur their own time, a policy maker the totals without persons,
anyone else a 404; the period defaults to this school year and bad dates get a Dutch error, never a
500; the coordinator's page and every export are audited; a fixed number of queries; and another
region's coordinator sees none of region A's numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import ContactType
from brugwerk.timeuse import sources
from brugwerk.timeuse.periods import last_30_days, school_year, this_month
from tests import factories_cases as fc
from tests.conftest import client_for

URL = reverse("timeuse:overview")
EXPORT = reverse("timeuse:export")
CASES_SOURCE = "brugwerk.cases.selectors.timeuse.time_spent"
TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=13), TODAY
PERIOD = {"date_from": START.isoformat(), "date_to": END.isoformat()}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _casework_only(monkeypatch):
    """Only the casework source, so the figures below are known whatever the other apps record."""
    monkeypatch.setattr(sources, "SOURCES", [CASES_SOURCE])


def add_contact(world, *, by, minutes, school, case=None, region=None, days_ago=2):
    extra = {"first_name": "Anoniem"} if case is None else {}
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return fc.ContactMomentFactory(case=case, region=region or world.region, brugfiguur=by, school=school,
                                   contact_type=ContactType.HOME_VISIT, duration_minutes=minutes,
                                   occurred_at=when, **extra)


@pytest.fixture
def load(world):
    """bf1: 150 min at the school on a case of pupil "Zoë Vermeulen"; bf2: 54 min at the other
    school; region B: 500 min at its school."""
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                          young_person__first_name="Zoë", young_person__last_name="Vermeulen")
    add_contact(world, by=world.brugfiguur, minutes=150, school=world.school, case=case)
    add_contact(world, by=world.brugfiguur2, minutes=54, school=world.other_school)
    foreign = fc.CaseFactory(region=world.other_region, lead=world.foreign_brugfiguur, school=world.foreign_school)
    add_contact(world, by=world.foreign_brugfiguur, minutes=500, school=world.foreign_school, case=foreign,
                region=world.other_region)
    return world


def page(user, params=None):
    return client_for(user).get(URL, params or PERIOD)


# --- Who sees what -------------------------------------------------------------------------------


def test_the_coordinator_sees_every_bridge_figure_s_time_and_it_is_audited(load):
    w = load
    response = page(w.coordinator)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (str(w.brugfiguur), str(w.brugfiguur2), "Sint-Amandscollege", "Atheneum Kortrijk",
                 "Outreach and direct support", "<meter", "3.4"):  # 150 + 54 min = 3.4 h
        assert text in html
    assert "Zoë" not in html and "Vermeulen" not in html
    persons = {row.person_id: row for row in response.context["figures"].persons}
    assert (persons[w.brugfiguur.pk].total.hours, persons[w.brugfiguur2.pk].total.hours) == (
        Decimal("2.5"), Decimal("0.9"))
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="pool.poolmember")
    assert entry.actor == w.coordinator and entry.region == w.region
    assert sorted(entry.changes["shown"]) == sorted([w.brugfiguur.pk, w.brugfiguur2.pk])
    assert entry.changes["start"] == START.isoformat()


def test_a_brugfiguur_sees_only_their_own_time(load):
    w = load
    response = page(w.brugfiguur2)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(w.brugfiguur2) in html and "Atheneum Kortrijk" in html
    assert str(w.brugfiguur) not in html and "Sint-Amandscollege" not in html
    assert response.context["figures"].total.minutes == 54
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="pool.poolmember").exists()


def test_a_policy_maker_sees_totals_per_pillar_and_school_without_persons(load):
    w = load
    response = page(w.beleid)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sint-Amandscollege" in html and "Atheneum Kortrijk" in html and "3.4" in html
    assert str(w.brugfiguur) not in html and str(w.brugfiguur2) not in html
    main = html.split("</header>", 1)[1]
    assert "Per bridge figure" not in main and "FTE" not in main
    assert response.context["figures"].persons == []


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beheerder"])
def test_others_get_a_404(load, persona):
    w = load
    assert page(w.persona(persona)).status_code == 404
    assert client_for(w.persona(persona)).get(EXPORT, PERIOD).status_code == 404


def test_another_region_s_coordinator_sees_none_of_region_a_s_numbers(load):
    w = load
    response = page(w.foreign_coordinator)
    assert response.status_code == 200
    html = response.content.decode()
    assert "College Elders" in html and "8.3" in html  # their own 500 minutes
    for text in ("Sint-Amandscollege", "Atheneum Kortrijk", str(w.brugfiguur), str(w.brugfiguur2), "3.4", "2.5"):
        assert text not in html
    assert response.context["figures"].total.minutes == 500
    exported = client_for(w.foreign_coordinator).get(EXPORT, PERIOD).content.decode()
    assert "Sint-Amandscollege" not in exported and str(w.brugfiguur) not in exported


# --- The period ----------------------------------------------------------------------------------


def test_the_period_is_this_school_year_unless_chosen(world):
    client = client_for(world.coordinator)
    year = school_year(TODAY)
    figures = client.get(URL).context["figures"]
    assert (figures.period.start, figures.period.end) == (year.start, year.end)
    for kind, expected in (("month", this_month(TODAY)), ("last_30_days", last_30_days(TODAY)),
                           ("school_year", year)):
        figures = client.get(URL, {"period": kind}).context["figures"]
        assert (figures.period.start, figures.period.end) == (expected.start, expected.end)
    figures = client.get(URL, PERIOD).context["figures"]
    assert (figures.period.start, figures.period.end) == (START, END)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2025-13-01", "date_to": "2025-12-31"}, "date_from", "Voer een geldige datum in."),
        ({"date_from": "morgen", "date_to": "2025-12-31"}, "date_from", "Voer een geldige datum in."),
        ({"date_from": "2025-05-01", "date_to": "2025-04-01"}, "date_to", "De einddatum ligt voor de begindatum."),
        ({"date_from": "1900-01-01", "date_to": "2025-04-01"}, "date_from", "Geef een datum tussen 2000 en 2999 in."),
        ({"period": "decade"}, "period", "Selecteer een geldige keuze."),
    ],
)
def test_bad_dates_get_a_dutch_error_never_a_500(load, settings, params, field, message):
    settings.LANGUAGE_CODE = "nl"
    client = client_for(load.coordinator)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["figures"] is None
    assert message in " ".join(response.context["form"].errors[field])
    export = client.get(EXPORT, params)
    assert export.status_code == 302 and export["Location"].startswith(URL + "?")
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_a_period_of_one_s_own_needs_both_dates(load):
    response = client_for(load.coordinator).get(URL, {"period": "custom", "date_from": START.isoformat()})
    assert response.status_code == 200 and response.context["figures"] is None
    assert response.context["form"].errors["date_to"] == ["Fill in both dates for a period of your own."]


# --- The CSV -------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_coordinator_downloads_the_same_figures_and_the_export_is_audited(load):
    w = load
    response = client_for(w.coordinator).get(EXPORT, PERIOD)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["Section", "Name", "Pillar", "Hours", "Minutes", "Activities"]
    assert ["Pillar", "Total", "Total", "3.4", "204", "2", "100"] == rows[5][:7]
    person = next(row for row in rows if row[0] == "Bridge figure" and row[1] == str(w.brugfiguur)
                  and row[2] == "Total")
    assert person[3:6] == ["2.5", "150", "1"] and person[7] == "0.90"  # 0.90 FTE x 38 h x 2 weeks
    assert person[8] == "68.4"
    school = next(row for row in rows if row[0] == "School" and row[1] == "Atheneum Kortrijk" and row[2] == "Total")
    assert school[3:7] == ["0.9", "54", "1", "26.5"]
    text = response.content.decode()
    assert "Zoë" not in text and "Vermeulen" not in text
    entry = AuditEntry.objects.get(event=AuditEvent.EXPORT)
    assert entry.actor == w.coordinator and entry.region == w.region and entry.changes["format"] == "csv"
    assert sorted(entry.changes["persons"]) == sorted([w.brugfiguur.pk, w.brugfiguur2.pk])


def test_a_policy_maker_s_csv_names_nobody(load):
    w = load
    response = client_for(w.beleid).get(EXPORT, PERIOD)
    text = response.content.decode()
    assert response.status_code == 200 and "Sint-Amandscollege" in text
    assert str(w.brugfiguur) not in text and str(w.brugfiguur2) not in text
    assert not [row for row in read_csv(response) if row[0] == "Bridge figure"]
    assert AuditEntry.objects.get(event=AuditEvent.EXPORT).actor == w.beleid


def test_a_brugfiguur_s_csv_holds_only_their_own_time(load):
    w = load
    text = client_for(w.brugfiguur).get(EXPORT, PERIOD).content.decode()
    assert str(w.brugfiguur) in text and str(w.brugfiguur2) not in text and "Atheneum Kortrijk" not in text


def test_a_spreadsheet_formula_in_a_name_is_not_run(load):
    w = load
    w.school.name = "=HYPERLINK(1)"
    w.school.save()
    text = client_for(w.coordinator).get(EXPORT, PERIOD).content.decode()
    assert "'=HYPERLINK(1)" in text


# --- Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur", "beleid"])
def test_the_page_runs_the_same_queries_for_2_or_20_contacts(world, persona):
    counts = []
    client = client_for(world.persona(persona))
    for count in (2, 20):
        for n in range(count - len(counts) * 2):
            person = (world.brugfiguur, world.brugfiguur2)[n % 2]
            add_contact(world, by=person, minutes=30, school=(world.school, world.other_school)[n % 2])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, PERIOD).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
