"""Writes to the region's directory: zones, municipalities, their dated zone membership and schools.

`directory_create`, `directory_update` and `directory_delete` are the one way plain directory
records (here, and the partner organisations, contact points and pool members of `network` and
`pool`) are written: they ask the access policy, validate the whole record (including that it
points only to records of its own region), write and record the audit entry in one transaction.
The named services below add what is particular to a record kind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.access.registry import RULES
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, diff, locked_for, record, snapshot
from brugwerk.regions.models import EducationForm, Municipality, Region, School, Zone, ZoneMembership

Check = Callable[[Any], None]


# --- The generic helper -------------------------------------------------------------------------


def region_id_of(obj: models.Model) -> int | None:
    """The region a record belongs to, found the way the access policy finds it."""
    return RULES[obj._meta.concrete_model or type(obj)].region_id_of(obj)


def _check_same_region(instance: models.Model, m2m: Mapping[str, Iterable[models.Model]]) -> None:
    """A record never points to a record of another region (a school to another region's
    municipality, a pool member to another region's schools, ...)."""
    region_id = region_id_of(instance)
    errors: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if (
            not field.is_relation
            or field.related_model is None
            or field.related_model is Region
            or not hasattr(field.related_model, "region")
        ):
            continue
        related = getattr(instance, field.name, None)
        if related is not None and related.region_id != region_id:
            errors[field.name] = _("Choose a %(kind)s of this region.") % {
                "kind": field.related_model._meta.verbose_name
            }
    for name, related_objects in m2m.items():
        model = instance._meta.get_field(name).related_model
        assert model is not None, "a many-to-many field has a related model"
        foreign = [str(obj) for obj in related_objects if getattr(obj, "region_id", region_id) != region_id]
        if foreign:
            errors[name] = _("Only %(kind)s of this region can be chosen, not: %(names)s.") % {
                "kind": model._meta.verbose_name_plural,
                "names": ", ".join(foreign),
            }
    if errors:
        raise ValidationError(errors)


def _validate(instance: models.Model, m2m: Mapping[str, Iterable[models.Model]], check: Check | None) -> None:
    """Every check, with all their errors at once. Once a particular check has failed, the model's
    constraints are not checked again: they would only repeat the same problem in database terms."""
    errors: dict[str, list[ValidationError]] = {}
    for step in (lambda: _check_same_region(instance, m2m), lambda: check(instance) if check else None):
        try:
            step()
        except ValidationError as exc:
            exc.update_error_dict(errors)
    try:
        instance.full_clean(exclude=set(errors) - {NON_FIELD_ERRORS}, validate_constraints=not errors)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _split(instance: models.Model, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in instance._meta.many_to_many}
    plain = {k: v for k, v in values.items() if k not in m2m_names}
    m2m = {k: list(v) for k, v in values.items() if k in m2m_names}
    return plain, m2m


def directory_create[M: models.Model](
    *, actor: Actor, instance: M, values: Mapping[str, Any] | None = None, check: Check | None = None
) -> M:
    """Create `instance` (unsaved, carrying its region) with `values` (many-to-many ones included)."""
    plain, m2m = _split(instance, values or {})
    for name, value in plain.items():
        setattr(instance, name, value)
    if not can(actor.user, Action.CREATE, instance):
        raise PermissionDenied
    with transaction.atomic():
        _validate(instance, m2m, check)
        instance.save()
        for name, related in m2m.items():
            getattr(instance, name).set(related)
        instance.refresh_from_db()  # the values as stored (a Decimal 0.5 reads back as 0.50)
        record(
            actor=actor,
            event=AuditEvent.CREATE,
            subject=instance,
            region_id=region_id_of(instance),
            changes=snapshot(instance),
        )
    return instance


def directory_update[M: models.Model](
    *, actor: Actor, instance: M, values: Mapping[str, Any], check: Check | None = None
) -> M:
    """Change `values` of the stored record `instance` stands for. The record is read afresh, so a
    form that already changed `instance` in memory neither hides the old values nor skips a check."""
    with transaction.atomic():
        stored = locked_for(actor, instance, view=False)
        before = snapshot(stored)
        plain, m2m = _split(stored, values)
        for name, value in plain.items():
            setattr(stored, name, value)
        if not can(actor.user, Action.CHANGE, stored):
            raise PermissionDenied  # changed into a record of a region the actor does not manage
        _validate(stored, m2m, check)
        stored.save()
        for name, related in m2m.items():
            getattr(stored, name).set(related)
        stored.refresh_from_db()
        changes = diff(before, snapshot(stored))
        if changes:
            record(
                actor=actor,
                event=AuditEvent.UPDATE,
                subject=stored,
                region_id=region_id_of(stored),
                changes=changes,
            )
    return stored


def directory_delete(*, actor: Actor, instance: models.Model) -> None:
    if not can(actor.user, Action.DELETE, instance):
        raise PermissionDenied
    region_id = region_id_of(instance)
    label, pk = str(instance), instance.pk
    with transaction.atomic():
        before = snapshot(instance)
        try:
            instance.delete()
        except ProtectedError as exc:
            raise ValidationError(_("This record is still in use elsewhere and cannot be deleted.")) from exc
        record(
            actor=actor,
            event=AuditEvent.DELETE,
            subject_type=instance._meta.label_lower,
            subject_id=str(pk),
            subject_label=label,
            region_id=region_id,
            changes=before,
        )


# --- Zones and municipalities -------------------------------------------------------------------


def zone_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> Zone:
    return directory_create(actor=actor, instance=Zone(region=region), values=values)


def zone_update(*, actor: Actor, zone: Zone, values: Mapping[str, Any]) -> Zone:
    return directory_update(actor=actor, instance=zone, values=values)


def municipality_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> Municipality:
    return directory_create(actor=actor, instance=Municipality(region=region), values=values)


def municipality_update(
    *, actor: Actor, municipality: Municipality, values: Mapping[str, Any]
) -> Municipality:
    return directory_update(actor=actor, instance=municipality, values=values)


# --- Dated zone membership ----------------------------------------------------------------------


def _period_text(start: datetime.date, end: datetime.date | None) -> str:
    if end is None:
        return _("from %(start)s on") % {"start": date_format(start, "SHORT_DATE_FORMAT")}
    return _("from %(start)s until %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }


def _check_membership(membership: ZoneMembership) -> None:
    """The period is valid and does not overlap another membership of the same municipality."""
    if membership.valid_from is None or membership.municipality_id is None:
        return  # the field checks report what is missing
    if membership.valid_until is not None and membership.valid_until <= membership.valid_from:
        raise ValidationError({"valid_until": _("The end date must come after the start date.")})
    others = (
        ZoneMembership.objects.filter(municipality_id=membership.municipality_id)
        .exclude(pk=membership.pk)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=membership.valid_from))
    )
    if membership.valid_until is not None:
        others = others.filter(valid_from__lt=membership.valid_until)
    clash = others.select_related("zone", "municipality").order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            _(
                "%(municipality)s already belongs to %(zone)s %(period)s. Periods of one municipality "
                "may not overlap: end that membership first (or choose other dates)."
            )
            % {
                "municipality": clash.municipality,
                "zone": clash.zone,
                "period": _period_text(clash.valid_from, clash.valid_until),
            }
        )


