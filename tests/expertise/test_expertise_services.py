"""The writes of school-team expertise: who records, changes, evaluates and deletes an activity,
what makes one sound (everything of its region, led by people of the pool, at most a month ahead),
the region's topics, and the audit entry every write leaves."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.expertise import services
from brugwerk.expertise.models import (
    DEFAULT_TOPICS,
    ActivityKind,
    ExpertiseTopic,
    ParticipantFunction,
    SchoolTeamActivity,
)
from brugwerk.pool.models import PoolMember
from brugwerk.vocabularies import services as lists
from tests import factories as f
from tests.records.expertise import make_activity, topics_of


@pytest.fixture
def topics(world) -> list[ExpertiseTopic]:
    return topics_of(world.region)


def values(world, chosen, **changes):
    """What a form gives for a training at the school contact's school, led by the brugfiguur."""
    return {
        "kind": ActivityKind.TRAINING,
        "school": world.school,
        "date": timezone.localdate(),
        "duration_minutes": 120,
        "topics": chosen[:2],
        "participant_count": 18,
        "participant_functions": [ParticipantFunction.DIRECTORS, ParticipantFunction.TEACHERS],
        "description": "Vorming over verborgen schoolkosten.",
        "lead": world.brugfiguur,
        "co_facilitators": [world.brugfiguur2],
        "life_domains": [],
    } | changes


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_brugfiguur_records_an_activity_with_its_topics_and_the_audit_entry(world, topics):
    activity = services.activity_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                        values=values(world, topics))
    activity.refresh_from_db()
    assert (activity.region, activity.school, activity.lead, activity.created_by) == (
        world.region, world.school, world.brugfiguur, world.brugfiguur)
    assert set(activity.topics.all()) == set(topics[:2])
    assert list(activity.co_facilitators.all()) == [world.brugfiguur2]
    # The functions are kept in the order of the list, whatever order they were ticked in.
    assert activity.participant_functions == [ParticipantFunction.TEACHERS, ParticipantFunction.DIRECTORS]
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="expertise.schoolteamactivity")
    assert entry.region_id == world.region.pk and entry.actor == world.brugfiguur
    assert entry.changes["topics"] == sorted(t.pk for t in topics[:2])


def test_the_coordinator_records_an_activity_led_by_a_brugfiguur(world, topics):
    activity = services.activity_create(
        actor=Actor(user=world.coordinator), region=world.region,
        values=values(world, topics, lead=world.brugfiguur2, co_facilitators=[]),
    )
    assert activity.lead == world.brugfiguur2 and activity.created_by == world.coordinator


def test_a_brugfiguur_records_only_what_they_led_or_helped_lead(world, topics):
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                 values=values(world, topics, lead=world.brugfiguur2, co_facilitators=[]))
    assert "lead" in errors_of(excinfo)
    # Named among the others, they may record a colleague's lead.
    activity = services.activity_create(
        actor=Actor(user=world.brugfiguur), region=world.region,
        values=values(world, topics, lead=world.brugfiguur2, co_facilitators=[world.brugfiguur]),
    )
    assert activity.lead == world.brugfiguur2


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator",
                                     "foreign_brugfiguur"])
def test_nobody_else_records_an_activity(world, topics, persona):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=Actor(user=world.persona(persona)), region=world.region,
                                 values=values(world, topics))
    assert not SchoolTeamActivity.objects.exists()


def test_an_activity_points_only_to_records_of_its_region_and_to_people_of_the_pool(world, topics):
    foreign_topics = topics_of(world.other_region)
    outsider = f.UserFactory(username="niet-in-de-pool")
    bad = values(world, topics, school=world.foreign_school, topics=[foreign_topics[0]], lead=world.coordinator,
                 co_facilitators=[outsider])
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=Actor(user=world.coordinator), region=world.region, values=bad)
    assert {"school", "topics", "lead", "co_facilitators"} <= set(errors_of(excinfo))
    assert not SchoolTeamActivity.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="expertise.schoolteamactivity")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": []}, "topics"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 13 * 60}, "duration_minutes"),
        ({"participant_count": 0}, "participant_count"),
        ({"participant_functions": ["pupils"]}, "participant_functions"),
        ({"date": timezone.localdate() + datetime.timedelta(days=40)}, "date"),
        ({"co_facilitators": ["lead"]}, "co_facilitators"),
    ],
)
def test_an_unsound_activity_is_refused_with_a_reason_on_its_field(world, topics, changes, field):
    if changes.get("co_facilitators") == ["lead"]:
        changes = {"co_facilitators": [world.brugfiguur]}
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                 values=values(world, topics, **changes))
    assert field in errors_of(excinfo)
    assert not SchoolTeamActivity.objects.exists()


def test_a_topic_out_of_use_cannot_be_chosen_anew_but_stays_on_older_activities(world, topics):
    actor = Actor(user=world.brugfiguur)
    activity = services.activity_create(actor=actor, region=world.region, values=values(world, topics))
    lists.term_update(actor=Actor(user=world.coordinator), term=topics[0], values={"active": False})
    with pytest.raises(ValidationError):
        services.activity_create(actor=actor, region=world.region, values=values(world, topics))
    services.activity_update(actor=actor, activity=activity, values={"topics": topics[:2], "participant_count": 20})
    activity.refresh_from_db()
    assert activity.participant_count == 20 and set(activity.topics.all()) == set(topics[:2])


