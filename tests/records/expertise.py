"""Records of school-team expertise for the region-wide access tests (see tests/records/__init__.py).

The activity is led by `lead` with `colleague` beside them: neither is the brugfiguur persona of the
matrix, so its brugfiguur column is about a colleague's activity (seen, not changed). It is at
`school`, the school contact persona's school."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brugwerk.expertise.models import ActivityKind, ExpertiseTopic, ParticipantFunction, SchoolTeamActivity
from tests.expertise.factories import ExpertiseTopicFactory, SchoolTeamActivityFactory
from tests.records import Records

MODELS = (ExpertiseTopic, SchoolTeamActivity)

EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "ExpertiseTopic":            ("V",       "V C U",     "V",           "—",     "V",    "—"),
    "SchoolTeamActivity":        ("V C",     "V C U D",   "V",           "—",     "—",    "—"),
}  # fmt: skip


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    topic = ExpertiseTopicFactory(region=region, name=f"Thema van {region.name}", position=1)
    activity = SchoolTeamActivityFactory(
        region=region,
        school=school,
        kind=ActivityKind.TRAINING,
        date=timezone.localdate() - datetime.timedelta(days=3),
        duration_minutes=120,
        lead=lead,
        participant_count=14,
        participant_functions=[ParticipantFunction.TEACHERS],
        description=f"Vorming armoede voor het team in {region.name}",
        created_by=lead,
        topics=[topic],
        co_facilitators=[colleague],
    )
    return Records(
        existing={ExpertiseTopic: topic, SchoolTeamActivity: activity},
        new={
            ExpertiseTopic: lambda: ExpertiseTopic(region=region, name="nieuw thema"),
            SchoolTeamActivity: lambda: SchoolTeamActivity(
                region=region, school=school, kind=ActivityKind.CONSULTATION, date=timezone.localdate(),
                duration_minutes=30, lead=lead, participant_count=1,
            ),
        },
        names=[topic.name, activity.description],
    )


RECORD_URLS = [
    ("expertise:activity_detail", lambda a: {"pk": a[SchoolTeamActivity].pk}),
    ("expertise:activity_update", lambda a: {"pk": a[SchoolTeamActivity].pk}),
    ("expertise:activity_evaluate", lambda a: {"pk": a[SchoolTeamActivity].pk}),
    ("expertise:activity_delete", lambda a: {"pk": a[SchoolTeamActivity].pk}),
    ("expertise:topic_update", lambda a: {"pk": a[ExpertiseTopic].pk}),
    ("expertise:school_summary", lambda a: {"pk": a[SchoolTeamActivity].school_id}),
]

LIST_URLS = [
    ("expertise:activity_list", lambda a: ""),
    ("expertise:activity_list", lambda a: f"?school={a[SchoolTeamActivity].school_id}&topic={a[ExpertiseTopic].pk}"),
    ("expertise:topic_list", lambda a: ""),
    ("expertise:figures", lambda a: ""),
    ("expertise:my_school", lambda a: ""),
    ("expertise:activity_create", lambda a: f"?school={a[SchoolTeamActivity].school_id}"),
    ("expertise:topic_create", lambda a: ""),
]


# --- Helpers for tests/expertise/test_expertise_*.py --------------------------------------------------------


def topics_of(region) -> list[ExpertiseTopic]:
    """The region's default topics (test regions are made after the data migration ran)."""
    from brugwerk.vocabularies.services import terms_ensure_defaults

    return list(terms_ensure_defaults(model=ExpertiseTopic, region=region))


def make_activity(region, *, school, lead, topics=(), co_facilitators=(), **values) -> SchoolTeamActivity:
    """An activity written directly (no service, no audit), for tests that need one to exist."""
    defaults = {
        "kind": ActivityKind.COACHING_TEAM, "date": timezone.localdate() - datetime.timedelta(days=1),
        "duration_minutes": 60, "participant_count": 6, "description": "Teamcoaching rond schoolkosten.",
        "created_by": lead,
    }
    return SchoolTeamActivityFactory(
        region=region, school=school, lead=lead, **(defaults | values),
        topics=list(topics) or [ExpertiseTopic.objects.filter(region=region).first()],
        co_facilitators=list(co_facilitators),
    )

# Routes the isolation test does not ask for, with the reason (tests/access/test_isolation.py).
NOT_ISOLATED = {
    "expertise:topic_defaults": "POST only: gives the user's own region the default topics",
}
