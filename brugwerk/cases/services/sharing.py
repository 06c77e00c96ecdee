"""Sharing a case within the pool: co-guidance by a second brugfiguur, or a stand-in during the
lead's absence. Both are explicit, dated and in the audit trail; a share gives access only on the
days it is in force."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor, audit_update, locked_for, save_created, snapshot
from brugwerk.cases.models import Case, CaseShare, CaseTransfer, ShareKind
from brugwerk.cases.services.checks import is_brugfiguur_of, require_open
from brugwerk.core.services import today


def case_share_grant(
    *,
    actor: Actor,
    case: Case,
    user: User,
    kind: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> CaseShare:
    """Share `case` with brugfiguur `user` from `starts_on` (today if not given) until `ends_on`
    (inclusive). A stand-in always has an end date."""
    share = CaseShare(
        case=case, user=user, kind=kind, starts_on=starts_on or today(), ends_on=ends_on, granted_by=actor.user
    )
    require(actor, Action.VIEW, case)
    require_open(case)
    require(actor, Action.CREATE, share)
    errors: dict[str, str] = {}
    if not is_brugfiguur_of(user, case.region_id):
        errors["user"] = _("Choose a bridge figure of this region.")
    elif user.pk == case.lead_id:
        errors["user"] = _("This bridge figure leads the case already.")
    if kind == ShareKind.STAND_IN and ends_on is None:
        errors["ends_on"] = _("A stand-in is for a period: give its last day.")
    if ends_on is not None and ends_on < share.starts_on:
        errors["ends_on"] = _("The last day cannot lie before the first.")
    elif ends_on is not None and ends_on < today():
        errors["ends_on"] = _("This period is over already.")
    if "user" not in errors and "ends_on" not in errors:
        overlapping = CaseShare.objects.filter(case=case, user=user, revoked_at__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=share.starts_on)
        )
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            errors["user"] = _("The case is already shared with this bridge figure for (part of) this period.")
    save_created(actor, share, errors)
    return share


def _end(actor: Actor, share: CaseShare, *, extra: dict[str, Any] | None = None) -> CaseShare:
    """End a share now, as revoking does: the revocation time is set and recorded; the share stays."""
    before = snapshot(share)
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    audit_update(actor, share, before, extra=extra)
    return share


def case_share_revoke(*, actor: Actor, share: CaseShare) -> CaseShare:
    """End a share now; it stays on record."""
    with transaction.atomic():
        share = locked_for(actor, share)
        if share.revoked_at is not None:
            raise ValidationError(_("This share has been ended already."), code="revoked")
        _end(actor, share)
    return share


def end_case_shares(*, actor: Actor, case: Case, because: str, transfer: CaseTransfer) -> list[CaseShare]:
    """End every share of `case` that is in force or still to come, each as a revoke ends it and with
    its own audit entry naming the `transfer` that ended it (`because`: "new_lead" or "transfer").
    A share was granted for one lead at one school: it does not outlive a new lead or a change of
    school. Runs inside the caller's transaction, before the case changes hands (while the actor
    may still end them)."""
    shares = list(CaseShare.objects.select_for_update().filter(case=case).not_over(today()).order_by("pk"))
    for share in shares:
        require(actor, Action.CHANGE, share)
    return [_end(actor, share, extra={"ended_with": because, "transfer": transfer.pk}) for share in shares]
