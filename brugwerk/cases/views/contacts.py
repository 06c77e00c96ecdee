"""Pages of casework: contacts. A contact moment on a case, a low-threshold contact without a file
(anonymous or a first name only), the brugfiguur's own low-threshold contacts, and turning some of
them into a case, with consent, keeping them as its history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor
from brugwerk.cases import services
from brugwerk.cases.forms.contacts import (
    CaseContactForm,
    ConvertToCaseForm,
    LowThresholdContactForm,
    add_contact_errors,
)
from brugwerk.cases.models import Case, ContactMoment, LifeDomain
from brugwerk.cases.selectors import possible_duplicates
from brugwerk.cases.selectors.contacts import (
    contact_school_choices,
    convert_choices,
    last_contact_type,
    low_threshold_page,
)
from brugwerk.cases.selectors.lifecycle import case_for_page
from brugwerk.core.http import refused_as_missing, region_or_404, require
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import school_choices
from brugwerk.vocabularies.selectors import terms_in_use

CONTACTS_PER_PAGE = 25
CONVERT_CHOICES = 100  # without a first name to narrow them down: the most recent ones


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def case_crumbs(case: Case) -> list[tuple[str, str]]:
    return [(reverse("cases:case_list"), _("Cases")), (case_url(case), str(case.young_person))]


def closed_case_page(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    """A page that changes a case, asked for a closed case: back to the file with the reason,
    nothing changed (as the case file's own edit pages do)."""
    messages.error(request, _("This case is closed and can no longer be changed. Reopen it first."))
    return redirect(case_url(case))


# --- A contact moment on a case -------------------------------------------------------------------


@refused_as_missing()
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = case_for_page(user=user, pk=pk)
    if not case.is_open:
        return closed_case_page(request, case)
    require(can(user, Action.CREATE, ContactMoment(region=case.region, case=case)))
    form = CaseContactForm(
        request.POST or None, default_type=last_contact_type(user=user, region=case.region, with_case=True)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_register(actor=Actor.from_request(request), case=case, **form.contact_values())
        except ValidationError as error:
            add_contact_errors(form, error)
        else:
            messages.success(request, _("The contact moment was registered."))
            return redirect(case_url(case))
    context = {
        "case": case,
        "form": form,
        "title": _("Contact moment with %(name)s") % {"name": case.young_person.first_name},
        "breadcrumbs": case_crumbs(case),
        "cancel_url": case_url(case),
        "more_open": form.more_has_errors(CaseContactForm.MORE),
    }
    return render(request, "cases/contacts/contact_form.html", context)


# --- Low-threshold contacts -----------------------------------------------------------------------


def _low_threshold_region(request: AuthenticatedHttpRequest) -> Region:
    """The user's region, when they are a brugfiguur there: only brugfiguren register low-threshold
    contacts, and these pages show one's own."""
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, ContactMoment, region=region))
    return region


def _list_crumbs() -> list[tuple[str, str]]:
    return [(reverse("cases:low_threshold_list"), _("Contacts without a file"))]


@refused_as_missing()
def quick_contact(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _low_threshold_region(request)
    user = request.user
    form = LowThresholdContactForm(
        request.POST or None,
        schools=contact_school_choices(user=user, region=region),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
        default_type=last_contact_type(user=user, region=region, with_case=False),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_register(actor=Actor.from_request(request), region=region, **form.contact_values())
        except ValidationError as error:
            add_contact_errors(form, error)
        else:
            messages.success(request, _("The contact was registered."))
            return redirect("cases:low_threshold_list")
    context = {
        "form": form,
        "title": _("A contact without a file"),
        "breadcrumbs": _list_crumbs(),
        "cancel_url": reverse("cases:low_threshold_list"),
    }
    return render(request, "cases/contacts/quick_contact.html", context)


def low_threshold_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _low_threshold_region(request)
    first_name = (request.GET.get("first_name") or "").strip()[:40]
    page = low_threshold_page(
        user=request.user, region=region, first_name=first_name, number=request.GET.get("page"),
        per_page=CONTACTS_PER_PAGE,
    )
    context = {"page": page, "first_name": first_name}
    return render(request, "cases/contacts/low_threshold_list.html", context)


@refused_as_missing()
def low_threshold_convert(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _low_threshold_region(request)
    user = request.user
    first_name = (request.GET.get("first_name") or "").strip()[:40]
    offered = convert_choices(user=user, region=region, first_name=first_name, recent=CONVERT_CHOICES)
    choices = offered.contacts
    initial: dict[str, Any] = {}
    if first_name:
        chosen = list(choices)
        schools = {contact.school for contact in chosen if contact.school is not None}
        initial = {
            "contacts": chosen,
            "first_name": first_name,
            "school": schools.pop() if len(schools) == 1 else None,
        }
    form = ConvertToCaseForm(
        request.POST or None,
        initial=initial,
        contacts=choices,
        young_people=offered.young_people,
        schools=school_choices(user=user, region=region),
    )
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["young_person"] is None:
            duplicates = list(
                possible_duplicates(
                    user=user, region=region, first_name=data["first_name"], last_name=data["last_name"],
                    birth_date=data["birth_date"],
                )
            )
        if duplicates and not data["confirm_new"]:
            form.add_error(
                None,
                _("You already know a young person with this name and date of birth: choose them above, or "
                  "confirm that this is someone else."),
            )
        else:
            try:
                case = services.low_threshold_convert_to_case(
                    actor=Actor.from_request(request),
                    contacts=data["contacts"],
                    consent_recorded=data["consent_recorded"],
                    young_person=data["young_person"],
                    young_person_values=form.young_person_values() if data["young_person"] is None else None,
                    school=data["school"],
                )
            except ValidationError as error:
                add_contact_errors(form, error)
            else:
                count = len(data["contacts"])
                messages.success(
                    request,
                    ngettext(
                        "The case was opened; the earlier contact is in its history.",
                        "The case was opened; its %(count)s earlier contacts are in its history.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(case_url(case))
    context = {
        "form": form,
        "title": _("Turn contacts into a case"),
        "breadcrumbs": _list_crumbs(),
        "cancel_url": reverse("cases:low_threshold_list"),
        "first_name": first_name,
        "duplicates": duplicates,
        "has_young_people": bool(offered.young_person_ids),
        "has_contacts": bool(offered.contact_ids),
    }
    return render(request, "cases/contacts/convert.html", context)


urlpatterns = [
    path("dossiers/<int:pk>/contact/", contact_create, name="contact_create"),
    path("contact/", quick_contact, name="quick_contact"),
    path("contacten/", low_threshold_list, name="low_threshold_list"),
    path("contacten/omzetten/", low_threshold_convert, name="low_threshold_convert"),
]
