"""Background tasks of casework (Django's tasks framework, settings.TASKS). They take ids, not
records or personal data, so what waits in a queue says nothing about anyone; each reads what it
needs when it runs."""

from __future__ import annotations

from django.tasks import task

from brugwerk.cases import notifications


@task()
def notify_referral_out(*, referral_out_id: int, base_url: str) -> int:
    """E-mail the partner's contact point a link to a new referral out."""
    return notifications.send_referral_out_notice(referral_out_id=referral_out_id, base_url=base_url)


@task()
def notify_feedback(*, feedback_id: int, base_url: str) -> int:
    """E-mail the brugfiguur who leads the case a link to the feedback a partner gave."""
    return notifications.send_feedback_notice(feedback_id=feedback_id, base_url=base_url)
