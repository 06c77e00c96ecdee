"""Reads of network and cooperation: meetings with their attendees, agreements and actions, the
open actions to follow up, the cooperation agreement of each school with its history, and the time
the pool spent in meetings. Everything starts from `brugwerk.access.scope`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField, Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from brugwerk.access import Action, get_object_or_404, may, scope, where
from brugwerk.accounts.models import User
from brugwerk.agenda.models import PresenceDay
from brugwerk.cases.timescope import countable
from brugwerk.cooperation.models import (
    CooperationAgreement,
    MeetingAction,
    MeetingAgreement,
    MeetingKind,
    NetworkMeeting,
)
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.network.models import PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School, Zone

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- Network meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilter:
    """The filters of the meeting list; empty values filter nothing."""

    query: str = ""
    kind: str = ""
    school: School | None = None
    organisation: PartnerOrganisation | None = None
    zone: Zone | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    attended_by: User | None = None


class VisibleNotes(TypedDict):
    """What `_with_visible_notes` adds to each meeting."""

    visible_notes: str
    notes_readable: bool


class MeetingPage(VisibleNotes):
    """A meeting as `meeting_get` returns it."""

    visible_agreements: list[MeetingAgreement]
    visible_actions: list[MeetingAction]


class Overdue(TypedDict):
    """What `open_actions` adds to each action."""

    overdue: bool


def _with_visible_notes(
    meetings: QuerySet[NetworkMeeting], user: User
) -> QuerySet[WithAnnotations[NetworkMeeting, VisibleNotes]]:
    """`visible_notes` holds the notes for the pool and "" for everyone else; the notes themselves
    are not even read from the database."""
    readable = where(user, "cooperation.read_meeting_notes")
    return meetings.defer("notes").annotate(
        visible_notes=Case(When(readable, then=F("notes")), default=Value(""), output_field=CharField()),
        notes_readable=Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def may_see_meetings(*, user: User, region: Region) -> bool:
    """Whether the meeting pages exist for the user in `region` (they may hold none to see yet)."""
    return may(user, "cooperation.view_meetings", region=region)


def may_see_actions(*, user: User, region: Region) -> bool:
    """Whether the list of open actions exists for the user (policy makers do not follow actions)."""
    return may(user, "cooperation.view_actions", region=region)


def meetings_for(*, user: User, region: Region, filters: MeetingFilter | None = None) -> QuerySet[NetworkMeeting]:
    """The meetings of `region` the user may see, newest first, each with `attendee_count` and
    `agreement_count`, its school, zone and (prefetched) organisations."""
    filters = filters or MeetingFilter()
    meetings = scope(user, NetworkMeeting).filter(region=region)
    for word in filters.query.split()[:5]:
        meetings = meetings.filter(Q(title__icontains=word) | Q(place__icontains=word))
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind)
    if filters.school is not None:
        at_school = NetworkMeeting.schools.through.objects.filter(school=filters.school).values("networkmeeting_id")
        meetings = meetings.filter(Q(school=filters.school) | Q(pk__in=at_school))
    if filters.organisation is not None:
        met = NetworkMeeting.organisations.through.objects.filter(partnerorganisation=filters.organisation)
        meetings = meetings.filter(pk__in=met.values("networkmeeting_id"))
    if filters.zone is not None:
        meetings = meetings.filter(zone=filters.zone)
    if filters.start is not None:
        meetings = meetings.filter(date__gte=filters.start)
    if filters.end is not None:
        meetings = meetings.filter(date__lte=filters.end)
    if filters.attended_by is not None:
        attended = NetworkMeeting.pool_attendees.through.objects.filter(user=filters.attended_by)
        meetings = meetings.filter(pk__in=attended.values("networkmeeting_id"))
    return (
        meetings.defer("notes")
        .select_related("school", "municipality", "zone")
        .prefetch_related(Prefetch("organisations", queryset=PartnerOrganisation.objects.order_by("name")))
        .annotate(
            attendee_count=Count("pool_attendees", distinct=True),
            agreement_count=Count("agreements", distinct=True),
        )
        .order_by("-date", "-pk")
    )


def meeting_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> WithAnnotations[NetworkMeeting, MeetingPage]:
    """One meeting with its attendees; its notes as `visible_notes` (blank for those outside the
    pool); the agreements and actions the user may see as `visible_agreements` and `visible_actions`
    (open actions first, by due date)."""
    agreements = scope(user, MeetingAgreement).order_by("created_at", "pk")
    actions = (
        scope(user, MeetingAction)
        .select_related("owner_user", "done_by")
        .order_by(F("done_at").asc(nulls_first=True), "due_date", "pk")
    )
    meetings = _with_visible_notes(
        NetworkMeeting.objects.select_related("region", "school", "municipality", "zone", "created_by"), user
    ).prefetch_related(
        Prefetch("pool_attendees", queryset=User.objects.order_by("first_name", "last_name")),
        Prefetch("organisations", queryset=PartnerOrganisation.objects.order_by("name")),
        Prefetch("schools", queryset=School.objects.order_by("name")),
        Prefetch("agreements", queryset=agreements, to_attr="visible_agreements"),
        Prefetch("actions", queryset=actions, to_attr="visible_actions"),
    )
    return get_object_or_404(user, meetings, action, pk=pk)


def meeting_agreement_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> MeetingAgreement:
    return get_object_or_404(user, MeetingAgreement.objects.select_related("meeting"), action, pk=pk)


def meeting_action_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> MeetingAction:
    qs = MeetingAction.objects.select_related("meeting", "meeting__school", "owner_user", "done_by")
    return get_object_or_404(user, qs, action, pk=pk)


def open_actions(
    *, user: User, region: Region, today: datetime.date, mine: bool = False
) -> QuerySet[WithAnnotations[MeetingAction, Overdue]]:
    """The actions still to do that the user may see (only those they own when `mine`), the
    overdue ones first, then by due date; each with `overdue`."""
    actions = scope(user, MeetingAction).filter(meeting__region=region, done_at__isnull=True)
    if mine:
        actions = actions.filter(owner_user_id=user.pk)
    return (
        actions.select_related("meeting", "meeting__school", "owner_user")
        .annotate(overdue=Case(When(due_date__lt=today, then=Value(True)), default=Value(False),
                               output_field=BooleanField()))
        .order_by("-overdue", "due_date", "pk")
    )


def has_own_open_actions(*, user: User, region: Region) -> bool:
    return open_actions(user=user, region=region, today=timezone.localdate(), mine=True).exists()


def pool_attendee_choices(*, user: User, region: Region, meeting: NetworkMeeting | None = None) -> QuerySet[User]:
    """The bridge figures of the region's pool (active members) to mark as attendees, and those who
    attended `meeting` already (also when they left the pool since)."""
    members = scope(user, PoolMember).filter(region=region, active=True)
    condition = Q(pool_memberships__in=members)
    if meeting is not None:
        attended = NetworkMeeting.pool_attendees.through.objects.filter(
            networkmeeting__in=scope(user, NetworkMeeting).filter(pk=meeting.pk, region=region)
        )
        condition |= Q(pk__in=attended.values("user_id"))
    return User.objects.filter(condition).distinct().order_by("first_name", "last_name")


def action_owner_choices(*, user: User, region: Region) -> QuerySet[User]:
    """Who of the pool can own an action: its bridge figures, and the user themselves when they work
    in the pool (a coordinator taking an action on)."""
    members = scope(user, PoolMember).filter(region=region, active=True)
    self_in_pool = may(user, "cooperation.own_actions", region=region)
    condition = Q(pool_memberships__in=members)
    if self_in_pool:
        condition |= Q(pk=user.pk)
    return User.objects.filter(condition).distinct().order_by("first_name", "last_name")


# --- Time ------------------------------------------------------------------------------------------

KIND_LABELS = dict(MeetingKind.choices)


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """Per kind of meeting, school and pool member who attended: the minutes of the meetings in
    [start, end] the user may see (pillar 3, networking). Summed in the database."""
    meetings = countable(user=user, region=region, model=NetworkMeeting).filter(
        region=region, date__gte=start, date__lte=end
    )
    rows = (
        NetworkMeeting.pool_attendees.through.objects.filter(networkmeeting__in=meetings.values("pk"))
        .values("networkmeeting__kind", "networkmeeting__school_id", "user_id")
        .annotate(minutes=Sum("networkmeeting__duration_minutes"), activities=Count("networkmeeting_id"))
        .order_by("networkmeeting__kind", "networkmeeting__school_id", "user_id")
    )
    return [
        TimeSpent(
            pillar=Pillar.GROUPS_NETWORK,
            kind=str(KIND_LABELS.get(row["networkmeeting__kind"], row["networkmeeting__kind"])),
            school_id=row["networkmeeting__school_id"],
            person_id=row["user_id"],
            minutes=row["minutes"] or 0,
            activities=row["activities"],
        )
        for row in rows
    ]


# --- Cooperation agreements ------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolAgreementRow:
    school: School
    agreement: CooperationAgreement | None
    evaluation_overdue: bool
    served: bool  # a bridge figure of the pool serves the school


def _agreement_schools(user: User) -> QuerySet[School]:
    return scope(user, School).filter(where(user, "cooperation.view_agreements"))


def agreement_overview(*, user: User, region: Region, today: datetime.date) -> list[SchoolAgreementRow]:
    """Every school of `region` whose cooperation agreement the user reads, with its current
    version (or None) and whether its evaluation is overdue. Schools served by the pool first."""
    schools = (
        _agreement_schools(user)
        .filter(region=region)
        .select_related("municipality")
        .annotate(served_by=Count("pool_members", filter=Q(pool_members__active=True), distinct=True))
    )
    current = {
        a.school_id: a
        for a in scope(user, CooperationAgreement).filter(region=region, valid_until__isnull=True)
    }
    rows = [
        SchoolAgreementRow(
            school=school,
            agreement=current.get(school.pk),
            evaluation_overdue=school.pk in current and current[school.pk].evaluation_overdue(today),
            served=school.served_by > 0,
        )
        for school in schools
    ]
    return sorted(rows, key=lambda row: (not row.served, row.school.name))


def agreement_school_get(*, user: User, pk: Any) -> School:
    """A school whose cooperation agreement the user reads (404 otherwise)."""
    return get_object_or_404(user, _agreement_schools(user).select_related("municipality", "region"), pk=pk)


def agreement_versions(*, user: User, school: School) -> list[CooperationAgreement]:
    """Every version of the school's agreement the user may see, the newest (current) first."""
    return list(
        scope(user, CooperationAgreement).filter(school=school).select_related("created_by").order_by("-version")
    )


def agreement_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> CooperationAgreement:
    qs = CooperationAgreement.objects.select_related("school", "school__municipality", "region", "created_by")
    return get_object_or_404(user, qs, action, pk=pk)


def presence_at_school(*, user: User, school: School, today: datetime.date) -> QuerySet[PresenceDay]:
    """The presence days of bridge figures at `school` in force today, as far as the user may see
    them (read from the agenda, not edited here)."""
    return (
        scope(user, PresenceDay)
        .filter(school=school, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("brugfiguur")
        .order_by("weekday", "brugfiguur__first_name")
    )
