"""What every casework service shares: asking the policy, refusing writes to closed cases, the
checks on people and places, and writing the audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, may, region_ids_of
from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, diff, record, snapshot
from brugwerk.cases.models import Case, CaseStatus


def require(actor: Actor, action: Action, obj: Any, *, region: Any = None) -> None:
    """PermissionDenied unless the policy allows it."""
    if not can(actor.user, action, obj, region=region):
        raise PermissionDenied


def require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is closed and can no longer be changed. Reopen it first."), code="closed")


def require_case_content_write(actor: Actor, obj: models.Model, case: Case) -> None:
    """Before adding to or changing a case's content: the actor must see the case (otherwise it is
    as if it did not exist), it must be open, and the actor must be in its guidance team."""
    require(actor, Action.VIEW, case)
    require_open(case)
    require(actor, Action.CREATE if obj.pk is None else Action.CHANGE, obj)


def locked[M: models.Model](obj: M) -> M:
    """The stored record, read afresh and locked for this transaction (two people deciding on the
    same referral at once must not both succeed)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def is_brugfiguur_of(user: User | None, region_id: int) -> bool:
    """Whether `user` (an active account) guides young people as a bridge figure of the region, so
    may lead a case, hold an agenda or be given a share."""
    return user is not None and may(user, "cases.guide_cases", region=region_id)


def has_role_in(user: User | None, region_id: int) -> bool:
    """Whether `user` (an active account) works in the region (holds a role there)."""
    return user is not None and region_id in region_ids_of(user)


def check_region(errors: dict[str, Any], field: str, related: Any, region_id: int) -> None:
    """A record never points to a school, municipality, organisation or life domain of another region."""
    if related is not None and related.region_id != region_id:
        errors[field] = _("Choose one of this region.")


def check_regions(errors: dict[str, Any], field: str, related: Iterable[Any], region_id: int) -> None:
    if any(obj.region_id != region_id for obj in related):
        errors[field] = _("Choose only ones of this region.")


def text(value: Any) -> str:
    return str(value or "").strip()


def require_text(errors: dict[str, Any], field: str, value: Any) -> str:
    cleaned = text(value)
    if not cleaned:
        errors[field] = _("This field is required.")
    return cleaned


def raise_if(errors: Mapping[str, Any]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def full_clean(instance: models.Model, errors: Mapping[str, Any] | None = None) -> None:
    """The model's own validation (lengths, choices, validators, constraints) together with the
    service's errors, all at once."""
    collected: dict[str, Any] = dict(errors or {})
    try:
        instance.full_clean(exclude=set(collected), validate_unique=False, validate_constraints=not collected)
    except ValidationError as exc:
        collected = exc.update_error_dict(collected)
    raise_if(collected)


def today() -> datetime.date:
    return timezone.localdate()


def audit_create(
    actor: Actor, obj: models.Model, *, hide: Iterable[str] = (), extra: Mapping[str, Any] | None = None
) -> None:
    values = {k: v for k, v in snapshot(obj).items() if k not in set(hide)}
    record(actor=actor, event=AuditEvent.CREATE, subject=obj, changes=values | dict(extra or {}))


def audit_update(
    actor: Actor,
    obj: models.Model,
    before: Mapping[str, Any],
    *,
    hide: Iterable[str] = (),
    extra: Mapping[str, Any] | None = None,
) -> None:
    changes = {k: v for k, v in diff(dict(before), snapshot(obj)).items() if k not in set(hide)}
    changes |= dict(extra or {})
    if changes:
        record(actor=actor, event=AuditEvent.UPDATE, subject=obj, changes=changes)
