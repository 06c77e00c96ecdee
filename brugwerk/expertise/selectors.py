"""Reads of school-team expertise. Every read of activities starts from `access.scope`, runs a fixed
number of queries however many activities there are, and the figures are counted by the database
(one row per topic, kind, school or person, never one per activity)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from brugwerk.access import Action, get_object_or_404, may, scope
from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain
from brugwerk.cases.timescope import countable
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.expertise.models import ActivityKind, ExpertiseTopic, SchoolTeamActivity, school_year_of
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School

# --- Lists to choose from ------------------------------------------------------------------------


def facilitator_choices(*, user: User, region: Region) -> QuerySet[User]:
    """Who can have led an activity: the active brugfiguren of the region's pool."""
    members = scope(user, PoolMember).filter(region=region, active=True)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("first_name", "last_name", "username")


# --- Activities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    school: School | None = None
    topic: ExpertiseTopic | None = None
    kind: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    mine: bool = False  # only those the user led or helped lead


def _for_lists(activities: QuerySet[SchoolTeamActivity]) -> QuerySet[SchoolTeamActivity]:
    return activities.select_related("school", "lead").prefetch_related(
        Prefetch("topics", queryset=ExpertiseTopic.objects.order_by("position", "name")),
        Prefetch("co_facilitators", queryset=User.objects.order_by("first_name", "last_name")),
    )


def activities_for(
    *, user: User, region: Region, filters: ActivityFilter | None = None
) -> QuerySet[SchoolTeamActivity]:
    """The activities of `region` the user sees, newest first, filtered by school, topic, kind,
    period and (for a brugfiguur) their own; with school, lead, topics and co-facilitators loaded."""
    filters = filters or ActivityFilter()
    activities = scope(user, SchoolTeamActivity).filter(region=region)
    if filters.school is not None:
        activities = activities.filter(school=filters.school)
    if filters.topic is not None:
        activities = activities.filter(topics=filters.topic)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.start is not None:
        activities = activities.filter(date__gte=filters.start)
    if filters.end is not None:
        activities = activities.filter(date__lte=filters.end)
    if filters.mine:
        user_id = user.pk
        co_led = SchoolTeamActivity.co_facilitators.through.objects.filter(user_id=user_id)
        activities = activities.filter(Q(lead_id=user_id) | Q(pk__in=co_led.values("schoolteamactivity_id")))
    return _for_lists(activities).order_by("-date", "-pk")


def activity_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> SchoolTeamActivity:
    """One activity with everything its page shows; 404 when missing or not the user's to `action`."""
    activities = _for_lists(
        SchoolTeamActivity.objects.select_related("region", "school__municipality", "created_by")
    ).prefetch_related(Prefetch("life_domains", queryset=LifeDomain.objects.order_by("position", "name")))
    return get_object_or_404(user, activities, action, pk=pk)


def schools_with_activities(*, user: User, region: Region) -> QuerySet[School]:
    """The schools to filter the list on: those the user sees activities of (a school contact: their
    own), by name."""
    seen = scope(user, SchoolTeamActivity).filter(region=region).values("school_id")
    schools = scope(user, School).filter(region=region).order_by("name")
    if not may(user, "expertise.list_activities", region=region):
        return schools.none()
    return schools.filter(pk__in=seen)


# --- Summaries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How many activities, how long in all and with how many participants, for one topic, kind or
    school (or in all)."""

    label: str
    activities: int = 0
    minutes: int = 0
    participants: int = 0
    pk: int | None = None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def _tally(label: str, row: Mapping[str, Any], pk: int | None = None) -> Tally:
    """A row of `values(...).annotate(**TALLY)` or `aggregate(**TALLY)`, whatever else it holds."""
    return Tally(
        label=label, activities=row["n"] or 0, minutes=row["minutes"] or 0, participants=row["participants"] or 0,
        pk=pk,
    )


TALLY = {"n": Count("pk"), "minutes": Sum("duration_minutes"), "participants": Sum("participant_count")}


def _by_topic(activities: QuerySet[SchoolTeamActivity]) -> list[Tally]:
    """One row per topic (an activity on two topics counts for both)."""
    rows = (
        activities.order_by()
        .filter(topics__isnull=False)
        .values("topics__pk", "topics__name", "topics__position")
        .annotate(**TALLY)
        .order_by("topics__position", "topics__name")
    )
    return [_tally(row["topics__name"], row, row["topics__pk"]) for row in rows]


def _by_kind(activities: QuerySet[SchoolTeamActivity]) -> list[Tally]:
    labels = dict(ActivityKind.choices)
    rows = {row["kind"]: row for row in activities.order_by().values("kind").annotate(**TALLY)}
    return [_tally(str(labels[kind]), rows[kind]) for kind in ActivityKind.values if kind in rows]


def _total(activities: QuerySet[SchoolTeamActivity], label: str = "") -> Tally:
    return _tally(label, activities.order_by().aggregate(**TALLY))


@dataclass(frozen=True)
class SchoolSummary:
    """A school's school-team activities of one school year: per topic and per kind, and the list."""

    start: datetime.date
    end: datetime.date
    total: Tally
    by_topic: list[Tally] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    activities: list[SchoolTeamActivity] = field(default_factory=list)


