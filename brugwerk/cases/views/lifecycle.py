"""Pages of casework: lifecycle. Small form pages that change the course of a case and return to
its file: another lead, a change of school within the region (the case moves with the pupil),
sharing with a second brugfiguur or a stand-in (and revoking that), closing with a reason, an
outcome and a closing contact, and reopening, explicitly, with a reason. A closed case is read-only:
its pages say so instead of showing a form. Another lead and a change of school end every share of
the case: their pages say beforehand which, and the success message says they ended."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor
from brugwerk.cases import services
from brugwerk.cases.forms.contacts import SERVICE_FIELD_NAMES
from brugwerk.cases.forms.lifecycle import AssignLeadForm, CloseForm, ReopenForm, ShareForm, TransferForm
from brugwerk.cases.models import Case, CaseShare, CaseTransfer
from brugwerk.cases.selectors.contacts import last_contact_type
from brugwerk.cases.selectors.lifecycle import (
    brugfiguren_of,
    case_for_page,
    current_shares,
    share_for_page,
    transfer_schools,
)
from brugwerk.cases.views.contacts import case_crumbs, case_url, closed_case_page
from brugwerk.core.http import refused_as_missing, require
from brugwerk.core.pages import run_action, run_form
from brugwerk.core.types import AuthenticatedHttpRequest


def _form_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    form: Any,
    save: Callable[[], Any],
    *,
    title: str,
    done: str,
    template: str,
    intro: str = "",
    submit_label: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run `save` (a service call) on a valid POST and go back to the case file with `done`; else
    show the form, its errors included (the selector that gave the case recorded its read)."""

    def saved() -> bool:
        save()
        return True

    if run_form(request, form, saved, field_names=SERVICE_FIELD_NAMES):
        messages.success(request, done)
        # A lead who handed the case over no longer sees it: to their cases, not to a 404.
        return redirect(case_url(case) if can(request.user, Action.VIEW, case) else reverse("cases:case_list"))
    context = {
        "case": case,
        "form": form,
        "title": title,
        "intro": intro,
        "breadcrumbs": case_crumbs(case),
        "cancel_url": case_url(case),
        "submit_label": submit_label or _("Save"),
        **(extra or {}),
    }
    return render(request, template, context)


def _ending_shares(request: AuthenticatedHttpRequest, case: Case) -> tuple[list[str], Callable[[str], str]]:
    """The shares a new lead or a change of school ends (the services end every share in force or
    still to come): what the page says beforehand, and the success message that says it happened."""
    shares = current_shares(user=request.user, case=case)
    ending = [
        _("The sharing with %(name)s (%(kind)s) ends with this change.")
        % {"name": share.user, "kind": share.get_kind_display()}
        for share in shares
    ]
    ended = [
        _("The sharing with %(name)s (%(kind)s) has ended.") % {"name": share.user, "kind": share.get_kind_display()}
        for share in shares
    ]

    def done(message: str) -> str:
        return " ".join([message, *ended])

    return ending, done


def _open_case(request: AuthenticatedHttpRequest, pk: int, allowed: Callable[[Case], bool]) -> Case | HttpResponse:
    """The case for a page that changes an open case: 404 when the user may not see it, back to the
    file with the reason when it is closed, 404 when they may see it but not do this."""
    case = case_for_page(user=request.user, pk=pk)
    if not case.is_open:
        return closed_case_page(request, case)
    require(allowed(case))
    return case


def case_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    title = _("Another lead bridge figure")
    case = _open_case(request, pk, lambda c: can(user, Action.CREATE, CaseTransfer(case=c)))
    if isinstance(case, HttpResponse):
        return case
    form = AssignLeadForm(
        request.POST or None, brugfiguren=brugfiguren_of(user=user, region=case.region).exclude(pk=case.lead_id)
    )
    ending, done = _ending_shares(request, case)
    return _form_page(
        request, case, form,
        lambda: services.case_assign_lead(
            actor=Actor.from_request(request), case=case, lead=form.cleaned_data["lead"],
            note=form.cleaned_data["note"],
        ),
        title=title,
        done=done(_("The case has another lead bridge figure now.")),
        template="cases/lifecycle/form_page.html",
        intro=_("%(name)s leads the case now. The change is kept in the case's history.")
        % {"name": case.lead},
        submit_label=_("Assign"),
        extra={"ending_shares": ending},
    )


