"""Pages of casework for a partner's fixed contact point: the referrals to their organisation, one
referral with exactly the consented snapshot, confirming receipt and giving feedback. Once the
consent is withdrawn the partner sees nothing of the referral any more (404, as for a referral to
another organisation or region). Every read is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brugwerk.access import Action
from brugwerk.audit.services import Actor
from brugwerk.cases import notifications
from brugwerk.cases import services as cases_services
from brugwerk.cases.forms.partner import FeedbackForm
from brugwerk.cases.models import ReferralOutStatus
from brugwerk.cases.selectors import handover as handover_selectors
from brugwerk.cases.selectors import partner as selectors
from brugwerk.core.http import refused_as_missing, region_or_404, require
from brugwerk.core.mail import base_url_of
from brugwerk.core.pages import render_form, run_action, run_form
from brugwerk.core.types import AuthenticatedHttpRequest

NEW = "new"
ACKNOWLEDGED = "acknowledged"
FEEDBACK_GIVEN = "feedback_given"


def _stage(status: str) -> str:
    if status == ReferralOutStatus.SENT:
        return NEW
    if status == ReferralOutStatus.ACKNOWLEDGED:
        return ACKNOWLEDGED
    return FEEDBACK_GIVEN


def _crumbs() -> list[tuple[str, str]]:
    return [(reverse("cases:partner_inbox"), _("Referred to us"))]


def partner_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(selectors.is_partner_in(user=user, region=region))
    rows = selectors.partner_inbox(user=user, region=region)
    groups: dict[str, list[selectors.PartnerReferral]] = {NEW: [], ACKNOWLEDGED: [], FEEDBACK_GIVEN: []}
    for row in rows:
        groups[_stage(row.status)].append(row)
    context = {
        "region": region,
        "sections": [
            (NEW, _("New"), groups[NEW]),
            (ACKNOWLEDGED, _("Acknowledged, waiting for your feedback"), groups[ACKNOWLEDGED]),
            (FEEDBACK_GIVEN, _("Feedback given"), groups[FEEDBACK_GIVEN]),
        ],
        "count": len(rows),
        "overdue": sum(row.feedback_overdue for row in rows),
    }
    return render(request, "cases/partner/inbox.html", context)


def partner_referral(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    row = selectors.partner_referral(user=user, pk=pk)
    context = {
        "row": row,
        "shared": handover_selectors.readable_snapshot(row.shared),
        "breadcrumbs": _crumbs(),
        "can_acknowledge": row.status == ReferralOutStatus.SENT,
        "can_give_feedback": row.status != ReferralOutStatus.ENDED,
        "feedback_form": FeedbackForm(),
    }
    return render(request, "cases/partner/referral.html", context)


@refused_as_missing()
@require_POST
def partner_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.partner_referral_record(user=request.user, pk=pk, action=Action.CHANGE)
    run_action(
        request,
        lambda: cases_services.referral_out_acknowledge(actor=Actor.from_request(request), referral_out=record),
        _("You confirmed that you received this referral."),
    )
    return redirect("cases:partner_referral", pk=record.pk)


def partner_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.partner_referral_record(user=request.user, pk=pk, action=Action.CHANGE)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    feedback = run_form(
        request,
        form,
        lambda: cases_services.referral_feedback_give(
            actor=Actor.from_request(request),
            referral_out=record,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
    )
    if feedback is not None:
        notifications.feedback_given(feedback, base_url=base_url_of(request))
        messages.success(request, _("Thank you: your feedback was passed on to the brugfiguur."))
        return redirect("cases:partner_referral", pk=record.pk)
    referral_url = reverse("cases:partner_referral", args=[record.pk])
    return render_form(
        request,
        form=form,
        title=_("Give feedback on this referral"),
        cancel_url=referral_url,
        breadcrumbs=[*_crumbs(), (referral_url, _("Referral"))],
        submit_label=_("Send feedback"),
    )


urlpatterns = [
    path("doorverwijzingen/inbox/", partner_inbox, name="partner_inbox"),
    path("doorverwijzingen/inbox/<int:pk>/", partner_referral, name="partner_referral"),
    path("doorverwijzingen/inbox/<int:pk>/ontvangen/", partner_acknowledge, name="partner_acknowledge"),
    path("doorverwijzingen/inbox/<int:pk>/terugkoppeling/", partner_feedback, name="partner_feedback"),
]
