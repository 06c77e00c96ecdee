"""Reads of the region's directory: zones with the municipalities they hold on a date, the history
of zone membership, and schools with the zone their municipality belongs to today.

Every read starts from `brugwerk.access.scope`, so it only ever holds what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from brugwerk.access import Action, get_object_or_404, schools_of, scope
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def valid_on(on: datetime.date, prefix: str = "") -> Q:
    """Zone memberships valid on `on` (`prefix` reaches them from another record)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


# --- Zones and municipalities -------------------------------------------------------------------


def zones_for(*, user: User, region: Region, action: Action = Action.VIEW) -> QuerySet[Zone]:
    return scope(user, Zone, action).filter(region=region).order_by("name")


def municipalities_for(*, user: User, region: Region, action: Action = Action.VIEW) -> QuerySet[Municipality]:
    return scope(user, Municipality, action).filter(region=region).order_by("name")


def zones_with_municipalities(*, user: User, region: Region, on: datetime.date | None = None) -> list[Zone]:
    """The zones of `region`, each with `current_memberships` (valid on `on`, by default today)."""
    current = (
        scope(user, ZoneMembership)
        .filter(valid_on(_today(on)))
        .select_related("municipality")
        .order_by("municipality__name")
    )
    return list(
        zones_for(user=user, region=region).prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships")
        )
    )


def municipalities_without_zone(
    *, user: User, region: Region, on: datetime.date | None = None
) -> QuerySet[Municipality]:
    in_a_zone = ZoneMembership.objects.filter(valid_on(_today(on)), municipality=OuterRef("pk"))
    return municipalities_for(user=user, region=region).exclude(Exists(in_a_zone))


def zone_membership_history(*, user: User, region: Region) -> QuerySet[ZoneMembership]:
    """Every zone membership of the region, past, current and planned."""
    return (
        scope(user, ZoneMembership)
        .filter(zone__region=region)
        .select_related("zone", "municipality")
        .order_by("municipality__name", "valid_from")
    )


def zone_of(*, user: User, municipality: Municipality, on: datetime.date | None = None) -> Zone | None:
    """The zone `municipality` belongs to on `on` (today by default), or None."""
    membership = (
        scope(user, ZoneMembership)
        .filter(valid_on(_today(on)), municipality=municipality)
        .select_related("zone")
        .first()
    )
    return membership.zone if membership else None


# --- Schools ------------------------------------------------------------------------------------


def _with_current_zone(qs: QuerySet[School], on: datetime.date) -> QuerySet[School]:
    current = ZoneMembership.objects.filter(valid_on(on), municipality=OuterRef("municipality")).order_by(
        "valid_from"
    )
    return qs.annotate(
        zone_id_today=Subquery(current.values("zone_id")[:1]),
        zone_name_today=Subquery(current.values("zone__name")[:1]),
    )


@dataclass(frozen=True)
class SchoolFilter:
    query: str = ""
    zone: Zone | None = None
    network: str = ""


def schools_for(
    *, user: User, region: Region, filters: SchoolFilter | None = None, on: datetime.date | None = None
) -> QuerySet[School]:
    """The schools of `region`, each with `zone_name_today`, searched by name or municipality
    (every word must match) and filtered by the zone they are in today and by school network."""
    filters = filters or SchoolFilter()
    on = _today(on)
    qs = scope(user, School).filter(region=region).select_related("municipality")
    for word in filters.query.split()[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(municipality__name__icontains=word))
    if filters.zone is not None:
        in_zone = ZoneMembership.objects.filter(
            valid_on(on), zone=filters.zone, municipality=OuterRef("municipality")
        )
        qs = qs.filter(Exists(in_zone))
    if filters.network:
        qs = qs.filter(network=filters.network)
    return _with_current_zone(qs, on).order_by("name")


def school_choices(*, user: User, region: Region) -> QuerySet[School]:
    """The schools of `region` to choose from in a form."""
    return scope(user, School).filter(region=region).order_by("name")


def school_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> School:
    """One school `user` may `action`, with `zone_name_today`; 404 when missing or forbidden."""
    qs = _with_current_zone(School.objects.select_related("municipality", "region"), timezone.localdate())
    return get_object_or_404(user, qs, action, pk=pk)


def own_school_of(*, user: User, region: Region | None) -> School | None:
    """The school a school contact answers for in `region` (the first, should they hold several)."""
    if region is None:
        return None
    ids = schools_of(user, region)
    if not ids:
        return None
    return scope(user, School).filter(pk__in=ids).order_by("name").first()
