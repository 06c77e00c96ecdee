"""Account events reach the audit trail through Django's and axes' own signals: these are explicit
events sent by the login machinery, not save hooks. Each goes to every region where the account holds
a role (`accounts.events.record_account_event`); a login name that matches no account is kept only as
a keyed digest, never in clear (it may be a password typed into the wrong field)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from brugwerk.accounts.events import account_for_login, record_account_event
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, client_ip


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_account_event(actor=Actor(user=user, ip=client_ip(request)), event=AuditEvent.LOGIN, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_account_event(actor=Actor(user=user, ip=client_ip(request)), event=AuditEvent.LOGOUT, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    user, label = account_for_login(str(credentials.get("username", "")))
    record_account_event(
        actor=Actor(user=None, ip=client_ip(request) if request is not None else None),
        actor_label=label,
        event=AuditEvent.LOGIN_FAILED,
        user=user,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes passes the name it counts under (`backends.axes_username`: a username or already a digest);
    # the login as it was typed, which axes keeps on the request, gives the same label as the failure.
    credentials = getattr(request, "axes_credentials", None) or {}
    login = credentials.get("username") if isinstance(credentials, dict) else None
    if login is None:
        login = getattr(request, "POST", {}).get("username", username or "")
    user, label = account_for_login(str(login or ""))
    record_account_event(actor=Actor(user=None, ip=ip_address), actor_label=label, event=AuditEvent.LOCKED_OUT,
                         user=user)
