"""What every kind of activity tells about the time it took, so that time per pillar, per school and
per brugfiguur can be counted across apps (and later allocation and impact work can use it).

Each app that records activities offers a selector

    time_spent(*, user, region, start, end) -> list[TimeSpent]

that returns, for the activities in [start, end] that `user` may see (through `brugwerk.access`),
one row per (kind, school, person) with the summed minutes. `brugwerk.timeuse.sources` lists them.

`start` and `end` are dates, both included (an activity on `end` counts). How much of a region's
time a user may count is one question for all sources, `time_scope(user=..., region=...)`:

- `TimeScope.POOL`: everybody's time in the region (the coordinator);
- `TimeScope.FIGURES`: the region's totals, also of activities the user may not open (policy
  makers see no casework record but do see how much time went to it); only sums leave a source;
- `TimeScope.OWN`: the time the user spent themselves (a brugfiguur), plus whatever else
  `access.scope` lets them see;
- None: nothing (`time_spent` returns []).
The overview (`brugwerk.timeuse.selectors.time_overview`) decides how fine the figures it shows
are: persons only for POOL, the user's own row only for OWN, no persons for FIGURES.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from brugwerk.access import Action, may, scope
from brugwerk.accounts.models import User


class Pillar(models.TextChoices):
    OUTREACH = "outreach", _("Outreach and direct support")
    EXPERTISE = "expertise", _("Expertise at school level")
    GROUPS_NETWORK = "groups_network", _("Group offerings and networking")
    LEARNING = "learning", _("Intervision, coaching and learning")


@dataclass(frozen=True)
class TimeSpent:
    pillar: str  # a Pillar value
    kind: str  # the kind of activity, e.g. "home visit", "training"; translated label
    school_id: int | None  # None: not at one school (neighbourhood, region-wide meeting)
    person_id: int  # the user who spent the time (a brugfiguur of the pool)
    minutes: int
    activities: int  # how many activities these minutes come from


class TimeScope(StrEnum):
    POOL = "pool"
    FIGURES = "figures"
    OWN = "own"


def time_scope(*, user: User, region: Any) -> TimeScope | None:
    """How much of `region`'s time `user` may count, asked of the access policy with the questions
    casework already answers, so that no new list of roles appears here:

    - POOL for whoever oversees the pool's caseload (`cases.view_caseload`: who moves cases between
      bridge figures, the coordinator): time per person is the same kind of pool management
      figure as cases per person;
    - FIGURES for whoever sees the region's casework totals that name nobody (`cases.view_figures`:
      the policy makers);
    - OWN for whoever records contact moments in the region (`cases.record_contacts`: the bridge
      figures), who count their own time.
    A user with several of these permissions gets the widest."""
    if region is None:
        return None
    if may(user, "cases.view_caseload", region=region):
        return TimeScope.POOL
    if may(user, "cases.view_figures", region=region):
        return TimeScope.FIGURES
    if may(user, "cases.record_contacts", region=region):
        return TimeScope.OWN
    return None


def countable(*, user: User, region: Any, model: type[models.Model]) -> models.QuerySet:
    """The records of `model` a time source sums for `user`: the region's pool manager (POOL) and its
    policy makers (FIGURES) count the whole region's time — only sums leave a source, never a record;
    a brugfiguur (OWN) counts what the policy lets them see (the overview keeps their own rows);
    anyone else counts nothing. The caller still filters by region and period."""
    level = time_scope(user=user, region=region)
    if level is None:
        return model._default_manager.none()
    if level is TimeScope.OWN:
        return scope(user, model, Action.VIEW)
    return model._default_manager.all()
