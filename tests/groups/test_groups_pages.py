"""The group offering pages: the list with its filters, an offering with its sessions and totals,
creating and changing offerings and sessions, and linking participants. Who sees what: the pool and
the coordinator every offering of the region, a school contact their school's and a partner the ones
they co-organise (counts only, never a participant's name), beleid the figures only, the beheerder
nothing. Bad input gives an error on the form and changes nothing; list pages run a flat number of
queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.groups.models import (
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
)
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.groups import offering_in, session_of

LIST = reverse("groups:offering_list")


def dutch(message: str) -> str:
    """The message as a Dutch user reads it (in English until the translations are merged)."""
    with translation.override("nl"):
        return translation.gettext(message)


def counted(session: GroupSession, number: int, gender: str = Gender.FEMALE) -> None:
    AnonymousAttendance.objects.create(session=session, role=AttendeeRole.PARENT, gender=gender,
                                       age_group=AgeGroup.ADULT, count=number)


def linked(offering: GroupOffering, lead, first_name: str = "Yasmine"):
    case = fc.CaseFactory(region=offering.region, lead=lead, school=offering.school,
                          young_person__first_name=first_name, young_person__last_name="Bouzid")
    return GroupParticipant.objects.create(offering=offering, case=case, added_by=lead)


@pytest.fixture
def cafe(world):
    """A parent café at the school contact's school, co-organised by the partner, with one session of
    six parents counted and one linked participant of the brugfiguur's present."""
    offering = offering_in(world, partners=[world.organisation])
    session = session_of(offering, topic="De schoolrekening")
    counted(session, 6)
    participant = linked(offering, world.brugfiguur)
    GroupAttendance.objects.create(session=session, participant=participant, status=AttendanceStatus.PRESENT)
    return offering


# --- The list ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "coordinator", "schoolcontact", "partner"])
def test_who_sees_the_offering_finds_it_in_the_list_with_its_count(world, cafe, persona):
    response = client_for(world.persona(persona)).get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert cafe.title in content
    assert [o.present_total for o in response.context["page"].object_list] == [7]


@pytest.mark.parametrize("persona", ["beleid", "beheerder", "foreign_coordinator", "foreign_brugfiguur"])
def test_others_find_no_offering_in_the_list(world, cafe, persona):
    response = client_for(world.persona(persona)).get(LIST)
    assert response.status_code in {200, 404}
    assert cafe.title not in response.content.decode()


def test_a_school_contact_sees_only_their_schools_and_a_partner_only_the_co_organised(world, cafe):
    elsewhere = offering_in(world, school=world.other_school, title="Leerlingenatelier Atheneum",
                            kind=OfferingKind.PUPIL_WORKSHOP)
    for persona in ("schoolcontact", "partner"):
        titles = [o.title for o in client_for(world.persona(persona)).get(LIST).context["page"].object_list]
        assert titles == [cafe.title]
    titles = {o.title for o in client_for(world.brugfiguur2).get(LIST).context["page"].object_list}
    assert titles == {cafe.title, elsewhere.title}


def test_the_list_filters_on_kind_school_and_period(world, cafe):
    workshop = offering_in(world, school=world.other_school, title="Leerlingenatelier Atheneum",
                           kind=OfferingKind.PUPIL_WORKSHOP)
    session_of(workshop, days_ago=100)
    client = client_for(world.coordinator)

    def titles(query: str) -> set[str]:
        return {o.title for o in client.get(LIST + query).context["page"].object_list}

    assert titles("?kind=pupil_workshop") == {workshop.title}
    assert titles(f"?school={world.school.pk}") == {cafe.title}
    recent = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert titles(f"?start={recent}") == {cafe.title}
    assert titles(f"?end={recent}") == {workshop.title}
    assert titles("?kind=picnic&school=abc&start=gisteren") == {cafe.title, workshop.title}  # ignored, shown


def test_the_list_answers_htmx_with_its_results_only(world, cafe):
    response = client_for(world.brugfiguur).get(LIST + "?q=Ouder", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert cafe.title in content and "<html" not in content


def test_the_list_records_what_it_showed(world, cafe):
    client_for(world.brugfiguur).get(LIST)
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="groups.groupoffering")
    assert entry.changes == {"offerings": [cafe.pk]}


def _grow(world, count: int) -> None:
    for n in range(count):
        offering = offering_in(world, title=f"Atelier {n}", kind=OfferingKind.PUPIL_WORKSHOP,
                               organisers=[world.brugfiguur, world.brugfiguur2], partners=[world.organisation])
        for days in (3, 10):
            counted(session_of(offering, days_ago=days), 4)
        session_of(offering, days_ago=-7)


def test_the_list_runs_the_same_queries_for_2_or_15_offerings(world, django_assert_max_num_queries):
    _grow(world, 2)
    client = client_for(world.coordinator)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    _grow(world, 13)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 15


# --- One offering ----------------------------------------------------------------------------------------


