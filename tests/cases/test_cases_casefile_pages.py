"""The case file page and its edit pages: who sees it (the coordinator, the lead, a sharer; nobody
else, in no other region), the audit entry, private notes, buttons only where the policy allows
them, closed cases read-only, bad input refused with a Dutch message, and a query count that does not
grow with the case."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CloseReason,
    ContactMoment,
    FamilyMember,
    Goal,
    HelpQuestion,
    LifeDomain,
    ShareKind,
    YoungPerson,
)
from tests import factories_cases as fc
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages, so texts can be compared whatever the Dutch catalog says (Dutch where a test
    says so)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def records(world):
    return fc.full_case(world)


@pytest.fixture
def case(records):
    return records[Case]


def detail(case):
    return reverse("cases:case_detail", args=[case.pk])


def share_with(case, user, **kwargs):
    return fc.CaseShareFactory(case=case, user=user, granted_by=case.lead, kind=ShareKind.STAND_IN, **kwargs)


def close(case):
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=timezone.localdate(), close_reason=CloseReason.QUALIFICATION,
        outcome="Diploma behaald, werkt nu als kok.",
    )
    case.refresh_from_db()


def edit_urls(records):
    case = records[Case]
    return {
        "young_person_update": reverse("cases:young_person_update", args=[case.pk]),
        "family_member_create": reverse("cases:family_member_create", args=[case.pk]),
        "family_member_update": reverse("cases:family_member_update", args=[records[FamilyMember].pk]),
        "help_question_create": reverse("cases:help_question_create", args=[case.pk]),
        "help_question_update": reverse("cases:help_question_update", args=[records[HelpQuestion].pk]),
        "goal_create": reverse("cases:goal_create", args=[case.pk]),
        "goal_update": reverse("cases:goal_update", args=[records[Goal].pk]),
        "action_create": reverse("cases:action_create", args=[case.pk]),
    }


# --- Who sees the case file ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur", "sharer"])
def test_the_guidance_team_and_the_coordinator_see_the_whole_case_file(world, records, persona):
    case = records[Case]
    user = world.brugfiguur2 if persona == "sharer" else world.persona(persona)
    if persona == "sharer":
        share_with(case, user)
    response = client_for(user).get(detail(case))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Yasmine",  # the young person
        "Sint-Amandscollege",  # their school
        "Fatima Peeters",  # family, with her languages and need for an interpreter
        "Arabisch, Frans",
        "needs an interpreter",
        "Hulp bij de aanvraag van de schooltoeslag.",  # help question
        "Elke dag op tijd op school.",  # goal
        "Afspraak maken bij het OCMW.",  # agreed action
        "CAW Zuid-West-Vlaanderen",  # consent and referral out
        "Eerste gesprek gepland.",  # the partner's feedback
        "Gesprek met moeder over de schoolkosten.",  # the timeline's contact note
        "Warme overdracht.",  # transfer
    ):
        assert text in page, text
    assert response.context["file"].age == 15


@pytest.mark.parametrize(
    "persona",
    ["brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator", "foreign_brugfiguur"],
)
def test_nobody_else_finds_the_case_file_or_its_edit_pages(world, records, persona):
    client = client_for(world.persona(persona))
    assert client.get(detail(records[Case])).status_code == 404
    for name, url in edit_urls(records).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"description": "x", "name": "x"}).status_code == 404, name
    action = reverse("cases:action_complete", args=[records[AgreedAction].pk])
    assert client.post(action).status_code == 404
    assert AgreedAction.objects.get(pk=records[AgreedAction].pk).done_at is None
    assert not AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.case").exists()


def test_a_stand_in_before_their_period_sees_nothing(world, case):
    share_with(case, world.brugfiguur2, starts_on=timezone.localdate() + datetime.timedelta(days=3))
    assert client_for(world.brugfiguur2).get(detail(case)).status_code == 404


def test_a_missing_case_is_a_404(world, case):
    assert client_for(world.coordinator).get(reverse("cases:case_detail", args=[case.pk + 999])).status_code == 404


def test_showing_the_case_file_is_recorded_in_the_audit_trail(world, case):
    client_for(world.coordinator).get(detail(case))
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.case")
    assert (entry.actor, entry.subject_id, entry.region_id) == (world.coordinator, str(case.pk), world.region.pk)


def test_a_private_note_is_shown_to_its_author_only(world, case):
    share_with(case, world.brugfiguur2)
    fc.ContactMomentFactory(case=case, brugfiguur=world.brugfiguur, note="Moeder vertelde over de schulden.",
                            note_private=True)
    assert "Moeder vertelde over de schulden." in client_for(world.brugfiguur).get(detail(case)).content.decode()
    for other in (world.coordinator, world.brugfiguur2):
        page = client_for(other).get(detail(case)).content.decode()
        assert "Moeder vertelde over de schulden." not in page
        assert "Gesprek met moeder over de schoolkosten." in page  # the shared note stays visible


# --- Buttons as the policy allows ----------------------------------------------------------------


def test_the_lead_gets_the_buttons_to_write_the_file(world, case):
    response = client_for(world.brugfiguur).get(detail(case))
    can = response.context["can"]
    assert (can.write, can.change_young_person, can.close, can.manage, can.reopen) == (True, True, True, True, False)
    page = response.content.decode()
    for name in ("goal_create", "action_create", "help_question_create", "family_member_create", "young_person_update"):
        assert reverse(f"cases:{name}", args=[case.pk]) in page, name
    assert reverse("cases:action_complete", args=[AgreedAction.objects.get(case=case).pk]) in page


def test_the_coordinator_reads_and_manages_but_does_not_write_the_content(world, case):
    response = client_for(world.coordinator).get(detail(case))
    can = response.context["can"]
    assert (can.write, can.change_young_person, can.manage, can.close) == (False, True, True, True)
    page = response.content.decode()
    assert reverse("cases:goal_create", args=[case.pk]) not in page
    assert reverse("cases:action_complete", args=[AgreedAction.objects.get(case=case).pk]) not in page
    assert reverse("cases:young_person_update", args=[case.pk]) in page


def test_a_sharer_writes_but_does_not_manage(world, case):
    share_with(case, world.brugfiguur2)
    can = client_for(world.brugfiguur2).get(detail(case)).context["can"]
    assert (can.write, can.manage, can.revoke_shares, can.export) == (True, False, False, False)


# --- Closed cases are read-only ------------------------------------------------------------------


def test_a_closed_case_shows_its_reason_and_outcome_and_no_edit_buttons(world, records):
    case = records[Case]
    close(case)
    response = client_for(world.brugfiguur).get(detail(case))
    page = response.content.decode()
    assert "This case is closed" in page
    assert "obtained a qualification" in page
    assert "Diploma behaald, werkt nu als kok." in page
    for url in edit_urls(records).values():
        assert url not in page
    assert reverse("cases:action_complete", args=[records[AgreedAction].pk]) not in page
    can = response.context["can"]
    assert (can.write, can.change_young_person, can.close, can.manage, can.reopen) == (False, False, False, False, True)


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator"])
def test_the_edit_pages_of_a_closed_case_refuse_and_change_nothing(world, records, persona):
    case = records[Case]
    close(case)
    client = client_for(world.persona(persona))
    before = AuditEntry.objects.exclude(event=AuditEvent.VIEW).count()
    goals, people = Goal.objects.count(), YoungPerson.objects.get(pk=case.young_person_id).first_name
    for name, url in edit_urls(records).items():
        response = client.post(url, {"description": "Nieuw", "first_name": "Anders", "name": "Iemand",
                                     "relation": "father", "start_date": "2026-01-01", "status": "planned"})
        assert response.status_code == 302, name
        assert response["Location"].startswith(detail(case)), name
    response = client.post(reverse("cases:action_complete", args=[records[AgreedAction].pk]), follow=True)
    assert "This case is closed and can no longer be changed. Reopen it first." in response.content.decode()
    assert Goal.objects.count() == goals
    assert YoungPerson.objects.get(pk=case.young_person_id).first_name == people
    assert AgreedAction.objects.get(pk=records[AgreedAction].pk).done_at is None
    assert AuditEntry.objects.exclude(event=AuditEvent.VIEW).count() == before


# --- The edit pages ------------------------------------------------------------------------------


def test_the_lead_adds_a_goal_and_an_action_for_it_and_marks_it_done(world, case):
    client = client_for(world.brugfiguur)
    response = client.post(reverse("cases:goal_create", args=[case.pk]),
                           {"description": "Een studiekeuze maken", "status": "planned",
                            "start_date": "2026-01-05", "target_date": "2026-06-30"})
    assert response.status_code == 302 and response["Location"] == detail(case) + "#trajectory"
    goal = Goal.objects.get(case=case, description="Een studiekeuze maken")
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.goal", subject_id=str(goal.pk))
    response = client.post(reverse("cases:action_create", args=[case.pk]),
                           {"description": "Infodag bezoeken", "goal": goal.pk, "owner_user": world.brugfiguur.pk,
                            "due_date": "2026-03-01"})
    assert response.status_code == 302
    action = AgreedAction.objects.get(description="Infodag bezoeken")
    assert (action.goal, action.owner_user) == (goal, world.brugfiguur)
    response = client.post(reverse("cases:action_complete", args=[action.pk]))
    assert response["Location"] == detail(case) + "#trajectory"
    action.refresh_from_db()
    assert action.done_at is not None
    response = client.post(reverse("cases:goal_update", args=[goal.pk]),
                           {"description": "Een studiekeuze maken", "status": "reached",
                            "start_date": "2026-01-05", "target_date": ""})
    goal.refresh_from_db()
    assert (goal.status, goal.target_date) == ("reached", None)


def test_an_overdue_action_is_marked(world, case):
    fc.AgreedActionFactory(case=case, description="Formulier terugbrengen",
                           due_date=timezone.localdate() - datetime.timedelta(days=3))
    response = client_for(world.brugfiguur).get(detail(case))
    assert response.context["file"].overdue_actions == 1
    assert "overdue" in response.content.decode()


def test_the_lead_keeps_the_family_and_the_help_questions(world, records):
    case, client = records[Case], client_for(world.brugfiguur)
    response = client.post(reverse("cases:family_member_create", args=[case.pk]),
                           {"relation": "sibling", "name": "Omar Peeters", "languages": "Nederlands"})
    assert response["Location"] == detail(case) + "#family"
    assert FamilyMember.objects.filter(young_person=case.young_person, name="Omar Peeters").exists()
    member = records[FamilyMember]
    client.post(reverse("cases:family_member_update", args=[member.pk]),
                {"relation": "mother", "name": member.name, "needs_interpreter": ""})
    member.refresh_from_db()
    assert member.needs_interpreter is False
    domain = LifeDomain.objects.get(region=world.region, name="onderwijs")
    response = client.post(reverse("cases:help_question_create", args=[case.pk]),
                           {"life_domain": domain.pk, "description": "Studiekeuze", "status": "open"})
    assert response["Location"] == detail(case) + "#help-questions"
    question = records[HelpQuestion]
    client.post(reverse("cases:help_question_update", args=[question.pk]),
                {"life_domain": question.life_domain_id, "description": question.description, "status": "answered"})
    question.refresh_from_db()
    assert question.status == "answered"


def test_an_edit_page_records_that_it_showed_the_stored_data(world, records):
    client_for(world.brugfiguur).get(reverse("cases:family_member_update", args=[records[FamilyMember].pk]))
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.familymember").exists()


def test_the_coordinator_corrects_the_young_persons_details_but_adds_no_goal(world, case):
    client = client_for(world.coordinator)
    url = reverse("cases:young_person_update", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"first_name": "Yasmine", "last_name": "El Amrani", "grade": "4"})
    assert response["Location"] == detail(case) + "#young-person"
    assert YoungPerson.objects.get(pk=case.young_person_id).last_name == "El Amrani"
    assert client.get(reverse("cases:goal_create", args=[case.pk])).status_code == 404


def test_action_complete_only_takes_a_post(world, records):
    url = reverse("cases:action_complete", args=[records[AgreedAction].pk])
    assert client_for(world.brugfiguur).get(url).status_code == 405


# --- Bad input ------------------------------------------------------------------------------------


def test_bad_input_shows_a_dutch_error_and_changes_nothing(world, records, settings):
    settings.LANGUAGE_CODE = "nl"
    case, client = records[Case], client_for(world.brugfiguur)
    before = (Goal.objects.count(), AgreedAction.objects.count(), FamilyMember.objects.count(),
              AuditEntry.objects.exclude(event=AuditEvent.VIEW).count())
    response = client.post(reverse("cases:goal_create", args=[case.pk]),
                           {"description": "Stage", "status": "planned", "start_date": "2026-05-01",
                            "target_date": "2026-04-01"})
    assert response.status_code == 200
    assert "De streefdatum kan niet voor de startdatum liggen." in response.content.decode()
    response = client.post(reverse("cases:action_create", args=[case.pk]), {"description": "Bellen"})
    assert "Zeg wie het doet." in response.content.decode()
    response = client.post(reverse("cases:family_member_create", args=[case.pk]), {"relation": "father", "name": ""})
    assert "Dit veld is verplicht." in response.content.decode()
    response = client.post(reverse("cases:young_person_update", args=[case.pk]),
                           {"first_name": "Yasmine", "last_name": "Peeters", "grade": "9", "birth_date": "morgen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Voer een geldige datum in." in page
    assert "Zorg ervoor dat deze waarde hoogstens 7 is." in page
    after = (Goal.objects.count(), AgreedAction.objects.count(), FamilyMember.objects.count(),
             AuditEntry.objects.exclude(event=AuditEvent.VIEW).count())
    assert after == before
    assert YoungPerson.objects.get(pk=case.young_person_id).grade == 3


def test_a_goal_of_another_case_cannot_be_chosen_for_an_action(world, case):
    other = fc.GoalFactory(case=fc.CaseFactory(region=world.region, lead=world.brugfiguur))
    response = client_for(world.brugfiguur).post(
        reverse("cases:action_create", args=[case.pk]), {"description": "Bellen", "owner_label": "moeder",
                                                         "goal": other.pk})
    assert response.status_code == 200
    assert not AgreedAction.objects.filter(description="Bellen").exists()


# --- Query count ----------------------------------------------------------------------------------


def grow(world, case, n):
    """`n` more of every kind of record in the case file."""
    colleague = world.brugfiguur2
    for i in range(n):
        fc.ContactMomentFactory(case=case, note_private=bool(i % 2), brugfiguur=case.lead if i % 3 else colleague)
        goal = fc.GoalFactory(case=case)
        fc.AgreedActionFactory(case=case, goal=goal if i % 2 else None,
                               due_date=timezone.localdate() - datetime.timedelta(days=i))
        fc.FamilyMemberFactory(young_person=case.young_person, name=f"Familielid {i}")
        fc.HelpQuestionFactory(case=case, life_domain=fc.LifeDomainFactory(region=case.region))
        referral = fc.ReferralOutFactory(consent=fc.ConsentFactory(case=case, organisation=world.organisation))
        fc.ReferralFeedbackFactory(referral_out=referral)
        fc.CaseTransferFactory(case=case, from_school=world.school, to_school=world.other_school)
    CaseShare.objects.create(case=case, user=colleague, kind=ShareKind.CO_GUIDANCE,
                             starts_on=timezone.localdate(), granted_by=case.lead)


def test_the_case_file_runs_as_many_queries_for_a_long_case_as_for_a_short_one(world, case):
    client = client_for(world.brugfiguur)
    client.get(detail(case))  # the session and the first login's extras
    grow(world, case, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(detail(case)).status_code == 200
    grow(world, case, 13)
    assert ContactMoment.objects.filter(case=case).count() >= 16
    with CaptureQueriesContext(connection) as large:
        response = client.get(detail(case))
    assert response.status_code == 200
    assert len(response.context["file"].goals) == 16
    assert len(large.captured_queries) == len(small.captured_queries)
