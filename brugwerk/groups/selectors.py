"""Reads of group offerings. Every selector takes the `user` and starts from `access.scope`, so it
returns only what that user may see; lists run a fixed number of queries, however many offerings,
sessions or participants there are.

Counts (sessions, people present, participants) are made over all of an offering's records. A
linked participant's name comes only from the participants the user may see, that is from the cases
they may see. The region's pool (its brugfiguren and coordinator) sees the counts in full: per
session who of those present had a case, who was absent or excused, how many participants have a
case. Everyone else who sees an offering (the school contact of its school, a co-organising
partner) knows who came, so any count split by "has a case" would point at a pupil: they get head
counts only, and no number below SMALL_CELL (`_small_cells_hidden`, the rule of the figures page).
Every count shown to them is the same whether a pupil present has a case or not (a linked
participant is one more pupil present; no gender is shown, as none is recorded of them), so no two
of them (before and after a change, two periods, a total and its parts) tell who has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, get_object_or_404, may, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.reads import record_list_read, record_read
from brugwerk.cases.models import Case, CaseStatus, LifeDomain
from brugwerk.cases.timescope import countable
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.groups.models import (
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
)
from brugwerk.network.models import PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Who is not of the pool sees no count below this (a small cell could point at a person).
SMALL_CELL = 5


def _number(queryset: QuerySet, group: str, value: Any) -> Coalesce:
    """One number per outer row from a correlated `queryset`, 0 when it has no rows."""
    counted = queryset.order_by().values(group).annotate(n=value).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _period(prefix: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{prefix}date__gte": start})
    if end is not None:
        condition &= Q(**{f"{prefix}date__lte": end})
    return condition


# --- The list of offerings ------------------------------------------------------------------------------


class OfferingCounts(TypedDict):
    """What `offerings_for` adds to each offering."""

    session_count: int
    first_date: datetime.date | None
    last_date: datetime.date | None
    next_date: datetime.date | None
    present_total: int | None  # None: hidden (`small_counts_hidden`)


class SessionCounts(TypedDict):
    """What `_sessions_with_counts` adds to each session; None: not shown (`_head_counts_only`)."""

    present_linked: int | None
    present_anonymous: int | None
    absent: int | None
    excused: int | None
    present_total: int | None


class ParticipantCounts(TypedDict):
    """What `offering_detail` adds to each linked participant."""

    sessions_present: int


@dataclass(frozen=True)
class OfferingFilter:
    kind: str = ""
    school: School | None = None
    start: datetime.date | None = None  # offerings with a session from this day ...
    end: datetime.date | None = None  # ... up to this day; the figures count those sessions only
    query: str = ""


def offerings_for(
    *, user: User, region: Region, filters: OfferingFilter | None = None, today: datetime.date | None = None
) -> QuerySet[WithAnnotations[GroupOffering, OfferingCounts]]:
    """The offerings of `region` the user may see, with per offering its number of sessions, the
    first and last date, the next session from `today` and how many people were present in all
    (`present_total`: linked participants and anonymous counts). Three queries with the organisers
    and partners. Outside the pool, pass the page's offerings through `small_counts_hidden`."""
    filters = filters or OfferingFilter()
    today = today or timezone.localdate()
    offerings = scope(user, GroupOffering).filter(region=region)
    if filters.kind:
        offerings = offerings.filter(kind=filters.kind)
    if filters.school is not None:
        offerings = offerings.filter(school=filters.school)
    if filters.query:
        offerings = offerings.filter(Q(title__icontains=filters.query) | Q(place__icontains=filters.query))
    in_period = _period("", filters.start, filters.end)
    sessions = GroupSession.objects.filter(in_period, offering=OuterRef("pk"))
    if filters.start is not None or filters.end is not None:
        offerings = offerings.filter(Exists(sessions))
    present = GroupAttendance.objects.filter(
        _period("session__", filters.start, filters.end), session__offering=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
    )
    anonymous = AnonymousAttendance.objects.filter(
        _period("session__", filters.start, filters.end), session__offering=OuterRef("pk")
    )
    upcoming = GroupSession.objects.filter(offering=OuterRef("pk"), date__gte=today).order_by("date", "start_time")
    return (
        offerings.annotate(
            session_count=_number(sessions, "offering", Count("pk")),
            first_date=Subquery(sessions.order_by().values("offering").annotate(d=Min("date")).values("d")),
            last_date=Subquery(sessions.order_by().values("offering").annotate(d=Max("date")).values("d")),
            next_date=Subquery(upcoming.values("date")[:1]),
            present_total=(
                _number(present, "session__offering", Count("pk"))
                + _number(anonymous, "session__offering", Sum("count"))
            ),
        )
        .select_related("school")
        .prefetch_related(
            Prefetch("organisers", queryset=User.objects.order_by("first_name", "last_name")),
            Prefetch("partners", queryset=PartnerOrganisation.objects.order_by("name")),
        )
        .order_by(F("next_date").asc(nulls_last=True), "-last_date", "title", "pk")
    )


