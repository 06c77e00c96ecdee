"""Time per pillar, per school and per bridge figure: the sources of every app combined.

Each source (`brugwerk.timeuse.sources`) sums its activities in the database and returns one row
per (kind, school, person), so the overview runs a fixed number of queries per source however much
was recorded, plus three to name the schools and people. Who sees how much is decided once, by
`cases.timescope.time_scope`: the coordinator everybody's time, a bridge figure their own, a policy
maker the totals per pillar and school without persons; anyone else nothing (None).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, scope
from brugwerk.accounts.models import User
from brugwerk.cases.timescope import time_scope
from brugwerk.core.timeuse import Pillar, TimeScope, TimeSpent
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School
from brugwerk.timeuse import sources
from brugwerk.timeuse.periods import HOURS_PER_WEEK, Period

PILLARS: list[Pillar] = list(Pillar)
TENTH = Decimal("0.1")


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return _tenths(Decimal(part) * 100 / Decimal(whole)) if whole else None


@dataclass(frozen=True)
class Figure:
    """Minutes and the number of activities they come from."""

    minutes: int = 0
    activities: int = 0

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.minutes + other.minutes, self.activities + other.activities)

    @property
    def hours(self) -> Decimal:
        return _tenths(Decimal(self.minutes) / 60)


def _total(figures: list[Figure]) -> Figure:
    return sum(figures, Figure())


@dataclass(frozen=True)
class PillarRow:
    pillar: str
    label: str
    figure: Figure
    share: Decimal | None  # % of all the time in the overview


@dataclass(frozen=True)
class KindRow:
    pillar: str
    pillar_label: str
    kind: str
    figure: Figure


@dataclass(frozen=True)
class SchoolRow:
    school_id: int | None  # None: time not spent at one school
    label: str
    pillars: list[Figure]  # in the order of PILLARS
    total: Figure
    share: Decimal | None


@dataclass(frozen=True)
class PersonRow:
    person_id: int
    label: str
    member_id: int | None  # their pool membership in the region, if any
    fte: Decimal | None
    pillars: list[Figure]
    total: Figure
    hours_available: Decimal | None  # FTE x 38 h x the weeks of the period up to today
    use: Decimal | None  # total hours as % of the hours available


@dataclass(frozen=True)
class TimeOverview:
    scope: TimeScope
    period: Period
    weeks: Decimal  # weeks of the period up to today, for the hours available
    total: Figure
    pillars: list[PillarRow]
    kinds: list[KindRow]
    schools: list[SchoolRow]
    persons: list[PersonRow] = field(default_factory=list)  # everyone (POOL) or the user (OWN)

    @property
    def shows_persons(self) -> bool:
        return self.scope in (TimeScope.POOL, TimeScope.OWN)


def _collect(user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """The rows of every source."""
    rows: list[TimeSpent] = []
    for _dotted, source in sources.available_sources():
        rows.extend(source(user=user, region=region, start=start, end=end))
    return rows


def _by_pillar(rows: list[TimeSpent]) -> list[Figure]:
    sums: dict[str, Figure] = defaultdict(Figure)
    for row in rows:
        sums[row.pillar] += Figure(row.minutes, row.activities)
    return [sums[pillar] for pillar in PILLARS]


def _grouped(rows: list[TimeSpent], key: str) -> dict[Any, list[TimeSpent]]:
    groups: dict[Any, list[TimeSpent]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def _school_rows(user: User, region: Region, level: TimeScope, rows: list[TimeSpent], whole: int) -> list[SchoolRow]:
    """Per school of the region, by name: every school for the region's figures (a school without
    time shows too, which matters when hours are allocated), the schools with time for one person;
    then the time not spent at one school."""
    per_school = _grouped(rows, "school_id")
    schools = scope(user, School, Action.VIEW).filter(region=region)
    if level is TimeScope.OWN:
        schools = schools.filter(pk__in=[pk for pk in per_school if pk is not None])
    named = list(schools.order_by("name", "pk").values_list("pk", "name"))
    known = {pk for pk, _name in named}
    # Time at a school the user cannot look up (none is expected) is still counted, without its name.
    elsewhere = [row for pk, group in per_school.items() if pk not in known for row in group]
    result = []
    for pk, name in named:
        pillars = _by_pillar(per_school.get(pk, []))
        total = _total(pillars)
        result.append(SchoolRow(pk, name, pillars, total, _percent(total.minutes, whole)))
    if elsewhere:
        pillars = _by_pillar(elsewhere)
        total = _total(pillars)
        result.append(SchoolRow(None, _("Not at one school"), pillars, total, _percent(total.minutes, whole)))
    return result


def _person_rows(
    user: User, region: Region, level: TimeScope, rows: list[TimeSpent], weeks: Decimal
) -> list[PersonRow]:
    """Per person with their FTE in the pool: the coordinator sees the whole pool (active members
    without time too, and people outside the pool who recorded time); a bridge figure themselves."""
    per_person = _grouped(rows, "person_id")
    members_qs = scope(user, PoolMember, Action.VIEW).filter(region=region).select_related("user")
    if level is TimeScope.OWN:
        members = list(members_qs.filter(user_id=user.pk))
        wanted = {user.pk}
    else:
        members = [m for m in members_qs if m.active or m.user_id in per_person]
        wanted = {m.user_id for m in members} | set(per_person)
    member_of = {m.user_id: m for m in members}
    outside = wanted - set(member_of)
    if level is TimeScope.OWN:
        names = {user.pk: str(user)}
    else:
        names = {m.user_id: str(m.user) for m in members}
        if outside:
            names |= {u.pk: str(u) for u in scope(user, User, Action.VIEW).filter(pk__in=outside)}
    result = []
    for person_id in wanted:
        member = member_of.get(person_id)
        pillars = _by_pillar(per_person.get(person_id, []))
        total = _total(pillars)
        available = _tenths(member.fte * HOURS_PER_WEEK * weeks) if member else None
        result.append(
            PersonRow(
                person_id=person_id,
                label=names.get(person_id) or _("Person %(number)s") % {"number": person_id},
                member_id=member.pk if member else None,
                fte=member.fte if member else None,
                pillars=pillars,
                total=total,
                hours_available=available,
                use=_percent(Decimal(total.minutes) / 60, available) if available else None,
            )
        )
    # Pool members first, then the others; by name.
    return sorted(result, key=lambda r: (r.member_id is None, r.label.lower(), r.person_id))


def time_overview(
    *, user: User, region: Region, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> TimeOverview | None:
    """The time spent in `region` from `start` to `end` (both included) that `user` may count,
    per pillar (hours, % of the total, number of activities), per activity kind, per school (per
    pillar) and per person (per pillar, against the hours their FTE gives in the period); None for
    whoever may count nothing there. A bridge figure's overview holds only their own time, a
    policy maker's no persons."""
    level = time_scope(user=user, region=region)
    if level is None or start > end:
        return None
    period = Period(start, end)
    weeks = period.elapsed_weeks(today or timezone.localdate())
    rows = _collect(user, region, start, end)
    if level is TimeScope.OWN:
        rows = [row for row in rows if row.person_id == user.pk]
    pillars = _by_pillar(rows)
    total = _total(pillars)
    kinds: dict[tuple[str, str], Figure] = defaultdict(Figure)
    for row in rows:
        kinds[(row.pillar, row.kind)] += Figure(row.minutes, row.activities)
    order: dict[str, int] = {pillar: i for i, pillar in enumerate(PILLARS)}
    labels = {pillar.value: str(pillar.label) for pillar in PILLARS}
    return TimeOverview(
        scope=level,
        period=period,
        weeks=_tenths(weeks),
        total=total,
        pillars=[
            PillarRow(pillar.value, str(pillar.label), figure, _percent(figure.minutes, total.minutes))
            for pillar, figure in zip(PILLARS, pillars, strict=True)
        ],
        kinds=[
            KindRow(pillar, labels.get(pillar, pillar), kind, figure)
            for (pillar, kind), figure in sorted(kinds.items(), key=lambda i: (order.get(i[0][0], 99), -i[1].minutes))
        ],
        schools=_school_rows(user, region, level, rows, total.minutes),
        persons=[] if level is TimeScope.FIGURES else _person_rows(user, region, level, rows, weeks),
    )
