"""Every write of a region's editable list, for each of the lists (`model` is the concrete list).

Keyword-only, the actor first. Each asks the access policy (the rules of the concrete list, kept
in `brugwerk.access`), validates the whole entry (all errors at once, in Dutch, on their field),
and writes it together with its audit entry in one transaction. Entries are renamed, reordered or
taken out of use (`active`), never deleted: records and figures refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, diff, locked_for, record, snapshot
from brugwerk.regions.models import Region
from brugwerk.vocabularies.models import POSITION_MAX, RegionVocabulary, vocabulary_models

FIELDS = frozenset({"name", "position", "active"})
SYSTEM_LABEL = "terms_ensure_defaults"


def _unknown(values: Mapping[str, Any]) -> None:
    """Only the name, position and in-use flag are set here (never the region, never the id): a
    programming error, not a user's."""
    unknown = set(values) - FIELDS
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _apply(term: RegionVocabulary, values: Mapping[str, Any]) -> None:
    for field, value in values.items():
        if field == "name":
            value = " ".join(str(value if value is not None else "").split())  # one space between words
        setattr(term, field, value)


def _validate(term: RegionVocabulary) -> None:
    """The name (present, printable, unique in the region regardless of capitals), the model's own
    checks (length, a whole position of 0 or more, in use yes or no) and a position the column holds
    on every database, all at once."""
    errors: dict[str, Any] = {}
    if not term.name:
        errors["name"] = _("This field is required.")
    else:
        try:
            ProhibitNullCharactersValidator()(term.name)
        except ValidationError as exc:
            errors["name"] = exc.messages
    if "name" not in errors and (
        # The region is a column of each concrete list, not of the abstract model: hence a `Q`.
        type(term)._default_manager.filter(Q(region_id=term.region_id), name__iexact=term.name)
        .exclude(pk=term.pk)
        .exists()
    ):
        errors["name"] = _("This region already has a %(kind)s with this name.") % {
            "kind": type(term)._meta.verbose_name
        }
    try:
        term.full_clean(exclude=set(errors), validate_unique=False, validate_constraints=not errors)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "position" not in errors:
        try:
            MaxValueValidator(POSITION_MAX)(term.position)
        except ValidationError as exc:
            errors["position"] = exc.messages
    if errors:
        raise ValidationError(errors)


def term_create[T: RegionVocabulary](
    *, actor: Actor, model: type[T], region: Region, values: Mapping[str, Any]
) -> T:
    """Add an entry (`name`, `position`; in use unless `active` says otherwise) to `region`'s list."""
    _unknown(values)
    term = model(region=region)
    _apply(term, values)
    if not can(actor.user, Action.CREATE, term):
        raise PermissionDenied
    _validate(term)
    with transaction.atomic():
        term.save()
        record(actor=actor, event=AuditEvent.CREATE, subject=term, changes=snapshot(term))
    return term


def term_update[T: RegionVocabulary](*, actor: Actor, term: T, values: Mapping[str, Any]) -> T:
    """Rename, reorder, or take out of use (`active=False`) and back. The stored entry is read afresh
    and locked, so a form that changed `term` in memory neither hides the old values nor skips a check."""
    _unknown(values)
    with transaction.atomic():
        stored = locked_for(actor, term, view=False)
        before = snapshot(stored)
        _apply(stored, values)
        _validate(stored)
        stored.save()
        changes = diff(before, snapshot(stored))
        if changes:
            record(actor=actor, event=AuditEvent.UPDATE, subject=stored, changes=changes)
    return stored


def terms_ensure_defaults[T: RegionVocabulary](
    *, model: type[T], region: Region, actor: Actor | None = None, defaults: Iterable[str] | None = None
) -> list[T]:
    """Give `region` the default list (`model.DEFAULTS`, or `defaults`) if its list is still empty;
    otherwise return the list as it is. Without an actor this is the system setting up a region
    (region_create, a data migration's successor); with one, the actor must be allowed to add."""
    if actor is not None and not can(actor.user, Action.CREATE, model, region=region):
        raise PermissionDenied
    names = tuple(model.DEFAULTS if defaults is None else defaults)
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()  # one caller at a time per region
        existing = list(model._default_manager.filter(region=region))
        if existing:
            return existing
        created = []
        for position, name in enumerate(names, 1):
            term = model._default_manager.create(region=region, name=name, position=position)
            created.append(term)
            record(
                actor=actor or Actor(user=None),
                actor_label=None if actor else SYSTEM_LABEL,
                event=AuditEvent.CREATE,
                subject=term,
                changes=snapshot(term),
            )
    return created


def region_defaults_ensure(*, region: Region) -> None:
    """Every list of a new region, with its defaults (called by `region_create`)."""
    for model in vocabulary_models():
        terms_ensure_defaults(model=model, region=region)