def school_summary(*, user: User, school: School, today: datetime.date | None = None) -> SchoolSummary | None:
    """What the pool did with the team of `school` in the school year of `today`; None for whoever
    may not see the school's activities. The figures count what took place; the list also shows
    what is planned. Five queries."""
    if not may(user, "expertise.view_school_activities", obj=school):
        return None
    start, end = school_year_of(today or timezone.localdate())
    activities = scope(user, SchoolTeamActivity).filter(school=school, date__gte=start, date__lte=end)
    held = activities.filter(date__lte=timezone.localdate())
    return SchoolSummary(
        start=start,
        end=end,
        total=_total(held),
        by_topic=_by_topic(held),
        by_kind=_by_kind(held),
        activities=list(_for_lists(activities).order_by("-date", "-pk")),
    )


@dataclass(frozen=True)
class OwnSummary:
    activities: int = 0
    minutes: int = 0
    not_evaluated: int = 0  # activities that took place and have no evaluation yet

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def own_activity_summary(*, user: User, region: Region, today: datetime.date | None = None) -> OwnSummary:
    """The user's own activities (led or helped lead) of this school year: for their start page."""
    today = today or timezone.localdate()
    start, end = school_year_of(today)
    mine = activities_for(user=user, region=region, filters=ActivityFilter(start=start, end=end, mine=True))
    row = mine.order_by().aggregate(
        n=Count("pk"),
        minutes=Sum("duration_minutes"),
        open=Count("pk", filter=Q(evaluation_score__isnull=True, evaluation_text="", date__lte=today)),
    )
    return OwnSummary(activities=row["n"], minutes=row["minutes"] or 0, not_evaluated=row["open"])


@dataclass(frozen=True)
class ExpertiseFigures:
    """The region's school-team expertise in figures that name nobody: no description, no person."""

    start: datetime.date
    end: datetime.date
    total: Tally
    schools_reached: int = 0
    evaluated: int = 0
    average_score: float | None = None
    by_topic: list[Tally] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    by_school: list[Tally] = field(default_factory=list)


def expertise_figures(
    *, user: User, region: Region, start: datetime.date | None = None, end: datetime.date | None = None
) -> ExpertiseFigures | None:
    """Totals per topic, kind and school for [start, end] (default: this school year), for the pool
    and the region's policy makers (None for anyone else). Policy makers see no activity
    (docs/access.md), so these counts are made over the region's records without the record-level
    policy, and only counts and the names of topics and schools leave this function. Five queries."""
    if not may(user, "expertise.view_figures", region=region):
        return None
    default_start, default_end = school_year_of(timezone.localdate())
    start, end = start or default_start, end or default_end
    end = min(end, timezone.localdate())  # what took place, not what is planned
    activities = SchoolTeamActivity.objects.filter(region=region, date__gte=start, date__lte=end)
    summary = activities.order_by().aggregate(
        **TALLY,
        schools=Count("school", distinct=True),
        evaluated=Count("pk", filter=Q(evaluation_score__isnull=False)),
        average=Avg("evaluation_score"),
    )
    schools = (
        activities.order_by().values("school_id", "school__name").annotate(**TALLY).order_by("school__name")
    )
    return ExpertiseFigures(
        start=start,
        end=end,
        total=_tally("", summary),
        schools_reached=summary["schools"],
        evaluated=summary["evaluated"],
        average_score=round(summary["average"], 1) if summary["average"] is not None else None,
        by_topic=_by_topic(activities),
        by_kind=_by_kind(activities),
        by_school=[_tally(row["school__name"], row, row["school_id"]) for row in schools],
    )


# --- Time (issue 4, item 6) ----------------------------------------------------------------------


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """The time of the school-team activities in [start, end] (up to today) that `user` may see: one
    row per (kind, school, person), for the lead and for each co-facilitator (each of them spent the
    whole activity), summed by the database. Pillar: expertise at school level."""
    end = min(end, timezone.localdate())  # time spent, not time planned
    activities = countable(user=user, region=region, model=SchoolTeamActivity).filter(
        region=region, date__gte=start, date__lte=end
    )
    labels = dict(ActivityKind.choices)
    totals: dict[tuple[str, int, int], list[int]] = {}
    led = activities.order_by().values("kind", "school_id", "lead_id").annotate(
        minutes=Sum("duration_minutes"), n=Count("pk")
    )
    for row in led:
        totals[(row["kind"], row["school_id"], row["lead_id"])] = [row["minutes"] or 0, row["n"]]
    through = SchoolTeamActivity.co_facilitators.through
    co_led = (
        through.objects.filter(schoolteamactivity__in=activities.values("pk"))
        .order_by()
        .values("schoolteamactivity__kind", "schoolteamactivity__school_id", "user_id")
        .annotate(minutes=Sum("schoolteamactivity__duration_minutes"), n=Count("pk"))
    )
    for row in co_led:
        key = (row["schoolteamactivity__kind"], row["schoolteamactivity__school_id"], row["user_id"])
        minutes, count = totals.get(key, [0, 0])
        totals[key] = [minutes + (row["minutes"] or 0), count + row["n"]]
    return [
        TimeSpent(
            pillar=Pillar.EXPERTISE,
            kind=str(labels[kind]),
            school_id=school_id,
            person_id=person_id,
            minutes=minutes,
            activities=count,
        )
        for (kind, school_id, person_id), (minutes, count) in sorted(totals.items())
    ]
