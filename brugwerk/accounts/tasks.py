"""Background tasks about accounts (Django's tasks framework, settings.TASKS). They take ids and short
codes, never personal data or a link, so what waits in a queue says nothing about anyone; each reads
what it needs when it runs (the one-time link is made then)."""

from __future__ import annotations

from django.tasks import task

from brugwerk.accounts import notifications


@task()
def send_password_link(*, entry_id: int, reason: str, by_role: str, base_url: str) -> int:
    """E-mail the owner of an account a one-time link to set their password."""
    return notifications.send_password_link(entry_id=entry_id, reason=reason, by_role=by_role, base_url=base_url)


@task()
def notify_account_change(*, entry_id: int, by_role: str) -> int:
    """E-mail the owner of an account what somebody changed to it."""
    return notifications.send_account_change_notice(entry_id=entry_id, by_role=by_role)


@task()
def send_invitation(*, invitation_id: int, base_url: str) -> int:
    """E-mail an invited account a link to the page where they accept or decline."""
    return notifications.send_invitation_notice(invitation_id=invitation_id, base_url=base_url)
