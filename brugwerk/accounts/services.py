"""Every write about accounts: creating users, granting and revoking roles, invitations to a role,
passwords (only ever set by their owner, a manager sends a one-time link), two-factor devices.
Each one checks the access policy, writes, and records the audit entry in one transaction; the owner of
an account is told by mail of every change somebody else made to it (`accounts.notifications`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access import Action, can, roles_in
from brugwerk.access.policy import forget_principal
from brugwerk.access.roles import Role
from brugwerk.accounts import notifications
from brugwerk.accounts.backends import user_for_login
from brugwerk.accounts.events import record_account_event
from brugwerk.accounts.models import Membership, RoleInvitation, User
from brugwerk.accounts.notifications import LinkReason
from brugwerk.accounts.selectors import email_change_locked
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record, snapshot


def _check_role_target(role: str, school: Any, organisation: Any, region: Any) -> None:
    if role == Role.SCHOOLCONTACT and (school is None or school.region_id != region.pk):
        raise ValidationError(_("A school contact must be linked to a school of this region."))
    if role == Role.PARTNER and (organisation is None or organisation.region_id != region.pk):
        raise ValidationError(_("A partner must be linked to a partner organisation of this region."))


def _acting_role(actor: Actor, region_id: int | None) -> str:
    """The manager role `actor` holds in the region the change was made in, for the owner's notice."""
    held = roles_in(actor.user, region_id)
    return next((role for role in (Role.COORDINATOR, Role.BEHEERDER) if role in held), "")


def _by_someone_else(actor: Actor, user: User) -> bool:
    return getattr(actor.user, "pk", None) != user.pk


