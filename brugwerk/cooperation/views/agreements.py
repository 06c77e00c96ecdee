"""Pages of the cooperation agreements with schools: the overview of every school with the status
of its agreement (evaluation overdue marked), one school's agreement with the presence days of the
pool there and the history of versions, writing a new version, and one earlier version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor, record_view
from brugwerk.cooperation import selectors, services
from brugwerk.cooperation.forms import (
    AgreementOverviewForm,
    AgreementStatus,
    ContactPersonFormSet,
    CooperationAgreementForm,
)
from brugwerk.cooperation.models import CooperationAgreement
from brugwerk.cooperation.selectors import SchoolAgreementRow
from brugwerk.cooperation.services import AGREEMENT_FIELDS
from brugwerk.core.http import region_or_404, require
from brugwerk.core.pages import run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import School

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def _crumbs(school: School | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("cooperation:agreement_overview"), _("Cooperation agreements"))]
    if school is not None:
        crumbs.append((reverse("cooperation:agreement_school", args=[school.pk]), school.name))
    return crumbs


def _keep(row: SchoolAgreementRow, status: str) -> bool:
    if status == AgreementStatus.MISSING:
        return row.agreement is None
    if status == AgreementStatus.OVERDUE:
        return row.evaluation_overdue
    if status == AgreementStatus.NO_ROLE_PROFILE:
        return row.agreement is None or not row.agreement.role_profile_accepted
    return True


def agreement_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    today = timezone.localdate()
    rows = selectors.agreement_overview(user=request.user, region=region, today=today)
    require(bool(rows))
    form = AgreementOverviewForm(request.GET)
    status = form.chosen()
    context = {
        "form": form,
        "rows": [row for row in rows if _keep(row, status)],
        "counts": {
            "schools": len(rows),
            "with_agreement": sum(1 for row in rows if row.agreement is not None),
            "overdue": sum(1 for row in rows if row.evaluation_overdue),
        },
        "today": today,
    }
    return render(request, "cooperation/agreement_overview.html", context)


def _may_write(user: User, school: School, current: CooperationAgreement | None) -> bool:
    if current is not None:
        return can(user, Action.CHANGE, current)
    return can(user, Action.CREATE, CooperationAgreement(region_id=school.region_id, school=school))


def agreement_school(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    school = selectors.agreement_school_get(user=user, pk=pk)
    today = timezone.localdate()
    versions = selectors.agreement_versions(user=user, school=school)
    current = versions[0] if versions and versions[0].is_current else None
    presence = list(selectors.presence_at_school(user=user, school=school, today=today))
    record_view(
        actor=Actor.from_request(request),
        subject=current or school,
        details={"school": school.pk, "versions": [v.pk for v in versions], "presence_days": [p.pk for p in presence]},
    )
    context = {
        "school": school,
        "agreement": current,
        "history": [v for v in versions if not v.is_current],
        "presence": presence,
        "overdue": current is not None and current.evaluation_overdue(today),
        "can_write": _may_write(user, school, current),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "cooperation/agreement_school.html", context)


def _initial(current: CooperationAgreement | None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in AGREEMENT_FIELDS} if current is not None else {}
    return values | {"valid_from": timezone.localdate()}


def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    school = selectors.agreement_school_get(user=user, pk=pk)
    versions = selectors.agreement_versions(user=user, school=school)
    current = versions[0] if versions and versions[0].is_current else None
    require(_may_write(user, school, current))
    initial = _initial(current)
    form = CooperationAgreementForm(request.POST or None, initial=initial)
    # The posted rows are the contacts (no initial rows to compare with: a row left as it was is kept).
    if request.method == "POST":
        contacts = ContactPersonFormSet(request.POST, prefix="contacts")
    else:
        contacts = ContactPersonFormSet(initial=initial.get("contacts") or None, prefix="contacts")
    saved = run_form(request, [form, contacts], lambda: services.cooperation_agreement_save(
        actor=Actor.from_request(request), school=school,
        values=form.values() | {"contacts": [c.cleaned_data for c in contacts.forms]},
    ))
    if saved is not None:
        messages.success(
            request, _("Version %(version)s of the agreement with %(school)s was saved.")
            % {"version": saved.version, "school": school.name}
        )
        return redirect("cooperation:agreement_school", pk=school.pk)
    if current is not None:
        record_view(actor=Actor.from_request(request), subject=current, details={"page": "agreement_edit"})
        title = _("New version of the agreement with %(school)s") % {"school": school.name}
        intro = _("The current version (%(version)s) stays in the history; the new one replaces it from its start "
                  "date.") % {"version": current.version}
    else:
        title = _("Cooperation agreement with %(school)s") % {"school": school.name}
        intro = ""
    context = {
        "form": form, "contacts": contacts, "title": title, "intro": intro, "breadcrumbs": _crumbs(school),
        "cancel_url": reverse("cooperation:agreement_school", args=[school.pk]), "submit_label": _("Save"),
    }
    return render(request, "cooperation/agreement_form.html", context)


def agreement_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    record_view(actor=Actor.from_request(request), subject=agreement, details={"page": "version"})
    context = {"agreement": agreement, "school": agreement.school, "breadcrumbs": _crumbs(agreement.school)}
    return render(request, "cooperation/agreement_version.html", context)


urlpatterns = [
    path("scholen/", agreement_overview, name="agreement_overview"),
    path("scholen/<int:pk>/", agreement_school, name="agreement_school"),
    path("scholen/<int:pk>/wijzigen/", agreement_edit, name="agreement_edit"),
    path("versies/<int:pk>/", agreement_version, name="agreement_version"),
]
