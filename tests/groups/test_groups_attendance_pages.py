"""Quick attendance on a phone and the evaluation of a session. One form: a present/absent/excused
choice per linked participant the user guides and a number per anonymous group with − and +
buttons that work without JavaScript (the form comes back with the number changed, nothing saved),
saved in one go. Only those who change the offering get it; the page runs a flat number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.groups.models import (
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupParticipant,
)
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.groups import offering_in, session_of


def dutch(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


@pytest.fixture
def offering(world):
    return offering_in(world, organisers=[world.brugfiguur, world.brugfiguur2], partners=[world.organisation])


@pytest.fixture
def session(offering):
    return session_of(offering, days_ago=0, topic="Kennismaking")


def add_participant(offering, lead, first_name: str) -> GroupParticipant:
    case = fc.CaseFactory(region=offering.region, lead=lead, young_person__first_name=first_name,
                          young_person__last_name="Peeters")
    return GroupParticipant.objects.create(offering=offering, case=case, added_by=lead)


def url(session) -> str:
    return reverse("groups:session_attendance", args=[session.pk])


def management(total: int, initial: int) -> dict[str, str]:
    return {"c-TOTAL_FORMS": str(total), "c-INITIAL_FORMS": str(initial), "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "60"}


def fixed_row(i: int, role: str, gender: str, count: str, age_group: str = AgeGroup.ADULT) -> dict[str, str]:
    return {f"c-{i}-role": role, f"c-{i}-gender": gender, f"c-{i}-age_group": age_group, f"c-{i}-grade": "0",
            f"c-{i}-count": count}


def test_the_organiser_gets_a_toggle_per_participant_and_the_usual_groups_to_count(world, session):
    mine = add_participant(session.offering, world.brugfiguur, "Nora")
    add_participant(session.offering, world.brugfiguur2, "Wout")
    response = client_for(world.brugfiguur).get(url(session))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nora" in content and "Wout" not in content
    assert f'name="p{mine.pk}"' in content and 'value="present"' in content and 'value="excused"' in content
    assert response.context["session"].hidden_participants == 1
    # The first time, a parent café counts women and men among the parents.
    counts = response.context["counts"]
    assert [(f.initial["role"], f.initial["gender"]) for f in counts.initial_forms] == [
        (AttendeeRole.PARENT, Gender.FEMALE), (AttendeeRole.PARENT, Gender.MALE)]
    assert len(counts.forms) == 4  # and two rows for another group
    assert 'type="number"' in content and 'name="step"' in content and 'value="c-0-count:1"' in content
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="groups.groupsession")
    assert entry.changes == {"participants": [mine.pk]}


def test_attendance_is_saved_in_one_go(world, session):
    nora = add_participant(session.offering, world.brugfiguur, "Nora")
    data = {
        f"p{nora.pk}": "present", **management(4, 2),
        **fixed_row(0, "parent", "female", "5"), **fixed_row(1, "parent", "male", "2"),
        "c-2-role": "pupil", "c-2-gender": "x", "c-2-age_group": "12_14", "c-2-grade": "2", "c-2-count": "1",
        "c-3-role": "", "c-3-gender": "unknown", "c-3-age_group": "unknown", "c-3-grade": "0", "c-3-count": "",
    }
    response = client_for(world.brugfiguur).post(url(session), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#session-{session.pk}")
    assert GroupAttendance.objects.get(participant=nora).status == AttendanceStatus.PRESENT
    assert sorted(AnonymousAttendance.objects.values_list("role", "gender", "grade", "count")) == [
        ("parent", "female", 0, 5), ("parent", "male", 0, 2), ("pupil", "x", 2, 1)]
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="groups.groupsession").exists()


def test_the_plus_and_minus_buttons_change_the_number_without_saving(world, session):
    client = client_for(world.brugfiguur)
    data = {**management(2, 2), **fixed_row(0, "parent", "female", "3"), **fixed_row(1, "parent", "male", "0")}
    response = client.post(url(session), data | {"step": "c-0-count:1"})
    assert response.status_code == 200
    assert response.context["counts"].forms[0]["count"].value() == "4"
    assert 'value="4"' in response.content.decode()
    response = client.post(url(session), data | {"step": "c-1-count:-1"})  # never below zero
    assert response.context["counts"].forms[1]["count"].value() == "0"
    # The known groups stay labelled rows, the same with htmx (which swaps only the row).
    response = client.post(url(session), data | {"step": "c-0-count:1"}, headers={"HX-Request": "true"})
    assert 'id="row-c-0"' in response.content.decode()
    assert response.context["counts"].forms[0].fixed
    assert not AnonymousAttendance.objects.exists() and not AuditEntry.objects.filter(
        event=AuditEvent.UPDATE).exists()


def test_a_second_session_counts_the_groups_of_the_first(world, offering):
    first = session_of(offering, days_ago=28)
    AnonymousAttendance.objects.create(session=first, role=AttendeeRole.PARENT, gender=Gender.FEMALE,
                                       age_group=AgeGroup.ADULT, count=7)
    AnonymousAttendance.objects.create(session=first, role=AttendeeRole.PUPIL, gender=Gender.MALE,
                                       age_group=AgeGroup.AGE_12_14, grade=1, count=2)
    second = session_of(offering, days_ago=0)
    counts = client_for(world.brugfiguur).get(url(second)).context["counts"]
    assert {(f.initial["role"], f.initial["grade"], f.initial["count"]) for f in counts.initial_forms} == {
        ("parent", 0, 0), ("pupil", 1, 0)}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"c-0-count": "veel"}, "Enter a whole number."),
        ({"c-0-count": "-2"}, None),
        ({"c-2-role": "", "c-2-gender": "female", "c-2-age_group": "adult", "c-2-grade": "0", "c-2-count": "3"},
         "Choose who was counted."),
    ],
)
def test_a_wrong_number_shows_an_error_and_saves_nothing(world, session, rows, message):
    data = {**management(3, 2), **fixed_row(0, "parent", "female", "3"), **fixed_row(1, "parent", "male", "1"),
            "c-2-role": "", "c-2-gender": "unknown", "c-2-age_group": "unknown", "c-2-grade": "0", "c-2-count": ""}
    response = client_for(world.brugfiguur).post(url(session), data | rows)
    assert response.status_code == 200
    assert response.context["counts"].errors != [{}, {}, {}]
    if message:
        assert dutch(message) in response.content.decode()
    assert not AnonymousAttendance.objects.exists()


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator",
                                     "foreign_brugfiguur"])
def test_only_those_who_change_the_offering_take_attendance(world, session, persona):
    client = client_for(world.persona(persona))
    data = {**management(1, 1), **fixed_row(0, "parent", "female", "3")}
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), data).status_code == 404
    assert not AnonymousAttendance.objects.exists()


def test_the_coordinator_takes_attendance_of_any_offering(world, session):
    data = {**management(1, 1), **fixed_row(0, "parent", "female", "3")}
    assert client_for(world.coordinator).post(url(session), data).status_code == 302
    assert AnonymousAttendance.objects.get().count == 3


def test_a_session_still_to_come_has_no_attendance_form(world, offering):
    later = session_of(offering, days_ago=-14)
    client = client_for(world.brugfiguur)
    response = client.get(url(later))
    assert response.status_code == 200 and "form" not in response.context
    response = client.post(url(later), {**management(1, 1), **fixed_row(0, "parent", "female", "3")})
    assert not AnonymousAttendance.objects.exists()
    evaluation = client.get(reverse("groups:session_evaluation", args=[later.pk]))
    assert evaluation.status_code == 200 and "form" not in evaluation.context


def test_the_attendance_page_runs_the_same_queries_for_3_or_25_participants(world, session,
                                                                          django_assert_max_num_queries):
    for n in range(3):
        add_participant(session.offering, world.brugfiguur, f"Kind{n}")
    client = client_for(world.brugfiguur)
    client.get(url(session))
    with CaptureQueriesContext(connection) as few:
        client.get(url(session))
    for n in range(22):
        participant = add_participant(session.offering, world.brugfiguur, f"Extra{n}")
        GroupAttendance.objects.create(session=session, participant=participant, status=AttendanceStatus.ABSENT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(session))
    assert len(response.context["session"].participant_rows) == 25


# --- The evaluation ----------------------------------------------------------------------------------------------


def test_the_organiser_records_the_evaluation(world, session):
    evaluation = reverse("groups:session_evaluation", args=[session.pk])
    client = client_for(world.brugfiguur)
    assert client.get(evaluation).status_code == 200
    response = client.post(evaluation, {"evaluation_forms": "6", "evaluation_score": "4.3",
                                        "evaluation_quotes": "Eindelijk verstaan hoe de schooltoelage werkt."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.evaluation_forms == 6 and str(session.evaluation_score) == "4.3"
    page = client_for(world.schoolcontact).get(reverse("groups:offering_detail", args=[session.offering.pk]))
    assert "Eindelijk verstaan hoe de schooltoelage werkt." in page.content.decode()


def test_a_quote_with_a_participants_name_is_refused(world, session):
    add_participant(session.offering, world.brugfiguur, "Nora")
    evaluation = reverse("groups:session_evaluation", args=[session.pk])
    response = client_for(world.brugfiguur).post(evaluation, {"evaluation_forms": "2", "evaluation_score": "5",
                                                              "evaluation_quotes": "Nora was blij"})
    assert response.status_code == 200
    assert dutch("A quote names a participant: leave names out.") in response.content.decode()
    session.refresh_from_db()
    assert session.evaluation_quotes == "" and session.evaluation_forms is None


@pytest.mark.parametrize(
    "post", [{"evaluation_score": "7", "evaluation_forms": "3"}, {"evaluation_score": "4", "evaluation_forms": ""}]
)
def test_a_wrong_evaluation_shows_an_error(world, session, post):
    evaluation = reverse("groups:session_evaluation", args=[session.pk])
    response = client_for(world.brugfiguur).post(evaluation, post)
    assert response.status_code == 200 and response.context["form"].errors
    session.refresh_from_db()
    assert session.evaluation_score is None


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"])
def test_only_those_who_change_the_offering_record_the_evaluation(world, session, persona):
    evaluation = reverse("groups:session_evaluation", args=[session.pk])
    client = client_for(world.persona(persona))
    assert client.get(evaluation).status_code == 404
    assert client.post(evaluation, {"evaluation_forms": "2", "evaluation_score": "4"}).status_code == 404