def counts_in_full(*, user: User, region: Region | int | None) -> bool:
    """Whether the user is of the region's pool (a brugfiguur or its coordinator) and so sees the
    group counts in full; everyone else sees head counts only, small cells hidden."""
    return may(user, "groups.view_counts_in_full", region=region)


def small_counts_hidden(
    offerings: list[WithAnnotations[GroupOffering, OfferingCounts]], *, in_full: bool
) -> list[WithAnnotations[GroupOffering, OfferingCounts]]:
    """The offerings of a list page as the user may see their counts: unless `in_full`
    (`counts_in_full`), a `present_total` below SMALL_CELL becomes None."""
    if not in_full:
        shown = _small_cells_hidden({offering.pk: offering.present_total for offering in offerings})
        for offering in offerings:
            offering.present_total = shown[offering.pk]
    return offerings


def offering_page(*, user: User, region: Region, filters: OfferingFilter, number: Any, per_page: int) -> Page:
    """One page of `offerings_for`, its counts as the user may see them (`small_counts_hidden`),
    recorded as read."""
    page = Paginator(offerings_for(user=user, region=region, filters=filters), per_page).get_page(number)
    in_full = counts_in_full(user=user, region=region)
    page.object_list = small_counts_hidden(list(page.object_list), in_full=in_full)
    record_list_read(
        user=user, model=GroupOffering, region_id=region.pk,
        label=_("Group offerings of %(region)s") % {"region": region.name},
        details={"offerings": [offering.pk for offering in page.object_list]},
    )
    return page


# --- One offering --------------------------------------------------------------------------------------


def offering_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> GroupOffering:
    """One offering `user` may `action`, with its lists; 404 when missing or forbidden."""
    queryset = GroupOffering.objects.select_related("school", "region", "created_by").prefetch_related(
        Prefetch("organisers", queryset=User.objects.order_by("first_name", "last_name")),
        Prefetch("partners", queryset=PartnerOrganisation.objects.order_by("name")),
        Prefetch("life_domains", queryset=LifeDomain.objects.order_by("position", "name")),
    )
    return get_object_or_404(user, queryset, action, pk=pk)


@dataclass(frozen=True)
class OfferingTotals:
    """What was counted of an offering. None: not shown (outside the pool; see `_head_counts_only`)."""

    sessions: int = 0
    sessions_held: int = 0  # up to today
    present: int | None = 0  # people present over all sessions held (a person coming twice counts twice)
    average_present: Decimal | None = Decimal("0.0")
    hours: Decimal = Decimal("0.0")
    linked_participants: int | None = 0
    # Those present per AttendeeRole and per Gender: the anonymous counts, with each linked
    # participant present as a pupil of unrecorded gender (so the parts add up to `present`).
    by_role: Mapping[str, int | None] = field(default_factory=dict)
    by_gender: Mapping[str, int | None] = field(default_factory=dict)
    evaluation_forms: int | None = 0
    average_score: Decimal | None = None


def _sessions_with_counts(
    queryset: QuerySet[GroupSession],
) -> QuerySet[WithAnnotations[GroupSession, SessionCounts]]:
    attendance = GroupAttendance.objects.filter(session=OuterRef("pk"))
    return queryset.annotate(
        present_linked=_number(attendance.filter(status=AttendanceStatus.PRESENT), "session", Count("pk")),
        absent=_number(attendance.filter(status=AttendanceStatus.ABSENT), "session", Count("pk")),
        excused=_number(attendance.filter(status=AttendanceStatus.EXCUSED), "session", Count("pk")),
        present_anonymous=_number(AnonymousAttendance.objects.filter(session=OuterRef("pk")), "session",
                                  Sum("count")),
    ).annotate(present_total=F("present_linked") + F("present_anonymous"))