def test_the_organiser_sees_the_offering_with_sessions_totals_and_their_participant(world, cafe):
    response = client_for(world.brugfiguur).get(reverse("groups:offering_detail", args=[cafe.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    totals = response.context["totals"]
    assert (totals.present, totals.sessions_held, totals.linked_participants) == (7, 1, 1)
    assert totals.by_gender["female"] == 6 and totals.by_role["parent"] == 6
    assert "Yasmine" in content and "De schoolrekening" in content
    assert reverse("groups:session_attendance", args=[cafe.sessions.get().pk]) in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="groups.groupoffering")
    assert entry.changes == {"participants": [cafe.participants.get().pk]}


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "brugfiguur2"])
def test_others_who_see_the_offering_see_the_counts_but_no_names(world, cafe, persona):
    response = client_for(world.persona(persona)).get(reverse("groups:offering_detail", args=[cafe.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["totals"].present == 7
    assert "Yasmine" not in content and "Bouzid" not in content
    # A colleague of the pool counts the participant linked to a case; outside the pool nobody does
    # (tests/groups/test_groups_counts.py).
    assert response.context["offering"].hidden_participants == (1 if persona == "brugfiguur2" else 0)
    assert reverse("groups:session_attendance", args=[cafe.sessions.get().pk]) not in content
    assert reverse("groups:offering_update", args=[cafe.pk]) not in content


@pytest.mark.parametrize("persona", ["beleid", "beheerder", "foreign_coordinator", "foreign_brugfiguur"])
def test_the_offering_page_does_not_exist_for_the_others(world, cafe, persona):
    client = client_for(world.persona(persona))
    for name in ("offering_detail", "offering_update", "session_create", "participant_add"):
        assert client.get(reverse(f"groups:{name}", args=[cafe.pk])).status_code == 404, name


def test_the_offering_page_runs_the_same_queries_for_2_or_20_sessions(world, django_assert_max_num_queries):
    offering = offering_in(world, partners=[world.organisation])
    participants = [linked(offering, world.brugfiguur, f"Kind{n}") for n in range(3)]

    def grow(count: int) -> None:
        for n in range(count):
            session = session_of(offering, days_ago=n + 1, evaluation_forms=2, evaluation_quotes="Fijn")
            counted(session, 3)
            for participant in participants:
                GroupAttendance.objects.create(session=session, participant=participant,
                                               status=AttendanceStatus.PRESENT)

    grow(2)
    client = client_for(world.brugfiguur)
    url = reverse("groups:offering_detail", args=[offering.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow(18)
    participants += [linked(offering, world.brugfiguur, f"Extra{n}") for n in range(10)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["totals"].sessions == 20 and response.context["totals"].present == 20 * 6


def test_a_school_contact_does_not_see_an_offering_of_another_school(world):
    offering = offering_in(world, school=world.other_school)
    assert client_for(world.schoolcontact).get(reverse("groups:offering_detail", args=[offering.pk])).status_code == 404


# --- Creating and changing ---------------------------------------------------------------------------------


def offering_post(world, **extra) -> dict:
    return {
        "kind": "parent_cafe", "title": "Oudercafé Atheneum", "target_group": "parents",
        "school": str(world.other_school.pk), "place": "", "organisers": [str(world.brugfiguur.pk)],
        "partners": [str(world.organisation.pk)], "languages": "Nederlands, Turks", "description": "",
    } | extra


def test_a_brugfiguur_creates_an_offering_and_goes_on_to_its_first_session(world):
    client = client_for(world.brugfiguur)
    response = client.get(reverse("groups:offering_create"))
    assert response.status_code == 200 and response.context["form"]["organisers"].value() == [world.brugfiguur.pk]
    response = client.post(reverse("groups:offering_create"), offering_post(world))
    offering = GroupOffering.objects.get(title="Oudercafé Atheneum")
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:session_create", args=[offering.pk])
    assert list(offering.partners.all()) == [world.organisation]


def test_an_offering_without_school_or_place_shows_the_error_and_saves_nothing(world):
    response = client_for(world.brugfiguur).post(reverse("groups:offering_create"), offering_post(world, school=""))
    assert response.status_code == 200
    assert dutch("Choose a school or give the place where it takes place.") in response.content.decode()
    assert not GroupOffering.objects.exists()


def test_a_foreign_school_or_organiser_is_not_a_choice(world):
    response = client_for(world.brugfiguur).post(
        reverse("groups:offering_create"),
        offering_post(world, school=str(world.foreign_school.pk), organisers=[str(world.foreign_brugfiguur.pk)]),
    )
    assert response.status_code == 200
    assert {"school", "organisers"} <= set(response.context["form"].errors)
    assert not GroupOffering.objects.exists()


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder"])
def test_only_the_pool_and_the_coordinator_get_the_new_offering_form(world, persona):
    client = client_for(world.persona(persona))
    assert client.get(reverse("groups:offering_create")).status_code == 404
    assert client.post(reverse("groups:offering_create"), offering_post(world)).status_code == 404
    assert not GroupOffering.objects.exists()


def test_a_colleague_who_does_not_organise_it_cannot_change_it(world, cafe):
    client = client_for(world.brugfiguur2)
    url = reverse("groups:offering_update", args=[cafe.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, offering_post(world, title="Overgenomen")).status_code == 404
    response = client_for(world.coordinator).post(url, offering_post(world, title="Oudercafé (nieuw)"))
    assert response.status_code == 302
    assert GroupOffering.objects.get(pk=cafe.pk).title == "Oudercafé (nieuw)"


def test_a_new_session_is_proposed_four_weeks_after_the_last_parent_cafe(world, cafe):
    last = cafe.sessions.get()
    client = client_for(world.brugfiguur)
    response = client.get(reverse("groups:session_create", args=[cafe.pk]))
    initial = response.context["form"].initial
    assert initial["start_time"] == last.start_time and initial["date"] == last.date + datetime.timedelta(weeks=4)
    response = client.post(reverse("groups:session_create", args=[cafe.pk]), {
        "date": initial["date"].isoformat(), "start_time": "08:30", "duration_minutes": "90", "topic": "Rapport",
    })
    session = cafe.sessions.get(topic="Rapport")
    assert response["Location"] == reverse("groups:offering_detail", args=[cafe.pk]) + f"#session-{session.pk}"


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"duration_minutes": "0"}, None),
        ({"duration_minutes": "veel"}, None),
        ({"date": "2999-01-01"}, "Plan sessions at most two years ahead."),
    ],
)
def test_a_wrong_session_shows_the_error_and_saves_nothing(world, cafe, post, message):
    data = {"date": timezone.localdate().isoformat(), "start_time": "09:00", "duration_minutes": "60"} | post
    response = client_for(world.brugfiguur).post(reverse("groups:session_create", args=[cafe.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    if message:
        assert dutch(message) in response.content.decode()
    assert cafe.sessions.count() == 1


def test_the_organiser_changes_a_session(world, cafe):
    session = cafe.sessions.get()
    url = reverse("groups:session_update", args=[session.pk])
    assert client_for(world.schoolcontact).get(url).status_code == 404
    response = client_for(world.brugfiguur).post(url, {
        "date": session.date.isoformat(), "start_time": "13:00", "duration_minutes": "120", "topic": "Studiekeuze",
    })
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.duration_minutes == 120 and session.topic == "Studiekeuze"


# --- Participants ------------------------------------------------------------------------------------------


def test_the_organiser_links_their_own_cases_only(world, cafe):
    own = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                         young_person__first_name="Milan")
    colleagues = fc.CaseFactory(region=world.region, lead=world.brugfiguur2, young_person__first_name="Febe")
    client = client_for(world.brugfiguur)
    url = reverse("groups:participant_add", args=[cafe.pk])
    response = client.get(url)
    content = response.content.decode()
    assert "Milan" in content and "Febe" not in content
    assert "Yasmine" not in content  # already a participant
    assert client.get(url + "?q=Mil").context["form"].fields["cases"].queryset.get() == own
    response = client.post(url, {"cases": [str(colleagues.pk)]})
    assert response.status_code == 200 and response.context["form"].errors["cases"]
    response = client.post(url, {"cases": [str(own.pk)]})
    assert response.status_code == 302 and cafe.participants.filter(case=own).exists()
    assert not cafe.participants.filter(case=colleagues).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.case").exists()


def test_the_organiser_removes_a_participant_after_confirming(world, cafe):
    participant = cafe.participants.get()
    url = reverse("groups:participant_remove", args=[participant.pk])
    assert client_for(world.brugfiguur2).get(url).status_code == 404
    assert client_for(world.schoolcontact).post(url).status_code == 404
    client = client_for(world.brugfiguur)
    assert "Yasmine" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not GroupParticipant.objects.filter(pk=participant.pk).exists()
    assert not GroupAttendance.objects.exists()


# --- Figures -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["beleid", "coordinator"])
def test_policy_makers_and_the_coordinator_see_the_figures_without_names(world, cafe, persona):
    small = offering_in(world, title="Infoavond", kind=OfferingKind.INFORMATION_SESSION)
    counted(session_of(small, days_ago=2), 2, gender=Gender.MALE)
    response = client_for(world.persona(persona)).get(reverse("groups:figures"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.present == 9 and figures.sessions == 2 and figures.offerings == 2
    assert figures.by_gender["female"] == 6 and figures.by_gender["male"] is None  # 2: a small cell
    content = response.content.decode()
    assert "Yasmine" not in content and cafe.title not in content


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beheerder", "foreign_brugfiguur"])
def test_the_figures_page_is_for_policy_makers_and_the_coordinator_only(world, persona):
    assert client_for(world.persona(persona)).get(reverse("groups:figures")).status_code == 404


def test_another_regions_coordinator_sees_the_figures_of_their_own_region(world, cafe):
    figures = client_for(world.foreign_coordinator).get(reverse("groups:figures")).context["figures"]
    assert (figures.offerings, figures.sessions, figures.present) == (0, 0, 0)
