"""Access rules of School-team expertise (see brugwerk/access for how rules work; docs/access.md).

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

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register_permission, register_rules
from brugwerk.access.roles import BELEID_ROLE, BRUGFIGUUR_ROLE, COORDINATOR_ROLE, POOL, Role
from brugwerk.access.rules import ConditionRule, Rule, in_regions, per_region, role_create
from brugwerk.expertise.models import ExpertiseTopic, SchoolTeamActivity

POOL_ROLES = POOL
TOPIC_READERS = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.BELEID})
FIGURE_READERS = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.BELEID})


def _co_led(principal: Principal) -> Q:
    """Activities the principal helped lead (a subquery, so a list never holds an activity twice)."""
    through = SchoolTeamActivity.co_facilitators.through
    return Q(pk__in=through.objects.filter(user_id=principal.id).values("schoolteamactivity_id"))


def _activity_view(principal: Principal) -> Q:
    return in_regions(principal, POOL_ROLES, "region") | per_region(principal.schools, "region_id", "school_id")


def _activity_change(principal: Principal) -> Q:
    """The coordinator; the brugfiguren who led it (lead or co-facilitator)."""
    own = Q(lead_id=principal.user_id) | _co_led(principal)
    brugfiguur = in_regions(principal, BRUGFIGUUR_ROLE, "region")
    return in_regions(principal, COORDINATOR_ROLE, "region") | (brugfiguur & own)


def _activity_delete(principal: Principal) -> Q:
    """The coordinator; the lead (an activity recorded by mistake)."""
    return in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(lead_id=principal.user_id)
    )


register_rules(
    {
        ExpertiseTopic: Rule(
            "region",
            {Action.VIEW: TOPIC_READERS, Action.CREATE: COORDINATOR_ROLE, Action.CHANGE: COORDINATOR_ROLE},
        ),
        SchoolTeamActivity: ConditionRule(
            "region",
            {Action.VIEW: _activity_view, Action.CHANGE: _activity_change, Action.DELETE: _activity_delete},
            create=role_create(POOL_ROLES),
            create_roles=POOL_ROLES,
        ),
    }
)


# --- Pages ------------------------------------------------------------------------------------------


def _their_school_in(principal: Principal, region_id: int, obj: Any = None) -> bool:
    """A school contact of the region: for their school (`obj`), or for some school when asked of
    the region only."""
    schools = principal.schools.get(region_id, frozenset())
    return bool(schools) if obj is None else obj.pk in schools


register_permission(Permission(
    "expertise.list_activities",
    "The activity pages: for who sees activities in the region, the pool and a school contact (their school).",
    roles=POOL_ROLES,
    test=_their_school_in,
))
register_permission(Permission(
    "expertise.view_school_activities",
    "The activities at one school (asked of the school): the same people as an activity's VIEW.",
    roles=POOL_ROLES,
    test=_their_school_in,
))
register_permission(Permission(
    "expertise.record_for_others",
    "Recording (and keeping) activities led by others; a bridge figure records those they (helped) lead.",
    roles=COORDINATOR_ROLE,
))
register_permission(Permission(
    "expertise.view_figures", "Totals per topic, kind and school that name nobody.", roles=FIGURE_READERS,
))
register_permission(Permission(
    "expertise.figures_in_menu",
    "The figures as a menu entry: for policy makers, whose view of this pillar they are (the pool "
    "reaches them from the activity list).",
    roles=BELEID_ROLE,
))