def case_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    title = _("Change of school")
    case = _open_case(request, pk, lambda c: can(user, Action.CREATE, CaseTransfer(case=c)))
    if isinstance(case, HttpResponse):
        return case
    form = TransferForm(
        request.POST or None,
        schools=transfer_schools(user=user, case=case),
        brugfiguren=brugfiguren_of(user=user, region=case.region),
    )
    current = case.school.name if case.school else _("no school")
    ending, done = _ending_shares(request, case)
    return _form_page(
        request, case, form,
        lambda: services.case_transfer(
            actor=Actor.from_request(request), case=case, to_school=form.cleaned_data["to_school"],
            to_lead=form.cleaned_data["to_lead"], note=form.cleaned_data["note"],
        ),
        title=title,
        done=done(_("The case moved to the new school and its bridge figure.")),
        template="cases/lifecycle/form_page.html",
        intro=_(
            "The young person moves from %(school)s to another school of the region. The case goes to the "
            "bridge figure of the new school with your handover note; the old school no longer follows it."
        )
        % {"school": current},
        submit_label=_("Move the case"),
        extra={"ending_shares": ending},
    )


def case_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    title = _("Share the case")
    case = _open_case(request, pk, lambda c: can(user, Action.CREATE, CaseShare(case=c)))
    if isinstance(case, HttpResponse):
        return case
    form = ShareForm(
        request.POST or None, brugfiguren=brugfiguren_of(user=user, region=case.region).exclude(pk=case.lead_id)
    )
    shares = current_shares(user=user, case=case)
    for share in shares:
        share.can_revoke = can(user, Action.CHANGE, share)

    def save() -> CaseShare:
        data = form.cleaned_data
        return services.case_share_grant(
            actor=Actor.from_request(request), case=case, user=data["user"], kind=data["kind"],
            starts_on=data["starts_on"], ends_on=data["ends_on"],
        )

    return _form_page(
        request, case, form, save,
        title=title,
        done=_("The case is shared."),
        template="cases/lifecycle/share.html",
        intro=_(
            "A second bridge figure guides the case too, or stands in during an absence. They see and write "
            "in the case on the days of the period only."
        ),
        submit_label=_("Share"),
        extra={"shares": shares},
    )


@refused_as_missing()
def case_share_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ending a share: asked to confirm (GET, the case file links here), done on POST."""
    share = share_for_page(user=request.user, pk=pk)
    case = share.case
    if request.method == "POST":
        run_action(
            request, lambda: services.case_share_revoke(actor=Actor.from_request(request), share=share),
            _("The sharing was ended."),
        )
        return redirect(case_url(case))
    if share.revoked_at is not None:
        messages.info(request, _("This share has been ended already."))
        return redirect(case_url(case))
    title = _("End the sharing with %(name)s") % {"name": share.user}
    context = {"case": case, "share": share, "title": title, "breadcrumbs": case_crumbs(case)}
    return render(request, "cases/lifecycle/revoke.html", context)


def case_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    title = _("Close the case")
    case = _open_case(request, pk, lambda c: can(user, Action.CHANGE, c))
    if isinstance(case, HttpResponse):
        return case
    default_type = last_contact_type(user=user, region=case.region, with_case=True)
    form = CloseForm(request.POST or None, default_type=default_type)
    return _form_page(
        request, case, form,
        lambda: services.case_close(
            actor=Actor.from_request(request), case=case, reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"], closing_contact=form.contact_values(),
        ),
        title=title,
        done=_("The case was closed."),
        template="cases/lifecycle/close.html",
        intro=_("A closed case can be read but no longer changed, until it is reopened."),
        submit_label=_("Close the case"),
    )


def case_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = case_for_page(user=user, pk=pk)
    title = _("Reopen the case")
    if case.is_open:
        messages.info(request, _("This case is open already."))
        return redirect(case_url(case))
    require(can(user, Action.CHANGE, case))
    form = ReopenForm(request.POST or None)
    return _form_page(
        request, case, form,
        lambda: services.case_reopen(actor=Actor.from_request(request), case=case, reason=form.cleaned_data["reason"]),
        title=title,
        done=_("The case was reopened."),
        template="cases/lifecycle/form_page.html",
        intro=_("Reopening is explicit: say why. The case can be changed again afterwards."),
        submit_label=_("Reopen"),
    )


urlpatterns = [
    path("dossiers/<int:pk>/toewijzen/", case_assign, name="case_assign"),
    path("dossiers/<int:pk>/schoolwissel/", case_transfer, name="case_transfer"),
    path("dossiers/<int:pk>/delen/", case_share, name="case_share"),
    path("delingen/<int:pk>/intrekken/", case_share_revoke, name="case_share_revoke"),
    path("dossiers/<int:pk>/afsluiten/", case_close, name="case_close"),
    path("dossiers/<int:pk>/heropenen/", case_reopen, name="case_reopen"),
]
