"""The activity pages: the list with its filters (the pool sees the region's, a school contact their
school's, nobody else anything), the detail, recording and changing an activity (quick on a phone,
clear errors that change nothing), its evaluation and deleting one recorded by mistake. Every page
that lists or shows activities is audited and runs a flat number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.expertise.models import ActivityKind, ParticipantFunction, SchoolTeamActivity
from brugwerk.pool.models import PoolMember
from tests.conftest import client_for
from tests.records.expertise import make_activity, topics_of

LIST = reverse("expertise:activity_list")
CREATE = reverse("expertise:activity_create")
NOBODY = ["partner", "beleid", "beheerder"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def topics(world):
    return topics_of(world.region)


@pytest.fixture
def activities(world, topics):
    """A training by bf1 at the school (with bf2), a care team meeting by bf2 at the other school."""
    training = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1],
                             co_facilitators=[world.brugfiguur2], kind=ActivityKind.TRAINING,
                             description="Vorming verborgen schoolkosten")
    care = make_activity(world.region, school=world.other_school, lead=world.brugfiguur2, topics=topics[4:5],
                         kind=ActivityKind.CARE_TEAM, description="Zorgteam welbevinden tweede graad",
                         date=timezone.localdate() - datetime.timedelta(days=40))
    return training, care


def detail(activity) -> str:
    return reverse("expertise:activity_detail", args=[activity.pk])


def form_data(world, chosen, **changes):
    """What the form posts for a training at the school, led by the brugfiguur."""
    return {
        "kind": ActivityKind.TRAINING,
        "school": str(world.school.pk),
        "date": timezone.localdate().isoformat(),
        "duration": "120",
        "topics": [str(chosen[0].pk), str(chosen[3].pk)],
        "participant_count": "22",
        "participant_functions": [ParticipantFunction.TEACHERS, ParticipantFunction.CARE_COORDINATORS],
        "description": "Vorming over schoolkosten voor het hele team.",
        "lead": str(world.brugfiguur.pk),
    } | changes


# --- The list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "coordinator"])
def test_the_pool_sees_every_activity_of_the_region(world, activities, persona):
    response = client_for(world.persona(persona)).get(LIST)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == set(activities)
    content = response.content.decode()
    assert "Sint-Amandscollege" in content and "Atheneum Kortrijk" in content


def test_a_school_contact_sees_only_their_schools_activities(world, activities):
    response = client_for(world.schoolcontact).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [activities[0]]
    assert not response.context["can_create"]
    assert reverse("expertise:school_summary", args=[world.school.pk]) in response.content.decode()


@pytest.mark.parametrize("persona", NOBODY)
def test_partners_policy_makers_and_the_administrator_get_no_activity_page(world, activities, persona):
    client = client_for(world.persona(persona))
    for url in (LIST, CREATE, detail(activities[0]), reverse("expertise:activity_update", args=[activities[0].pk])):
        assert client.get(url).status_code == 404, url


def test_the_list_filters_on_school_topic_kind_period_and_own(world, topics, activities):
    client = client_for(world.brugfiguur2)
    training, care = activities

    def shown(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return set(response.context["page"].object_list)

    assert shown(school=world.other_school.pk) == {care}
    assert shown(topic=topics[0].pk) == {training}
    assert shown(kind=ActivityKind.CARE_TEAM) == {care}
    assert shown(start=(timezone.localdate() - datetime.timedelta(days=10)).isoformat()) == {training}
    assert shown(end=(timezone.localdate() - datetime.timedelta(days=10)).isoformat()) == {care}
    assert shown(mine="on") == {training, care}  # bf2 led one and helped lead the other
    assert client_for(world.brugfiguur).get(LIST, {"mine": "on"}).context["page"].object_list[0] == training
    # A hand-made address with nonsense shows everything instead of breaking.
    assert shown(school="abc", topic="999999", kind="dance", start="gisteren") == {training, care}


def test_the_list_is_audited_with_what_it_showed(world, activities):
    client_for(world.coordinator).get(LIST, {"kind": ActivityKind.TRAINING})
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="expertise.schoolteamactivity")
    assert entry.region_id == world.region.pk
    assert entry.changes["activities"] == [activities[0].pk]
    assert entry.changes["filters"] == {"kind": ActivityKind.TRAINING}


def test_a_live_filter_gets_only_the_results(world, activities):
    response = client_for(world.brugfiguur).get(LIST, {"kind": ActivityKind.TRAINING}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'id="activity-results"' in content and "<h1" not in content


def test_the_list_runs_a_flat_number_of_queries(world, topics, django_assert_max_num_queries):
    client = client_for(world.coordinator)

    def fill(count):
        for i in range(count):
            make_activity(world.region, school=world.school if i % 2 else world.other_school,
                          lead=world.brugfiguur, topics=topics[i % 3: i % 3 + 2], co_facilitators=[world.brugfiguur2])

    fill(2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    fill(13)
    with django_assert_max_num_queries(len(small)):
        response = client.get(LIST)
    assert len(response.context["page"]) == 15


# --- One activity ----------------------------------------------------------------------------------


def test_a_colleague_reads_an_activity_without_buttons_to_change_it(world, activities):
    response = client_for(world.brugfiguur).get(detail(activities[1]))
    assert response.status_code == 200
    assert "Zorgteam welbevinden tweede graad" in response.content.decode()
    assert not response.context["can_change"] and not response.context["can_delete"]
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_id=str(activities[1].pk))
    assert entry.actor == world.brugfiguur


def test_who_led_it_gets_the_buttons(world, activities):
    lead = client_for(world.brugfiguur).get(detail(activities[0])).context
    assert lead["can_change"] and lead["can_evaluate"] and lead["can_delete"]
    helper = client_for(world.brugfiguur2).get(detail(activities[0])).context
    assert helper["can_change"] and not helper["can_delete"]


def test_a_school_contact_reads_their_schools_activity_but_not_another_schools(world, activities):
    client = client_for(world.schoolcontact)
    response = client.get(detail(activities[0]))
    assert response.status_code == 200 and "Vorming verborgen schoolkosten" in response.content.decode()
    assert not response.context["can_change"]
    assert client.get(detail(activities[1])).status_code == 404
    assert client.get(reverse("expertise:activity_evaluate", args=[activities[0].pk])).status_code == 404


# --- Recording and changing ------------------------------------------------------------------------


def test_the_form_starts_with_today_and_the_user_as_lead(world, topics):
    response = client_for(world.brugfiguur).get(CREATE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["date"].value() == timezone.localdate()
    assert form["lead"].value() == world.brugfiguur.pk
    assert 'name="kind"' in response.content.decode()


def test_a_brugfiguur_records_a_training_and_lands_on_it(world, topics):
    response = client_for(world.brugfiguur).post(CREATE, form_data(world, topics), follow=True)
    activity = SchoolTeamActivity.objects.get()
    assert response.redirect_chain[-1][0] == detail(activity)
    assert (activity.duration_minutes, activity.participant_count, activity.lead) == (120, 22, world.brugfiguur)
    assert set(activity.topics.all()) == {topics[0], topics[3]}
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_id=str(activity.pk)).exists()


def test_another_duration_in_minutes_wins_over_the_quick_choice(world, topics):
    client_for(world.brugfiguur).post(CREATE, form_data(world, topics, duration="60", duration_minutes="75"))
    assert SchoolTeamActivity.objects.get().duration_minutes == 75


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": []}, "topics"),
        ({"duration": ""}, "duration"),
        ({"duration_minutes": "-5"}, "duration_minutes"),
        ({"participant_count": "0"}, "participant_count"),
        ({"school": "999999"}, "school"),
        ({"date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()}, "date"),
        ({"lead": "", "co_facilitators": []}, "lead"),
    ],
)
def test_bad_input_shows_an_error_and_records_nothing(world, topics, changes, field):
    response = client_for(world.brugfiguur).post(CREATE, form_data(world, topics, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not SchoolTeamActivity.objects.exists()


def test_leading_it_for_a_colleague_is_refused_on_the_form(world, topics):
    response = client_for(world.brugfiguur).post(CREATE, form_data(world, topics, lead=str(world.brugfiguur2.pk)))
    assert "lead" in response.context["form"].errors and response.context["more_open"]
    assert not SchoolTeamActivity.objects.exists()


@pytest.mark.parametrize("persona", ["schoolcontact", *NOBODY])
def test_only_the_pool_records_activities(world, topics, persona):
    response = client_for(world.persona(persona)).post(CREATE, form_data(world, topics))
    assert response.status_code == 404
    assert not SchoolTeamActivity.objects.exists()


def test_the_lead_changes_an_activity_a_colleague_cannot(world, topics, activities):
    training = activities[0]
    url = reverse("expertise:activity_update", args=[training.pk])
    assert client_for(world.brugfiguur).get(url).context["form"]["duration_minutes"].value() is None
    response = client_for(world.brugfiguur).post(url, form_data(world, topics, participant_count="9"))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.participant_count == 9
    other = reverse("expertise:activity_update", args=[activities[1].pk])
    assert client_for(world.brugfiguur).post(other, form_data(world, topics)).status_code == 404
    activities[1].refresh_from_db()
    assert activities[1].participant_count == 6


# --- Evaluation and deleting -----------------------------------------------------------------------


def test_the_evaluation_is_added_from_the_activity(world, activities):
    url = reverse("expertise:activity_evaluate", args=[activities[0].pk])
    client = client_for(world.brugfiguur)
    assert client.get(url).status_code == 200
    response = client.post(url, {"evaluation_score": "4", "evaluation_text": "Het team vraagt een vervolg."},
                           follow=True)
    assert response.redirect_chain[-1][0] == detail(activities[0])
    assert "Het team vraagt een vervolg." in response.content.decode()
    activities[0].refresh_from_db()
    assert activities[0].evaluation_score == 4


def test_an_empty_evaluation_is_refused(world, activities):
    url = reverse("expertise:activity_evaluate", args=[activities[0].pk])
    response = client_for(world.brugfiguur).post(url, {"evaluation_score": "", "evaluation_text": " "})
    assert response.status_code == 200 and "evaluation_score" in response.context["form"].errors
    response = client_for(world.brugfiguur).post(url, {"evaluation_score": "9"})
    assert "evaluation_score" in response.context["form"].errors
    activities[0].refresh_from_db()
    assert activities[0].evaluated_at is None


def test_the_lead_deletes_after_confirming_a_colleague_cannot(world, activities):
    url = reverse("expertise:activity_delete", args=[activities[0].pk])
    assert client_for(world.brugfiguur2).post(url).status_code == 404
    client = client_for(world.brugfiguur)
    assert client.get(url).status_code == 200
    assert SchoolTeamActivity.objects.filter(pk=activities[0].pk).exists()
    assert client.post(url).status_code == 302
    assert not SchoolTeamActivity.objects.filter(pk=activities[0].pk).exists()


def test_a_future_activity_cannot_be_evaluated_yet(world, topics):
    planned = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1],
                            date=timezone.localdate() + datetime.timedelta(days=5))
    response = client_for(world.brugfiguur).get(detail(planned))
    assert not response.context["can_evaluate"]
    url = reverse("expertise:activity_evaluate", args=[planned.pk])
    response = client_for(world.brugfiguur).post(url, {"evaluation_score": "5"})
    assert "evaluation_score" in response.context["form"].errors


def test_the_form_of_an_activity_keeps_a_lead_who_left_the_pool(world, topics, activities):
    PoolMember.objects.filter(user=world.brugfiguur2).update(active=False)
    url = reverse("expertise:activity_update", args=[activities[1].pk])
    data = form_data(world, topics, lead=str(world.brugfiguur2.pk), school=str(world.other_school.pk),
                     participant_count="7")
    assert client_for(world.coordinator).post(url, data).status_code == 302
    activities[1].refresh_from_db()
    assert (activities[1].lead, activities[1].participant_count) == (world.brugfiguur2, 7)
