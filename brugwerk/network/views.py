"""Pages of the network: partner organisations, their contact points and "who is my contact?"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor, record_list_view, record_view
from brugwerk.core.forms import model_values
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form, service_error
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.network import selectors, services
from brugwerk.network.forms import ContactFinderForm, ContactPointForm, OrganisationForm, OrganisationSearchForm
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.regions.selectors import municipalities_for, own_school_of, school_choices, zones_for

ORGANISATIONS_PER_PAGE = 25


def _crumbs(organisation: PartnerOrganisation | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("network:organisation_list"), _("Partners"))]
    if organisation is not None:
        crumbs.append((reverse("network:organisation_detail", args=[organisation.pk]), organisation.name))
    return crumbs


# --- Partner organisations ----------------------------------------------------------------------


def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    form = OrganisationSearchForm(request.GET)
    query, partner_type = form.values()
    organisations = selectors.organisations_for(
        user=request.user, region=region, query=query, partner_type=partner_type
    )
    context = {
        "form": form,
        "page": Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page")),
        "can_create": can(request.user, Action.CREATE, PartnerOrganisation, region=region),
    }
    return render_page_or_fragment(request, "network/organisation_list.html", "results", context)


def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get(user=user, pk=pk)
    contact_points = list(selectors.contact_points_of(user=user, organisation=organisation))
    for point in contact_points:
        point.can_change = can(user, Action.CHANGE, point)
        point.can_delete = can(user, Action.DELETE, point)
    record_view(
        actor=Actor.from_request(request),
        subject=organisation,
        details={"contact_points": [point.pk for point in contact_points]},
    )
    context = {
        "organisation": organisation,
        "contact_points": contact_points,
        "can_change": can(user, Action.CHANGE, organisation),
        "can_add_contact": can(user, Action.CREATE, ContactPoint(organisation=organisation)),
    }
    return render(request, "network/organisation_detail.html", context)


def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, PartnerOrganisation, region=region))
    form = OrganisationForm(
        request.POST or None, municipalities=municipalities_for(user=request.user, region=region)
    )
    organisation = run_form(
        request,
        form,
        lambda: services.organisation_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
    )
    if organisation is not None:
        messages.success(request, _("%(name)s was added.") % {"name": organisation.name})
        return redirect("network:organisation_detail", pk=organisation.pk)
    return render_form(
        request,
        form=form,
        title=_("Add a partner organisation"),
        cancel_url=reverse("network:organisation_list"),
        breadcrumbs=_crumbs(),
    )


def organisation_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk, action=Action.CHANGE)
    title, crumbs = _("Change %(name)s") % {"name": organisation.name}, _crumbs(organisation)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        municipalities=municipalities_for(user=request.user, region=organisation.region),
    )
    saved = run_form(
        request,
        form,
        lambda: services.organisation_update(
            actor=Actor.from_request(request), organisation=organisation, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
        return redirect("network:organisation_detail", pk=saved.pk)
    return render_form(
        request,
        form=form,
        title=title,
        breadcrumbs=crumbs,
        cancel_url=reverse("network:organisation_detail", args=[organisation.pk]),
    )


# --- Contact points -----------------------------------------------------------------------------


def _contact_point_form(
    request: AuthenticatedHttpRequest, organisation: PartnerOrganisation, **kwargs
) -> ContactPointForm:
    user, region = request.user, organisation.region
    return ContactPointForm(
        request.POST or None,
        schools=school_choices(user=user, region=region),
        municipalities=municipalities_for(user=user, region=region),
        zones=zones_for(user=user, region=region),
        **kwargs,
    )


def _render_contact_point_form(request, form, organisation, title) -> HttpResponse:
    return render_form(
        request,
        form=form,
        title=title,
        breadcrumbs=_crumbs(organisation),
        template="network/contact_point_form.html",
        cancel_url=reverse("network:organisation_detail", args=[organisation.pk]),
    )


def contact_point_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require(can(request.user, Action.CREATE, ContactPoint(organisation=organisation)))
    form = _contact_point_form(request, organisation)
    point = run_form(
        request,
        form,
        lambda: services.contact_point_create(
            actor=Actor.from_request(request), organisation=organisation, values=model_values(form)
        ),
    )
    if point is not None:
        messages.success(request, _("Contact point %(name)s was added.") % {"name": point.person_name})
        return redirect("network:organisation_detail", pk=organisation.pk)
    title = _("Add a contact point at %(organisation)s") % {"organisation": organisation.name}
    return _render_contact_point_form(request, form, organisation, title)


def contact_point_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = selectors.contact_point_get(user=request.user, pk=pk, action=Action.CHANGE)
    organisation = point.organisation
    title = _("Change contact point %(name)s") % {"name": point.person_name}
    form = _contact_point_form(request, organisation, instance=point)
    saved = run_form(
        request,
        form,
        lambda: services.contact_point_update(
            actor=Actor.from_request(request), contact_point=point, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("Contact point %(name)s was saved.") % {"name": saved.person_name})
        return redirect("network:organisation_detail", pk=organisation.pk)
    return _render_contact_point_form(request, form, organisation, title)


def contact_point_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    point = selectors.contact_point_get(user=request.user, pk=pk, action=Action.DELETE)
    error = ""
    if request.method == "POST":
        error = service_error(
            lambda: services.contact_point_delete(actor=Actor.from_request(request), contact_point=point)
        )
        if not error:
            messages.success(request, _("Contact point %(name)s was deleted.") % {"name": point.person_name})
            return redirect("network:organisation_detail", pk=point.organisation_id)
    context = {"contact_point": point, "breadcrumbs": _crumbs(point.organisation), "error": error}
    return render(request, "network/contact_point_confirm_delete.html", context)


# --- Who is my contact? -------------------------------------------------------------------------


def contact_finder(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a school and (optionally) an organisation or a type: the contact points that answer
    for that school. A school contact starts from their own school."""
    region = region_or_404(request)
    user = request.user
    data = request.GET.copy()
    own_school = own_school_of(user=user, region=region)
    if not data.get("school") and own_school is not None:
        data["school"] = str(own_school.pk)
    form = ContactFinderForm(
        data or None,
        schools=school_choices(user=user, region=region),
        organisations=selectors.organisations_for(user=user, region=region),
    )
    context: dict = {"form": form, "answered": False}
    if form.is_bound and form.is_valid():
        school, organisation = form.cleaned_data["school"], form.cleaned_data["organisation"]
        answers = selectors.contact_points_for(
            user=user,
            school=school,
            organisation=organisation,
            partner_type=form.cleaned_data["type"] or None,
        )
        record_list_view(
            actor=Actor.from_request(request),
            model=ContactPoint,
            region_id=school.region_id,
            label=_("Who is my contact? %(school)s") % {"school": school.name},
            details={
                "school": school.pk,
                "organisation": organisation.pk if organisation else None,
                "type": form.cleaned_data["type"],
                "contact_points": [p.pk for p in answers],
            },
        )
        context.update(answered=True, school=school, organisation=organisation, answers=answers)
    return render_page_or_fragment(request, "network/contact_finder.html", "answer", context)