@transaction.atomic
def membership_grant(
    *,
    actor: Actor,
    user: User,
    region: Any,
    role: str,
    school: Any = None,
    organisation: Any = None,
    notify: bool = True,
) -> Membership:
    """Grant `user` a role in `region` (who may grant which role: `access.rules.MembershipRule`). The
    owner is told by mail unless `notify` is off (a new account, or an invitation they accepted)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    school = school if role == Role.SCHOOLCONTACT else None
    organisation = organisation if role == Role.PARTNER else None
    membership = Membership(
        user=user, region=region, role=role, school=school, organisation=organisation, granted_by=actor.user
    )
    if not can(actor.user, Action.CREATE, membership):
        raise PermissionDenied
    _check_role_target(role, school, organisation, region)
    if Membership.objects.filter(user=user, region=region, role=role, revoked_at__isnull=True).exists():
        raise ValidationError(_("This user already holds this role in this region."))
    membership.save()
    forget_principal(user)
    entry = record(
        actor=actor,
        event=AuditEvent.ROLE_GRANTED,
        subject=user,
        region_id=region.pk,
        changes={
            "role": role,
            "school": getattr(school, "pk", None),
            "organisation": getattr(organisation, "pk", None),
        },
    )
    if notify and _by_someone_else(actor, user):
        notifications.owner_told(entry=entry, by_role=_acting_role(actor, region.pk))
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> Membership:
    if not can(actor.user, Action.DELETE, membership):
        raise PermissionDenied
    if membership.revoked_at is not None:
        return membership
    membership.revoked_at = timezone.now()
    membership.save(update_fields=["revoked_at"])
    forget_principal(membership.user)
    entry = record(
        actor=actor,
        event=AuditEvent.ROLE_REVOKED,
        subject=membership.user,
        region_id=membership.region_id,
        changes={"role": membership.role},
    )
    if _by_someone_else(actor, membership.user):
        notifications.owner_told(entry=entry, by_role=_acting_role(actor, membership.region_id))
    return membership


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    region: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    base_url: str,
    school: Any = None,
    organisation: Any = None,
) -> User:
    """Create an account together with its first role (an account without a role would be invisible
    to every manager). It has no usable password: its owner gets a one-time link by mail to set one,
    so the manager who made the account never knows its password."""
    if not can(actor.user, Action.CREATE, User, region=region):
        raise PermissionDenied
    if not email.strip():
        raise ValidationError(
            {"email": _("A new account needs an e-mail address: the link to set a password goes there.")}
        )
    user = User(username=username, first_name=first_name, last_name=last_name, email=email.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    entry = record(actor=actor, event=AuditEvent.CREATE, subject=user, region_id=region.pk,
                   changes=snapshot(user, ["username", "first_name", "last_name", "email"]))
    membership_grant(actor=actor, user=user, region=region, role=role, school=school, organisation=organisation,
                     notify=False)
    notifications.password_link(entry=entry, reason=LinkReason.WELCOME, by_role=_acting_role(actor, region.pk),
                                base_url=base_url)
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, region_id: int | None, **fields: Any) -> User:
    """A manager changes an account's details. The e-mail address of an account that holds (or held) a
    role that sees case content only its owner changes (`own_email_change`): the password link goes
    there. The owner is told by mail, a new address and the old one both."""
    if not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    allowed = {"first_name", "last_name", "email", "phone", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} here.")
    if (
        "email" in fields
        and fields["email"] != user.email
        and _by_someone_else(actor, user)
        and email_change_locked(subject=user)
    ):
        raise ValidationError({"email": email_locked_message()})
    before = snapshot(user, sorted(fields))
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=sorted(fields))
    after = snapshot(user, sorted(fields))
    changes = {k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]}
    if changes:
        entry = record(actor=actor, event=AuditEvent.UPDATE, subject=user, region_id=region_id, changes=changes)
        if _by_someone_else(actor, user):
            notifications.owner_told(entry=entry, by_role=_acting_role(actor, region_id))
    return user


def email_locked_message() -> str:
    return _(
        "This person holds or held a role that sees case data, so only they can change their e-mail "
        "address (on their own account page, after entering their password)."
    )


@transaction.atomic
def own_email_change(*, actor: Actor, email: str) -> User:
    """The owner changes their own e-mail address (the page asks for their password first). Recorded in
    each of their regions; the old address is told."""
    user = actor.user
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    email = email.strip()
    if not email:
        raise ValidationError({"email": _("Enter an e-mail address.")})
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Another account already uses this e-mail address.")})
    old = user.email
    if email == old:
        return user
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    entries = record_account_event(actor=actor, event=AuditEvent.UPDATE, user=user,
                                   changes={"email": {"old": old, "new": email}})
    notifications.owner_told(entry=entries[0], by_role="")
    return user


def otp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device a user is setting up (made on first ask)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Brugwerk", confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, actor: Actor, device: TOTPDevice, token: str, region_id: int | None) -> bool:
    if device.user_id != getattr(actor.user, "pk", None) or not device.verify_token(token):
        record(actor=actor, event=AuditEvent.OTP_FAILED, subject=device.user, region_id=region_id)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    record(actor=actor, event=AuditEvent.OTP_ADDED, subject=device.user, region_id=region_id)
    return True


def _require_mail(user: User) -> None:
    if not user.email:
        raise ValidationError(_(
            "This account has no e-mail address, so no link can be sent. Ask the person to add one on their "
            "own account page."
        ))
    if not user.is_active:
        raise ValidationError(_("This account is closed. Open it again first."))


@transaction.atomic
def otp_devices_reset(*, actor: Actor, user: User, region_id: int | None, base_url: str) -> int:
    """An administrator resets a user's second factor (a lost phone). The password is cleared too and the
    owner gets a one-time link by mail: whoever enters the account next must read the owner's mailbox,
    set a password and set up a new authenticator. The administrator learns nothing that opens it."""
    if not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    _require_mail(user)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    user.set_unusable_password()  # also ends the account's sessions: they are tied to the password
    user.save(update_fields=["password"])
    entry = record(actor=actor, event=AuditEvent.OTP_REMOVED, subject=user, region_id=region_id,
                   changes={"devices": removed, "password": "cleared"})
    notifications.password_link(entry=entry, reason=LinkReason.SECOND_FACTOR,
                                by_role=_acting_role(actor, region_id), base_url=base_url)
    return removed


@transaction.atomic
def password_link_send(*, actor: Actor, user: User, region_id: int | None, base_url: str) -> None:
    """An administrator sends the owner a one-time link to set a new password (a forgotten one). The
    link goes to the address on the account and is never shown to the administrator."""
    if not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    _require_mail(user)
    entry = record(actor=actor, event=AuditEvent.UPDATE, subject=user, region_id=region_id,
                   changes={"password": "link sent"})
    notifications.password_link(entry=entry, reason=LinkReason.RESET, by_role=_acting_role(actor, region_id),
                                base_url=base_url)


def _store_password(user: User, password: str) -> None:
    """Django's password validators, then the new hash (the audit entry never holds the password)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str, region_id: int | None) -> User:
    """A user changes their own password. Nobody sets another person's password: managers send a
    one-time link (`password_link_send`). Django's password validators apply; the audit entry never
    holds the password."""
    if _by_someone_else(actor, user):
        raise PermissionDenied
    _store_password(user, password)
    record(actor=actor, event=AuditEvent.UPDATE, subject=user, region_id=region_id,
           changes={"password": "changed"})
    return user


