"""Time spent on casework (pillar 1, outreach and direct support), for `brugwerk.timeuse`.

Every contact moment carries its duration, school and brugfiguur, with or without a case. They are
summed in the database per (contact type, school, brugfiguur): one query, one row per group, never
one per contact, and no record leaves this module.

How much of a region's time a user may count is `brugwerk.cases.timescope`; the words of the
contract are in `brugwerk.core.timeuse`.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from brugwerk.access import Action, scope
from brugwerk.accounts.models import User
from brugwerk.cases.models import ContactMoment, ContactType
from brugwerk.cases.timescope import time_scope
from brugwerk.core.dates import start_of
from brugwerk.core.timeuse import Pillar, TimeScope, TimeSpent
from brugwerk.regions.models import Region

# --- The time of contact moments ------------------------------------------------------------------


def _countable(user: User, region: Region) -> QuerySet[ContactMoment] | None:
    """The region's contacts whose time `user` may count (see `cases.timescope.time_scope`).

    - The coordinator (POOL) counts what `scope()` gives them, which is every contact of the region,
      with a case or without one (the ContactMoment rule gives the coordinator all of them).
    - A policy maker (FIGURES) sees no contact moment at all (docs/access.md: beleid sees no
      casework record), yet the region's time per pillar and school is theirs to know, as the
      casework totals on their start page are (`cases.selectors.overview.casework_figures`). So
      their contacts are counted over the region without the record-level rule; only sums per
      (type, school, person) leave this function, and the overview shows them no persons.
    - A bridge figure (OWN) counts what `scope()` gives them (their low-threshold contacts and the
      contacts of the cases they lead or share) plus every contact they registered themselves:
      the time they spent stays theirs after the case went to another lead or a share ended."""
    level = time_scope(user=user, region=region)
    if level is None:
        return None
    in_region = ContactMoment.objects.filter(region=region)
    if level is TimeScope.FIGURES:
        return in_region
    visible = scope(user, ContactMoment, Action.VIEW).filter(region=region)
    if level is TimeScope.POOL:
        return visible
    return in_region.filter(Q(pk__in=visible.values("pk")) | Q(brugfiguur_id=user.pk))


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """Minutes of contact moments from `start` to `end` (dates, both included), per contact type,
    school and brugfiguur; pillar OUTREACH. One query."""
    contacts = _countable(user, region)
    if contacts is None or start > end:
        return []
    rows = (
        contacts.filter(occurred_at__gte=start_of(start), occurred_at__lt=start_of(end + datetime.timedelta(days=1)))
        .order_by()
        .values("contact_type", "school_id", "brugfiguur_id")
        .annotate(minutes=Sum("duration_minutes"), activities=Count("pk"))
        .order_by("contact_type", "school_id", "brugfiguur_id")
    )
    labels = dict(ContactType.choices)
    return [
        TimeSpent(
            pillar=Pillar.OUTREACH,
            kind=str(labels.get(row["contact_type"], row["contact_type"])),
            school_id=row["school_id"],
            person_id=row["brugfiguur_id"],
            minutes=row["minutes"] or 0,
            activities=row["activities"],
        )
        for row in rows
    ]
