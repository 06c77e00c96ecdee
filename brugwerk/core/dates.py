"""Days and moments: today in the installation's time zone, the start of a day, and working days
(Monday to Friday; public holidays are not counted out)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def subtract_working_days(day: datetime.date, count: int) -> datetime.date:
    """The working day (Monday to Friday) `count` working days before `day`."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`."""
    days = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days