def zone_membership_create(
    *, actor: Actor, values: Mapping[str, Any], end_current: bool = False
) -> ZoneMembership:
    """Add a municipality to a zone from a date. With `end_current`, the municipality's open
    membership that started earlier ends on that date (the usual case when zones are redrawn)."""
    membership = ZoneMembership(**values)
    if membership.zone_id is None:
        raise ValidationError({"zone": _("Choose a zone.")})
    with transaction.atomic():
        if end_current and membership.municipality_id and membership.valid_from:
            current = ZoneMembership.objects.filter(
                municipality_id=membership.municipality_id,
                valid_until__isnull=True,
                valid_from__lt=membership.valid_from,
            ).first()
            if current is not None:
                zone_membership_end(actor=actor, membership=current, valid_until=membership.valid_from)
        return directory_create(actor=actor, instance=membership, check=_check_membership)


def zone_membership_end(
    *, actor: Actor, membership: ZoneMembership, valid_until: datetime.date
) -> ZoneMembership:
    """The municipality leaves the zone on `valid_until` (the first day it no longer belongs to it)."""
    return directory_update(
        actor=actor, instance=membership, values={"valid_until": valid_until}, check=_check_membership
    )


# --- Schools ------------------------------------------------------------------------------------


def _check_school(school: School) -> None:
    known = set(EducationForm.values)
    if not isinstance(school.education_forms, list) or not set(school.education_forms) <= known:
        raise ValidationError({"education_forms": _("Choose forms of education from the list.")})


def school_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> School:
    return directory_create(actor=actor, instance=School(region=region), values=values, check=_check_school)


def school_update(*, actor: Actor, school: School, values: Mapping[str, Any]) -> School:
    return directory_update(actor=actor, instance=school, values=values, check=_check_school)
