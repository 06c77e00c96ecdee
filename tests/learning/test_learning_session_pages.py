"""The pages of learning sessions: who sees which session (a bridge figure their own, the coordinator
all, nobody else), recording an intervision, a coaching and a learning-network meeting, the private
coaching note, bad input, the audit entry and flat query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.learning.models import LearningKind, LearningSession
from tests import factories as f
from tests.conftest import client_for
from tests.records.learning import make_session, make_theme

LIST = reverse("learning:session_list")
TODAY = timezone.localdate()
OUTSIDERS = ["schoolcontact", "partner", "beleid", "beheerder"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def pool(world):
    """Two more bridge figures in region A's pool: four in all."""
    people = []
    for name in ("Derde", "Vierde"):
        user = f.user_with_role(Role.BRUGFIGUUR, world.region, username=name.lower(), first_name=name)
        f.PoolMemberFactory(region=world.region, user=user, home_base=world.municipality)
        people.append(user)
    return people


def create_url(kind: str) -> str:
    return reverse("learning:session_create", args=[kind])


def titles(response) -> list[str]:
    return [str(session) for session in response.context["page"].object_list]


# --- Who sees what --------------------------------------------------------------------------------


def test_a_bridge_figure_lists_their_own_sessions_and_the_coordinator_all(world, pool):
    mine = make_session(world.region, recorded_by=pool[0], participants=[world.brugfiguur, pool[0]], title="Mijn")
    other = make_session(world.region, recorded_by=pool[0], participants=[pool[0], pool[1]], title="Andere")
    facilitated = make_session(world.region, recorded_by=pool[1], participants=[pool[1]],
                               kind=LearningKind.LEARNING_NETWORK, facilitator=world.brugfiguur, title="Geleid")
    make_session(world.other_region, recorded_by=world.foreign_brugfiguur, participants=[world.foreign_brugfiguur],
                 title="Elders")
    assert set(titles(client_for(world.brugfiguur).get(LIST))) == {str(mine), str(facilitated)}
    assert set(titles(client_for(world.coordinator).get(LIST))) == {str(mine), str(other), str(facilitated)}
    filtered = client_for(world.coordinator).get(LIST, {"kind": "learning_network"})
    assert titles(filtered) == [str(facilitated)]
    by_person = client_for(world.coordinator).get(LIST, {"participant": pool[1].pk})
    assert set(titles(by_person)) == {str(other), str(facilitated)}


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_the_session_pages_do_not_exist_for_anyone_outside_the_pool(world, persona):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur,
                                                                                      world.brugfiguur2])
    client = client_for(world.persona(persona))
    for url in (LIST, reverse("learning:session_choose"), create_url("intervisie"),
                reverse("learning:session_detail", args=[session.pk]),
                reverse("learning:session_update", args=[session.pk])):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["foreign_coordinator", "foreign_brugfiguur"])
def test_the_pool_of_another_region_sees_none_of_this_regions_sessions(world, persona):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur,
                                                                                      world.brugfiguur2])
    client = client_for(world.persona(persona))
    assert titles(client.get(LIST)) == []
    for url in (reverse("learning:session_detail", args=[session.pk]),
                reverse("learning:session_update", args=[session.pk])):
        assert client.get(url).status_code == 404, url


def test_a_participant_sees_the_intervision_and_a_colleague_who_was_not_there_does_not(world, pool):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur, pool[0]],
                           learned="Eerst luisteren, dan pas plannen.")
    url = reverse("learning:session_detail", args=[session.pk])
    response = client_for(pool[0]).get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert session.case_question in content and "Eerst luisteren" in content
    assert not response.context["can_change"]
    assert client_for(world.brugfiguur2).get(url).status_code == 404
    assert client_for(world.brugfiguur2).get(reverse("learning:session_update", args=[session.pk])).status_code == 404
    assert client_for(world.coordinator).get(url).status_code == 200
    views = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="learning.learningsession")
    entry = views.order_by("seq").last()
    assert entry.actor == world.coordinator and entry.changes["private_note_shown"] is False


def test_the_private_coaching_note_is_read_by_the_coached_and_the_coach_only(world):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur],
                           kind=LearningKind.COACHING, facilitator=world.brugfiguur2, private_note="Wil minder uren.")
    url = reverse("learning:session_detail", args=[session.pk])
    for persona in ("brugfiguur", "brugfiguur2"):
        assert "Wil minder uren." in client_for(world.persona(persona)).get(url).content.decode()
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200 and "Wil minder uren." not in response.content.decode()
    edit = client_for(world.coordinator).get(reverse("learning:session_update", args=[session.pk]))
    assert "private_note" not in edit.context["form"].fields
    assert "Wil minder uren." not in edit.content.decode()


