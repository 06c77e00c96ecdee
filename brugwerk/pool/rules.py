"""Access rule of the pool (its members are the region's directory), and which schools a bridge
figure serves, which several pillars' rules ask (see brugwerk/access; docs/access.md)."""

from __future__ import annotations

from django.db import models

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import Role
from brugwerk.access.rules import DIRECTORY, Rule
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import School

register(PoolMember, Rule("region", DIRECTORY))


def served_schools(principal: Principal) -> models.QuerySet:
    """The schools the principal serves as an active member of a pool (ids, as a subquery)."""
    return School.objects.filter(pool_members__user_id=principal.id, pool_members__active=True).values("pk")


register_permission(Permission(
    "pool.view_members", "The pool: its bridge figures, their schools and hours.", roles=DIRECTORY[Action.VIEW],
    main_for=frozenset({Role.BEHEERDER}),
))
