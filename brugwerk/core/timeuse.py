"""What every kind of activity tells about the time it took, so that time per pillar, per school and
per brugfiguur can be counted across apps (and later allocation and impact work can use it).

These are the words of that contract; they sit in `core` because the apps that record activities
(casework and the pillars) lie below `timeuse`, which counts them. Each such app offers a selector

    time_spent(*, user, region, start, end) -> list[TimeSpent]

that returns, for the activities in [start, end] that `user` may see (through `brugwerk.access`),
one row per (kind, school, person) with the summed minutes. `brugwerk.timeuse.sources` lists them.

`start` and `end` are dates, both included (an activity on `end` counts). How much of a region's
time a user may count is one question for all sources, `time_scope(user=..., region=...)` (in
`brugwerk.cases.timescope`, since casework answers it; `countable` there gives a source its records):

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

from django.db import models
from django.utils.translation import gettext_lazy as _


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
