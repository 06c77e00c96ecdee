"""What each role's start page shows first. One section per role the user holds in the region;
every section reads through the access policy and runs a fixed number of queries.

Sections that show people (pool members, contact points, login attempts) name what they showed in
`shown`, so that the view can record it in the audit trail (selectors do not write)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from brugwerk.access import Action, may, organisations_of, schools_of, scope
from brugwerk.accounts.models import User
from brugwerk.accounts.selectors import user_count_in_region, users_without_second_factor_count
from brugwerk.agenda.models import Appointment, PresenceDay
from brugwerk.audit.models import AuditEntry
from brugwerk.audit.reads import record_list_read
from brugwerk.audit.selectors import audit_page_visible, recent_account_trouble
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    ContactMoment,
    Goal,
    GoalStatus,
    Referral,
    ReferralOut,
    ReferralOutStatus,
)
from brugwerk.cases.selectors import caseload, inactive_cases, overdue_feedback, referrals_of_referrer
from brugwerk.cases.selectors.overview import casework_figures, waiting_summary
from brugwerk.cases.selectors.settings import casework_settings
from brugwerk.cooperation.models import MeetingAction
from brugwerk.cooperation.selectors import agreement_overview, open_actions
from brugwerk.core.dates import start_of
from brugwerk.core.dates import subtract_working_days as working_days_before
from brugwerk.expertise.selectors import expertise_figures, own_activity_summary, school_summary
from brugwerk.groups.selectors import upcoming_sessions
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone
from brugwerk.signals.models import SignalStatus
from brugwerk.signals.selectors import signal_counts
from brugwerk.timeuse.periods import this_month
from brugwerk.timeuse.selectors import Figure, PillarRow, time_overview

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from brugwerk.cases.selectors import CaseloadRow

# Agreed actions show as "to follow up" from this many days before they are due.
FOLLOW_UP_DAYS_AHEAD = 7
# Each list on a start page shows this many items at most, with a link to the whole list.
START_LIST_LENGTH = 10
# The short lists of the cards of pillars 2 and 3 (open actions, schools, group sessions).
START_CARD_LENGTH = 5


@dataclass
class Shown:
    """A list of personal records the page showed, for one audit entry."""

    model: type[models.Model]
    label: str
    ids: list[Any] = field(default_factory=list)


def _record_shown(*, user: User, region: Region, shown: list[Shown]) -> None:
    """The personal records the start page shows, recorded as read (one entry per list)."""
    for item in shown:
        if item.ids:
            record_list_read(
                user=user, model=item.model, region_id=region.pk, label=item.label,
                details={"page": "start", "shown": item.ids},
            )


def _schools(user: User) -> models.QuerySet[School]:
    return scope(user, School, Action.VIEW).select_related("municipality").order_by("name")


@dataclass(frozen=True)
class TimePerPillar:
    """The time of this month up to today per pillar, for a start-page card: only the pillars and
    their total (never the persons or schools the time overview holds)."""

    start: datetime.date
    end: datetime.date
    total: Figure
    pillars: list[PillarRow]
    scope: str  # whose time: a core.timeuse.TimeScope value


def time_this_month(*, user: User, region: Region, today: datetime.date | None = None) -> TimePerPillar | None:
    """Hours per pillar from the first of this month up to today, counted as the time overview
    counts them for the user (a bridge figure their own time, the coordinator the pool's, a policy
    maker the region's); None for whoever may count no time. A fixed number of queries."""
    today = today or timezone.localdate()
    start = this_month(today).start
    overview = time_overview(user=user, region=region, start=start, end=today, today=today)
    if overview is None:
        return None
    return TimePerPillar(
        start=start, end=today, total=overview.total, pillars=overview.pillars, scope=str(overview.scope)
    )


def _my_open_cases(user: User, region: Region, today: datetime.date) -> list[Case]:
    """The open cases of `region` the user leads or that are shared with them today (also when they
    coordinate the region too: this is their own work), with `last_contact_at`."""
    uid = user.pk
    shared = CaseShare.objects.active_on(today).filter(user_id=uid).values("case_id")
    last_contact = ContactMoment.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")
    return list(
        scope(user, Case)
        .filter(region=region, status=CaseStatus.OPEN)
        .filter(Q(lead_id=uid) | Q(pk__in=shared))
        .annotate(last_contact_at=Subquery(last_contact[:1]))
        .select_related("young_person", "school")
        .order_by("young_person__first_name", "young_person__last_name", "pk")
    )


def brugfiguur_section(
    *, user: User, region: Region, shown: list[Shown], today: datetime.date | None = None
) -> dict[str, Any]:
    """The bridge figure's day: their open cases, what to follow up (agreed actions due within a week
    or overdue, goals past their target date), referrals out without feedback for longer than the
    region allows, today's appointments, reminders for cases without contact for the region's number
    of days; and their place in the pool. Of pillars 2 and 3: their school-team activities of this
    school year, their open network actions (overdue first) and the next sessions of the group
    offerings they organise. A fixed number of queries, however many records."""
    today = today or timezone.localdate()
    uid = user.pk
    member = (
        scope(user, PoolMember, Action.VIEW)
        .filter(region=region, user_id=uid)
        .prefetch_related(Prefetch("schools", queryset=_schools(user), to_attr="served"))
        .first()
    )
    cases = _my_open_cases(user, region, today)
    mine = {case.pk: case for case in cases}
    inactive = [case for case in inactive_cases(user=user, region=region, today=today) if case.pk in mine]
    actions = list(
        scope(user, AgreedAction)
        .filter(case_id__in=list(mine), done_at__isnull=True,
                due_date__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS_AHEAD))
        .select_related("case__young_person")
        .order_by("due_date", "pk")
    )
    goals = list(
        scope(user, Goal)
        .filter(case_id__in=list(mine), target_date__lt=today, status__in=[GoalStatus.PLANNED, GoalStatus.IN_PROGRESS])
        .select_related("case__young_person")
        .order_by("target_date", "pk")
    )
    overdue = [
        item for item in overdue_feedback(user=user, region=region, today=today)
        if item.referral_out.case.lead_id == uid or item.referral_out.case_id in mine
    ]
    appointments = list(
        scope(user, Appointment)
        .filter(region=region, brugfiguur_id=uid, ends_at__gt=start_of(today))
        .filter(starts_at__lt=start_of(today + datetime.timedelta(days=1)))
        .select_related("school")
        .order_by("starts_at", "pk")
    )
    for appointment in appointments:
        # Whose case it is shows only for a case the user still guides.
        appointment.visible_case = mine.get(appointment.case_id) if appointment.case_id is not None else None
    case_ids = set(mine) | {item.referral_out.case_id for item in overdue}
    shown.append(Shown(Case, f"{region.name}: my cases and reminders", sorted(case_ids)))
    my_actions = open_actions(user=user, region=region, today=today, mine=True)
    next_actions = list(my_actions[:START_CARD_LENGTH])
    shown.append(Shown(MeetingAction, f"{region.name}: my open actions", [a.pk for a in next_actions]))
    return {
        "member": member,
        "schools": member.served if member else [],
        "today": today,
        "open_cases": cases,
        "inactive_cases": inactive,
        "actions_due": actions,
        "goals_overdue": goals,
        "follow_up_count": len(actions) + len(goals),
        "overdue_feedback": overdue,
        "appointments": appointments,
        "expertise": own_activity_summary(user=user, region=region, today=today),
        "open_actions": next_actions,
        "open_action_count": my_actions.count(),
        "group_sessions": upcoming_sessions(user=user, region=region, today=today, limit=START_CARD_LENGTH),
    }