def offering_detail(*, user: User, pk: Any, today: datetime.date | None = None) -> GroupOffering:
    """An offering with its sessions and what was counted: `session_list` (each with `present_total`,
    `present_linked`, `present_anonymous`, `absent`, `excused`, and `present_shown` and
    `forms_shown` as the page shows them), `participant_list` (the linked participants whose case
    the user may see, with `sessions_present`), `hidden_participants` (how many others), `totals`
    and `counts_in_full`. Outside the pool only head counts are left (`_head_counts_only`). Nine
    queries, however many sessions or participants."""
    today = today or timezone.localdate()
    offering = offering_get(user=user, pk=pk)
    sessions = list(_sessions_with_counts(offering.sessions.all()).order_by("date", "start_time", "pk"))
    participants = list(
        scope(user, GroupParticipant)
        .filter(offering=offering)
        .select_related("case__young_person", "case__school")
        .annotate(
            sessions_present=_number(
                GroupAttendance.objects.filter(participant=OuterRef("pk"), status=AttendanceStatus.PRESENT),
                "participant", Count("pk"),
            )
        )
        .order_by("case__young_person__first_name", "case__young_person__last_name", "pk")
    )
    linked = GroupParticipant.objects.filter(offering=offering).count()
    anonymous = (
        AnonymousAttendance.objects.filter(session__offering=offering, session__date__lte=today)
        .order_by()
        .values("role", "gender")
        .annotate(n=Sum("count"))
    )
    by_role: dict[str, int] = dict.fromkeys(AttendeeRole.values, 0)
    by_gender: dict[str, int] = dict.fromkeys(Gender.values, 0)
    for row in anonymous:
        by_role[row["role"]] += row["n"]
        by_gender[row["gender"]] += row["n"]
    held = [s for s in sessions if s.date <= today]
    linked_present = sum(s.present_linked or 0 for s in held)  # never None here (hidden only below)
    by_role[AttendeeRole.PUPIL] += linked_present
    by_gender[Gender.UNKNOWN] += linked_present
    present = sum(s.present_total or 0 for s in held)
    forms = sum(s.evaluation_forms or 0 for s in held if s.evaluation_score is not None)
    # A score has its forms (constraint group_session_score_1_to_5_with_forms).
    scored = sum((s.evaluation_score * (s.evaluation_forms or 0) for s in held if s.evaluation_score is not None),
                 Decimal("0"))
    offering.session_list = sessions
    offering.participant_list = participants
    offering.hidden_participants = max(0, linked - len(participants))
    offering.totals = OfferingTotals(
        sessions=len(sessions),
        sessions_held=len(held),
        present=present,
        average_present=(Decimal(present) / len(held)).quantize(Decimal("0.1")) if held else Decimal("0.0"),
        hours=(Decimal(sum(s.duration_minutes for s in held)) / 60).quantize(Decimal("0.1")),
        linked_participants=linked,
        by_role=by_role,
        by_gender=by_gender,
        evaluation_forms=forms,
        average_score=(scored / forms).quantize(Decimal("0.1")) if forms else None,
    )
    for session in sessions:
        session.present_shown = session.present_total
        session.forms_shown = session.evaluation_forms
    offering.counts_in_full = counts_in_full(user=user, region=offering.region_id)
    if not offering.counts_in_full:
        _head_counts_only(offering, held)
    record_read(user=user, subject=offering, details={"participants": [p.pk for p in participants]})
    return offering


