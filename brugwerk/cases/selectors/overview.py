"""Reads of casework for the overview pages: the pool's caseload (the coordinator's page), waiting
lists summed per school and per zone, and the region's casework in figures (policy makers).

Every read starts from `access.scope` and runs a fixed number of queries, however many cases,
contacts or referrals there are: counts are made by the database, per pool member in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from brugwerk.access import may, scope
from brugwerk.accounts.models import User
from brugwerk.cases.models import OPEN_REFERRAL_STATUSES, Case, CaseStatus, ContactMoment, Referral, ReferralStatus
from brugwerk.core.dates import start_of
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, ZoneMembership

# "Contacts in the last 30 days": from the start of the day 30 days ago to the end of today.
RECENT_CONTACT_DAYS = 30


def _recent(today: datetime.date) -> dict[str, datetime.datetime]:
    return {
        "occurred_at__gte": start_of(today - datetime.timedelta(days=RECENT_CONTACT_DAYS)),
        "occurred_at__lt": start_of(today + datetime.timedelta(days=1)),
    }


def _per_fte(count: int, fte: Decimal) -> Decimal:
    return (Decimal(count) / fte).quantize(Decimal("0.1")) if fte else Decimal("0.0")


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of `queryset` (filtered on one region, correlated with OuterRef) as a
    subquery: grouped on the region, so it is one number per outer row, 0 when there are none."""
    counted = queryset.order_by().values("region_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- The pool's caseload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadFigures:
    open_cases: int
    cases_per_fte: Decimal
    new_this_month: int
    closed_this_month: int
    contacts_last_30_days: int
    waiting: int


@dataclass(frozen=True)
class PoolCaseloadRow:
    member: PoolMember
    figures: CaseloadFigures


@dataclass(frozen=True)
class PoolCaseload:
    """Per active pool member: their open cases (as lead), per FTE, opened and closed this month,
    their contacts of the last 30 days, and the referrals waiting at the schools they serve. The
    region's totals count every case, contact and referral of the region once (a case led by
    somebody outside the pool, a low-threshold contact, a referral without a school all count)."""

    rows: list[PoolCaseloadRow] = field(default_factory=list)
    total_fte: Decimal = Decimal("0")
    totals: CaseloadFigures = CaseloadFigures(0, Decimal("0.0"), 0, 0, 0, 0)
    month_start: datetime.date | None = None


def pool_caseload(*, user: User, region: Region, today: datetime.date | None = None) -> PoolCaseload:
    """The coordinator's overview of the pool (empty for anyone else); six queries."""
    if not may(user, "cases.view_caseload", region=region):
        return PoolCaseload()
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    cases = scope(user, Case).filter(region=region)
    contacts = scope(user, ContactMoment).filter(region=region, **_recent(today))
    waiting = scope(user, Referral).filter(region=region, status__in=OPEN_REFERRAL_STATUSES)
    lead = "user_id"  # the member's user leads the counted cases and registered the contacts
    members = (
        scope(user, PoolMember)
        .filter(region=region, active=True)
        .annotate(
            open_cases=_count(cases.filter(status=CaseStatus.OPEN, lead_id=OuterRef(lead))),
            new_this_month=_count(cases.filter(lead_id=OuterRef(lead), opened_on__gte=month_start,
                                               opened_on__lte=today)),
            closed_this_month=_count(cases.filter(lead_id=OuterRef(lead), status=CaseStatus.CLOSED,
                                                  closed_on__gte=month_start, closed_on__lte=today)),
            recent_contacts=_count(contacts.filter(brugfiguur_id=OuterRef(lead))),
            waiting_at_schools=_count(waiting.filter(school__pool_members=OuterRef("pk"))),
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    rows = [
        PoolCaseloadRow(
            member=m,
            figures=CaseloadFigures(
                open_cases=m.open_cases,
                cases_per_fte=_per_fte(m.open_cases, m.fte),
                new_this_month=m.new_this_month,
                closed_this_month=m.closed_this_month,
                contacts_last_30_days=m.recent_contacts,
                waiting=m.waiting_at_schools,
            ),
        )
        for m in members
    ]
    region_cases = cases.aggregate(
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        new=Count("pk", filter=Q(opened_on__gte=month_start, opened_on__lte=today)),
        closed=Count("pk", filter=Q(status=CaseStatus.CLOSED, closed_on__gte=month_start, closed_on__lte=today)),
    )
    total_fte = sum((row.member.fte for row in rows), Decimal("0"))
    totals = CaseloadFigures(
        open_cases=region_cases["open"],
        cases_per_fte=_per_fte(region_cases["open"], total_fte),
        new_this_month=region_cases["new"],
        closed_this_month=region_cases["closed"],
        contacts_last_30_days=contacts.count(),
        waiting=waiting.count(),
    )
    return PoolCaseload(rows=rows, total_fte=total_fte, totals=totals, month_start=month_start)


# --- Waiting lists in numbers ------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingGroup:
    """The referrals not decided on yet of one school or zone: still to triage (received) and
    queued on the waiting list, and how many days the oldest of them has waited."""

    label: str  # the school's or zone's name; "" for referrals without a school or zone
    pk: int | None
    awaiting_triage: int
    queued: int
    oldest_days: int

    @property
    def total(self) -> int:
        return self.awaiting_triage + self.queued


@dataclass(frozen=True)
class WaitingSummary:
    schools: list[WaitingGroup] = field(default_factory=list)
    zones: list[WaitingGroup] = field(default_factory=list)
    awaiting_triage: int = 0
    queued: int = 0
    oldest_days: int | None = None

    @property
    def total(self) -> int:
        return self.awaiting_triage + self.queued


def _merge(label: str, pk: int | None, groups: list[WaitingGroup]) -> WaitingGroup:
    return WaitingGroup(
        label=label,
        pk=pk,
        awaiting_triage=sum(g.awaiting_triage for g in groups),
        queued=sum(g.queued for g in groups),
        oldest_days=max(g.oldest_days for g in groups),
    )


def _by_label(group: WaitingGroup) -> tuple[bool, str]:
    """By name, the group without a school or zone last."""
    return group.label == "", group.label.lower()


def waiting_summary(*, user: User, region: Region, today: datetime.date | None = None) -> WaitingSummary:
    """The referrals the user sees that wait for a decision (received or queued), counted per school
    and per zone (the zone of the school's municipality today), with the longest waiting time. Counts
    only, no pupil's name; two queries."""
    today = today or timezone.localdate()
    rows = (
        scope(user, Referral)
        .filter(region=region, status__in=OPEN_REFERRAL_STATUSES)
        .order_by()
        .values("school_id", "school__name", "school__municipality_id")
        .annotate(
            received=Count("pk", filter=Q(status=ReferralStatus.RECEIVED)),
            queued=Count("pk", filter=Q(status=ReferralStatus.WAITING)),
            oldest=Min("received_at"),
        )
    )
    schools = [
        (
            row["school__municipality_id"],
            WaitingGroup(
                label=row["school__name"] or "",
                pk=row["school_id"],
                awaiting_triage=row["received"],
                queued=row["queued"],
                oldest_days=max((today - timezone.localdate(row["oldest"])).days, 0),
            ),
        )
        for row in rows
    ]
    if not schools:
        return WaitingSummary()
    zone_of = {
        municipality_id: (zone_id, zone_name)
        for municipality_id, zone_id, zone_name in scope(user, ZoneMembership)
        .filter(zone__region=region, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=today))
        .order_by("valid_from", "pk")
        .values_list("municipality_id", "zone_id", "zone__name")
    }
    by_zone: dict[tuple[int | None, str], list[WaitingGroup]] = {}
    for municipality_id, group in schools:
        zone_id, zone_name = zone_of.get(municipality_id, (None, ""))
        by_zone.setdefault((zone_id, zone_name), []).append(group)
    groups = [group for _, group in schools]
    return WaitingSummary(
        schools=sorted(groups, key=_by_label),
        zones=sorted((_merge(name, pk, members) for (pk, name), members in by_zone.items()), key=_by_label),
        awaiting_triage=sum(g.awaiting_triage for g in groups),
        queued=sum(g.queued for g in groups),
        oldest_days=max(g.oldest_days for g in groups),
    )


# --- The region in figures (policy makers) -----------------------------------------------------------


@dataclass(frozen=True)
class CaseworkFigures:
    open_cases: int
    cases_opened_this_year: int
    contacts_last_30_days: int
    low_threshold_contacts_last_30_days: int
    referrals_this_year: int
    referrals_waiting: int


def casework_figures(*, user: User, region: Region, today: datetime.date | None = None) -> CaseworkFigures | None:
    """Totals of the region's casework that name nobody, for its policy makers and its coordinator
    (None for anyone else). Policy makers see no casework record (docs/access.md), so these counts
    are made over the region's records without the record-level policy, and only counts leave this
    function. Three queries."""
    if not may(user, "cases.view_figures", region=region):
        return None
    today = today or timezone.localdate()
    year_start = today.replace(month=1, day=1)
    cases = Case.objects.filter(region=region).aggregate(
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        opened=Count("pk", filter=Q(opened_on__gte=year_start, opened_on__lte=today)),
    )
    contacts = ContactMoment.objects.filter(region=region, **_recent(today)).aggregate(
        all=Count("pk"), low_threshold=Count("pk", filter=Q(case__isnull=True))
    )
    referrals = Referral.objects.filter(region=region).aggregate(
        this_year=Count("pk", filter=Q(received_at__gte=start_of(year_start))),
        waiting=Count("pk", filter=Q(status__in=OPEN_REFERRAL_STATUSES)),
    )
    return CaseworkFigures(
        open_cases=cases["open"],
        cases_opened_this_year=cases["opened"],
        contacts_last_30_days=contacts["all"],
        low_threshold_contacts_last_30_days=contacts["low_threshold"],
        referrals_this_year=referrals["this_year"],
        referrals_waiting=referrals["waiting"],
    )
