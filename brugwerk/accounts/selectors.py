"""Reads about users, their roles and the region they are working in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from brugwerk.access import Action, principal_of, scope
from brugwerk.accounts.models import ROLES_WITH_PERSONAL_DATA, Membership, User
from brugwerk.regions.models import Region

SESSION_REGION_KEY = "brugwerk_region_id"


def second_factor_required(user: Any) -> bool:
    if not settings.BRUGWERK_REQUIRE_2FA:
        return False
    return bool(principal_of(user).all_roles() & ROLES_WITH_PERSONAL_DATA)


def regions_of(*, user: Any) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=principal_of(user).region_ids).order_by("name")


def current_region(request: HttpRequest) -> Region | None:
    """The region the user is working in: the one chosen in this session, else their first."""
    cached = getattr(request, "_brugwerk_region", None)
    if cached is not None:
        return cached
    principal = principal_of(request.user)
    if not principal.region_ids:
        return None
    chosen = request.session.get(SESSION_REGION_KEY)
    region_id = chosen if chosen in principal.region_ids else None
    region = (
        Region.objects.filter(pk=region_id).first()
        if region_id
        else Region.objects.filter(pk__in=principal.region_ids).order_by("name").first()
    )
    request._brugwerk_region = region  # type: ignore[attr-defined]
    return region


def roles_in(*, user: Any, region: Region | None) -> frozenset[str]:
    if region is None:
        return frozenset()
    return principal_of(user).roles.get(region.pk, frozenset())


def users_visible_to(*, user: Any, region: Region, query: str = "") -> QuerySet[User]:
    qs = scope(user, User, Action.VIEW).filter(memberships__region=region).distinct()
    if query:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    return qs.order_by("last_name", "first_name")


def memberships_visible_to(*, user: Any, region: Region) -> QuerySet[Membership]:
    return (
        scope(user, Membership, Action.VIEW)
        .filter(region=region)
        .select_related("user", "school", "organisation")
    )