class PoolOverviewMember(TypedDict):
    """A pool member on the coordinator's start page."""

    served: list[School]  # the schools they serve that the user may see
    caseload: CaseloadRow | None


def coordinator_section(
    *, user: User, region: Region, shown: list[Shown], today: datetime.date | None = None
) -> dict[str, Any]:
    """The pool at a glance with each bridge figure's caseload (open cases, per FTE), the waiting lists
    per school and zone, referrals to triage, referrals out with overdue feedback in the region, the
    schools nobody serves yet, and how many people lack two-factor; of pillars 2 and 3, the signals
    waiting for the pool, the schools whose cooperation agreement is past its evaluation date and the
    network actions past their due date."""
    today = today or timezone.localdate()
    members = cast(
        "list[WithAnnotations[PoolMember, PoolOverviewMember]]",  # `caseload` is set below
        list(
            scope(user, PoolMember, Action.VIEW)
            .filter(region=region, active=True)
            .select_related("user", "home_base")
            .prefetch_related(Prefetch("schools", queryset=_schools(user), to_attr="served"))
            .order_by("user__first_name", "user__last_name")
        ),
    )
    unserved = list(
        scope(user, School, Action.VIEW)
        .filter(region=region)
        .exclude(pool_members__active=True)
        .select_related("municipality")
        .order_by("name")
    )
    loads = {row.member.pk: row for row in caseload(user=user, region=region)}
    for member in members:
        member.caseload = loads.get(member.pk)
    overdue = overdue_feedback(user=user, region=region)
    shown.append(Shown(PoolMember, f"{region.name}: pool overview", [m.pk for m in members]))
    shown.append(Shown(ReferralOut, f"{region.name}: referrals out with overdue feedback",
                       [item.referral_out.pk for item in overdue[:START_LIST_LENGTH]]))
    return {
        "members": members,
        "open_cases": sum(row.open_cases for row in loads.values()),
        "can_see_caseload": may(user, "cases.view_caseload", region=region),
        "waiting": waiting_summary(user=user, region=region),
        "overdue_feedback": overdue[:START_LIST_LENGTH],
        "overdue_count": len(overdue),
        "total_fte": sum((m.fte for m in members), Decimal("0")),
        "unserved_schools": unserved,
        "users_without_second_factor": users_without_second_factor_count(user=user, region=region),
        "can_see_audit": audit_page_visible(user=user, region=region),
        **_pool_follow_up(user=user, region=region, today=today),
    }