def _head_counts_only(offering: GroupOffering, held: list[WithAnnotations[GroupSession, SessionCounts]]) -> None:
    """Leave of `offering_detail` what is shown outside the pool: no count split by "has a case"
    (with a case or not, absent, excused, participants with a case; and no breakdown by gender,
    which is not recorded of a participant linked to a case), and each head count below SMALL_CELL
    hidden. The sessions' numbers add up to the totals shown, so with one hidden a second is hidden
    too (`total_shown`); the average is hidden with the total it comes from."""
    totals = offering.totals
    present = _small_cells_hidden({s.pk: s.present_total for s in held}, total_shown=True)
    forms = _small_cells_hidden(
        {s.pk: s.evaluation_forms or 0 for s in held if s.evaluation_score is not None}, total_shown=True
    )
    for session in offering.session_list:
        session.present_linked = session.present_anonymous = session.absent = session.excused = None
        session.present_shown = session.present_total = present.get(session.pk, session.present_total)
        session.forms_shown = forms.get(session.pk)
    shown = _small_cells_hidden({"present": totals.present or 0, "forms": totals.evaluation_forms or 0})
    offering.participant_list = []
    offering.hidden_participants = 0
    offering.totals = replace(
        totals,
        present=shown["present"],
        average_present=totals.average_present if shown["present"] is not None else None,
        linked_participants=None,
        by_role=_small_cells_hidden(totals.by_role, total_shown=True),
        by_gender={},
        evaluation_forms=shown["forms"],
    )


# --- Sessions -------------------------------------------------------------------------------------------


def session_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> GroupSession:
    """One session `user` may `action`, with its offering; 404 when missing or forbidden."""
    queryset = GroupSession.objects.select_related("offering__school", "offering__region")
    return get_object_or_404(user, queryset, action, pk=pk)


@dataclass(frozen=True)
class Category:
    role: str
    gender: str
    age_group: str
    grade: int


def attendance_sheet(*, user: User, pk: Any) -> GroupSession:
    """A session to take attendance of (404 unless the user may change it): `participant_rows` (the
    linked participants the user sees, with this session's `status`, "" when not recorded),
    `hidden_participants` (linked participants of cases the user does not see), `count_rows` (the
    anonymous counts so far) and `usual_categories` (the categories counted at the other sessions
    of the series, most used first). Six queries, however many participants."""
    session = session_get(user=user, pk=pk, action=Action.CHANGE)
    status = GroupAttendance.objects.filter(session=session, participant=OuterRef("pk")).values("status")[:1]
    session.participant_rows = list(
        scope(user, GroupParticipant)
        .filter(offering_id=session.offering_id)
        .select_related("case__young_person", "case__school")
        .annotate(status=Coalesce(Subquery(status), Value("")))
        .order_by("case__young_person__first_name", "case__young_person__last_name", "pk")
    )
    linked = GroupParticipant.objects.filter(offering_id=session.offering_id).count()
    session.hidden_participants = max(0, linked - len(session.participant_rows))
    session.count_rows = list(session.anonymous_counts.all())
    usual = (
        AnonymousAttendance.objects.filter(session__offering_id=session.offering_id)
        .exclude(session=session)
        .order_by()
        .values("role", "gender", "age_group", "grade")
        .annotate(n=Count("pk"))
        .order_by("-n", "role", "gender", "age_group", "grade")
    )
    session.usual_categories = [
        Category(row["role"], row["gender"], row["age_group"], row["grade"]) for row in usual
    ]
    if session.participant_rows:
        record_read(user=user, subject=session, details={"participants": [p.pk for p in session.participant_rows]})
    return session


def participant_for_page(*, user: User, pk: Any, action: Action = Action.VIEW) -> GroupParticipant:
    """A participant linked to a case (404 unless the user may do `action`), with the young person:
    the read is recorded."""
    participant = get_object_or_404(
        user, GroupParticipant.objects.select_related("offering", "case__young_person"), action, pk=pk
    )
    record_read(user=user, subject=participant)
    return participant


def upcoming_sessions(
    *, user: User, region: Region, today: datetime.date | None = None, limit: int = 5
) -> list[GroupSession]:
    """The next sessions of the offerings the user organises (for their start page). One query."""
    today = today or timezone.localdate()
    organised = scope(user, GroupOffering).filter(region=region, organisers=user.pk)
    return list(
        scope(user, GroupSession)
        .filter(offering__in=organised.values("pk"), date__gte=today)
        .select_related("offering__school")
        .order_by("date", "start_time", "pk")[:limit]
    )


# --- Choices for forms ------------------------------------------------------------------------------------


