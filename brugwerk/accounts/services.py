"""Every write about accounts: creating users, granting and revoking roles, two-factor devices.
Each one checks the access policy, writes, and records the audit entry in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access import Action, can
from brugwerk.access.policy import forget_principal
from brugwerk.accounts.models import Membership, Role, User
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record, snapshot


def _check_role_target(role: str, school: Any, organisation: Any, region: Any) -> None:
    if role == Role.SCHOOLCONTACT and (school is None or school.region_id != region.pk):
        raise ValidationError(_("A school contact must be linked to a school of this region."))
    if role == Role.PARTNER and (organisation is None or organisation.region_id != region.pk):
        raise ValidationError(_("A partner must be linked to a partner organisation of this region."))


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: User, region: Any, role: str, school: Any = None, organisation: Any = None
) -> Membership:
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
    record(
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
    record(
        actor=actor,
        event=AuditEvent.ROLE_REVOKED,
        subject=membership.user,
        region_id=membership.region_id,
        changes={"role": membership.role},
    )
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
    password: str | None = None,
    school: Any = None,
    organisation: Any = None,
) -> User:
    """Create an account together with its first role: an account without a role would be invisible
    to every manager."""
    if not can(actor.user, Action.CREATE, User, region=region):
        raise PermissionDenied
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, event=AuditEvent.CREATE, subject=user, region_id=region.pk,
           changes=snapshot(user, ["username", "first_name", "last_name", "email"]))
    membership_grant(actor=actor, user=user, region=region, role=role, school=school, organisation=organisation)
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, region_id: int | None, **fields: Any) -> User:
    if not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    allowed = {"first_name", "last_name", "email", "phone", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} here.")
    before = snapshot(user, sorted(fields))
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=sorted(fields))
    after = snapshot(user, sorted(fields))
    changes = {k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]}
    if changes:
        record(actor=actor, event=AuditEvent.UPDATE, subject=user, region_id=region_id, changes=changes)
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


@transaction.atomic
def otp_devices_reset(*, actor: Actor, user: User, region_id: int | None) -> int:
    """An administrator resets a user's second factor (lost phone); they set it up again at next login."""
    if not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    record(actor=actor, event=AuditEvent.OTP_REMOVED, subject=user, region_id=region_id,
           changes={"devices": removed})
    return removed


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str, region_id: int | None) -> User:
    """Set a password: an administrator sets a new person's first password (or a forgotten one), or
    a user changes their own. Django's password validators apply; the audit entry never holds it."""
    own = getattr(actor.user, "pk", None) == user.pk
    if not own and not can(actor.user, Action.CHANGE, user):
        raise PermissionDenied
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, event=AuditEvent.UPDATE, subject=user, region_id=region_id,
           changes={"password": "changed" if own else "set"})
    return user
