"""The periods the time overview offers: this school year (1 September to 31 August, the default),
this month, the last 30 days, or any dates. Dates are local and both ends are included."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

HOURS_PER_WEEK = Decimal("38")  # a full-time working week; holidays and leave are not taken off

SCHOOL_YEAR = "school_year"
MONTH = "month"
LAST_30_DAYS = "last_30_days"
CUSTOM = "custom"
PRESETS = {
    SCHOOL_YEAR: _("This school year"),
    MONTH: _("This month"),
    LAST_30_DAYS: _("Last 30 days"),
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str = CUSTOM  # one of PRESETS, or CUSTOM

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed_weeks(self, today: datetime.date) -> Decimal:
        """Weeks of the period up to and including `today`: the time that could have been spent so
        far (a school year that has just begun has few hours available yet)."""
        last = min(self.end, today)
        days = (last - self.start).days + 1
        return Decimal(max(days, 0)) / Decimal(7)


def school_year(today: datetime.date) -> Period:
    first = today.year if today.month >= 9 else today.year - 1
    return Period(datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31), SCHOOL_YEAR)


def this_month(today: datetime.date) -> Period:
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return Period(start, following - datetime.timedelta(days=1), MONTH)


def last_30_days(today: datetime.date) -> Period:
    return Period(today - datetime.timedelta(days=29), today, LAST_30_DAYS)


def preset(kind: str, today: datetime.date) -> Period:
    return {SCHOOL_YEAR: school_year, MONTH: this_month, LAST_30_DAYS: last_30_days}[kind](today)
