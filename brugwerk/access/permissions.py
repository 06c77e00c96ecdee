"""Named permissions: questions about pages and tasks rather than about one record, such as "may
this user see the pool's caseload of this region?" (`may(user, "cases.view_caseload", region=...)`).

Each app declares its permissions in its `rules.py` (`register_permission(Permission(...))`); the
menu names one per entry (`home.context_processors.MENU`); docs/access.md lists them all. An unknown
name raises LookupError. Like the rules, a permission is held in a region: asked without a region
(and without a record that carries one) it is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from brugwerk.access.policy import NOBODY, Principal, principal_of
from brugwerk.access.registry import permission_for
from brugwerk.access.rules import NOTHING, in_regions

# A further way in, beyond the roles: (principal, region id, record or None, **context) -> bool.
Test = Callable[..., bool]
# The permission as a filter on the records at `path` ("" or "meeting__"): path -> Q.
Where = Callable[[Principal, str], Q]


@dataclass(frozen=True)
class Permission:
    """`name` is "<app>.<verb>_<what>". Granted in a region to whoever holds one of `roles` there, or
    passes `test`. `main_for` are the roles for whom the page is a daily task: the menu shows it in
    its main bar for them, under "More" for the others who may. `where`, when given, is the same
    permission as a filter on records (`permissions.where`); without it the filter is "records of
    the regions where the user holds one of `roles`"."""

    name: str
    description: str
    roles: frozenset[str] = frozenset()
    test: Test | None = None
    main_for: frozenset[str] = frozenset()
    where: Where | None = None

    def allows(self, principal: Principal, region_id: int | None, obj: Any = None, **context: Any) -> bool:
        if region_id is None:
            return False
        if principal.has_role(region_id, self.roles):
            return True
        return self.test is not None and bool(self.test(principal, region_id, obj, **context))


def _region_id(region: Any, obj: Any) -> int | None:
    if region is not None:
        return getattr(region, "pk", region)
    return getattr(obj, "region_id", None)


def holds(principal: Principal, name: str, region_id: int | None, obj: Any = None, **context: Any) -> bool:
    """`may`, for a principal: for permissions built from other permissions (in `rules.py`)."""
    return permission_for(name).allows(principal, region_id, obj, **context)


def may(user: Any, name: str, *, region: Any = None, obj: Any = None, **context: Any) -> bool:
    """Does `user` hold the permission `name` in `region` (a Region or its id; by default the region
    of `obj`)? `obj` and `context` are for permissions asked of one record (a school, a session)."""
    permission = permission_for(name)  # an unknown name fails for every user, anonymous ones too
    principal = principal_of(user)
    if principal is NOBODY:
        return False
    return permission.allows(principal, _region_id(region, obj), obj, **context)


def featured(user: Any, name: str, *, region: Any) -> bool:
    """Is the page of permission `name` one of the user's daily tasks in `region` (for the menu)?"""
    permission = permission_for(name)
    principal = principal_of(user)
    region_id = _region_id(region, None)
    return permission.allows(principal, region_id) and principal.has_role(region_id, permission.main_for)


def regions_where(user: Any, name: str) -> frozenset[int]:
    """The regions where `user` holds the permission `name`."""
    permission = permission_for(name)
    principal = principal_of(user)
    return frozenset(region_id for region_id in principal.region_ids if permission.allows(principal, region_id))


def where(user: Any, name: str, path: str = "") -> Q:
    """The permission `name` as a filter on records whose region is at `{path}region`: the records
    on which `user` holds it."""
    permission = permission_for(name)
    principal = principal_of(user)
    if principal is NOBODY:
        return NOTHING
    if permission.where is not None:
        return permission.where(principal, path)
    return in_regions(principal, permission.roles, f"{path}region")
