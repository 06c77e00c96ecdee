"""Generic pages (the public page kit other apps plug their list into, like Django's generic views)
for a region's editable list, once for every list: the list, adding an entry, changing one
(rename, reorder, take out of use) and, where a list offers it, giving a region without entries the
default list. An app plugs its list in with a `VocabularyPages` and adds `pages.urls()` to its
URLconf; the URL names (`<kind>_list`, `<kind>_create`, `<kind>_update`, `<kind>_defaults`) and paths
(`themas/...`) are the same for each.

The pages exist only for who may add to the list in their region (the access rules of the concrete
list); for anybody else, and for an entry of another region, they are a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_POST

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor
from brugwerk.core.forms import model_values
from brugwerk.core.http import region_or_404, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.vocabularies import selectors, services
from brugwerk.vocabularies.forms import term_form_class
from brugwerk.vocabularies.models import RegionVocabulary

Crumbs = list[tuple[str, str]]


@dataclass(frozen=True)
class VocabularyTexts:
    """What the pages of one list say (each a lazy translation, with `%(name)s` where it names an
    entry)."""

    title: Promise  # the list page's title and heading
    intro: Promise
    crumb: Promise  # the list in the breadcrumbs of its form pages
    column: Promise  # the heading of the name column
    empty: Promise
    add: Promise  # the button on the list page
    create_title: Promise
    update_title: Promise
    added: Promise
    saved: Promise
    position_help: Promise
    active_help: Promise
    usage: Promise | str = ""  # the heading of the usage column, if the list shows one
    defaults_button: Promise | str = ""
    defaults_done: Promise | str = ""


@dataclass(frozen=True)
class VocabularyPages:
    model: type[RegionVocabulary]
    namespace: str  # the app's URL namespace
    kind: str  # the stem of the URL names: "topic" gives topic_list, topic_create, ...
    texts: VocabularyTexts
    parent_crumbs: Callable[[], Crumbs] = list  # the pages above the list
    nav_template: str = ""  # instead of breadcrumbs on the list page (tabs)
    nav_current: str = ""
    nav_context: Callable[[AuthenticatedHttpRequest, Region], dict[str, Any]] | None = None
    usage: str = ""  # the relation of the records naming an entry, counted on the list page
    offer_defaults: bool = False  # a region without entries can take the default list
    template: str = field(default="vocabularies/term_list.html")

    def url_name(self, page: str) -> str:
        return f"{self.namespace}:{self.kind}_{page}"

    def _crumbs(self) -> Crumbs:
        return [*self.parent_crumbs(), (reverse(self.url_name("list")), str(self.texts.crumb))]

    def _region(self, request: AuthenticatedHttpRequest) -> Region:
        region = region_or_404(request)
        require(can(request.user, Action.CREATE, self.model, region=region))
        return region

    def _form_page(self, request: AuthenticatedHttpRequest, form: Any, title: str) -> HttpResponse:
        return render_form(
            request, form=form, title=title, cancel_url=reverse(self.url_name("list")), breadcrumbs=self._crumbs()
        )

    def _form(
        self, request: AuthenticatedHttpRequest, *, create: bool, instance: RegionVocabulary | None = None
    ) -> Any:
        help_texts = {"position": self.texts.position_help, "active": self.texts.active_help}
        form_class = term_form_class(self.model, create=create, help_texts=help_texts)
        return form_class(request.POST or None, instance=instance)

    def list_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        region = self._region(request)
        terms = selectors.terms_to_manage(user=request.user, model=self.model, region=region, usage=self.usage)
        context = {
            "pages": self,
            "texts": self.texts,
            "terms": terms,
            "breadcrumbs": self.parent_crumbs(),
            "create_url": reverse(self.url_name("create")),
            "update_url_name": self.url_name("update"),
            "defaults_url": reverse(self.url_name("defaults")) if self.offer_defaults else "",
            "nav_template": self.nav_template,
            "nav_current": self.nav_current,
            **(self.nav_context(request, region) if self.nav_context else {}),
        }
        return render(request, self.template, context)

    def create_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        region = self._region(request)
        form = self._form(request, create=True)
        term = run_form(
            request,
            form,
            lambda: services.term_create(
                actor=Actor.from_request(request), model=self.model, region=region, values=model_values(form)
            ),
        )
        if term is not None:
            messages.success(request, str(self.texts.added) % {"name": term.name})
            return redirect(self.url_name("list"))
        return self._form_page(request, form, str(self.texts.create_title))

    def update_view(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        term = selectors.term_get(user=request.user, model=self.model, pk=pk, action=Action.CHANGE)
        name = term.name  # the form changes `term` in memory while it validates
        form = self._form(request, create=False, instance=term)
        saved = run_form(
            request,
            form,
            lambda: services.term_update(actor=Actor.from_request(request), term=term, values=model_values(form)),
        )
        if saved is not None:
            messages.success(request, str(self.texts.saved) % {"name": saved.name})
            return redirect(self.url_name("list"))
        return self._form_page(request, form, str(self.texts.update_title) % {"name": name})

    def defaults_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        region = self._region(request)
        services.terms_ensure_defaults(model=self.model, region=region, actor=Actor.from_request(request))
        messages.success(request, str(self.texts.defaults_done))
        return redirect(self.url_name("list"))

    def urls(self) -> list[URLPattern]:
        """The list's pages, under `themas/` of the app."""
        patterns = [
            path("themas/", self.list_view, name=f"{self.kind}_list"),
            path("themas/nieuw/", self.create_view, name=f"{self.kind}_create"),
            path("themas/<int:pk>/wijzigen/", self.update_view, name=f"{self.kind}_update"),
        ]
        if self.offer_defaults:
            patterns.append(path("themas/standaard/", require_POST(self.defaults_view), name=f"{self.kind}_defaults"))
        return patterns
