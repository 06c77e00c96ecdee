"""E-mail notifications of casework: a partner's contact point hears of a new referral out, the
brugfiguur who leads the case hears of feedback. An e-mail carries a link only, never personal
data (no name, no school, no reason): mail leaves our hands, the page behind the link asks the
access policy again.

The pages call `referral_out_sent` / `feedback_given` after the service wrote the record; the task
is enqueued only once the transaction commits (nothing is announced that was rolled back), and the
task reads the recipient afresh when it runs. Mail goes out in the installation's language, since
we do not know the recipient's."""

from __future__ import annotations

import functools

from django.db import transaction
from django.urls import reverse

from brugwerk.cases.models import ReferralFeedback, ReferralOut
from brugwerk.core.mail import send_templated_mail

MAIL_TEMPLATES = "cases/handover/mail"


# --- Enqueued by the pages --------------------------------------------------------------------------


def referral_out_sent(referral_out: ReferralOut, *, base_url: str) -> None:
    from brugwerk.cases.tasks import notify_referral_out

    transaction.on_commit(
        functools.partial(notify_referral_out.enqueue, referral_out_id=referral_out.pk, base_url=base_url)
    )


def feedback_given(feedback: ReferralFeedback, *, base_url: str) -> None:
    from brugwerk.cases.tasks import notify_feedback

    transaction.on_commit(functools.partial(notify_feedback.enqueue, feedback_id=feedback.pk, base_url=base_url))


# --- Run by the tasks -------------------------------------------------------------------------------


def send_referral_out_notice(*, referral_out_id: int, base_url: str) -> int:
    """Mail the referral's contact point (or, without one, the organisation's general address) a
    link to the partner's page of it. Returns the number of mails sent."""
    referral = (
        ReferralOut.objects.select_related("contact_point", "organisation").filter(pk=referral_out_id).first()
    )
    if referral is None:
        return 0
    address = (referral.contact_point.email if referral.contact_point else "") or referral.organisation.email
    link = base_url + reverse("cases:partner_referral", args=[referral.pk])
    return _send("referral_out", address, link)


def send_feedback_notice(*, feedback_id: int, base_url: str) -> int:
    """Mail the brugfiguur who leads the case a link to the team's page of the referral."""
    feedback = ReferralFeedback.objects.select_related("referral_out__case__lead").filter(pk=feedback_id).first()
    if feedback is None:
        return 0
    referral = feedback.referral_out
    link = base_url + reverse("cases:referral_out_detail", args=[referral.pk])
    return _send("feedback", referral.case.lead.email, link)


def _send(kind: str, address: str, link: str) -> int:
    if not address:
        return 0
    return send_templated_mail(f"{MAIL_TEMPLATES}/{kind}", [address], {"link": link})
