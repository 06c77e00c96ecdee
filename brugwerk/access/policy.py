"""Mechanics of the policy: who the user is (their principal), the rule registry, and the two
questions. The rules themselves are in `rules.py`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, overload

from django.db import connection, models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from brugwerk.access.rules import Rule
    from brugwerk.accounts.models import User


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


def principal_of(user: User | AnonymousUser | None) -> Principal:
    """The user's principal, read once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from brugwerk.accounts.models import Membership, Role

    roles: dict[int, set[str]] = {}
    schools: dict[int, set[int]] = {}
    organisations: dict[int, set[int]] = {}
    rows = Membership.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list(
        "region_id", "role", "school_id", "organisation_id"
    )
    for region_id, role, school_id, organisation_id in rows:
        roles.setdefault(region_id, set()).add(role)
        if role == Role.SCHOOLCONTACT and school_id:
            schools.setdefault(region_id, set()).add(school_id)
        if role == Role.PARTNER and organisation_id:
            organisations.setdefault(region_id, set()).add(organisation_id)
    principal = Principal(
        user_id=user.pk,
        roles={k: frozenset(v) for k, v in roles.items()},
        schools={k: frozenset(v) for k, v in schools.items()},
        organisations={k: frozenset(v) for k, v in organisations.items()},
    )
    setattr(user, _CACHE_ATTR, principal)
    return principal


def forget_principal(user: User) -> None:
    """Drop the cached principal after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _rule_for(model: type[models.Model]) -> Rule:
    from brugwerk.access.rules import RULES

    rule = RULES.get(model._meta.concrete_model or model)
    if rule is None:
        raise LookupError(f"No access rule for {model._meta.label}: add one to brugwerk.access.rules.")
    return rule


def can(
    user: User | AnonymousUser | None,
    action: Action,
    obj: models.Model | type[models.Model],
    *,
    region: Any = None,
) -> bool:
    """May `user` do `action` on `obj`? For CREATE, `obj` may be the model class with `region` given,
    or an unsaved instance that already carries its region."""
    # The rule is looked up before anything else, so a record kind without one fails loudly for
    # every user, anonymous ones included.
    rule = _rule_for(obj if isinstance(obj, type) else type(obj))
    if isinstance(obj, type) and action != Action.CREATE:
        raise TypeError("Only CREATE can be asked of a record kind; ask the others of a record.")
    principal = principal_of(user)
    if principal is NOBODY:
        return False
    if isinstance(obj, type):
        return rule.can_create_in(principal, getattr(region, "pk", region))
    return rule.allows(principal, action, obj)


@overload
def scope[QS: models.QuerySet[Any]](
    user: User | AnonymousUser | None, queryset: QS, action: Action = Action.VIEW
) -> QS: ...
@overload
def scope[M: models.Model](
    user: User | AnonymousUser | None, queryset: type[M], action: Action = Action.VIEW
) -> models.QuerySet[M]: ...
def scope(
    user: User | AnonymousUser | None, queryset: models.QuerySet | type[models.Model], action: Action = Action.VIEW
) -> models.QuerySet:
    """The records of `queryset` on which `user` may do `action` (none for anonymous users), in the
    queryset's own class (a record kind gives its default manager's)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    rule = _rule_for(queryset.model)
    principal = principal_of(user)
    if principal is NOBODY:
        return queryset.none()
    return rule.scope(principal, queryset, action)


def _beyond_every_column(value: Any) -> bool:
    """An integer no column can hold, such as the id of /werk/dossiers/99999999999999999999/."""
    low, high = connection.ops.integer_field_range("BigIntegerField")
    return isinstance(value, int) and not low <= value <= high


def get_object_or_404[M: models.Model](
    user: User | AnonymousUser | None,
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
