"""Reads of the pool: its members with their FTE, home base and the schools they serve."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School


def _with_schools(qs: QuerySet[PoolMember]) -> QuerySet[PoolMember]:
    return qs.select_related("user", "home_base").prefetch_related(
        Prefetch("schools", queryset=School.objects.select_related("municipality").order_by("name"))
    )


@dataclass(frozen=True)
class PoolOverview:
    members: list[PoolMember]
    total_fte: Decimal  # of the active members
    active_count: int


def pool_of(*, user: User, region: Region) -> PoolOverview:
    """The pool of `region`: every member (active ones first) with the schools they serve."""
    members = list(
        _with_schools(scope(user, PoolMember).filter(region=region)).order_by(
            "-active", "user__first_name", "user__last_name"
        )
    )
    active = [m for m in members if m.active]
    return PoolOverview(
        members=members, total_fte=sum((m.fte for m in active), Decimal("0")), active_count=len(active)
    )


def pool_members_serving(*, user: User, school: School) -> list[PoolMember]:
    """The active brugfiguren of the pool who serve `school`."""
    return list(
        scope(user, PoolMember)
        .filter(region_id=school.region_id, schools=school, active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


def pool_member_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> PoolMember:
    return get_object_or_404(user, _with_schools(PoolMember.objects.select_related("region")), action, pk=pk)


def pool_candidates(*, user: User, region: Region) -> QuerySet[User]:
    """People with an active brugfiguur role in `region` who are not in its pool yet. Only the
    region's managers see the region's roles, so for anyone else this is empty."""
    roles = scope(user, Membership).filter(region=region, role=Role.BRUGFIGUUR, revoked_at__isnull=True)
    in_pool = PoolMember.objects.filter(region=region).values("user_id")
    return (
        User.objects.filter(pk__in=roles.values("user_id"), is_active=True)
        .exclude(pk__in=in_pool)
        .order_by("first_name", "last_name", "username")
    )
