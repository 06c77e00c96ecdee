"""What the activities add up to: a school's summary of the school year (for its school contact and
the pool), the region's figures that name nobody (also for policy makers), the time per kind,
school and person (issue 4, item 6) and the coordinator's topic list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.expertise.models import ActivityKind, ExpertiseTopic, school_year_of
from brugwerk.expertise.selectors import expertise_figures, own_activity_summary, school_summary, time_spent
from tests.conftest import client_for
from tests.records.expertise import make_activity, topics_of

FIGURES = reverse("expertise:figures")
TOPICS = reverse("expertise:topic_list")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def topics(world):
    return topics_of(world.region)


@pytest.fixture
def year(world, topics):
    """This school year at the school: a training (120 min, 20 people, poverty and school costs) by
    bf1 with bf2, and a consultation (30 min, 2 people, school costs) by bf2; one activity of last
    school year and one at the other school."""
    start, _ = school_year_of(timezone.localdate())
    today = timezone.localdate()
    poverty, costs = topics[0], topics[3]
    training = make_activity(world.region, school=world.school, lead=world.brugfiguur, kind=ActivityKind.TRAINING,
                             topics=[poverty, costs], co_facilitators=[world.brugfiguur2], duration_minutes=120,
                             participant_count=20, date=today, evaluation_score=4)
    consultation = make_activity(world.region, school=world.school, lead=world.brugfiguur2, topics=[costs],
                                 kind=ActivityKind.CONSULTATION, duration_minutes=30, participant_count=2,
                                 date=start)
    make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=[poverty],
                  date=start - datetime.timedelta(days=1), description="Vorig schooljaar")
    make_activity(world.region, school=world.other_school, lead=world.brugfiguur2, topics=[poverty], date=today,
                  description="Andere school")
    return training, consultation


def summary_url(school) -> str:
    return reverse("expertise:school_summary", args=[school.pk])


# --- A school's summary ----------------------------------------------------------------------------


def test_the_school_summary_counts_activities_and_hours_per_topic_and_kind_this_school_year(world, year):
    summary = school_summary(user=world.schoolcontact, school=world.school)
    assert (summary.total.activities, summary.total.minutes, summary.total.participants) == (2, 150, 22)
    by_topic = {row.label: (row.activities, row.minutes) for row in summary.by_topic}
    assert by_topic == {"armoede en kansarmoede": (1, 120), "schoolkosten": (2, 150)}
    assert {row.label: row.activities for row in summary.by_kind} == {"training": 1, "consultation": 1}
    assert summary.activities == list(year)


def test_the_school_contact_sees_their_schools_page_and_no_other(world, year):
    client = client_for(world.schoolcontact)
    response = client.get(summary_url(world.school))
    assert response.status_code == 200
    content = response.content.decode()
    assert "armoede en kansarmoede" in content and "2.5" in content  # hours
    assert "Vorig schooljaar" not in content and "Andere school" not in content
    assert client.get(summary_url(world.other_school)).status_code == 404
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="expertise.schoolteamactivity")
    assert entry.changes["activities"] == [a.pk for a in year]
    assert client.get(reverse("expertise:my_school")).url == summary_url(world.school)


def test_the_summary_of_last_school_year(world, year):
    start, _ = school_year_of(timezone.localdate())
    response = client_for(world.brugfiguur).get(summary_url(world.school), {"jaar": start.year - 1})
    assert [a.description for a in response.context["summary"].activities] == ["Vorig schooljaar"]
    assert "next_year_url" in response.context
    # Nonsense for a year is this school year.
    response = client_for(world.brugfiguur).get(summary_url(world.school), {"jaar": "vorig"})
    assert response.context["summary"].total.activities == 2


@pytest.mark.parametrize("persona", ["partner", "beleid", "beheerder"])
def test_the_summary_is_not_for_partners_policy_makers_or_the_administrator(world, year, persona):
    client = client_for(world.persona(persona))
    assert client.get(summary_url(world.school)).status_code == 404
    assert client.get(reverse("expertise:my_school")).status_code == 404
    assert school_summary(user=world.persona(persona), school=world.school) is None


def test_the_summary_runs_a_flat_number_of_queries(world, topics, django_assert_max_num_queries):
    client = client_for(world.schoolcontact)

    def fill(count):
        for i in range(count):
            make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[i % 4: i % 4 + 2],
                          co_facilitators=[world.brugfiguur2], kind=list(ActivityKind)[i % 5])

    fill(2)
    client.get(summary_url(world.school))
    with CaptureQueriesContext(connection) as small:
        client.get(summary_url(world.school))
    fill(13)
    with django_assert_max_num_queries(len(small)):
        response = client.get(summary_url(world.school))
    assert response.context["summary"].total.activities == 15


# --- The region's figures --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["beleid", "coordinator", "brugfiguur"])
def test_the_figures_count_without_naming_anyone(world, year, persona):
    for user, name in ((world.brugfiguur, "Brigitte"), (world.brugfiguur2, "Bruno")):
        user.first_name = name
        user.save()
    response = client_for(world.persona(persona)).get(FIGURES)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.total.activities, figures.schools_reached, figures.evaluated, figures.average_score) == (
        3, 2, 1, 4.0)
    assert {row.label: row.activities for row in figures.by_school} == {"Sint-Amandscollege": 2,
                                                                        "Atheneum Kortrijk": 1}
    content = response.content.decode().split("<main")[1].split("</main>")[0]  # not the header's own name
    for private in ("Andere school", "Teamcoaching", "Brigitte", "Bruno"):
        assert private not in content


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beheerder"])
def test_the_figures_are_not_for_school_contacts_partners_or_the_administrator(world, year, persona):
    assert client_for(world.persona(persona)).get(FIGURES).status_code == 404
    assert expertise_figures(user=world.persona(persona), region=world.region) is None


def test_the_figures_of_another_region_are_not_given(world, year):
    assert expertise_figures(user=world.foreign_coordinator, region=world.region) is None


def test_the_figures_run_a_flat_number_of_queries(world, topics, django_assert_max_num_queries):
    client = client_for(world.beleid)
    for _ in range(2):
        make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:2])
    with CaptureQueriesContext(connection) as small:
        client.get(FIGURES)
    for i in range(13):
        make_activity(world.region, school=[world.school, world.other_school][i % 2], lead=world.brugfiguur2,
                      topics=topics[i % 5: i % 5 + 1], kind=list(ActivityKind)[i % 5])
    with django_assert_max_num_queries(len(small)):
        response = client.get(FIGURES)
    assert response.context["figures"].total.activities == 15


# --- Time ------------------------------------------------------------------------------------------


def test_time_spent_gives_each_person_who_led_an_activity_its_minutes(world, year):
    start, end = school_year_of(timezone.localdate())
    rows = time_spent(user=world.coordinator, region=world.region, start=start, end=end)
    assert all(isinstance(row, TimeSpent) and row.pillar == Pillar.EXPERTISE for row in rows)
    got = {(row.kind, row.school_id, row.person_id): (row.minutes, row.activities) for row in rows}
    assert got == {
        ("training", world.school.pk, world.brugfiguur.pk): (120, 1),
        ("training", world.school.pk, world.brugfiguur2.pk): (120, 1),  # co-facilitator
        ("consultation", world.school.pk, world.brugfiguur2.pk): (30, 1),
        ("coaching a team", world.other_school.pk, world.brugfiguur2.pk): (60, 1),
    }


def test_time_spent_sums_in_the_database_one_row_per_kind_school_and_person(world, topics,
                                                                          django_assert_max_num_queries):
    for _ in range(6):
        make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:2],
                      co_facilitators=[world.brugfiguur2], duration_minutes=45)
    today = timezone.localdate()
    with django_assert_max_num_queries(3):  # the user's roles, the leads' and the co-facilitators' sums
        rows = time_spent(user=world.brugfiguur, region=world.region, start=today - datetime.timedelta(days=7),
                          end=today)
    assert sorted((row.person_id, row.minutes, row.activities) for row in rows) == [
        (world.brugfiguur.pk, 270, 6), (world.brugfiguur2.pk, 270, 6)]


def test_time_spent_is_scoped_by_the_access_policy(world, year):
    start, end = school_year_of(timezone.localdate())
    for persona in ("schoolcontact", "partner", "beheerder", "foreign_coordinator", "foreign_brugfiguur"):
        assert time_spent(user=world.persona(persona), region=world.region, start=start, end=end) == []
    # Policy makers count the region's time (sums only), like the coordinator.
    region_wide = time_spent(user=world.coordinator, region=world.region, start=start, end=end)
    assert region_wide
    assert time_spent(user=world.beleid, region=world.region, start=start, end=end) == region_wide


def test_own_summary_counts_what_the_user_led_or_helped_lead_and_what_is_not_evaluated(world, year):
    mine = own_activity_summary(user=world.brugfiguur2, region=world.region)
    assert (mine.activities, mine.minutes, mine.not_evaluated) == (3, 210, 2)


# --- The coordinator's topics ----------------------------------------------------------------------


def test_the_coordinator_manages_the_topics(world, year, topics):
    client = client_for(world.coordinator)
    response = client.get(TOPICS)
    assert response.status_code == 200
    counts = {topic.name: topic.usage_count for topic in response.context["terms"]}
    assert counts["armoede en kansarmoede"] == 3 and counts["welbevinden"] == 0
    response = client.post(reverse("expertise:topic_create"), {"name": "Digitale kloof", "position": "10"})
    assert response.status_code == 302
    topic = ExpertiseTopic.objects.get(region=world.region, name="Digitale kloof")
    response = client.post(reverse("expertise:topic_create"), {"name": "digitale kloof", "position": "11"})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    url = reverse("expertise:topic_update", args=[topic.pk])
    assert client.post(url, {"name": "Digitale uitsluiting", "position": "10"}).status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.active) == ("Digitale uitsluiting", False)  # an unticked box takes it out of use


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beleid", "beheerder"])
def test_only_the_coordinator_manages_topics(world, topics, persona):
    client = client_for(world.persona(persona))
    assert client.get(TOPICS).status_code == 404
    assert client.post(reverse("expertise:topic_create"), {"name": "Stiekem"}).status_code == 404
    assert client.post(reverse("expertise:topic_update", args=[topics[0].pk]), {"name": "Stiekem"}).status_code == 404
    assert not ExpertiseTopic.objects.filter(name="Stiekem").exists()


def test_a_region_without_topics_gets_the_default_list_from_the_topic_page(world):
    client = client_for(world.coordinator)
    response = client.get(TOPICS)
    assert response.context["terms"] == []
    assert reverse("expertise:topic_defaults") in response.content.decode()
    assert client.get(reverse("expertise:topic_defaults")).status_code == 405
    client.post(reverse("expertise:topic_defaults"))
    assert ExpertiseTopic.objects.filter(region=world.region).count() == 9
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="expertise.expertisetopic").count() == 9


def test_a_planned_activity_is_listed_but_not_counted_as_time_spent(world, year, topics):
    planned = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1],
                            date=timezone.localdate() + datetime.timedelta(days=7), duration_minutes=300)
    start, end = school_year_of(timezone.localdate())
    summary = school_summary(user=world.schoolcontact, school=world.school)
    assert planned in summary.activities and summary.total.minutes == 150
    assert sum(row.minutes for row in time_spent(user=world.coordinator, region=world.region, start=start,
                                                 end=end)) == 120 + 120 + 30 + 60
    assert expertise_figures(user=world.beleid, region=world.region).total.activities == 3
    response = client_for(world.schoolcontact).get(summary_url(world.school))
    assert "planned" in response.content.decode()
