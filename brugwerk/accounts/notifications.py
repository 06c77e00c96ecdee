"""E-mail to the owner of an account: the one-time link to set a password (a new account, a reset, a
reset of the second factor), an invitation to a role, and a notice of every change somebody else made
to their account (a role granted or revoked, the details edited, the account closed). The owner hears
of each change, so a change they did not expect does not go unnoticed.

Mails carry no case data and no more about the account than the change itself: what changed, in
which role and region it was done, and when; a notice never names who did it, a link is valid once.
The services call `owner_told` / `password_link` / `invitation_sent` after they wrote the change and
its audit entry; the task is enqueued only once the transaction commits (nothing is announced that was
rolled back), and it reads the account afresh when it runs. The one-time link is made by the task
itself, so it never waits in a queue. Mail goes out in the installation's language, since we do not
know the recipient's. (Casework has its own module, `cases.notifications`; accounts is a lower layer.)"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from brugwerk.access.roles import Role
from brugwerk.accounts.models import INVITATION_VALID_DAYS, RoleInvitation, User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.core.mail import send_templated_mail

MAIL_TEMPLATES = "accounts/mail"


class LinkReason:
    """Why a one-time password link is sent."""

    WELCOME = "welcome"  # a new account: set the first password
    RESET = "reset"  # a manager sent a link (a forgotten password)
    SECOND_FACTOR = "second_factor"  # a manager reset the second factor and cleared the password

    ALL = (WELCOME, RESET, SECOND_FACTOR)


# --- Enqueued by the services -----------------------------------------------------------------------


def owner_told(*, entry: AuditEntry, by_role: str) -> None:
    """Tell the owner of the account `entry` is about what changed (`by_role`: the role the change was
    made in; "" when the owner made it themselves)."""
    from brugwerk.accounts.tasks import notify_account_change

    transaction.on_commit(functools.partial(notify_account_change.enqueue, entry_id=entry.pk, by_role=by_role))


def password_link(*, entry: AuditEntry, reason: str, by_role: str, base_url: str) -> None:
    """Mail the owner of the account `entry` is about a one-time link to set their password."""
    from brugwerk.accounts.tasks import send_password_link

    transaction.on_commit(
        functools.partial(
            send_password_link.enqueue, entry_id=entry.pk, reason=reason, by_role=by_role, base_url=base_url
        )
    )


def invitation_sent(*, invitation: RoleInvitation, base_url: str) -> None:
    from brugwerk.accounts.tasks import send_invitation

    transaction.on_commit(
        functools.partial(send_invitation.enqueue, invitation_id=invitation.pk, base_url=base_url)
    )


# --- Run by the tasks -------------------------------------------------------------------------------


def password_set_url(user: User) -> str:
    """The path of a one-time link for `user` (Django's password-reset token: it dies once the
    password changes, when the account's e-mail address changes, and after PASSWORD_RESET_TIMEOUT)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_set", kwargs={"uidb64": uidb64, "token": token})


def _entry_and_owner(entry_id: int) -> tuple[AuditEntry | None, User | None]:
    entry = AuditEntry.objects.select_related("region").filter(pk=entry_id).first()
    if entry is None or entry.subject_type != User._meta.label_lower:
        return None, None
    return entry, User.objects.filter(pk=entry.subject_id).first()


def _context(entry: AuditEntry, by_role: str) -> dict[str, Any]:
    return {
        "by_role": Role(by_role).label if by_role in Role.values else "",
        "region": entry.region.name if entry.region else "",
        "when": formats.date_format(timezone.localtime(entry.at), "DATETIME_FORMAT"),
    }


def send_password_link(*, entry_id: int, reason: str, by_role: str, base_url: str) -> int:
    entry, user = _entry_and_owner(entry_id)
    if entry is None or user is None or not user.email or not user.is_active or reason not in LinkReason.ALL:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(entry, by_role) | {
            "reason": reason,
            "username": user.get_username(),
            "link": base_url + password_set_url(user),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return _send("password_link", [user.email], context)


def _change_lines(entry: AuditEntry) -> list[str]:
    """What `entry` changed, in sentences for the owner."""
    changes = entry.changes or {}
    region = entry.region.name if entry.region else ""
    role = Role(changes["role"]).label if changes.get("role") in Role.values else changes.get("role", "")
    if entry.event == AuditEvent.ROLE_GRANTED:
        return [_("You were given the role %(role)s in %(region)s.") % {"role": role, "region": region}]
    if entry.event == AuditEvent.ROLE_REVOKED:
        return [_("Your role %(role)s in %(region)s was revoked.") % {"role": role, "region": region}]
    if entry.event != AuditEvent.UPDATE:
        return []
    lines = []
    active = changes.get("is_active")
    if isinstance(active, dict):
        lines.append(_("Your account was closed: you can no longer log in.") if not active.get("new")
                     else _("Your account was opened again."))
    labels = {
        "first_name": _("first name"),
        "last_name": _("last name"),
        "email": _("e-mail address"),
        "phone": _("phone"),
    }
    changed = [str(label) for field, label in labels.items() if field in changes]
    if changed:
        lines.append(_("These details of your account were changed: %(fields)s.") % {"fields": ", ".join(changed)})
    return lines


def send_account_change_notice(*, entry_id: int, by_role: str) -> int:
    """Mail the owner what `entry` changed. A change of e-mail address is told to the old address too."""
    entry, user = _entry_and_owner(entry_id)
    if entry is None or user is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = _change_lines(entry)
        if not lines:
            return 0
        addresses = [user.email]
        email = (entry.changes or {}).get("email")
        if isinstance(email, dict) and email.get("old"):
            addresses.append(email["old"])
        context = _context(entry, by_role) | {"lines": lines, "by_owner": not by_role}
        return sum(_send("account_changed", [address], context) for address in dict.fromkeys(addresses) if address)


def send_invitation_notice(*, invitation_id: int, base_url: str) -> int:
    """Mail the invited account a link to their account page, where they accept or decline; nothing
    about the role, the region or who invited them (the page says that, after logging in)."""
    invitation = RoleInvitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is None or invitation.user is None or not invitation.user.email or not invitation.is_open():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"link": base_url + reverse("accounts:my_account"), "valid_days": INVITATION_VALID_DAYS}
        return _send("invitation", [invitation.user.email], context)


def _send(kind: str, addresses: list[str], context: dict[str, Any]) -> int:
    return send_templated_mail(f"{MAIL_TEMPLATES}/{kind}", addresses, context)
