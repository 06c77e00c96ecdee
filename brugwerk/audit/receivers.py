"""Account events reach the audit trail through Django's and axes' own signals: these are explicit
events sent by the login machinery, not save hooks."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, client_ip, record


def _home_region_id(user) -> int | None:
    if user is None:
        return None
    membership = user.memberships.filter(revoked_at__isnull=True).order_by("region__name").first()
    return membership.region_id if membership else None


def _user_by_login(login: str):
    from brugwerk.accounts.backends import user_for_login

    return user_for_login(login)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(actor=Actor(user=user, ip=client_ip(request)), event=AuditEvent.LOGIN, subject=user,
           region_id=_home_region_id(user))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=Actor(user=user, ip=client_ip(request)), event=AuditEvent.LOGOUT, subject=user,
               region_id=_home_region_id(user))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username", ""))[:150]
    user = _user_by_login(login)
    record(
        actor=Actor(user=None, ip=client_ip(request) if request is not None else None),
        actor_label=login,
        event=AuditEvent.LOGIN_FAILED,
        subject=user,
        region_id=_home_region_id(user),
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    user = _user_by_login(username or "")
    record(
        actor=Actor(user=None, ip=ip_address),
        actor_label=str(username or "")[:150],
        event=AuditEvent.LOCKED_OUT,
        subject=user,
        region_id=_home_region_id(user),
    )