def _pool_follow_up(*, user: User, region: Region, today: datetime.date) -> dict[str, Any]:
    """What the coordinator follows up of pillars 2 and 3: counts, and the first schools whose
    cooperation agreement waits for its evaluation. Four queries."""
    signals = signal_counts(user=user, region=region)
    overdue = [row.school for row in agreement_overview(user=user, region=region, today=today)
               if row.evaluation_overdue]
    return {
        "signals_recorded": signals[SignalStatus.RECORDED],
        "signals_discussed": signals[SignalStatus.DISCUSSED],
        "evaluations_overdue": overdue[:START_CARD_LENGTH],
        "evaluations_overdue_count": len(overdue),
        "actions_overdue_count": open_actions(user=user, region=region, today=today).filter(overdue=True).count(),
    }


def schoolcontact_section(
    *, user: User, region: Region, shown: list[Shown], today: datetime.date | None = None
) -> dict[str, Any]:
    """The school contact's school: the bridge figures who serve it and the days they are there, its
    fixed contact points, the referrals the school made with their status (nothing of the case
    behind them), and what the pool did with its school team this school year (counts)."""
    today = today or timezone.localdate()
    school_ids = schools_of(user, region)
    serving = scope(user, PoolMember, Action.VIEW).filter(active=True).select_related("user")
    contacts = scope(user, ContactPoint, Action.VIEW).select_related("organisation")
    presence = (
        scope(user, PresenceDay, Action.VIEW)
        .filter(valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("brugfiguur")
        .order_by("weekday", "brugfiguur__first_name", "brugfiguur__last_name", "pk")
    )
    schools = list(
        _schools(user)
        .filter(region=region, pk__in=school_ids)
        .prefetch_related(
            Prefetch("pool_members", queryset=serving.order_by("user__first_name"), to_attr="serving"),
            Prefetch("contact_points", queryset=contacts.order_by("organisation__name", "person_name"),
                     to_attr="contacts"),
            Prefetch("presence_days", queryset=presence, to_attr="presence"),
        )
    )
    own_school = schools[0] if schools else None  # the one `expertise:my_school` opens (the first by name)
    expertise = school_summary(user=user, school=own_school, today=today) if own_school else None
    referrals = referrals_of_referrer(user=user)
    if referrals:  # the user's own referrals may be of several regions: this region's only
        here = set(
            scope(user, Referral).filter(region=region, pk__in=[r.pk for r in referrals]).values_list("pk", flat=True)
        )
        referrals = [r for r in referrals if r.pk in here]
    shown.append(Shown(PoolMember, f"{region.name}: bridge figures of my school",
                       sorted({m.pk for s in schools for m in s.serving})))
    shown.append(Shown(ContactPoint, f"{region.name}: contact points of my school",
                       sorted({c.pk for s in schools for c in s.contacts})))
    shown.append(Shown(PresenceDay, f"{region.name}: presence days at my school",
                       sorted({p.pk for s in schools for p in s.presence})))
    shown.append(Shown(Referral, f"{region.name}: referrals of my school", [r.pk for r in referrals]))
    return {
        "schools": schools,
        "referrals": referrals,
        "expertise_school": own_school,
        "expertise": expertise.total if expertise else None,
    }


def partner_section(
    *, user: User, region: Region, shown: list[Shown], today: datetime.date | None = None
) -> dict[str, Any]:
    """The partner's organisation and its fixed contact points, and the referrals out to it that wait
    for the partner: not acknowledged yet, or without feedback for longer than the region allows
    (only those whose consent stands; the partner sees what was asked, not the case)."""
    today = today or timezone.localdate()
    organisation_ids = organisations_of(user, region)
    contacts = scope(user, ContactPoint, Action.VIEW).select_related("school", "municipality", "zone")
    organisations = list(
        scope(user, PartnerOrganisation, Action.VIEW)
        .filter(region=region, pk__in=organisation_ids)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("contact_points", queryset=contacts.order_by("person_name"), to_attr="contacts")
        )
        .order_by("name")
    )
    waiting = list(
        scope(user, ReferralOut, Action.VIEW)
        .filter(case__region=region, organisation_id__in=organisation_ids, consent__withdrawn_at__isnull=True)
        .filter(status__in=[ReferralOutStatus.SENT, ReferralOutStatus.ACKNOWLEDGED], last_feedback_at__isnull=True)
        .select_related("organisation", "contact_point", "sent_by")
        .order_by("sent_at", "pk")
    )
    due_before = start_of(working_days_before(today, casework_settings(region=region).feedback_reminder_working_days))
    to_acknowledge = [r for r in waiting if r.status == ReferralOutStatus.SENT]
    overdue = [r for r in waiting if r.sent_at < due_before]
    shown.append(Shown(ContactPoint, f"{region.name}: contact points of my organisation",
                       sorted({c.pk for o in organisations for c in o.contacts})))
    shown.append(Shown(ReferralOut, f"{region.name}: referrals waiting for my organisation",
                       sorted({r.pk for r in to_acknowledge[:START_LIST_LENGTH] + overdue[:START_LIST_LENGTH]})))
    return {
        "organisations": organisations,
        "to_acknowledge": to_acknowledge[:START_LIST_LENGTH],
        "to_acknowledge_count": len(to_acknowledge),
        "overdue_feedback": overdue[:START_LIST_LENGTH],
        "overdue_count": len(overdue),
    }


