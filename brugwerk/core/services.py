"""What every service shares when it validates a write: text cleaned of spaces, required text, records
that must belong to the same region, the model's own validation together with the service's errors,
and the stored record locked for the transaction.

Asking the policy is `brugwerk.access.checks.require`; the audit entry of a create or an update is
`brugwerk.audit.services.audit_create` / `audit_update`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from brugwerk.core.dates import today

__all__ = [
    "check_region", "check_regions", "full_clean", "locked", "raise_if", "require_text", "text", "today",
]


def locked[M: models.Model](obj: M) -> M:
    """The stored record, read afresh and locked for this transaction (two people deciding on the
    same referral at once must not both succeed)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


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