def test_the_people_who_led_it_and_the_coordinator_change_it_a_colleague_does_not(world, topics):
    activity = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1])
    for user in (world.brugfiguur, world.coordinator):
        services.activity_update(actor=Actor(user=user), activity=activity,
                                 values={"description": f"Aangepast door {user.username}"})
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=Actor(user=world.brugfiguur2), activity=activity, values={"duration_minutes": 5})
    activity.co_facilitators.add(world.brugfiguur2)
    services.activity_update(actor=Actor(user=world.brugfiguur2), activity=activity, values={"duration_minutes": 75})
    activity.refresh_from_db()
    assert (activity.description, activity.duration_minutes) == ("Aangepast door coord", 75)
    update = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_id=str(activity.pk)).order_by("-seq").first()
    assert update.changes == {"duration_minutes": {"old": 60, "new": 75}, "updated_at": update.changes["updated_at"]}


def test_an_evaluation_is_added_later_and_changed(world, topics):
    activity = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1])
    services.activity_evaluate(actor=Actor(user=world.brugfiguur), activity=activity, score=4, text=" Goed onthaald. ")
    activity.refresh_from_db()
    assert (activity.evaluation_score, activity.evaluation_text) == (4, "Goed onthaald.")
    assert activity.evaluated_at is not None
    services.activity_evaluate(actor=Actor(user=world.coordinator), activity=activity, score=None, text="Toch matig.")
    activity.refresh_from_db()
    assert (activity.evaluation_score, activity.evaluation_text) == (None, "Toch matig.")
    entries = AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_id=str(activity.pk))
    assert entries.count() == 2


@pytest.mark.parametrize(("score", "text", "days"), [(None, "", -1), (6, "", -1), (0, "Slecht", -1), (4, "", 3)])
def test_an_evaluation_needs_a_score_or_text_from_1_to_5_after_the_activity(world, topics, score, text, days):
    activity = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1],
                             date=timezone.localdate() + datetime.timedelta(days=days))
    with pytest.raises(ValidationError) as excinfo:
        services.activity_evaluate(actor=Actor(user=world.brugfiguur), activity=activity, score=score, text=text)
    assert "evaluation_score" in errors_of(excinfo)
    activity.refresh_from_db()
    assert activity.evaluation_score is None and activity.evaluated_at is None


def test_a_school_contact_cannot_evaluate_their_schools_activity(world, topics):
    activity = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1])
    with pytest.raises(PermissionDenied):
        services.activity_evaluate(actor=Actor(user=world.schoolcontact), activity=activity, score=5, text="")


def test_the_lead_and_the_coordinator_delete_an_activity_recorded_by_mistake(world, topics):
    for user in (world.brugfiguur, world.coordinator):
        activity = make_activity(world.region, school=world.school, lead=world.brugfiguur, topics=topics[:1],
                                 co_facilitators=[world.brugfiguur2])
        with pytest.raises(PermissionDenied):
            services.activity_delete(actor=Actor(user=world.brugfiguur2), activity=activity)
        services.activity_delete(actor=Actor(user=user), activity=activity)
        assert not SchoolTeamActivity.objects.filter(pk=activity.pk).exists()
        entry = AuditEntry.objects.get(event=AuditEvent.DELETE, subject_id=str(activity.pk))
        assert entry.changes["description"] == "Teamcoaching rond schoolkosten."


# --- Topics ----------------------------------------------------------------------------------------


def test_a_region_gets_the_default_topics_once(world):
    created = lists.terms_ensure_defaults(model=ExpertiseTopic, region=world.region)
    assert [t.name for t in created] == list(DEFAULT_TOPICS)
    assert lists.terms_ensure_defaults(model=ExpertiseTopic, region=world.region) == created
    assert ExpertiseTopic.objects.filter(region=world.region).count() == len(DEFAULT_TOPICS)
    assert not ExpertiseTopic.objects.filter(region=world.other_region).exists()


def test_the_coordinator_keeps_the_topics_and_names_stay_unique(world, topics):
    coordinator = Actor(user=world.coordinator)
    topic = lists.term_create(actor=coordinator, model=ExpertiseTopic, region=world.region,
                              values={"name": "  Digitale   kloof ", "position": 12})
    assert topic.name == "Digitale kloof"
    with pytest.raises(ValidationError) as excinfo:
        lists.term_create(actor=coordinator, model=ExpertiseTopic, region=world.region,
                          values={"name": "digitale KLOOF"})
    assert "name" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        lists.term_update(actor=coordinator, term=topic, values={"name": topics[0].name.upper()})
    lists.term_update(actor=coordinator, term=topic, values={"name": "Digitale uitsluiting", "active": False})
    topic.refresh_from_db()
    assert (topic.name, topic.active) == ("Digitale uitsluiting", False)
    for persona in ("brugfiguur", "beheerder", "foreign_coordinator"):
        with pytest.raises(PermissionDenied):
            lists.term_create(actor=Actor(user=world.persona(persona)), model=ExpertiseTopic, region=world.region,
                              values={"name": "Nog een"})
        with pytest.raises(PermissionDenied):
            lists.term_update(actor=Actor(user=world.persona(persona)), term=topic, values={"position": 1})
    assert AuditEntry.objects.filter(subject_type="expertise.expertisetopic", subject_id=str(topic.pk)).count() == 2


def test_an_activity_of_someone_who_left_the_pool_can_still_be_corrected(world, topics):
    activity = make_activity(world.region, school=world.school, lead=world.brugfiguur2, topics=topics[:1])
    PoolMember.objects.filter(user=world.brugfiguur2).update(active=False)
    services.activity_update(actor=Actor(user=world.coordinator), activity=activity, values={
        "lead": world.brugfiguur2, "co_facilitators": [], "participant_count": 3})
    activity.refresh_from_db()
    assert activity.participant_count == 3
    with pytest.raises(ValidationError):  # but nobody names them anew
        services.activity_create(actor=Actor(user=world.coordinator), region=world.region,
                                 values=values(world, topics, lead=world.brugfiguur2, co_facilitators=[]))