def beleid_section(*, user: User, region: Region) -> dict[str, Any]:
    """Figures for policy makers: totals only, never a name (also of casework: open cases, contact
    moments, referrals; the signals passed on to them per status; the school-team activities of
    this school year)."""
    schools = scope(user, School, Action.VIEW).filter(region=region).aggregate(
        count=Count("pk"), pupils=Sum("pupil_count")
    )
    pool = scope(user, PoolMember, Action.VIEW).filter(region=region, active=True).aggregate(fte=Sum("fte"))
    expertise = expertise_figures(user=user, region=region)
    return {
        "school_count": schools["count"],
        "pupil_count": schools["pupils"] or 0,
        "fte": pool["fte"] or Decimal("0"),
        "zone_count": scope(user, Zone, Action.VIEW).filter(region=region).count(),
        "municipality_count": scope(user, Municipality, Action.VIEW).filter(region=region).count(),
        "casework": casework_figures(user=user, region=region),
        "signals": _policy_signal_counts(user=user, region=region),
        "expertise": expertise.total if expertise else None,
    }


def _policy_signal_counts(*, user: User, region: Region) -> dict[str, int]:
    counts = signal_counts(user=user, region=region)
    return {
        "passed_on": counts[SignalStatus.PASSED_ON],
        "answered": counts[SignalStatus.ANSWERED],
        "action_taken": counts[SignalStatus.ACTION_TAKEN],
    }


