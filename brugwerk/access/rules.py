"""Who may do what on which record kind: the rules. docs/access.md is this file as a table.

Every rule is scoped to the region a record belongs to: a role held in one region grants nothing
in another. Actions and roles not named here are denied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q

from brugwerk.access.policy import Action, Principal
from brugwerk.accounts.models import Membership, Role, User
from brugwerk.audit.models import ACCOUNT_EVENTS, AuditEntry
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership

ALL_ROLES = frozenset(Role.values)
MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})


class Rule:
    """A rule for one record kind: for each action, the roles that may do it on records of the
    regions where they hold that role. Subclasses narrow it per record where roles are not enough."""

    def __init__(self, region_path: str, grants: Mapping[Action, frozenset[str]]):
        self.region_path = region_path
        self.grants = grants

    def roles_for(self, action: Action) -> frozenset[str]:
        return self.grants.get(action, frozenset())

    def region_id_of(self, obj: models.Model) -> int | None:
        *hops, last = self.region_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        if not regions:
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__in": regions})

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        return principal.has_role(self.region_id_of(obj), self.roles_for(action))

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, self.roles_for(Action.CREATE))


class RegionRule(Rule):
    def region_id_of(self, obj: models.Model) -> int | None:
        return obj.pk


class MembershipRule(Rule):
    """Roles. Managers of a region see and grant its roles; everyone sees their own. Nobody grants
    a role to themselves. A user who already holds roles in another region can be added to this one
    by its coordinator only."""

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        condition = Q(region__in=regions)
        if action == Action.VIEW:
            condition |= Q(user_id=principal.user_id)
        return queryset.filter(condition)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.user_id == principal.user_id:
            return True
        if action == Action.CREATE and obj.user_id == principal.user_id:
            # Nobody grants themselves a role: an administrator could otherwise make themselves coordinator.
            return False
        if action == Action.CREATE:
            other_regions = (
                Membership.objects.filter(user_id=obj.user_id, revoked_at__isnull=True)
                .exclude(region_id=obj.region_id)
                .exists()
            )
            if other_regions:
                return principal.has_role(obj.region_id, {Role.COORDINATOR})
        return super().allows(principal, action, obj)


class UserRule(Rule):
    """People's accounts. Managers see the users who hold (or held) a role in their region; an
    administrator changes an account only when every region it belongs to is theirs."""

    def __init__(self) -> None:
        super().__init__(
            "memberships__region", {Action.VIEW: MANAGERS, Action.CHANGE: frozenset({Role.BEHEERDER})}
        )

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        in_regions = Membership.objects.filter(region__in=regions).values("user_id")
        if action == Action.CHANGE:
            outside = Membership.objects.exclude(region__in=regions).values("user_id")
            return queryset.filter(pk__in=in_regions).exclude(pk__in=outside)
        if action == Action.VIEW:
            return queryset.filter(Q(pk__in=in_regions) | Q(pk=principal.user_id))
        # Seeing one's own account is a VIEW right only: it must not make it deletable or exportable.
        return queryset.filter(pk__in=in_regions)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.pk == principal.user_id:
            return True
        return self.scope(principal, User.objects.filter(pk=obj.pk), action).exists()

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, {Role.BEHEERDER, Role.COORDINATOR})


class AuditRule(Rule):
    """The coordinator reads the whole trail of their region; the administrator only account events."""

    def __init__(self) -> None:
        super().__init__("region", {Action.VIEW: MANAGERS, Action.EXPORT: frozenset({Role.COORDINATOR})})

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        coordinated = principal.regions_with({Role.COORDINATOR} & self.roles_for(action))
        administered = principal.regions_with({Role.BEHEERDER} & self.roles_for(action))
        return queryset.filter(
            Q(region__in=coordinated) | Q(region__in=administered, event__in=ACCOUNT_EVENTS)
        )

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if principal.has_role(obj.region_id, {Role.COORDINATOR} & self.roles_for(action)):
            return True
        return obj.event in ACCOUNT_EVENTS and principal.has_role(
            obj.region_id, {Role.BEHEERDER} & self.roles_for(action)
        )

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return False  # only the audit service writes entries


DIRECTORY = {
    Action.VIEW: ALL_ROLES, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS, Action.DELETE: MANAGERS
}
ROLE_GRANTS = {Action.VIEW: MANAGERS, Action.CREATE: MANAGERS, Action.DELETE: MANAGERS}

RULES: dict[type[models.Model], Rule] = {
    Region: RegionRule("pk", {Action.VIEW: ALL_ROLES, Action.CHANGE: frozenset({Role.BEHEERDER})}),
    Zone: Rule("region", DIRECTORY),
    Municipality: Rule("region", DIRECTORY),
    ZoneMembership: Rule("zone__region", DIRECTORY),
    School: Rule("region", DIRECTORY),
    PartnerOrganisation: Rule("region", DIRECTORY),
    ContactPoint: Rule("organisation__region", DIRECTORY),
    PoolMember: Rule("region", DIRECTORY),
    Membership: MembershipRule("region", ROLE_GRANTS),
    User: UserRule(),
    AuditEntry: AuditRule(),
}
