"""Access rules of the agenda (see brugwerk/access for how rules work; docs/access.md): a brugfiguur's
appointments and presence days are their own, the coordinator plans for the whole pool, a school contact
sees the presence days at their school, and a calendar feed is its owner's alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import BRUGFIGUUR_ROLE, CASE_CREATORS, COORDINATOR_ROLE
from brugwerk.access.rules import NOTHING, ConditionRule, in_regions, per_region
from brugwerk.agenda.models import Appointment, CalendarFeed, PresenceDay


def _own_agenda(principal: Principal) -> Q:
    return in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(brugfiguur_id=principal.user_id)
    )


def _own_agenda_create(principal: Principal, obj: Any) -> bool:
    """The coordinator plans for the whole pool; a brugfiguur plans their own agenda only (so for a
    brugfiguur this is asked of an unsaved record that names them)."""
    return principal.has_role(obj.region_id, COORDINATOR_ROLE) or (
        principal.has_role(obj.region_id, BRUGFIGUUR_ROLE) and obj.brugfiguur_id == principal.user_id
    )


def _presence_view(principal: Principal) -> Q:
    return _own_agenda(principal) | per_region(principal.schools, "region_id", "school_id")


def _own_feed(principal: Principal) -> Q:
    """A calendar feed is its brugfiguur's own (nobody else reads or renews it)."""
    return Q(user_id=principal.user_id) if principal.regions_with(BRUGFIGUUR_ROLE) else NOTHING


register(Appointment, ConditionRule(
    "region",
    {Action.VIEW: _own_agenda, Action.CHANGE: _own_agenda, Action.DELETE: _own_agenda},
    create=_own_agenda_create,
    create_roles=COORDINATOR_ROLE,
))
register(PresenceDay, ConditionRule(
    "region",
    {Action.VIEW: _presence_view, Action.CHANGE: _own_agenda, Action.DELETE: _own_agenda},
    create=_own_agenda_create,
    create_roles=COORDINATOR_ROLE,
))
register(CalendarFeed, ConditionRule(
    "",
    {Action.VIEW: _own_feed, Action.CHANGE: _own_feed, Action.DELETE: _own_feed},
    create=lambda pr, obj: obj.user_id == pr.user_id and bool(pr.regions_with(BRUGFIGUUR_ROLE)),
))

register_permission(Permission(
    "agenda.view_agenda", "The agenda: one's own, or the pool's for the coordinator.", roles=CASE_CREATORS,
    main_for=BRUGFIGUUR_ROLE,
))
register_permission(Permission(
    "agenda.keep_calendar_feed", "A calendar feed of one's own appointments (bridge figures).",
    roles=BRUGFIGUUR_ROLE,
))
