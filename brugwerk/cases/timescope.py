"""How much of a region's time a user may count, one question for every source of time (casework
and the pillars, see `brugwerk.core.timeuse`), answered with the questions casework already answers;
and the records a source sums for them. Not a selector: `countable` leaves the region to the caller."""

from __future__ import annotations

from typing import Any

from django.db import models

from brugwerk.access import Action, may, scope
from brugwerk.accounts.models import User
from brugwerk.core.timeuse import TimeScope


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
