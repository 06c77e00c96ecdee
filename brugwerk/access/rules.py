"""The building blocks of rules, shared by every app's `rules.py` (the rules themselves live with
their record kinds, in `brugwerk/<app>/rules.py`; docs/access.md shows them as a table).

Every rule is scoped to the region a record belongs to: a role held in one region grants nothing
in another. Actions and roles a rule does not name are denied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import Q

from brugwerk.access.policy import Action, Principal
from brugwerk.access.roles import ALL_ROLES, MANAGERS

NOTHING = Q(pk__in=[])

Condition = Callable[[Principal], Q]

# The directory of a region (zones, municipalities, schools, partners, the pool): everyone with a
# role there looks it up, its managers keep it.
DIRECTORY = {
    Action.VIEW: ALL_ROLES, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS, Action.DELETE: MANAGERS
}
# A region's editable list (life domains, themes): read by every role, kept by its managers.
EDITABLE_LIST = {Action.VIEW: ALL_ROLES, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS}


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
        current: models.Model | None = obj
        for hop in hops:
            current = getattr(current, hop, None)
            if current is None:
                return None
        return getattr(current, f"{last}_id", None)

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        if not regions:
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__in": regions})

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        return principal.has_role(self.region_id_of(obj), self.roles_for(action))

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, self.roles_for(Action.CREATE))


class ConditionRule(Rule):
    """A rule given as one filter per action, plus who may create a given unsaved record. `can()` on
    a stored record asks that filter about the one record, so `can()` and `scope()` cannot drift
    apart. CREATE is asked of an unsaved record (region-wide creation rights, `create_roles`, may
    also be asked of the record kind)."""

    def __init__(
        self,
        region_path: str,
        conditions: Mapping[Action, Condition],
        *,
        create: Callable[[Principal, Any], bool] | None = None,
        create_roles: frozenset[str] = frozenset(),
    ):
        super().__init__(region_path, {})
        self.conditions = conditions
        self.create = create
        self.create_roles = create_roles

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        condition = self.conditions.get(action)
        if condition is None or action == Action.CREATE:
            return queryset.none()
        return queryset.filter(condition(principal))

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.CREATE:
            return self.create is not None and self.create(principal, obj)
        if obj.pk is None:
            return False
        return self.scope(principal, type(obj)._default_manager.filter(pk=obj.pk), action).exists()

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, self.create_roles)


def in_regions(principal: Principal, roles: frozenset[str], path: str) -> Q:
    """Records (whose region is at `path`) of the regions where the principal holds one of `roles`."""
    regions = principal.regions_with(roles)
    return Q(**{f"{path}__in": regions}) if regions else NOTHING


def per_region(grants: Mapping[int, frozenset[int]], region_path: str, path: str, **extra: Any) -> Q:
    """Records of each region whose `path` is one of the ids the principal holds a role for there
    (their school as school contact, their organisation as partner)."""
    condition = NOTHING
    for region_id, ids in grants.items():
        condition |= Q(**{region_path: region_id, f"{path}__in": ids}, **extra)
    return condition


def role_create(roles: frozenset[str]) -> Callable[[Principal, Any], bool]:
    """Creating a record (which carries its `region_id`): whoever holds one of `roles` there."""

    def create(principal: Principal, obj: Any) -> bool:
        return principal.has_role(obj.region_id, roles)

    return create
