"""Reads for the agenda pages: whose agenda a user may open, a week of presence days and
appointments, the cases and schools to plan with, and the calendar feed behind a secret address.

Every read starts from `access.scope`; a week runs a fixed number of queries however full it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, regions_where, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.agenda.models import Appointment, CalendarFeed, PresenceDay
from brugwerk.audit.reads import record_list_read
from brugwerk.cases.models import Case, CaseStatus
from brugwerk.core.dates import start_of
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School

# The calendar feed holds the appointments of this window around today.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180


# --- Whose agenda ------------------------------------------------------------------------------------


def agenda_owners(*, user: User, region: Region) -> list[User]:
    """The brugfiguren of `region` whose agenda `user` may open and plan in: for the coordinator the
    whole pool (everyone with a brugfiguur role there), for a brugfiguur themselves. Asked of the
    policy as "may this user plan in their agenda?", so it cannot differ from what the services allow."""
    roles = scope(user, Membership).filter(region=region, role=Role.BRUGFIGUUR, revoked_at__isnull=True)
    people = User.objects.filter(pk__in=roles.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return [p for p in people if can(user, Action.CREATE, Appointment(region=region, brugfiguur=p))]


def plans_for_pool(*, user: User, region: Region) -> bool:
    """Does `user` plan for the whole pool of `region` (and so choose whose agenda to plan in)?"""
    return can(user, Action.CREATE, Appointment, region=region)


# --- A week ------------------------------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class AgendaDay:
    date: datetime.date
    presence: list[PresenceDay] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.presence and not self.appointments

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass
class AgendaWeek:
    monday: datetime.date
    days: list[AgendaDay]
    appointments: list[Appointment]  # each once, in order
    presence_days: list[PresenceDay]  # the weekly presence that holds on some day of this week

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def _presence_in(user: User, region: Region, owners: list[User], first: datetime.date, last: datetime.date):
    return (
        scope(user, PresenceDay)
        .filter(region=region, brugfiguur__in=owners, valid_from__lte=last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .select_related("school", "brugfiguur")
        .order_by("weekday", "school__name", "pk")
    )


def _allowed_ids(user: User, model: type, action: Action, ids: Any) -> set[int]:
    if not ids:
        return set()
    return set(scope(user, model, action).filter(pk__in=ids).values_list("pk", flat=True))


def _mark_rights(user: User, model: type, records: list[Any]) -> None:
    """Whether the user may change or delete each record, in one query per action (asking `can` of
    each record would cost a query per record)."""
    ids = [r.pk for r in records]
    may_change = _allowed_ids(user, model, Action.CHANGE, ids)
    may_delete = _allowed_ids(user, model, Action.DELETE, ids)
    for record in records:
        record.can_change = record.pk in may_change
        record.can_delete = record.pk in may_delete


def _mark_visible_cases(user: User, appointments: list[Appointment]) -> None:
    """`visible_case` is the appointment's case when the user may see that case, else None: an
    appointment shows whose case it is only to those who may open it."""
    case_ids = {a.case_id for a in appointments if a.case_id}
    visible = _allowed_ids(user, Case, Action.VIEW, case_ids)
    for appointment in appointments:
        appointment.visible_case = appointment.case if appointment.case_id in visible else None


def agenda_week(
    *, user: User, region: Region, monday: datetime.date, owners: list[User], owner: User | None = None
) -> AgendaWeek:
    """The week from `monday` of the agendas of `owners` (see `agenda_owners`): for each day the
    schools they are at and their appointments (an appointment over several days shows on each).
    A fixed number of queries. Its appointments are recorded as read (`owner`: the one brugfiguur
    whose agenda was asked for, if one was)."""
    sunday = monday + datetime.timedelta(days=6)
    appointments = list(
        scope(user, Appointment)
        .filter(region=region, brugfiguur__in=owners, starts_at__lt=start_of(sunday + datetime.timedelta(days=1)))
        .filter(ends_at__gt=start_of(monday))
        .select_related("school", "brugfiguur", "case__young_person")
        .order_by("starts_at", "pk")
    )
    presence_days = list(_presence_in(user, region, owners, monday, sunday))
    _mark_visible_cases(user, appointments)
    _mark_rights(user, Appointment, appointments)
    _mark_rights(user, PresenceDay, presence_days)
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        agenda_day = AgendaDay(date=day)
        agenda_day.presence = [
            p for p in presence_days
            if p.weekday == day.weekday() and p.valid_from <= day and (p.valid_until is None or p.valid_until >= day)
        ]
        agenda_day.appointments = [
            a for a in appointments
            if timezone.localtime(a.starts_at).date() <= day
            and timezone.localtime(a.ends_at - datetime.timedelta(microseconds=1)).date() >= day
        ]
        days.append(agenda_day)
    week = AgendaWeek(monday=monday, days=days, appointments=appointments, presence_days=presence_days)
    if appointments:
        year, week_number, _weekday = monday.isocalendar()
        record_list_read(
            user=user, model=Appointment, region_id=region.pk,
            label=_("Agenda, week %(week)s") % {"week": f"{year}-W{week_number:02d}"},
            details={
                "brugfiguur": owner.pk if owner is not None else None,
                "appointments": [a.pk for a in appointments],
                "cases": sorted({a.visible_case.pk for a in appointments if a.visible_case is not None}),
            },
        )
    return week


def presence_rules(*, user: User, region: Region, owners: list[User], today: datetime.date) -> list[PresenceDay]:
    """The weekly presence days of `owners` that hold today or start later (ended ones are history),
    with whether the user may end or delete each."""
    days = list(
        scope(user, PresenceDay)
        .filter(region=region, brugfiguur__in=owners)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("school", "brugfiguur")
        .order_by("brugfiguur__first_name", "brugfiguur__last_name", "weekday", "school__name", "pk")
    )
    _mark_rights(user, PresenceDay, days)
    return days


# --- Choices in the forms ----------------------------------------------------------------------------


def school_of_the_day(*, user: Any, region: Region, today: datetime.date) -> School | None:
    """The school where `user` has a presence day `today` in `region` (the first planned), if any:
    casework's contact forms offer it first (registered in AgendaConfig.ready). One query."""
    presence = (
        scope(user, PresenceDay)
        .filter(region=region, brugfiguur_id=getattr(user, "pk", None), weekday=today.weekday(), valid_from__lte=today)
        .exclude(valid_until__lt=today)
        .select_related("school")
        .order_by("pk")
        .first()
    )
    return presence.school if presence is not None else None


