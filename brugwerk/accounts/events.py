"""Account events (logins, logouts, failed logins, lock-outs, wrong two-factor codes and passwords) in the
audit trail: one entry in every region where the account holds an active role, so each region's
coordinator and administrator follow the accounts that work there, and no region gets the events of
an account that does not work there. A login name that matches no account is kept only as a keyed
digest (`backends.unknown_login_label`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from brugwerk.accounts.backends import unknown_login_label, user_for_login
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def account_region_ids(user: User) -> list[int | None]:
    """The regions whose trail holds `user`'s account events: every region where they hold an active
    role (also while the account is deactivated), or no region for an unknown or role-less account."""
    if user is None or user.pk is None:
        return [None]
    from brugwerk.accounts.models import Membership

    region_ids = sorted(
        set(Membership.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list("region_id", flat=True))
    )
    return list(region_ids) or [None]


def record_account_event(
    *,
    actor: Actor,
    event: AuditEvent,
    user: User,
    actor_label: str | None = None,
    changes: dict[str, Any] | None = None,
) -> list[AuditEntry]:
    """Record `event` about `user`'s account (None: no known account) in each of their regions."""
    with transaction.atomic():
        return [
            record(actor=actor, event=event, subject=user, region_id=region_id, actor_label=actor_label,
                   changes=changes)
            for region_id in account_region_ids(user)
        ]


def account_for_login(login: str) -> tuple[Any, str]:
    """The account a login name that was tried points at, and the label the trail keeps for the name:
    the name as typed for a known account (it names that account), a keyed digest otherwise."""
    user = user_for_login(login.strip()[:254])
    label = login.strip()[:150] if user is not None else unknown_login_label(login)
    return user, label
