"""Where time comes from: one `time_spent(*, user, region, start, end) -> list[TimeSpent]` selector
per app that records activities (see `brugwerk.core.timeuse`), as dotted paths.

They are imported when asked for, so that this module does not tie the apps together at start-up.
A source that does not exist raises: time that silently goes uncounted is worse than an error."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

from brugwerk.core.timeuse import TimeSpent

SOURCES: list[str] = [
    "brugwerk.cases.selectors.timeuse.time_spent",  # pillar 1: contact moments
    "brugwerk.expertise.selectors.time_spent",  # pillar 2: school-team activities
    "brugwerk.signals.selectors.time_spent",  # pillar 2: signals to policy
    "brugwerk.groups.selectors.time_spent",  # pillar 3: group offerings
    "brugwerk.cooperation.selectors.time_spent",  # pillar 3: network meetings
    "brugwerk.learning.selectors.time_spent",  # intervision, coaching, learning networks
]

TimeSource = Callable[..., list[TimeSpent]]


def load(dotted: str) -> TimeSource:
    return import_string(dotted)


def available_sources() -> list[tuple[str, TimeSource]]:
    """Every source of `SOURCES` with its dotted path, in order. A source that does not exist is a
    bug (its time would silently go uncounted), so it raises."""
    return [(dotted, load(dotted)) for dotted in SOURCES]
