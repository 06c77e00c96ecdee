"""Access rules of the region and its directory (zones, municipalities, schools): everyone with a
role in the region looks them up, its managers keep them; only the administrator changes the
region's settings (see brugwerk/access for how rules work; docs/access.md)."""

from __future__ import annotations

from django.db import models

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import ALL_ROLES, Role
from brugwerk.access.rules import DIRECTORY, Rule
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership


class RegionRule(Rule):
    def region_id_of(self, obj: models.Model) -> int | None:
        return obj.pk


register(Region, RegionRule("pk", {Action.VIEW: ALL_ROLES, Action.CHANGE: frozenset({Role.BEHEERDER})}))
register(Zone, Rule("region", DIRECTORY))
register(Municipality, Rule("region", DIRECTORY))
register(ZoneMembership, Rule("zone__region", DIRECTORY))
register(School, Rule("region", DIRECTORY))

register_permission(Permission(
    "regions.view_schools", "The schools of the region.", roles=DIRECTORY[Action.VIEW],
    main_for=frozenset({Role.BELEID, Role.BEHEERDER}),
))
register_permission(Permission(
    "regions.view_overview", "The region: its zones, municipalities and settings.", roles=ALL_ROLES,
    main_for=frozenset({Role.BELEID, Role.BEHEERDER}),
))