def test_the_coordinator_saving_a_coaching_leaves_the_note_they_cannot_read_alone(world):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur],
                           kind=LearningKind.COACHING, facilitator_name="Coach", private_note="Privé")
    response = client_for(world.coordinator).post(
        reverse("learning:session_update", args=[session.pk]),
        {"date": TODAY.isoformat(), "duration_minutes": 75, "participants": world.brugfiguur.pk,
         "facilitator_name": "Coach", "private_note": "Overschreven"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.duration_minutes == 75 and session.private_note == "Privé"


# --- Recording ------------------------------------------------------------------------------------


def test_a_bridge_figure_records_an_intervision_with_three_colleagues(world, pool):
    theme = make_theme(world.region)
    client = client_for(world.brugfiguur)
    assert client.get(reverse("learning:session_choose")).status_code == 200
    form_page = client.get(create_url("intervisie"))
    assert set(form_page.context["form"].fields["participants"].queryset) == {world.brugfiguur, world.brugfiguur2,
                                                                               *pool}
    response = client.post(create_url("intervisie"), {
        "date": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "duration_minutes": 120,
        "participants": [world.brugfiguur.pk, world.brugfiguur2.pk, pool[0].pk, pool[1].pk],
        "case_question": "Een meisje van vijftien wil stoppen met school; de ouders weten het niet.",
        "learned": "Niet meteen oplossen: eerst vragen wat zij zelf wil.",
        "themes": [theme.pk],
    })
    session = LearningSession.objects.get()
    assert response.status_code == 302 and response.url == reverse("learning:session_detail", args=[session.pk])
    assert session.kind == LearningKind.INTERVISION and session.recorded_by == world.brugfiguur
    assert session.participants.count() == 4 and list(session.themes.all()) == [theme]
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_id=str(session.pk)).exists()


def test_an_intervision_that_names_the_school_shows_a_clear_error_and_saves_nothing(world):
    response = client_for(world.brugfiguur).post(create_url("intervisie"), {
        "date": TODAY.isoformat(), "duration_minutes": 120,
        "participants": [world.brugfiguur.pk, world.brugfiguur2.pk],
        "case_question": "Een jongen van Sint-Amandscollege spijbelt.",
    })
    assert response.status_code == 200
    assert "Leave out the name of the school" in str(response.context["form"].errors["case_question"])
    assert not LearningSession.objects.exists()


@pytest.mark.parametrize("data", [
    {"duration_minutes": "abc"},
    {"date": "gisteren"},
    {"participants": [999999]},
    {"date": (TODAY + datetime.timedelta(days=3)).isoformat()},
])
def test_bad_input_on_the_session_form_shows_errors_and_saves_nothing(world, data):
    post = {"date": TODAY.isoformat(), "duration_minutes": 120,
            "participants": [world.brugfiguur.pk, world.brugfiguur2.pk], "case_question": "Anoniem verhaal."} | data
    response = client_for(world.brugfiguur).post(create_url("intervisie"), post)
    assert response.status_code == 200 and response.context["form"].errors
    assert not LearningSession.objects.exists()


def test_a_bridge_figure_records_their_coaching_with_a_private_note(world):
    client = client_for(world.brugfiguur)
    form = client.get(create_url("coaching")).context["form"]
    assert "case_question" not in form.fields and "private_note" in form.fields
    response = client.post(create_url("coaching"), {
        "date": TODAY.isoformat(), "duration_minutes": 60, "participants": world.brugfiguur.pk,
        "facilitator_name": "Hilde Lievens, externe coach", "private_note": "Grenzen bewaken bij huisbezoeken.",
    })
    assert response.status_code == 302
    session = LearningSession.objects.get()
    assert session.kind == LearningKind.COACHING and session.private_note.startswith("Grenzen")


def test_a_learning_network_meeting_is_recorded_by_the_coordinator(world):
    response = client_for(world.coordinator).post(create_url("lerend-netwerk"), {
        "date": TODAY.isoformat(), "duration_minutes": 180, "title": "Lerend netwerk armoede",
        "participants": [world.brugfiguur.pk], "facilitator": world.coordinator.pk,
        "others_present": "Brugfiguren van Oostende",
    })
    assert response.status_code == 302
    session = LearningSession.objects.get()
    assert session.facilitator == world.coordinator and session.title == "Lerend netwerk armoede"
    detail = client_for(world.brugfiguur).get(response.url).content.decode()
    assert "Brugfiguren van Oostende" in detail and "Lerend netwerk armoede" in detail
    edit = client_for(world.coordinator).get(reverse("learning:session_update", args=[session.pk]))
    assert edit.context["form"].initial["title"] == "Lerend netwerk armoede"


def test_an_unknown_kind_of_session_is_404(world):
    assert client_for(world.brugfiguur).get(create_url("feestje")).status_code == 404


def test_the_recorder_changes_the_session_and_a_participant_cannot(world, pool):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur, pool[0]])
    url = reverse("learning:session_update", args=[session.pk])
    assert client_for(pool[0]).post(url, {"learned": "x"}).status_code == 404
    response = client_for(world.brugfiguur).post(url, {
        "date": session.date.isoformat(), "duration_minutes": 90,
        "participants": [world.brugfiguur.pk, pool[0].pk, pool[1].pk], "case_question": session.case_question,
        "learned": "Achteraf nog aangevuld.",
    })
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.learned == "Achteraf nog aangevuld." and session.participants.count() == 3
    assert session.kind == LearningKind.INTERVISION


# --- Query counts ---------------------------------------------------------------------------------


def test_the_session_list_runs_the_same_number_of_queries_for_2_or_15_sessions(world, pool,
                                                                                 django_assert_max_num_queries):
    theme = make_theme(world.region)
    people = [world.brugfiguur, world.brugfiguur2, *pool]

    def add(n):
        for i in range(n):
            session = make_session(world.region, recorded_by=world.brugfiguur, participants=people,
                                   facilitator=pool[i % 2], title=f"Sessie {i}")
            session.themes.add(theme)

    client = client_for(world.coordinator)
    add(2)
    # 15 for the page, and since issue 9 four for the audit entry of the read (the list shows who took part)
    with django_assert_max_num_queries(19) as small:
        client.get(LIST)
    add(13)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 15


def test_the_htmx_list_returns_the_results_fragment(world):
    response = client_for(world.brugfiguur).get(LIST, {"kind": "coaching"}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="session-results">')
