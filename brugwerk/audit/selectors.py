"""Reading the audit trail: who may read which entries (the policy's AuditRule decides, through
`scope` and `can`), the filtered trail of a region, and the account events an administrator follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet

from brugwerk.access import Action, can, scope
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.core.dates import start_of

if TYPE_CHECKING:
    # For the type checker only: the audit trail sits below the regions app, which writes to it, so
    # it does not import it when the code runs (the import contract leaves these imports out).
    from django_stubs_ext import StrOrPromise

    from brugwerk.accounts.models import User
    from brugwerk.regions.models import Region


def audit_visible(*, user: User, region: Region | None, event: str = AuditEvent.VIEW) -> bool:
    """May `user` read entries of kind `event` in `region`? By default: may they see who accessed a
    record (VIEW entries), which is what the "Who accessed this record?" links lead to."""
    if region is None:
        return False
    return can(user, Action.VIEW, AuditEntry(region_id=region.pk, event=event))


def audit_page_visible(*, user: User, region: Region | None) -> bool:
    """May `user` open the audit trail of `region` at all (any kind of entry)?"""
    return any(audit_visible(user=user, region=region, event=event) for event in AuditEvent.values)


def audit_events_visible(*, user: User, region: Region | None) -> list[tuple[str, StrOrPromise]]:
    """The (value, label) of the event kinds `user` may read in `region`, for the filter."""
    return [
        (value, label)
        for value, label in AuditEvent.choices
        if audit_visible(user=user, region=region, event=value)
    ]


def audit_exportable(*, user: User, region: Region | None) -> bool:
    if region is None:
        return False
    return can(user, Action.EXPORT, AuditEntry(region_id=region.pk, event=AuditEvent.VIEW))


def subject_kinds() -> list[tuple[str, str]]:
    """The kinds of record Brugwerk keeps (`app.model` with its readable name), for the filter."""
    kinds = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
        if model.__module__.startswith("brugwerk.")
    ]
    return sorted(kinds, key=lambda kind: kind[1].lower())


def subject_labels(kind: str) -> list[str]:
    """The `app.model` labels that entries of record kind `kind` carry: its label, and those it had
    before its model moved to another app (the model's `former_labels`; entries are never rewritten)."""
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return [kind]
    return [kind, *getattr(model, "former_labels", ())]


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""
    event: str = ""
    subject_type: str = ""
    subject_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_details(self) -> dict[str, Any]:
        """The filter as it goes into the audit entry of the page view or the export."""
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items() if v}


def audit_entries_for(
    *, user: User, region: Region, filters: AuditFilter | None = None, action: Action = Action.VIEW
) -> QuerySet[AuditEntry]:
    """The entries of `region` that `user` may `action` (read or export), newest first, filtered."""
    f = filters or AuditFilter()
    qs = scope(user, AuditEntry, action).filter(region=region)
    if f.who:
        qs = qs.filter(
            Q(actor_label__icontains=f.who)
            | Q(actor__first_name__icontains=f.who)
            | Q(actor__last_name__icontains=f.who)
        )
    if f.event:
        qs = qs.filter(event=f.event)
    if f.subject_type:
        qs = qs.filter(subject_type__in=subject_labels(f.subject_type))
    if f.subject_id:
        qs = qs.filter(subject_id=f.subject_id)
    if f.date_from:
        qs = qs.filter(at__gte=start_of(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=start_of(f.date_to + dt.timedelta(days=1)))
    return qs.select_related("actor").order_by("-seq")


ACCOUNT_TROUBLE = (AuditEvent.LOGIN_FAILED, AuditEvent.LOCKED_OUT, AuditEvent.OTP_FAILED)


def recent_account_trouble(*, user: User, region: Region, limit: int = 10) -> list[AuditEntry]:
    """The latest failed logins, lock-outs and wrong two-factor codes in `region`."""
    return list(
        scope(user, AuditEntry, Action.VIEW)
        .filter(region=region, event__in=ACCOUNT_TROUBLE)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
