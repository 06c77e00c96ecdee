"""The open actions: one's own or all one may see, the overdue ones first, marked done from the list
(on a phone too), with a flat number of queries and the view in the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cooperation.models import MeetingAction
from tests.conftest import client_for
from tests.records.cooperation import make_action, make_meeting

ACTIONS = reverse("cooperation:action_list")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def actions(world):
    """On a meeting with the school contact's school and CAW: an overdue action of brugfiguur, one due
    later of brugfiguur, one of brugfiguur2, one for CAW, and one already done."""
    meeting = make_meeting(world.region, school=world.school, attendees=[world.brugfiguur2],
                           organisations=[world.organisation], date=timezone.localdate() - datetime.timedelta(days=60))
    today = timezone.localdate()
    return {
        "late": make_action(meeting, owner=world.brugfiguur, description="Verslag rondsturen",
                            due_date=today - datetime.timedelta(days=3)),
        "later": make_action(meeting, owner=world.brugfiguur, description="Infoavond plannen", due_in_days=20),
        "colleague": make_action(meeting, owner=world.brugfiguur2, description="Affiche maken", due_in_days=5),
        "caw": make_action(meeting, label="CAW", description="Spreekuur op school", due_in_days=10),
        "done": make_action(meeting, owner=world.brugfiguur, description="Zaal reserveren", due_in_days=1,
                            done_at=timezone.now()),
    }


def shown(response) -> list[str]:
    return [a.description for a in response.context["rows"]]


def test_a_brugfiguur_sees_their_own_open_actions_overdue_first(world, actions):
    response = client_for(world.brugfiguur).get(ACTIONS)
    assert response.status_code == 200 and response.context["who"] == "mine"
    assert shown(response) == ["Verslag rondsturen", "Infoavond plannen"]
    assert [a.overdue for a in response.context["rows"]] == [True, False]
    content = response.content.decode()
    assert "overdue" in content
    assert reverse("cooperation:meeting_action_done", args=[actions["late"].pk]) + "?back=actions" in content


def test_all_open_actions_are_listed_by_due_date_with_the_right_buttons(world, actions):
    response = client_for(world.brugfiguur).get(ACTIONS, {"who": "all"})
    assert shown(response) == ["Verslag rondsturen", "Affiche maken", "Spreekuur op school", "Infoavond plannen"]
    can_mark = {a.description: a.can_mark for a in response.context["rows"]}
    assert can_mark == {"Verslag rondsturen": True, "Affiche maken": False, "Spreekuur op school": False,
                        "Infoavond plannen": True}


def test_the_coordinator_without_actions_of_their_own_starts_on_all(world, actions):
    response = client_for(world.coordinator).get(ACTIONS)
    assert response.context["who"] == "all" and len(shown(response)) == 4
    assert all(a.can_mark for a in response.context["rows"])


@pytest.mark.parametrize("persona", ["schoolcontact", "partner"])
def test_school_contacts_and_partners_follow_the_actions_of_their_meetings(world, actions, persona):
    response = client_for(world.persona(persona)).get(ACTIONS)
    assert response.status_code == 200 and len(shown(response)) == 4
    assert not any(a.can_mark for a in response.context["rows"])


@pytest.mark.parametrize("persona", ["beleid", "beheerder"])
def test_policy_makers_and_administrators_have_no_action_list(world, actions, persona):
    assert client_for(world.persona(persona)).get(ACTIONS).status_code == 404


def test_another_region_sees_none_of_these_actions(world, actions):
    response = client_for(world.foreign_coordinator).get(ACTIONS, {"who": "all"})
    assert response.status_code == 200 and shown(response) == []


def test_the_list_view_is_audited_with_the_actions_shown(world, actions):
    client_for(world.brugfiguur).get(ACTIONS)
    entry = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cooperation.meetingaction").latest("seq")
    assert entry.changes["actions"] == [actions["late"].pk, actions["later"].pk]


def test_marking_done_from_the_list_takes_it_off_the_list(world, actions):
    client = client_for(world.brugfiguur)
    done_url = reverse("cooperation:meeting_action_done", args=[actions["late"].pk])
    response = client.post(done_url, {"note": "", "back": "actions"})
    assert response["Location"] == ACTIONS
    assert MeetingAction.objects.get(pk=actions["late"].pk).done_at is not None
    assert shown(client.get(ACTIONS)) == ["Infoavond plannen"]


def test_the_list_runs_a_flat_number_of_queries(world, actions, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    client.get(ACTIONS, {"who": "all"})
    with CaptureQueriesContext(connection) as small:
        client.get(ACTIONS, {"who": "all"})
    for i in range(12):
        meeting = make_meeting(world.region, title=f"Overleg {i}", school=world.other_school)
        make_action(meeting, owner=world.brugfiguur2 if i % 2 else world.brugfiguur, description=f"Actie {i}")
    with django_assert_max_num_queries(len(small)):
        response = client.get(ACTIONS, {"who": "all"})
    assert len(shown(response)) == 16
