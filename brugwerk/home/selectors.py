"""What each role's start page shows first. One section per role the user holds in the region;
every section reads through the access policy and runs a fixed number of queries.

Sections that show people (pool members, contact points, login attempts) name what they showed in
`shown`, so that the view can record it in the audit trail (selectors do not write)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Sum

from brugwerk.access import Action, principal_of, scope
from brugwerk.accounts.models import Role
from brugwerk.accounts.selectors import user_count_in_region, users_without_second_factor_count
from brugwerk.audit.models import AuditEntry
from brugwerk.audit.selectors import audit_page_visible, recent_account_trouble
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone


@dataclass
class Shown:
    """A list of personal records the page showed, for one audit entry."""

    model: type[models.Model]
    label: str
    ids: list[Any] = field(default_factory=list)


def _schools(user: Any) -> models.QuerySet[School]:
    return scope(user, School, Action.VIEW).select_related("municipality").order_by("name")


def brugfiguur_section(*, user: Any, region: Region) -> dict[str, Any]:
    """The bridge figure's own place in the pool: FTE and the schools they serve."""
    member = (
        scope(user, PoolMember, Action.VIEW)
        .filter(region=region, user_id=user.pk)
        .prefetch_related(Prefetch("schools", queryset=_schools(user), to_attr="served"))
        .first()
    )
    return {"member": member, "schools": member.served if member else []}


def coordinator_section(*, user: Any, region: Region, shown: list[Shown]) -> dict[str, Any]:
    """The pool at a glance, the schools nobody serves yet, and how many people lack two-factor."""
    members = list(
        scope(user, PoolMember, Action.VIEW)
        .filter(region=region, active=True)
        .select_related("user", "home_base")
        .prefetch_related(Prefetch("schools", queryset=_schools(user), to_attr="served"))
        .order_by("user__first_name", "user__last_name")
    )
    unserved = list(
        scope(user, School, Action.VIEW)
        .filter(region=region)
        .exclude(pool_members__active=True)
        .select_related("municipality")
        .order_by("name")
    )
    shown.append(Shown(PoolMember, f"{region.name}: pool overview", [m.pk for m in members]))
    return {
        "members": members,
        "total_fte": sum((m.fte for m in members), Decimal("0")),
        "unserved_schools": unserved,
        "users_without_second_factor": users_without_second_factor_count(user=user, region=region),
        "can_see_audit": audit_page_visible(user=user, region=region),
    }


def schoolcontact_section(*, user: Any, region: Region, shown: list[Shown]) -> dict[str, Any]:
    """The school contact's school, the bridge figures who serve it and its fixed contact points."""
    school_ids = principal_of(user).schools.get(region.pk, frozenset())
    serving = scope(user, PoolMember, Action.VIEW).filter(active=True).select_related("user")
    contacts = scope(user, ContactPoint, Action.VIEW).select_related("organisation")
    schools = list(
        _schools(user)
        .filter(region=region, pk__in=school_ids)
        .prefetch_related(
            Prefetch("pool_members", queryset=serving.order_by("user__first_name"), to_attr="serving"),
            Prefetch("contact_points", queryset=contacts.order_by("organisation__name", "person_name"),
                     to_attr="contacts"),
        )
    )
    shown.append(Shown(PoolMember, f"{region.name}: bridge figures of my school",
                       sorted({m.pk for s in schools for m in s.serving})))
    shown.append(Shown(ContactPoint, f"{region.name}: contact points of my school",
                       sorted({c.pk for s in schools for c in s.contacts})))
    return {"schools": schools}


def partner_section(*, user: Any, region: Region, shown: list[Shown]) -> dict[str, Any]:
    """The partner's organisation and its fixed contact points."""
    organisation_ids = principal_of(user).organisations.get(region.pk, frozenset())
    contacts = scope(user, ContactPoint, Action.VIEW).select_related("school", "municipality", "zone")
    organisations = list(
        scope(user, PartnerOrganisation, Action.VIEW)
        .filter(region=region, pk__in=organisation_ids)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("contact_points", queryset=contacts.order_by("person_name"), to_attr="contacts")
        )
        .order_by("name")
    )
    shown.append(Shown(ContactPoint, f"{region.name}: contact points of my organisation",
                       sorted({c.pk for o in organisations for c in o.contacts})))
    return {"organisations": organisations}


def beleid_section(*, user: Any, region: Region) -> dict[str, Any]:
    """Figures for policy makers: totals only, never a name."""
    schools = scope(user, School, Action.VIEW).filter(region=region).aggregate(
        count=Count("pk"), pupils=Sum("pupil_count")
    )
    pool = scope(user, PoolMember, Action.VIEW).filter(region=region, active=True).aggregate(fte=Sum("fte"))
    return {
        "school_count": schools["count"],
        "pupil_count": schools["pupils"] or 0,
        "fte": pool["fte"] or Decimal("0"),
        "zone_count": scope(user, Zone, Action.VIEW).filter(region=region).count(),
        "municipality_count": scope(user, Municipality, Action.VIEW).filter(region=region).count(),
    }


def beheerder_section(*, user: Any, region: Region, shown: list[Shown]) -> dict[str, Any]:
    """Accounts at a glance: how many, how many without two-factor, and recent login trouble."""
    trouble = recent_account_trouble(user=user, region=region)
    shown.append(Shown(AuditEntry, f"{region.name}: recent login problems", [e.pk for e in trouble]))
    return {
        "user_count": user_count_in_region(user=user, region=region),
        "users_without_second_factor": users_without_second_factor_count(user=user, region=region),
        "trouble": trouble,
    }


def start_page_for(*, user: Any, region: Region | None, roles: frozenset[str]) -> dict[str, Any]:
    """The start page of `user` in `region`: a section for each role they hold there."""
    context: dict[str, Any] = {"region": region, "roles": roles, "shown": []}
    if region is None:
        return context
    shown: list[Shown] = context["shown"]
    if Role.BEHEERDER in roles:
        context["beheerder"] = beheerder_section(user=user, region=region, shown=shown)
    if Role.COORDINATOR in roles:
        context["coordinator"] = coordinator_section(user=user, region=region, shown=shown)
    if Role.BRUGFIGUUR in roles:
        context["brugfiguur"] = brugfiguur_section(user=user, region=region)
    if Role.SCHOOLCONTACT in roles:
        context["schoolcontact"] = schoolcontact_section(user=user, region=region, shown=shown)
    if Role.PARTNER in roles:
        context["partner"] = partner_section(user=user, region=region, shown=shown)
    if Role.BELEID in roles:
        context["beleid"] = beleid_section(user=user, region=region)
    return context
