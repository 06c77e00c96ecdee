"""Pages of casework: the case list with its search (a plain GET form, updated live with htmx where
JavaScript runs) and the user's own saved filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brugwerk.access import Action, can, get_object_or_404
from brugwerk.audit.services import Actor
from brugwerk.cases.forms.search import CaseSearchForm, SavedFilterForm
from brugwerk.cases.models import Case, SavedFilter
from brugwerk.cases.selectors.search import case_search_page, saved_filters_of
from brugwerk.cases.services import filters as filter_services
from brugwerk.cases.services.filters import clean_query
from brugwerk.core.http import refused_as_missing, region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form, service_error
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import school_choices

CASES_PER_PAGE = 25
SAVE_FORM_IDS = "saved_%s"  # the save form sits beside the search form: their ids must differ


def _caseworker_region(request: AuthenticatedHttpRequest) -> Region:
    """The region whose case list the user works with. The list is the page of those who guide cases
    (whom the policy lets open one); for anybody else it does not exist."""
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, Case, region=region))
    return region


def _search_form(request: AuthenticatedHttpRequest, data: Any, region: Region) -> CaseSearchForm:
    return CaseSearchForm(data, schools=school_choices(user=request.user, region=region))


def _list_url(query: dict[str, str]) -> str:
    url = reverse("cases:case_list")
    return f"{url}?{urlencode(query)}" if query else url


def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _caseworker_region(request)
    user = request.user
    form = _search_form(request, request.GET, region)
    query = form.query()
    page = case_search_page(
        user=user, region=region, filters=form.filters(), query=query, number=request.GET.get("page"),
        per_page=CASES_PER_PAGE,
    )
    saved_filters = list(saved_filters_of(user=user, region=region))
    for saved in saved_filters:
        saved.url = _list_url(clean_query(saved.query))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "saved_filters": saved_filters,
        "save_form": SavedFilterForm(initial=query, auto_id=SAVE_FORM_IDS),
    }
    return render_page_or_fragment(request, "cases/search/case_list.html", "results", context)


@require_http_methods(["GET", "POST"])
def saved_filter_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the current search under a name (posted from the case list; shown as a page again when
    the name is missing or already used)."""
    region = _caseworker_region(request)
    user = request.user
    require(can(user, Action.CREATE, SavedFilter(owner=user, region=region)))
    form = SavedFilterForm(
        request.POST or None, initial=_search_form(request, request.GET, region).query(), auto_id=SAVE_FORM_IDS
    )

    def save() -> SavedFilter:
        query = _search_form(request, form.cleaned_data, region).query()
        return filter_services.saved_filter_create(
            actor=Actor.from_request(request), region=region, name=form.cleaned_data["name"], query=query
        )

    saved = run_form(request, form, save)
    if saved is not None:
        messages.success(request, _("Your search %(name)s was saved.") % {"name": saved.name})
        return redirect(_list_url(clean_query(saved.query)))
    return render_form(
        request,
        form=form,
        title=_("Save this search"),
        cancel_url=_list_url(_search_form(request, request.POST or request.GET, region).query()),
        breadcrumbs=[(reverse("cases:case_list"), _("Cases"))],
    )


@refused_as_missing()
@require_http_methods(["GET", "POST"])
def saved_filter_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(request.user, SavedFilter, Action.DELETE, pk=pk)
    error = ""
    if request.method == "POST":
        error = service_error(
            lambda: filter_services.saved_filter_delete(actor=Actor.from_request(request), saved_filter=saved)
        )
        if not error:
            messages.success(request, _("The saved search %(name)s was deleted.") % {"name": saved.name})
            return redirect("cases:case_list")
    context = {"saved_filter": saved, "error": error, "breadcrumbs": [(reverse("cases:case_list"), _("Cases"))]}
    return render(request, "cases/search/saved_filter_confirm_delete.html", context)


urlpatterns = [
    path("dossiers/", case_list, name="case_list"),
    path("dossiers/filters/", saved_filter_create, name="saved_filter_create"),
    path("dossiers/filters/<int:pk>/verwijderen/", saved_filter_delete, name="saved_filter_delete"),
]
