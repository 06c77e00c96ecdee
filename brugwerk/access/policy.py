"""Mechanics of the policy: who the user is (their principal) and the two questions about records.
The rules are registered by each app (`brugwerk/<app>/rules.py`, see `registry.py`); the named page
permissions are asked with `permissions.may`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, overload

from django.db import connection, models
from django.http import Http404

from brugwerk.access.registry import rule_for

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"


@dataclass(frozen=True)
class Principal:
    """What the policy knows of a user: their active roles per region and, for school contacts and
    partners, which school or organisation the role is for."""

    user_id: int | None
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    schools: dict[int, frozenset[int]] = field(default_factory=dict)
    organisations: dict[int, frozenset[int]] = field(default_factory=dict)

    def regions_with(self, roles: Iterable[str]) -> frozenset[int]:
        wanted = frozenset(roles)
        return frozenset(region for region, held in self.roles.items() if held & wanted)

    def has_role(self, region_id: int | None, roles: Iterable[str]) -> bool:
        return region_id is not None and bool(self.roles.get(region_id, frozenset()) & frozenset(roles))

    @property
    def id(self) -> int:
        """The user's id, for a rule's query: only NOBODY has none, and no rule is asked about NOBODY."""
        assert self.user_id is not None, "A rule was asked about NOBODY."
        return self.user_id

    @property
    def region_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def all_roles(self) -> frozenset[str]:
        return frozenset().union(*self.roles.values()) if self.roles else frozenset()


NOBODY = Principal(user_id=None)
_CACHE_ATTR = "_brugwerk_principal"

# How a principal is read for a user id. The app that stores roles (accounts) provides it from its
# rules module (`set_principal_loader`), so the mechanism imports no domain app.
PrincipalLoader = Callable[[int], Principal]
_loader: PrincipalLoader | None = None


def set_principal_loader(loader: PrincipalLoader) -> None:
    global _loader
    _loader = loader


def principal_of(user: Any) -> Principal:
    """The user's principal, read once per user object (so once per request). For the policy only:
    code outside `brugwerk/access` asks the policy's questions (`can`, `scope`, `may`, ...)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if _loader is None:
        raise RuntimeError("No principal loader: brugwerk.accounts.rules sets it when the apps are ready.")
    principal = _loader(user.pk)
    setattr(user, _CACHE_ATTR, principal)
    return principal


def forget_principal(user: AbstractBaseUser) -> None:
    """Drop the cached principal after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _region_id(region: Any) -> int | None:
    return getattr(region, "pk", region)


# --- What the user is: the regions they work in and their roles there (not a right by itself) -----


def region_ids_of(user: Any) -> frozenset[int]:
    """The regions where `user` holds a role (so may work in)."""
    return principal_of(user).region_ids


def roles_in(user: Any, region: Any) -> frozenset[str]:
    """The roles `user` holds in `region`, to show them; rights are asked with `can`, `scope`, `may`."""
    region_id = _region_id(region)
    return principal_of(user).roles.get(region_id, frozenset()) if region_id is not None else frozenset()


def schools_of(user: Any, region: Any = None) -> frozenset[int]:
    """The schools `user` is a school contact for, in `region` (in every region when None)."""
    schools = principal_of(user).schools
    if region is None:
        return frozenset().union(*schools.values()) if schools else frozenset()
    return schools.get(_region_id(region) or 0, frozenset())


def organisations_of(user: Any, region: Any = None) -> frozenset[int]:
    """The partner organisations `user` is a partner for, in `region` (in every region when None)."""
    organisations = principal_of(user).organisations
    if region is None:
        return frozenset().union(*organisations.values()) if organisations else frozenset()
    return organisations.get(_region_id(region) or 0, frozenset())


# --- The two questions about records ---------------------------------------------------------------


def can(
    user: AbstractBaseUser | AnonymousUser | None,
    action: Action,
    obj: models.Model | type[models.Model],
    *,
    region: Any = None,
) -> bool:
    """May `user` do `action` on `obj`? For CREATE, `obj` may be the model class with `region` given,
    or an unsaved instance that already carries its region."""
    # The rule is looked up before anything else, so a record kind without one fails loudly for
    # every user, anonymous ones included.
    rule = rule_for(obj if isinstance(obj, type) else type(obj))
    if isinstance(obj, type) and action != Action.CREATE:
        raise TypeError("Only CREATE can be asked of a record kind; ask the others of a record.")
    principal = principal_of(user)
    if principal is NOBODY:
        return False
    if isinstance(obj, type):
        return rule.can_create_in(principal, _region_id(region))
    return rule.allows(principal, action, obj)


@overload
def scope[QS: models.QuerySet[Any]](
    user: AbstractBaseUser | AnonymousUser | None, queryset: QS, action: Action = Action.VIEW
) -> QS: ...
@overload
def scope[M: models.Model](
    user: AbstractBaseUser | AnonymousUser | None, queryset: type[M], action: Action = Action.VIEW
) -> models.QuerySet[M]: ...
def scope(
    user: AbstractBaseUser | AnonymousUser | None,
    queryset: models.QuerySet | type[models.Model],
    action: Action = Action.VIEW,
) -> models.QuerySet:
    """The records of `queryset` on which `user` may do `action` (none for anonymous users), in the
    queryset's own class (a record kind gives its default manager's)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    rule = rule_for(queryset.model)
    principal = principal_of(user)
    if principal is NOBODY:
        return queryset.none()
    return rule.scope(principal, queryset, action)


def _beyond_every_column(value: Any) -> bool:
    """An integer no column can hold, such as the id of /werk/dossiers/99999999999999999999/."""
    low, high = connection.ops.integer_field_range("BigIntegerField")
    return isinstance(value, int) and not low <= value <= high


def get_object_or_404[M: models.Model](
    user: AbstractBaseUser | AnonymousUser | None,
    queryset: models.QuerySet[M] | type[M],
    action: Action = Action.VIEW,
    **lookup: Any,
) -> M:
    """The one record matching `lookup` that `user` may `action`; 404 when it is missing *or*
    forbidden, so the two cannot be told apart."""
    if any(_beyond_every_column(value) for value in lookup.values()):
        raise Http404  # matches nothing; SQLite would fail on it in a foreign-key lookup
    obj = scope(user, queryset, action).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
