"""Pages of casework: what leaves a case. Consent per recipient and purpose (and its withdrawal),
the referral out to a partner's fixed contact point sharing only what a standing consent covers,
the team's view of a referral out with its feedback, and the handover summary when a young person
leaves the region. The services decide and audit; these pages collect input and show results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor
from brugwerk.cases import notifications
from brugwerk.cases import services as cases_services
from brugwerk.cases.forms.handover import ConsentForm, HandoverExportForm, ReferralOutForm
from brugwerk.cases.models import CONSENT_AGE, Case, Consent, ConsentPurpose, ReferralOut, ShareableField, age_on
from brugwerk.cases.selectors import handover as selectors
from brugwerk.cases.selectors import partner as partner_selectors
from brugwerk.core.forms import add_service_errors
from brugwerk.core.http import refused_as_missing, require
from brugwerk.core.mail import base_url_of
from brugwerk.core.pages import render_form, run_form, service_error
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.network.selectors import organisations_for


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def _crumbs(case: Case, label: str | None = None) -> list[tuple[str, str]]:
    return [(case_url(case), label or str(case.young_person))]


def _posted(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _field_labels(fields: list[str]) -> list[str]:
    names = dict(ShareableField.choices)
    return [str(names.get(name, name)) for name in fields]


# --- Consent ------------------------------------------------------------------------------------


def consent_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get(user=user, pk=pk)
    require(can(user, Action.CREATE, Consent(case=case)))
    initial = {name: request.GET[name] for name in ("purpose", "organisation") if request.GET.get(name)}
    organisations = organisations_for(user=user, region=case.region)
    form = ConsentForm(_posted(request), organisations=organisations, initial=initial)
    consent = run_form(
        request,
        form,
        lambda: cases_services.consent_record(actor=Actor.from_request(request), case=case, **form.values()),
    )
    if consent is not None:
        messages.success(
            request,
            _("Consent was recorded: %(organisation)s may receive it for %(purpose)s.")
            % {"organisation": consent.organisation.name, "purpose": consent.get_purpose_display()},
        )
        return redirect(case_url(case))
    return render_form(
        request,
        form=form,
        title=_("Record consent"),
        intro=_consent_intro(case),
        cancel_url=case_url(case),
        breadcrumbs=_crumbs(case),
        submit_label=_("Record consent"),
    )


def _consent_intro(case: Case) -> str:
    intro = _(
        "Consent is given per recipient and per purpose, for only what is strictly necessary. It can be "
        "withdrawn at any time."
    )
    birth_date = case.young_person.birth_date
    if birth_date is None:
        return intro
    age = age_on(birth_date, timezone.localdate())
    if age >= CONSENT_AGE:
        hint = _("%(name)s is %(age)d: presumed able to consent for themselves.")
    else:
        hint = _("%(name)s is %(age)d: a parent or guardian consents.")
    return f"{intro} {hint % {'name': case.young_person.first_name, 'age': age}}"


@refused_as_missing()
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    consent = selectors.consent_get(user=user, pk=pk, action=Action.CHANGE)
    case = consent.case
    error = ""
    if request.method == "POST":
        error = service_error(
            lambda: cases_services.consent_withdraw(actor=Actor.from_request(request), consent=consent)
        )
        if not error:
            messages.success(
                request,
                _("The consent for %(organisation)s was withdrawn: nothing more is shared under it.")
                % {"organisation": consent.organisation.name},
            )
            return redirect(case_url(case))
    referrals = selectors.referrals_under(user=user, consent=consent)
    context = {
        "consent": consent,
        "case": case,
        "case_url": case_url(case),
        "breadcrumbs": _crumbs(case),
        "field_labels": _field_labels(consent.shared_fields),
        "referrals": referrals,
        "error": error,
    }
    return render(request, "cases/handover/consent_withdraw.html", context)


# --- Referrals out ------------------------------------------------------------------------------


@refused_as_missing()
def referral_out_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step one: choose the consent to refer under (skipped when there is one). Step two: the contact
    point, the question and what to share; what the consent does not cover cannot be chosen. Step
    three: the partner's view of the referral, exactly as they will see it; sending from there goes
    ahead only while that is still what would be sent. The services check every step."""
    user = request.user
    case = selectors.case_get(user=user, pk=pk)
    require(can(user, Action.CREATE, ReferralOut(case=case)))
    consents = list(selectors.standing_consents(user=user, case=case, purpose=ConsentPurpose.REFERRAL))
    consent_id = request.GET.get("consent")
    actor = Actor.from_request(request)
    context: dict[str, Any] = {
        "case": case,
        "case_url": case_url(case),
        "breadcrumbs": _crumbs(case),
        "consents": [(c, _field_labels(c.shared_fields)) for c in consents],
        "consent_url": reverse("cases:consent_create", args=[case.pk]) + f"?purpose={ConsentPurpose.REFERRAL}",
    }
    if consent_id is None and len(consents) == 1:
        consent = selectors.consent_of_case(user=user, case=case, pk=consents[0].pk, known=consents)
    elif consent_id is not None:
        consent = selectors.consent_of_case(user=user, case=case, pk=consent_id)
    else:
        return render(request, "cases/handover/referral_out_choose.html", context)
    standing = consent.withdrawn_at is None and consent.purpose == ConsentPurpose.REFERRAL
    covered = consent.shared_fields if standing else []
    points = selectors.recipient_contact_points(user=user, case=case, organisation=consent.organisation)
    form = ReferralOutForm(
        _posted(request), consent=consent, covered=covered, for_school=points.for_school, others=points.others
    )
    context |= {"consent": consent, "form": form}
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        data = form.cleaned_data
        values = {
            "actor": actor, "case": case, "organisation": consent.organisation, "question": data["question"],
            "consent": consent, "shared_fields": data["shared_fields"], "contact_point": data["contact_point"],
        }
        try:
            prepared = cases_services.referral_out_prepare(**values)
            fingerprint = partner_selectors.preview_fingerprint(prepared)
            if request.POST.get("confirm") and request.POST.get("fingerprint") == fingerprint:
                referral = cases_services.referral_out_send(**values)
                notifications.referral_out_sent(referral, base_url=base_url_of(request))
                messages.success(
                    request,
                    _("The referral to %(organisation)s was sent.") % {"organisation": consent.organisation.name},
                )
                return redirect("cases:referral_out_detail", pk=referral.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _referral_out_preview(
                request, context, prepared, fingerprint, changed=bool(request.POST.get("confirm"))
            )
    context |= {"standing": standing, "covered_labels": _field_labels(covered), "several": len(consents) > 1}
    return render(request, "cases/handover/referral_out_form.html", context)


def _referral_out_preview(
    request: AuthenticatedHttpRequest,
    context: dict[str, Any],
    prepared: ReferralOut,
    fingerprint: str,
    *,
    changed: bool,
) -> HttpResponse:
    """The partner's page of the referral as it would be sent (`partner_selectors.partner_referral_preview`
    and the partner's own partial), with the form's values carried along to send or change them.
    `changed`: sending was asked for, but what would be sent is no longer what the preview showed."""
    row = partner_selectors.partner_referral_preview(user=request.user, referral_out=prepared)
    context |= {
        "row": row,
        "shared": selectors.readable_snapshot(row.shared),
        "fingerprint": fingerprint,
        "changed": changed,
    }
    return render(request, "cases/handover/referral_out_preview.html", context)


def referral_out_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    team_view = selectors.referral_out_for_team(user=user, pk=pk)
    referral = team_view.referral
    consent = referral.consent
    context = {
        "referral": referral,
        "case": referral.case,
        "case_url": case_url(referral.case),
        "breadcrumbs": _crumbs(referral.case),
        "feedback": team_view.feedback,
        "consent": consent,
        "shared": selectors.readable_snapshot(referral.shared_snapshot),
        "shared_labels": _field_labels(referral.shared_fields),
        "can_withdraw": consent.withdrawn_at is None and can(user, Action.CHANGE, consent),
    }
    return render(request, "cases/handover/referral_out_detail.html", context)


# --- Leaving the region: the handover summary -----------------------------------------------------


@refused_as_missing()
def handover_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Choose a standing consent for a handover summary; the summary holds only the fields it covers,
    as a printable page or a download. Every summary shown or downloaded is audited as an export."""
    user = request.user
    case = selectors.case_get(user=user, pk=pk)
    require(can(user, Action.EXPORT, case))
    consents = selectors.standing_consents(user=user, case=case, purpose=ConsentPurpose.HANDOVER_SUMMARY)
    choices = list(consents)
    initial = {"consent": choices[0].pk} if len(choices) == 1 else {}
    form = HandoverExportForm(request.GET if "consent" in request.GET else None, consents=consents, initial=initial)
    summary = None
    if form.is_bound and form.is_valid():
        consent = form.cleaned_data["consent"]
        try:
            summary = cases_services.case_handover_export(
                actor=Actor.from_request(request), case=case, consent=consent
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {
        "case": case,
        "case_url": case_url(case),
        "breadcrumbs": _crumbs(case, _("Case file")),
        "form": form,
        "has_consents": bool(choices),
        "consent_url": reverse("cases:consent_create", args=[case.pk])
        + f"?purpose={ConsentPurpose.HANDOVER_SUMMARY}",
    }
    if summary is not None:
        consent = form.cleaned_data["consent"]
        context |= {
            "summary": summary,
            "shared": selectors.readable_snapshot(summary["fields"]),
            "shared_labels": _field_labels(consent.shared_fields),
            "consent": consent,
            "made_on": timezone.localdate(),
        }
        if request.GET.get("download"):
            document = render_to_string("cases/handover/export_document.html", context, request=request)
            response = HttpResponse(document, content_type="text/html; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="overdracht-{case.pk}.html"'
            return response
    return render(request, "cases/handover/export.html", context)


urlpatterns = [
    path("dossiers/<int:pk>/toestemming/", consent_create, name="consent_create"),
    path("toestemmingen/<int:pk>/intrekken/", consent_withdraw, name="consent_withdraw"),
    path("dossiers/<int:pk>/doorverwijzen/", referral_out_create, name="referral_out_create"),
    path("doorverwijzingen/<int:pk>/", referral_out_detail, name="referral_out_detail"),
    path("dossiers/<int:pk>/overdracht/", handover_export, name="handover_export"),
]
