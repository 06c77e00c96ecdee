"""Pages of what the region shares: the library of practices and methods, the social map of services
per municipality (both searchable live with htmx, and with a plain GET without JavaScript) and the
list of learning themes the coordinator keeps."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor
from brugwerk.cases.models import LifeDomain
from brugwerk.core.forms import model_values
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.learning import selectors, services
from brugwerk.learning.forms import LibraryItemForm, LibrarySearchForm, SocialMapEntryForm, SocialMapSearchForm
from brugwerk.learning.models import LearningTheme, LibraryItem, SocialMapEntry
from brugwerk.learning.views import learning_nav
from brugwerk.network.selectors import organisations_for
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import municipalities_for
from brugwerk.vocabularies.pages import VocabularyPages, VocabularyTexts
from brugwerk.vocabularies.selectors import terms_in_use

ITEMS_PER_PAGE = 25


# --- Library --------------------------------------------------------------------------------------


def _library_crumbs(item: LibraryItem | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("learning:library_list"), _("Library"))]
    if item is not None:
        crumbs.append((reverse("learning:library_detail", args=[item.pk]), item.title))
    return crumbs


def library_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    form = LibrarySearchForm(request.GET, themes=terms_in_use(user=user, model=LearningTheme, region=region))
    items = selectors.library_items_for(user=user, region=region, **form.values())
    context = {
        "form": form,
        "page": Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page")),
        "can_create": can(user, Action.CREATE, LibraryItem, region=region),
        **learning_nav(request, region),
    }
    return render_page_or_fragment(request, "learning/library_list.html", "results", context)


def library_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.library_item_get(user=request.user, pk=pk)
    context = {"item": item, "can_change": can(request.user, Action.CHANGE, item), "breadcrumbs": _library_crumbs()}
    return render(request, "learning/library_detail.html", context)


def _theme_choices(
    request: AuthenticatedHttpRequest, region: Region, item: LibraryItem | None
) -> QuerySet[LearningTheme]:
    """The themes in use, and those the item already has (so that editing never drops them unseen)."""
    include = [theme.pk for theme in item.themes.all()] if item is not None else ()
    return terms_in_use(user=request.user, model=LearningTheme, region=region, include=include)


def library_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, LibraryItem, region=region))
    form = LibraryItemForm(request.POST or None, themes=_theme_choices(request, region, None))
    item = run_form(
        request,
        form,
        lambda: services.library_item_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
    )
    if item is not None:
        messages.success(request, _("%(title)s was added to the library.") % {"title": item.title})
        return redirect("learning:library_detail", pk=item.pk)
    return render_form(
        request, form=form, title=_("Add to the library"), cancel_url=reverse("learning:library_list"),
        breadcrumbs=_library_crumbs(),
    )


def library_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.library_item_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = LibraryItemForm(request.POST or None, instance=item, themes=_theme_choices(request, item.region, item))
    saved = run_form(
        request,
        form,
        lambda: services.library_item_update(actor=Actor.from_request(request), item=item, values=model_values(form)),
    )
    if saved is not None:
        messages.success(request, _("%(title)s was saved.") % {"title": saved.title})
        return redirect("learning:library_detail", pk=saved.pk)
    return render_form(
        request, form=form, title=_("Change %(title)s") % {"title": item.title},
        cancel_url=reverse("learning:library_detail", args=[item.pk]), breadcrumbs=_library_crumbs(item),
    )


# --- Social map -----------------------------------------------------------------------------------


def _map_crumbs(entry: SocialMapEntry | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("learning:social_map_list"), _("Social map"))]
    if entry is not None:
        crumbs.append((reverse("learning:social_map_detail", args=[entry.pk]), entry.service_name))
    return crumbs


def social_map_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    form = SocialMapSearchForm(
        request.GET,
        municipalities=municipalities_for(user=user, region=region),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
    )
    entries = selectors.social_map_for(user=user, region=region, **form.values())
    context = {
        "form": form,
        "page": Paginator(entries, ITEMS_PER_PAGE).get_page(request.GET.get("page")),
        "can_create": can(user, Action.CREATE, SocialMapEntry, region=region),
        **learning_nav(request, region),
    }
    return render_page_or_fragment(request, "learning/social_map_list.html", "results", context)


def social_map_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.social_map_entry_get(user=request.user, pk=pk)
    context = {"entry": entry, "can_change": can(request.user, Action.CHANGE, entry), "breadcrumbs": _map_crumbs()}
    return render(request, "learning/social_map_detail.html", context)


def _entry_form(
    request: AuthenticatedHttpRequest, region: Region, entry: SocialMapEntry | None = None
) -> SocialMapEntryForm:
    user = request.user
    return SocialMapEntryForm(
        request.POST or None,
        instance=entry,
        municipalities=municipalities_for(user=user, region=region),
        partners=organisations_for(user=user, region=region),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
    )


def _render_entry_form(request: AuthenticatedHttpRequest, form: SocialMapEntryForm, title: str, cancel_url: str,
                       crumbs: list[tuple[str, str]]) -> HttpResponse:
    return render_form(
        request, form=form, title=title, cancel_url=cancel_url, breadcrumbs=crumbs,
        template="learning/social_map_form.html",
    )


def social_map_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, SocialMapEntry, region=region))
    form = _entry_form(request, region)
    entry = run_form(
        request,
        form,
        lambda: services.social_map_entry_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
    )
    if entry is not None:
        messages.success(request, _("%(name)s was added to the social map.") % {"name": entry.service_name})
        return redirect("learning:social_map_detail", pk=entry.pk)
    return _render_entry_form(
        request, form, _("Add a service to the social map"), reverse("learning:social_map_list"), _map_crumbs()
    )


def social_map_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.social_map_entry_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _entry_form(request, entry.region, entry)
    saved = run_form(
        request,
        form,
        lambda: services.social_map_entry_update(
            actor=Actor.from_request(request), entry=entry, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("%(name)s was saved.") % {"name": saved.service_name})
        return redirect("learning:social_map_detail", pk=saved.pk)
    return _render_entry_form(
        request, form, _("Change %(name)s") % {"name": entry.service_name},
        reverse("learning:social_map_detail", args=[entry.pk]), _map_crumbs(entry),
    )


# --- Themes ---------------------------------------------------------------------------------------

THEMES = VocabularyPages(
    model=LearningTheme,
    namespace="learning",
    kind="theme",
    nav_template="learning/partials/tabs.html",
    nav_current="themes",
    nav_context=learning_nav,
    texts=VocabularyTexts(
        title=gettext_lazy("Learning themes"),
        intro=gettext_lazy(
            "The themes of intervision, coaching, learning networks and the library. A theme no longer in use "
            "stays on the records that have it."
        ),
        crumb=gettext_lazy("Learning themes"),
        column=gettext_lazy("Theme"),
        empty=gettext_lazy("This region has no learning themes yet."),
        add=gettext_lazy("Add a theme"),
        create_title=gettext_lazy("Add a learning theme"),
        update_title=gettext_lazy("Change theme %(name)s"),
        added=gettext_lazy("Theme %(name)s was added."),
        saved=gettext_lazy("Theme %(name)s was saved."),
        position_help=gettext_lazy("Themes are listed by this number, then by name."),
        active_help=gettext_lazy("A theme no longer in use stays on the records that have it, but cannot be chosen."),
    ),
)


urlpatterns = [
    path("bibliotheek/", library_list, name="library_list"),
    path("bibliotheek/nieuw/", library_create, name="library_create"),
    path("bibliotheek/<int:pk>/", library_detail, name="library_detail"),
    path("bibliotheek/<int:pk>/wijzigen/", library_update, name="library_update"),
    path("sociale-kaart/", social_map_list, name="social_map_list"),
    path("sociale-kaart/nieuw/", social_map_create, name="social_map_create"),
    path("sociale-kaart/<int:pk>/", social_map_detail, name="social_map_detail"),
    path("sociale-kaart/<int:pk>/wijzigen/", social_map_update, name="social_map_update"),
    *THEMES.urls(),
]
