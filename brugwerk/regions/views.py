"""Pages of the region: its zones and municipalities (with dated zone membership) and its schools."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brugwerk.access import Action, can, get_object_or_404, may
from brugwerk.audit.services import Actor, record_view
from brugwerk.core.forms import model_values
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import form_page, render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions import selectors, services
from brugwerk.regions.forms import (
    MunicipalityForm,
    SchoolForm,
    SchoolSearchForm,
    ZoneForm,
    ZoneMembershipEndForm,
    ZoneMembershipForm,
)
from brugwerk.regions.models import Municipality, School, Zone, ZoneMembership
from brugwerk.regions.school_page import audit_details, school_sections

SCHOOLS_PER_PAGE = 25


def _overview_crumbs() -> list[tuple[str, str]]:
    return [(reverse("regions:overview"), _("Region"))]


def _school_crumbs(school: School | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("regions:school_list"), _("Schools"))]
    if school is not None:
        crumbs.append((reverse("regions:school_detail", args=[school.pk]), school.name))
    return crumbs


# --- Region overview ----------------------------------------------------------------------------


def _membership_status(membership: ZoneMembership, today: Any) -> str:
    if membership.valid_from > today:
        return "planned"
    if membership.valid_until is not None and membership.valid_until <= today:
        return "ended"
    return "current"


MEMBERSHIP_STATUS_LABELS = {
    "planned": gettext_lazy("planned"),
    "ended": gettext_lazy("ended"),
    "current": gettext_lazy("current"),
}


def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user, today = request.user, timezone.localdate()
    zones = selectors.zones_with_municipalities(user=user, region=region, on=today)
    for zone in zones:
        zone.can_change = can(user, Action.CHANGE, zone)
    history = list(selectors.zone_membership_history(user=user, region=region))
    for membership in history:
        membership.status = _membership_status(membership, today)
        membership.status_label = MEMBERSHIP_STATUS_LABELS[membership.status]
        membership.can_end = can(user, Action.CHANGE, membership)
    municipalities = list(selectors.municipalities_for(user=user, region=region))
    for municipality in municipalities:
        municipality.can_change = can(user, Action.CHANGE, municipality)
    context = {
        "region": region,
        "today": today,
        "zones": zones,
        "unzoned": list(selectors.municipalities_without_zone(user=user, region=region, on=today)),
        "municipalities": municipalities,
        "history": history,
        "can_create_zone": can(user, Action.CREATE, Zone, region=region),
        "can_create_municipality": can(user, Action.CREATE, Municipality, region=region),
        "can_create_membership": can(user, Action.CREATE, ZoneMembership, region=region),
    }
    return render(request, "regions/overview.html", context)


def _overview_form(
    request: AuthenticatedHttpRequest, form: Any, save: Callable[[], Any], *, title: str, done: str
) -> HttpResponse:
    """A form on the region overview: save through the service, say `done` (with the saved record's
    name) and go back to the overview; otherwise show the form with its errors."""
    return form_page(
        request, form=form, save=save, done=lambda saved: done % {"name": saved.name},
        success_url=reverse("regions:overview"), title=title, cancel_url=reverse("regions:overview"),
        breadcrumbs=_overview_crumbs(),
    )


def zone_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, Zone, region=region))
    form = ZoneForm(request.POST or None)
    save = lambda: services.zone_create(  # noqa: E731
        actor=Actor.from_request(request), region=region, values=model_values(form)
    )
    return _overview_form(request, form, save, title=_("Add a zone"), done=_("Zone %(name)s was added."))


def zone_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    zone = get_object_or_404(request.user, Zone, Action.CHANGE, pk=pk)
    form = ZoneForm(request.POST or None, instance=zone)
    save = lambda: services.zone_update(  # noqa: E731
        actor=Actor.from_request(request), zone=zone, values=model_values(form)
    )
    title = _("Change zone %(name)s") % {"name": zone.name}
    return _overview_form(request, form, save, title=title, done=_("Zone %(name)s was saved."))


def municipality_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, Municipality, region=region))
    form = MunicipalityForm(request.POST or None)
    save = lambda: services.municipality_create(  # noqa: E731
        actor=Actor.from_request(request), region=region, values=model_values(form)
    )
    title, done = _("Add a municipality"), _("Municipality %(name)s was added.")
    return _overview_form(request, form, save, title=title, done=done)


def municipality_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(request.user, Municipality, Action.CHANGE, pk=pk)
    form = MunicipalityForm(request.POST or None, instance=municipality)
    save = lambda: services.municipality_update(  # noqa: E731
        actor=Actor.from_request(request), municipality=municipality, values=model_values(form)
    )
    title = _("Change municipality %(name)s") % {"name": municipality.name}
    return _overview_form(request, form, save, title=title, done=_("Municipality %(name)s was saved."))


def zone_membership_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, ZoneMembership, region=region))
    form = ZoneMembershipForm(
        request.POST or None,
        zones=selectors.zones_for(user=user, region=region, action=Action.CREATE),
        municipalities=selectors.municipalities_for(user=user, region=region),
    )
    membership = run_form(
        request,
        form,
        lambda: services.zone_membership_create(
            actor=Actor.from_request(request),
            values=model_values(form),
            end_current=form.cleaned_data["end_current"],
        ),
    )
    if membership is not None:
        messages.success(
            request,
            _("%(municipality)s belongs to %(zone)s from %(date)s.")
            % {
                "municipality": membership.municipality,
                "zone": membership.zone,
                "date": date_format(membership.valid_from),
            },
        )
        return redirect("regions:overview")
    return render_form(
        request,
        form=form,
        title=_("Add a municipality to a zone"),
        cancel_url=reverse("regions:overview"),
        breadcrumbs=_overview_crumbs(),
        intro=_(
            "Zone membership is dated: a municipality belongs to one zone at a time, and the history "
            "stays visible. A period may not overlap another period of the same municipality."
        ),
    )


def zone_membership_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        request.user, ZoneMembership.objects.select_related("zone", "municipality"), Action.CHANGE, pk=pk
    )
    form = ZoneMembershipEndForm(
        request.POST or None,
        membership=membership,
        initial={"valid_until": membership.valid_until or timezone.localdate()},
    )
    saved = run_form(
        request,
        form,
        lambda: services.zone_membership_end(
            actor=Actor.from_request(request),
            membership=membership,
            valid_until=form.cleaned_data["valid_until"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The zone membership was ended."))
        return redirect("regions:overview")
    return render_form(
        request,
        form=form,
        title=_("End the zone membership of %(municipality)s in %(zone)s")
        % {"municipality": membership.municipality, "zone": membership.zone},
        cancel_url=reverse("regions:overview"),
        breadcrumbs=_overview_crumbs(),
        submit_label=_("End membership"),
    )


# --- Schools ------------------------------------------------------------------------------------


def school_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    form = SchoolSearchForm(request.GET, zones=selectors.zones_for(user=user, region=region))
    schools = selectors.schools_for(user=user, region=region, filters=form.filters())
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "form": form,
        "page": page,
        "can_create": can(user, Action.CREATE, School, region=region),
    }
    return render_page_or_fragment(request, "regions/school_list.html", "results", context)


def school_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    school = selectors.school_get(user=user, pk=pk)
    sections = school_sections(user=user, school=school)
    record_view(actor=Actor.from_request(request), subject=school, details=audit_details(sections))
    context = {
        "school": school,
        "sections": sections,
        **{shown.section.context_name: shown.items for shown in sections},
        "can_change": can(user, Action.CHANGE, school),
        "can_see_expertise": may(user, "expertise.view_school_activities", obj=school),
    }
    return render(request, "regions/school_detail.html", context)


def school_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, School, region=region))
    form = SchoolForm(
        request.POST or None, municipalities=selectors.municipalities_for(user=user, region=region)
    )
    school = run_form(
        request,
        form,
        lambda: services.school_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
    )
    if school is not None:
        messages.success(request, _("School %(name)s was added.") % {"name": school.name})
        return redirect("regions:school_detail", pk=school.pk)
    return render_form(
        request,
        form=form,
        title=_("Add a school"),
        cancel_url=reverse("regions:school_list"),
        breadcrumbs=_school_crumbs(),
    )


def school_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    school = selectors.school_get(user=user, pk=pk, action=Action.CHANGE)
    title = _("Change school %(name)s") % {"name": school.name}
    crumbs = _school_crumbs(school)
    form = SchoolForm(
        request.POST or None,
        instance=school,
        municipalities=selectors.municipalities_for(user=user, region=school.region),
    )
    saved = run_form(
        request,
        form,
        lambda: services.school_update(
            actor=Actor.from_request(request), school=school, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("School %(name)s was saved.") % {"name": saved.name})
        return redirect("regions:school_detail", pk=saved.pk)
    return render_form(
        request,
        form=form,
        title=title,
        cancel_url=reverse("regions:school_detail", args=[school.pk]),
        breadcrumbs=crumbs,
    )
