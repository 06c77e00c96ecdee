"""Reads of signals to policy. Every selector takes the `user` and starts from `access.scope`, so it
returns only what that user may see; lists run a fixed number of queries however many signals,
backers or cases there are.

Evidence is counted over every linked case, whoever may see them: the count names nobody, and it is
all that policy, school contacts and colleagues outside a case's team ever get of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.audit.reads import record_list_read, record_read
from brugwerk.cases.models import Case
from brugwerk.cases.selectors import cases_visible_to
from brugwerk.cases.timescope import countable
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.regions.models import Region, School
from brugwerk.signals.models import (
    POLICY_STATUSES,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
    SignalTheme,
)

if TYPE_CHECKING:
    from brugwerk.accounts.models import User

EVIDENCE_CANDIDATES = 20  # cases shown at once when looking for evidence


@dataclass(frozen=True)
class SignalFilter:
    query: str = ""
    theme: SignalTheme | None = None
    level: str = ""
    status: str = ""
    school: School | None = None


def _count_of(model: type[Model], **extra: Any) -> Coalesce:
    """The number of `model` rows of each signal, as a subquery (no join that multiplies rows)."""
    rows = (
        model._default_manager.filter(signal=OuterRef("pk"), **extra)
        .order_by()
        .values("signal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _with_counts(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    return queryset.select_related("theme", "school", "municipality", "zone").annotate(
        evidence_count=_count_of(SignalEvidence), backer_count=_count_of(SignalBacking)
    )


def signals_for(
    *, user: User, region: Region, filters: SignalFilter | None = None, policy_only: bool = False
) -> QuerySet[Signal]:
    """The region's signals the user may see, with their evidence and backer counts; `policy_only`
    keeps those passed on to policy (the list policy makers work from)."""
    signals = scope(user, Signal).filter(region=region)
    if policy_only:
        signals = signals.filter(status__in=POLICY_STATUSES, passed_on_on__isnull=False).order_by(
            "-passed_on_on", "-pk"
        )
    f = filters or SignalFilter()
    if f.theme is not None:
        signals = signals.filter(theme=f.theme)
    if f.level:
        signals = signals.filter(level=f.level)
    if f.status:
        signals = signals.filter(status=f.status)
    if f.school is not None:
        signals = signals.filter(school=f.school)
    for word in (f.query or "").split()[:5]:
        signals = signals.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return _with_counts(signals)


def policy_signals(*, user: User, region: Region) -> QuerySet[Signal]:
    """The signals passed on to policy, newest first, each with the responses the user may see
    (`visible_responses`): one query for the signals, one for all their responses."""
    responses = scope(user, SignalResponse).order_by("received_on", "pk")
    return signals_for(user=user, region=region, policy_only=True).prefetch_related(
        Prefetch("responses", queryset=responses, to_attr="visible_responses")
    )


def signal_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> Signal:
    """One signal with its counts and, as lists, what the user may see of it: `backing_list`,
    `history`, `response_list` and `my_evidence` (the linked cases the user sees themselves)."""
    signal = get_object_or_404(user, _with_counts(Signal.objects.select_related("created_by")), action, pk=pk)
    signal.backing_list = list(
        scope(user, SignalBacking).filter(signal=signal).select_related("brugfiguur").order_by("backed_on", "pk")
    )
    signal.history = list(
        scope(user, SignalStatusChange).filter(signal=signal).select_related("changed_by")
        .order_by("changed_on", "changed_at", "pk")
    )
    signal.response_list = list(
        scope(user, SignalResponse).filter(signal=signal).select_related("recorded_by").order_by("received_on", "pk")
    )
    signal.my_evidence = list(
        scope(user, SignalEvidence).filter(signal=signal)
        .select_related("case__young_person", "case__school", "added_by").order_by("added_at", "pk")
    )
    return signal


def signal_for_page(*, user: User, pk: Any) -> Signal:
    """`signal_get` for the signal's page, recorded as read: the cases of the user's own evidence
    (their young people's names are shown) and the backers."""
    signal = signal_get(user=user, pk=pk)
    record_read(
        user=user,
        subject=signal,
        details={
            "evidence_cases": [e.case_id for e in signal.my_evidence],
            "backers": [b.brugfiguur_id for b in signal.backing_list],
        },
    )
    return signal


def evidence_candidates(
    *, user: User, region: Region, query: str = "", exclude_signal_id: int | None = None
) -> QuerySet[Case]:
    """Cases of the region the user sees (open and closed), found by the young person's name or the
    school, without those already linked to the signal."""
    cases = cases_visible_to(user=user, region=region, query=query)
    if exclude_signal_id is not None:
        cases = cases.exclude(signal_evidence__signal_id=exclude_signal_id)
    return cases


def evidence_candidates_shown(*, user: User, signal: Signal, query: str = "") -> list[Case]:
    """The first `EVIDENCE_CANDIDATES` of `evidence_candidates` for `signal`, recorded as read."""
    candidates = list(
        evidence_candidates(user=user, region=signal.region, query=query, exclude_signal_id=signal.pk)[
            :EVIDENCE_CANDIDATES
        ]
    )
    record_list_read(
        user=user, model=Case, region_id=signal.region_id, label=_("Cases offered as evidence for a signal"),
        details={"signal": signal.pk, "search": query, "cases": [case.pk for case in candidates]},
    )
    return candidates


def signal_counts(*, user: User, region: Region) -> dict[str, int]:
    """How many signals the user sees per status (for a start page): counts only."""
    rows = scope(user, Signal).filter(region=region).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(SignalStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def _step_kind(to_status: str) -> str:
    if to_status == SignalStatus.DISCUSSED:
        return _("discussing a signal in the pool")
    if to_status == SignalStatus.PASSED_ON:
        return _("passing a signal on to policy")
    return _("following up a signal")


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """Time spent on signals in [start, end] (pillar 2, expertise): writing them up, and the pool
    discussions and meetings with policy where their time was recorded. Summed in the database,
    one row per kind, school and person."""
    totals: dict[tuple[str, int | None, int], list[int]] = {}

    def add(kind: str, school_id: int | None, person_id: int, minutes: int, count: int) -> None:
        total = totals.setdefault((kind, school_id, person_id), [0, 0])
        total[0] += minutes
        total[1] += count

    written = (
        countable(user=user, region=region, model=Signal)
        .filter(region=region, recorded_on__range=(start, end), minutes__isnull=False)
        .order_by()
        .values("school_id", "created_by_id")
        .annotate(total=Sum("minutes"), n=Count("pk"))
    )
    for row in written:
        add(_("writing up a signal"), row["school_id"], row["created_by_id"], row["total"], row["n"])
    steps = (
        countable(user=user, region=region, model=SignalStatusChange)
        .filter(signal__region=region, changed_on__range=(start, end), minutes__isnull=False)
        .order_by()
        .values("to_status", "signal__school_id", "changed_by_id")
        .annotate(total=Sum("minutes"), n=Count("pk"))
    )
    for row in steps:
        add(_step_kind(row["to_status"]), row["signal__school_id"], row["changed_by_id"], row["total"], row["n"])
    return [
        TimeSpent(pillar=Pillar.EXPERTISE, kind=kind, school_id=school_id, person_id=person_id, minutes=minutes,
                  activities=count)
        for (kind, school_id, person_id), (minutes, count) in totals.items()
    ]