def beheerder_section(*, user: User, region: Region, shown: list[Shown]) -> dict[str, Any]:
    """Accounts at a glance: how many, how many without two-factor, and recent login trouble."""
    trouble = recent_account_trouble(user=user, region=region)
    shown.append(Shown(AuditEntry, f"{region.name}: recent login problems", [e.pk for e in trouble]))
    return {
        "user_count": user_count_in_region(user=user, region=region),
        "users_without_second_factor": users_without_second_factor_count(user=user, region=region),
        "trouble": trouble,
    }


# The sections that show the time card; a user with several of these roles sees it once, in the first.
TIME_SECTIONS = ("coordinator", "brugfiguur", "beleid")


def start_page_for(*, user: User, region: Region | None, roles: frozenset[str]) -> dict[str, Any]:
    """The start page of `user` in `region`: a section for each `home.start_as_…` permission they hold
    there (one per role, home/rules.py), and the time of
    this month per pillar once (its figures are the widest the user may count, whichever role)."""
    context: dict[str, Any] = {"region": region, "roles": roles, "shown": []}
    if region is None:
        return context
    shown: list[Shown] = context["shown"]
    if may(user, "home.start_as_beheerder", region=region):
        context["beheerder"] = beheerder_section(user=user, region=region, shown=shown)
    if may(user, "home.start_as_coordinator", region=region):
        context["coordinator"] = coordinator_section(user=user, region=region, shown=shown)
    if may(user, "home.start_as_brugfiguur", region=region):
        context["brugfiguur"] = brugfiguur_section(user=user, region=region, shown=shown)
    if may(user, "home.start_as_schoolcontact", region=region):
        context["schoolcontact"] = schoolcontact_section(user=user, region=region, shown=shown)
    if may(user, "home.start_as_partner", region=region):
        context["partner"] = partner_section(user=user, region=region, shown=shown)
    if may(user, "home.start_as_beleid", region=region):
        context["beleid"] = beleid_section(user=user, region=region)
    if any(name in context for name in ("coordinator", "brugfiguur", "schoolcontact", "partner")):
        context["casework"] = casework_settings(region=region)  # the reminders' numbers of days
    holders = [name for name in TIME_SECTIONS if name in context]
    if holders:
        context[holders[0]]["time"] = time_this_month(user=user, region=region)
    _record_shown(user=user, region=region, shown=shown)
    return context
