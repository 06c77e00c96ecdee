"""Writes to the network: partner organisations and their contact points. Each goes through the
directory helper of `brugwerk.regions.services` (access check, validation, audit entry)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from brugwerk.audit.services import Actor
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.regions.models import Region
from brugwerk.regions.services import directory_create, directory_delete, directory_update

SCOPE_FIELDS = ("school", "municipality", "zone")


def one_scope_error() -> str:
    return _("Choose exactly one of school, municipality or zone: the place this contact point answers for.")


def _check_contact_point(point: ContactPoint) -> None:
    chosen = [name for name in SCOPE_FIELDS if getattr(point, f"{name}_id") is not None]
    if len(chosen) != 1:
        raise ValidationError(one_scope_error(), code="scope")


def organisation_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> PartnerOrganisation:
    return directory_create(actor=actor, instance=PartnerOrganisation(region=region), values=values)


def organisation_update(
    *, actor: Actor, organisation: PartnerOrganisation, values: Mapping[str, Any]
) -> PartnerOrganisation:
    return directory_update(actor=actor, instance=organisation, values=values)


def contact_point_create(
    *, actor: Actor, organisation: PartnerOrganisation, values: Mapping[str, Any]
) -> ContactPoint:
    return directory_create(
        actor=actor,
        instance=ContactPoint(organisation=organisation),
        values=values,
        check=_check_contact_point,
    )


def contact_point_update(
    *, actor: Actor, contact_point: ContactPoint, values: Mapping[str, Any]
) -> ContactPoint:
    return directory_update(actor=actor, instance=contact_point, values=values, check=_check_contact_point)


def contact_point_delete(*, actor: Actor, contact_point: ContactPoint) -> None:
    directory_delete(actor=actor, instance=contact_point)
