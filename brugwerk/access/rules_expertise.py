"""Access rules of School-team expertise (see brugwerk/access/rules.py for how rules work; docs/access.md).

- Activities with school teams hold no pupil data (the form says so), and the pool works as a team:
  every brugfiguur and the coordinator of the region see all of the region's activities.
- A brugfiguur records activities at the region's schools and changes (and evaluates) those they
  led or helped lead; the lead deletes one recorded by mistake. The coordinator changes and
  deletes all of the region's.
- A school contact reads the activities at their own school, nothing else.
- Beleid sees no activity, only figures that name nobody (`may_see_expertise_figures`); partners and
  the beheerder see nothing of this app.
- The topics are the region's editable list: read by whoever works with activities or their figures,
  kept by the coordinator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brugwerk.access.policy import Action, Principal, principal_of
from brugwerk.access.rules import (
    BRUGFIGUUR_ROLE,
    COORDINATOR_ROLE,
    RULES,
    ConditionRule,
    Rule,
    _in_regions,
    _per_region,
    _role_create,
)
from brugwerk.accounts.models import Role, User
from brugwerk.expertise.models import ExpertiseTopic, SchoolTeamActivity

POOL_ROLES = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR})
TOPIC_READERS = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.BELEID})
FIGURE_READERS = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.BELEID})


def _co_led(principal: Principal) -> Q:
    """Activities the principal helped lead (a subquery, so a list never holds an activity twice)."""
    through = SchoolTeamActivity.co_facilitators.through
    return Q(pk__in=through.objects.filter(user_id=principal.id).values("schoolteamactivity_id"))


def _activity_view(principal: Principal) -> Q:
    return _in_regions(principal, POOL_ROLES, "region") | _per_region(principal.schools, "region_id", "school_id")


def _activity_change(principal: Principal) -> Q:
    """The coordinator; the brugfiguren who led it (lead or co-facilitator)."""
    own = Q(lead_id=principal.user_id) | _co_led(principal)
    brugfiguur = _in_regions(principal, BRUGFIGUUR_ROLE, "region")
    return _in_regions(principal, COORDINATOR_ROLE, "region") | (brugfiguur & own)


def _activity_delete(principal: Principal) -> Q:
    """The coordinator; the lead (an activity recorded by mistake)."""
    return _in_regions(principal, COORDINATOR_ROLE, "region") | (
        _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(lead_id=principal.user_id)
    )


RULES.update(
    {
        ExpertiseTopic: Rule(
            "region",
            {Action.VIEW: TOPIC_READERS, Action.CREATE: COORDINATOR_ROLE, Action.CHANGE: COORDINATOR_ROLE},
        ),
        SchoolTeamActivity: ConditionRule(
            "region",
            {Action.VIEW: _activity_view, Action.CHANGE: _activity_change, Action.DELETE: _activity_delete},
            create=_role_create(POOL_ROLES),
            create_roles=POOL_ROLES,
        ),
    }
)


# --- Questions about pages rather than records ---------------------------------------------------


def may_list_activities(user: User, region_id: int | None) -> bool:
    """The activity pages exist for who sees activities in the region: the pool (brugfiguren and
    coordinator) and a school contact (for their school)."""
    principal = principal_of(user)
    return principal.has_role(region_id, POOL_ROLES) or bool(principal.schools.get(region_id or 0))


def may_view_school_activities(user: User, school: Any) -> bool:
    """May `user` see the activities at `school` (and so its summary page)? The same people as
    `_activity_view`, asked of a school instead of an activity."""
    principal = principal_of(user)
    region_id = getattr(school, "region_id", None)
    return principal.has_role(region_id, POOL_ROLES) or school.pk in principal.schools.get(region_id or 0, ())


def may_record_for_others(user: User | None, region_id: int | None) -> bool:
    """Who records (and keeps) activities led by others: the coordinator. A brugfiguur records
    the activities they led or helped to lead."""
    return principal_of(user).has_role(region_id, COORDINATOR_ROLE)


def may_see_expertise_figures(user: User, region_id: int | None) -> bool:
    """Totals per topic, kind and school that name nobody: for the pool and for policy makers."""
    return principal_of(user).has_role(region_id, FIGURE_READERS)