@transaction.atomic
def password_set_with_link(*, user: User, password: str, ip: str | None) -> User:
    """The holder of a valid one-time link (checked by the page) sets the account's password: the
    owner, who read it in their mailbox. Recorded in each of the account's regions."""
    _store_password(user, password)
    record_account_event(actor=Actor(user=user, ip=ip), event=AuditEvent.UPDATE, user=user,
                         changes={"password": "set with a one-time link"})
    return user


# --- Invitations to a role -------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    region: Any,
    login: str,
    role: str,
    base_url: str,
    school: Any = None,
    organisation: Any = None,
) -> RoleInvitation:
    """Invite the person with this username or e-mail address to a role in `region`. Nothing is granted
    until they accept. The inviter is told the same, and the trail records the same, whether or not
    the login names an account, and whether or not it is one they could give this role: the invitation
    then goes to nobody (its `user` stays empty) and simply expires. An account that matches is mailed
    a link to its own account page."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    school = school if role == Role.SCHOOLCONTACT else None
    organisation = organisation if role == Role.PARTNER else None
    invitation = RoleInvitation(region=region, role=role, school=school, organisation=organisation,
                                invited_by=actor.user)
    if not can(actor.user, Action.CREATE, invitation):
        raise PermissionDenied
    _check_role_target(role, school, organisation, region)
    invitation.login = login.strip()[:254]
    if not invitation.login:
        raise ValidationError({"login": _("Enter a username or e-mail address.")})
    found = user_for_login(invitation.login)
    # The same checks run for a login that names no account (against an account that cannot exist),
    # so both take the same way through the database.
    if _may_be_invited(actor, found or User(pk=0), invitation) and found is not None:
        invitation.user = found
    invitation.save()
    record(actor=actor, event=AuditEvent.CREATE, subject=invitation, region_id=region.pk,
           changes={"login": invitation.login, "role": role, "school": getattr(school, "pk", None),
                    "organisation": getattr(organisation, "pk", None)})
    if invitation.user_id is not None:
        notifications.invitation_sent(invitation=invitation, base_url=base_url)
    return invitation


def _may_be_invited(actor: Actor, user: User, invitation: RoleInvitation) -> bool:
    candidate = RoleInvitation(region=invitation.region, role=invitation.role, user=user)
    if not user.is_active or not can(actor.user, Action.CREATE, candidate):
        return False
    holds = Membership.objects.filter(user=user, region=invitation.region, role=invitation.role,
                                      revoked_at__isnull=True)
    already = RoleInvitation.objects.open().filter(user=user, region=invitation.region, role=invitation.role)
    return not holds.exists() and not already.exists()


def _answerable(actor: Actor, invitation: RoleInvitation) -> RoleInvitation:
    if not can(actor.user, Action.CHANGE, invitation):
        raise PermissionDenied
    invitation = RoleInvitation.objects.select_for_update().select_related("region", "invited_by").get(
        pk=invitation.pk
    )
    if not invitation.is_open():
        raise ValidationError(_("This invitation can no longer be answered."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor: Actor, invitation: RoleInvitation) -> Membership:
    """The invitee accepts: the role is granted now, on the inviter's authority as it stands now (a
    role that sees case content still needs the region's coordinator), as if the inviter granted it."""
    invitation = _answerable(actor, invitation)
    try:
        membership = membership_grant(
            actor=Actor(user=invitation.invited_by), user=actor.required_user, region=invitation.region,
            role=invitation.role, school=invitation.school, organisation=invitation.organisation, notify=False,
        )
    except PermissionDenied:
        raise ValidationError(_(
            "The person who invited you can no longer give you this role. Ask them to invite you again."
        )) from None
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(actor=actor, event=AuditEvent.UPDATE, subject=invitation, region_id=invitation.region_id,
           changes={"answer": "accepted"})
    return membership


@transaction.atomic
def invitation_decline(*, actor: Actor, invitation: RoleInvitation) -> RoleInvitation:
    """The invitee declines. Recorded as an event of their own account (in their own regions), not in
    the inviting region's trail: its coordinator would learn from it that the login is an account."""
    invitation = _answerable(actor, invitation)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    record_account_event(actor=actor, event=AuditEvent.UPDATE, user=actor.required_user,
                         changes={"invitation": invitation.pk, "answer": "declined"})
    return invitation