def organiser_choices(*, user: User, region: Region) -> QuerySet[User]:
    """The brugfiguren of the region's pool who can organise an offering."""
    members = scope(user, PoolMember).filter(region=region, active=True)
    return (
        User.objects.filter(
            is_active=True, pk__in=members.values("user_id"),
            memberships__region=region, memberships__role=Role.BRUGFIGUUR, memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def cases_to_add(*, user: User, region: Region, school: School | None = None, query: str = "") -> QuerySet[Case]:
    """Open cases of `region` the user may see, to link to an offering: those of `school` first, then
    by name; only those whose young person's name contains `query` when one is given."""
    cases = scope(user, Case).filter(region=region, status=CaseStatus.OPEN)
    query = (query or "").strip()
    for word in query.split()[:3]:
        cases = cases.filter(
            Q(young_person__first_name__icontains=word) | Q(young_person__last_name__icontains=word)
        )
    school_id = getattr(school, "pk", None)
    return (
        cases.select_related("young_person", "school")
        .annotate(at_school=CaseWhen(When(school_id=school_id, then=0), default=1, output_field=IntegerField()))
        .order_by("at_school", "young_person__first_name", "young_person__last_name", "pk")
    )


@dataclass(frozen=True)
class CasesToOffer:
    candidates: QuerySet[Case]  # all that may be added (a posted choice may be beyond those shown)
    shown_ids: list[int]


def cases_to_offer(*, user: User, offering: GroupOffering, query: str, limit: int) -> CasesToOffer:
    """`cases_to_add` for `offering`, without its participants; the first `limit` are shown, and
    recorded as read."""
    candidates = cases_to_add(user=user, region=offering.region, school=offering.school, query=query).exclude(
        group_participations__offering=offering
    )
    shown_ids = list(candidates.values_list("pk", flat=True)[:limit])
    record_list_read(
        user=user, model=Case, region_id=offering.region_id,
        label=_("Young people to add to %(title)s") % {"title": offering.title},
        details={"offering": offering.pk, "cases": shown_ids},
    )
    return CasesToOffer(candidates=candidates, shown_ids=shown_ids)


# --- Figures without names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindFigures:
    kind: str
    label: str
    offerings: int
    sessions: int
    present: int | None  # None: not shown (a small cell, or one that would give a small cell away)
    hours: Decimal


@dataclass(frozen=True)
class GroupFigures:
    start: datetime.date
    end: datetime.date
    rows: list[KindFigures]
    offerings: int
    sessions: int
    present: int | None
    hours: Decimal
    schools: int  # schools with at least one session in the period
    # Those present per Gender and per AttendeeRole, linked participants as pupils of unrecorded
    # gender (so each adds up to `present`); None when not shown.
    by_gender: dict[str, int | None]
    by_role: dict[str, int | None]


def _small_cells_hidden(counts: Mapping[Any, int | None], *, total_shown: bool = False) -> dict[Any, int | None]:
    """`counts` with each cell from 1 to SMALL_CELL - 1 hidden (None): the one rule for every count
    shown outside the pool. With `total_shown` (the cells add up to a number shown with them) a single
    hidden cell could be worked out by subtraction, so the smallest other non-zero cell is hidden too.
    A cell that is None already stays hidden."""
    shown: dict[Any, int | None] = {
        key: (None if value is None or 0 < value < SMALL_CELL else value) for key, value in counts.items()
    }
    if total_shown and list(shown.values()).count(None) == 1:
        others = [key for key, value in shown.items() if value]
        if others:
            shown[min(others, key=lambda key: (shown[key], str(key)))] = None
    return shown


def group_figures_allowed(*, user: User, region: Region | None) -> bool:
    """Whether the user sees the region's group work in figures (policy makers and the coordinator)."""
    return may(user, "groups.view_figures", region=region)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The school year of `today` (from 1 September), up to `today`."""
    today = today or timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(start_year, 9, 1), today


def group_figures(
    *, user: User, region: Region, start: datetime.date | None = None, end: datetime.date | None = None
) -> GroupFigures | None:
    """Totals of the region's group offerings in a period that name nobody, for its policy makers
    and its coordinator (None for anyone else): per kind the offerings, sessions held, people
    present and hours. Policy makers see no group record, so these counts are made over the
    region's records without the record-level policy, and only counts leave this function. The
    people counted are never split by "has a case" (linked participants present count as pupils of
    unrecorded gender), and small cells are hidden (`_small_cells_hidden`). Four queries."""
    if not group_figures_allowed(user=user, region=region):
        return None
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    sessions = GroupSession.objects.filter(offering__region=region, date__gte=start, date__lte=end)
    present = GroupAttendance.objects.filter(session=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    anonymous = AnonymousAttendance.objects.filter(session=OuterRef("pk"))
    per_kind = (
        sessions.annotate(
            linked=_number(present, "session", Count("pk")), counted=_number(anonymous, "session", Sum("count"))
        )
        .order_by()
        .values("offering__kind")
        .annotate(
            offerings=Count("offering", distinct=True),
            sessions=Count("pk"),
            linked_present=Sum("linked"),
            present=Sum(F("linked") + F("counted")),
            minutes=Sum("duration_minutes"),
        )
    )
    found = {row["offering__kind"]: row for row in per_kind}
    labels = dict(OfferingKind.choices)
    rows = [
        KindFigures(
            kind=kind, label=str(labels[kind]), offerings=found[kind]["offerings"], sessions=found[kind]["sessions"],
            present=found[kind]["present"] or 0,
            hours=(Decimal(found[kind]["minutes"] or 0) / 60).quantize(Decimal("0.1")),
        )
        for kind in OfferingKind.values
        if kind in found
    ]
    breakdown = (
        AnonymousAttendance.objects.filter(session__in=sessions.values("pk"))
        .order_by()
        .values("role", "gender")
        .annotate(n=Sum("count"))
    )
    by_role: dict[str, int] = dict.fromkeys(AttendeeRole.values, 0)
    by_gender: dict[str, int] = dict.fromkeys(Gender.values, 0)
    for row in breakdown:
        by_role[row["role"]] += row["n"]
        by_gender[row["gender"]] += row["n"]
    linked = sum(row["linked_present"] or 0 for row in found.values())
    by_role[AttendeeRole.PUPIL] += linked
    by_gender[Gender.UNKNOWN] += linked
    present_shown = _small_cells_hidden({row.kind: row.present for row in rows}, total_shown=True)
    schools = sessions.filter(offering__school__isnull=False).values("offering__school").distinct().count()
    return GroupFigures(
        start=start,
        end=end,
        rows=[replace(row, present=present_shown[row.kind]) for row in rows],
        offerings=sessions.values("offering").distinct().count(),
        sessions=sum(r.sessions for r in rows),
        present=_small_cells_hidden({"present": sum(r.present or 0 for r in rows)})["present"],
        hours=sum((r.hours for r in rows), Decimal("0.0")),
        schools=schools,
        by_gender=_small_cells_hidden(by_gender, total_shown=True),
        by_role=_small_cells_hidden(by_role, total_shown=True),
    )


# --- Time (issue 4 item 6) ---------------------------------------------------------------------------------


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """Group work in [start, end]: each session's duration counts for each of its organisers. One
    row per (kind, school, organiser), summed by the database, over the offerings the user may count
    (`cases.timescope.countable`: the whole region for the coordinator and policy makers, what the
    policy lets a brugfiguur see, nothing for anyone else)."""
    offerings = countable(user=user, region=region, model=GroupOffering).filter(region=region)
    rows = (
        GroupSession.objects.filter(offering__in=offerings.values("pk"), date__gte=start, date__lte=end)
        .filter(offering__organisers__isnull=False)
        .order_by()
        .values("offering__kind", "offering__school_id", "offering__organisers")
        .annotate(minutes=Sum("duration_minutes"), activities=Count("pk"))
        .order_by("offering__kind", "offering__school_id", "offering__organisers")
    )
    labels = dict(OfferingKind.choices)
    return [
        TimeSpent(
            pillar=Pillar.GROUPS_NETWORK,
            kind=str(labels.get(row["offering__kind"], row["offering__kind"])),
            school_id=row["offering__school_id"],
            person_id=row["offering__organisers"],
            minutes=row["minutes"] or 0,
            activities=row["activities"],
        )
        for row in rows
    ]
