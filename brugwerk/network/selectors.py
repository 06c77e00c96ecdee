"""Reads of the network: partner organisations, their contact points, and "who is my contact?".

A contact point answers for one school, one municipality or one zone. For a school, the one that
answers is the most specific: the school's own contact point, else its municipality's, else the
one of the zone the municipality belongs to on that day (zone membership is dated)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.regions.models import Region, School, ZoneMembership
from brugwerk.regions.selectors import valid_on

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from brugwerk.accounts.models import User


class FoundOn(models.IntegerChoices):
    """Where a contact point for a school was found, most specific first."""

    SCHOOL = 0, _("for this school")
    MUNICIPALITY = 1, _("for the school's municipality")
    ZONE = 2, _("for the zone of the school's municipality")


class Found(TypedDict):
    """What `_relevant_to` adds to each contact point."""

    found_on: int  # a FoundOn value (a FoundOn after `_as_found_on`)


@dataclass
class OrganisationContacts:
    organisation: PartnerOrganisation
    contact_points: list[ContactPoint] = field(default_factory=list)


def _relevant_to(
    *, user: User, school: School, on: datetime.date | None
) -> QuerySet[WithAnnotations[ContactPoint, Found]]:
    """The contact points of the school's region that answer for the school, its municipality or
    the zone its municipality belongs to on `on`, each with `found_on` (a `FoundOn` value)."""
    school_visible = scope(user, School).filter(pk=school.pk).exists()
    zones_today = ZoneMembership.objects.filter(
        valid_on(on or timezone.localdate()), municipality_id=school.municipality_id
    ).values("zone_id")
    points = (
        scope(user, ContactPoint)
        .filter(organisation__region_id=school.region_id)
        .filter(Q(school=school) | Q(municipality_id=school.municipality_id) | Q(zone_id__in=zones_today))
        .select_related("organisation", "school", "municipality", "zone")
        .annotate(
            found_on=Case(
                When(school=school, then=Value(FoundOn.SCHOOL)),
                When(municipality_id=school.municipality_id, then=Value(FoundOn.MUNICIPALITY)),
                default=Value(FoundOn.ZONE),
                output_field=models.IntegerField(),
            )
        )
        .order_by("organisation__name", "organisation_id", "found_on", "person_name")
    )
    return points if school_visible else points.none()


def _as_found_on(
    points: list[WithAnnotations[ContactPoint, Found]],
) -> list[WithAnnotations[ContactPoint, Found]]:
    for point in points:
        point.found_on = FoundOn(point.found_on)
    return points


def contact_points_for(
    *,
    user: User,
    school: School,
    organisation: PartnerOrganisation | None = None,
    partner_type: str | None = None,
    on: datetime.date | None = None,
) -> list[WithAnnotations[ContactPoint, Found]]:
    """Who answers for `school`: per organisation (only `organisation`, or only organisations of
    `partner_type`, when given) the contact points on the most specific scope that has any.
    Each carries `found_on`. Nothing of another region, nothing the user may not see."""
    qs = _relevant_to(user=user, school=school, on=on)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if partner_type:
        qs = qs.filter(organisation__type=partner_type)
    answers: list[WithAnnotations[ContactPoint, Found]] = []
    best: dict[int, int] = {}
    for point in qs:
        level = best.setdefault(point.organisation_id, point.found_on)
        if point.found_on == level:
            answers.append(point)
    return _as_found_on(answers)


def contact_points_by_organisation(
    *, user: User, school: School, on: datetime.date | None = None
) -> list[OrganisationContacts]:
    """Every contact point relevant to `school` (its own, its municipality's, its zone's), grouped
    by organisation, most specific first within each."""
    groups: list[OrganisationContacts] = []
    for point in _as_found_on(list(_relevant_to(user=user, school=school, on=on))):
        if not groups or groups[-1].organisation.pk != point.organisation_id:
            groups.append(OrganisationContacts(organisation=point.organisation))
        groups[-1].contact_points.append(point)
    return groups


# --- Partner organisations ----------------------------------------------------------------------


def organisations_for(
    *, user: User, region: Region, query: str = "", partner_type: str = "", action: Action = Action.VIEW
) -> QuerySet[PartnerOrganisation]:
    """The partner organisations of `region`, each with `contact_point_count`."""
    qs = scope(user, PartnerOrganisation, action).filter(region=region).select_related("municipality")
    for word in query.split()[:5]:
        qs = qs.filter(name__icontains=word)
    if partner_type:
        qs = qs.filter(type=partner_type)
    return qs.annotate(contact_point_count=Count("contact_points")).order_by("name")


def organisation_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> PartnerOrganisation:
    return get_object_or_404(
        user, PartnerOrganisation.objects.select_related("municipality", "region"), action, pk=pk
    )


def contact_points_of(*, user: User, organisation: PartnerOrganisation) -> QuerySet[ContactPoint]:
    return (
        scope(user, ContactPoint)
        .filter(organisation=organisation)
        .select_related("school", "municipality", "zone")
        .order_by("person_name")
    )


def contact_point_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> ContactPoint:
    qs = ContactPoint.objects.select_related(
        "organisation", "organisation__region", "school", "municipality", "zone"
    )
    return get_object_or_404(user, qs, action, pk=pk)
