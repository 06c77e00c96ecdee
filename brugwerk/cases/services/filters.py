"""Saved filters: a user keeps a case search under a name, for themselves only. They hold no case
content, only the search (which may hold a name someone searched for), so they are audited like
every other write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, locked_for, record, save_created, snapshot
from brugwerk.cases.models import SavedFilter
from brugwerk.core.services import require_text
from brugwerk.regions.models import Region

# The parameters of the case search a saved filter may hold.
FILTER_KEYS = ("q", "status", "school")
MAX_VALUE_LENGTH = 100


def clean_query(query: Mapping[str, Any]) -> dict[str, str]:
    """Only the search's own parameters, as short strings, without empty ones."""
    cleaned = {}
    for key in FILTER_KEYS:
        value = str(query.get(key) or "").strip()[:MAX_VALUE_LENGTH]
        if value:
            cleaned[key] = value
    return cleaned


def saved_filter_create(*, actor: Actor, region: Region, name: str, query: Mapping[str, Any]) -> SavedFilter:
    """Save the search `query` under `name` for the actor in `region`; a name is used once per user."""
    saved = SavedFilter(owner=actor.user, region=region, query=clean_query(query))
    require(actor, Action.CREATE, saved)
    errors: dict[str, str] = {}
    saved.name = require_text(errors, "name", name)
    if saved.name and SavedFilter.objects.filter(
        owner_id=actor.required_user.pk, region=region, name__iexact=saved.name
    ).exists():
        errors["name"] = _("You already have a saved filter with this name.")
    save_created(actor, saved, errors)
    return saved


def saved_filter_delete(*, actor: Actor, saved_filter: SavedFilter) -> None:
    """Delete one of the actor's own saved filters (the audit trail keeps what it was)."""
    with transaction.atomic():
        saved = locked_for(actor, saved_filter, Action.DELETE)
        record(actor=actor, event=AuditEvent.DELETE, subject=saved, changes=snapshot(saved))
        saved.delete()