def appointment_case_choices(*, user: Any, region: Region, label: str, include: Any = None) -> QuerySet[Case]:
    """The open cases of `region` the user may see, to link an appointment to (and `include`, the
    case it is linked to already, even when closed), recorded as read under `label` (the form's)."""
    condition = Q(status=CaseStatus.OPEN)
    if include:
        condition |= Q(pk=include)
    cases = (
        scope(user, Case)
        .filter(region=region)
        .filter(condition)
        .select_related("young_person", "school")
        .order_by("young_person__first_name", "young_person__last_name", "pk")
    )
    case_ids = list(cases.values_list("pk", flat=True))
    if case_ids:
        record_list_read(user=user, model=Case, region_id=region.pk, label=label, details={"cases": case_ids})
    return cases


def served_schools(*, user: User, region: Region, owners: list[User]) -> QuerySet[School]:
    """The schools of `region` that one of `owners` serves in the pool (a presence day is only at a
    school its brugfiguur serves)."""
    members = PoolMember.objects.filter(region=region, user__in=owners, active=True)
    return scope(user, School).filter(region=region, pool_members__in=members).distinct().order_by("name")


def serves_school(*, region: Region, brugfiguur: User, school: School) -> bool:
    return PoolMember.objects.filter(region=region, user=brugfiguur, active=True, schools=school).exists()


# --- The calendar feed -------------------------------------------------------------------------------


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    """The user's own calendar feed, if they made one."""
    return scope(user, CalendarFeed).filter(user_id=user.pk).first()


def may_have_calendar_feed(*, user: User) -> bool:
    return can(user, Action.CREATE, CalendarFeed(user_id=user.pk))


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The feed behind a secret address, when its user is still an active brugfiguur somewhere;
    otherwise None (the address no longer works)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active or not regions_where(feed.user, "agenda.keep_calendar_feed"):
        return None
    return feed


def feed_appointments(*, feed: CalendarFeed, now: datetime.datetime | None = None) -> list[Appointment]:
    """The feed user's own appointments from FEED_DAYS_BACK days ago to FEED_DAYS_AHEAD days ahead,
    in the regions where they still are a brugfiguur (read as that user, through the policy)."""
    now = now or timezone.now()
    user = feed.user
    regions = regions_where(user, "agenda.keep_calendar_feed")
    return list(
        scope(user, Appointment)
        .filter(brugfiguur=user, region__in=regions)
        .filter(ends_at__gte=now - datetime.timedelta(days=FEED_DAYS_BACK))
        .filter(starts_at__lte=now + datetime.timedelta(days=FEED_DAYS_AHEAD))
        .select_related("school")
        .order_by("starts_at", "pk")
    )
