"""Pages of signals to policy: the pool's list with filters, policy's list of what was passed on to
them, one signal with its history, backers, evidence count and responses, and the small form pages
that record a signal, back it, add evidence, move its status and record an answer; and the region's
editable list of themes. Views parse, ask the policy and a selector or service, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brugwerk.access import Action, can, get_object_or_404, scope
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case
from brugwerk.core.forms import add_service_errors, model_values
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import form_page
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import municipalities_for, school_choices, zones_for
from brugwerk.signals import selectors, services
from brugwerk.signals.forms import (
    BackingForm,
    EvidenceAddForm,
    EvidenceSearchForm,
    ResponseForm,
    SignalFilterForm,
    SignalForm,
    StatusChangeForm,
)
from brugwerk.signals.models import (
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
    SignalTheme,
)
from brugwerk.vocabularies.pages import VocabularyPages, VocabularyTexts
from brugwerk.vocabularies.selectors import terms_for, terms_in_use

SIGNALS_PER_PAGE = 25


def _reader_region(request: AuthenticatedHttpRequest) -> Region:
    """The region whose signals the user works with: the pool records them, policy (and a school
    contact for their school) answers them. For anybody else the signal pages do not exist."""
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, Signal, region=region) or can(user, Action.CREATE, SignalResponse, region=region))
    return region


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The POST data of a POST (even an empty one: a confirmation has no fields), else None."""
    return request.POST if request.method == "POST" else None


def _crumbs(signal: Signal | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("signals:signal_list"), _("Signals"))]
    if signal is not None:
        crumbs.append((reverse("signals:signal_detail", args=[signal.pk]), signal.title))
    return crumbs


def _detail_url(signal: Signal, anchor: str = "") -> str:
    return reverse("signals:signal_detail", args=[signal.pk]) + (f"#{anchor}" if anchor else "")


def _signal_form_page(
    request: AuthenticatedHttpRequest,
    signal: Signal,
    form: Any,
    save: Callable[[], Any],
    *,
    title: str,
    done: str,
    anchor: str = "",
    intro: str = "",
    submit_label: str = "",
) -> HttpResponse:
    """A small form about one signal: save through the service and go back to the signal, or show
    the form with the service's errors. A right lost in between is a 404, as always."""
    return form_page(
        request, form=form, save=save, done=done, success_url=_detail_url(signal, anchor), title=title,
        intro=intro, submit_label=submit_label, cancel_url=_detail_url(signal), breadcrumbs=_crumbs(signal),
    )


# --- Lists --------------------------------------------------------------------------------------


def signal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _reader_region(request)
    user = request.user
    form = SignalFilterForm(request.GET, themes=terms_for(user=user, model=SignalTheme, region=region))
    signals = selectors.signals_for(user=user, region=region, filters=form.filters())
    page = Paginator(signals, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_create": can(user, Action.CREATE, Signal, region=region),
        "can_manage_themes": can(user, Action.CREATE, SignalTheme, region=region),
    }
    return render_page_or_fragment(request, "signals/signal_list.html", "results", context)


def policy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What was passed on to policy: the list policy makers work from (the pool sees it too)."""
    region = _reader_region(request)
    signals = selectors.policy_signals(user=request.user, region=region)
    page = Paginator(signals, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "signals/policy_list.html", {"page": page, "region": region, "crumbs": _crumbs()})


# --- One signal ---------------------------------------------------------------------------------


def signal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = selectors.signal_for_page(user=user, pk=pk)
    in_pool = can(user, Action.CREATE, Signal, region=signal.region_id)
    own_backing = next((b for b in signal.backing_list if b.brugfiguur_id == user.pk), None)
    removable = set(
        scope(user, SignalEvidence, Action.DELETE).filter(signal=signal).values_list("pk", flat=True)
    )
    for evidence in signal.my_evidence:
        evidence.can_remove = evidence.pk in removable
    is_open = signal.status != SignalStatus.CLOSED
    context = {
        "signal": signal,
        "in_pool": in_pool,
        "own_backing": own_backing,
        "can": {
            "change": can(user, Action.CHANGE, signal),
            "back": is_open and own_backing is None
            and can(user, Action.CREATE, SignalBacking(signal=signal, brugfiguur=user)),
            "withdraw": own_backing is not None and can(user, Action.DELETE, own_backing),
            "evidence": is_open and in_pool,
            "status": can(user, Action.CREATE, SignalStatusChange(signal=signal)),
            "respond": signal.seen_by_policy and can(user, Action.CREATE, SignalResponse(signal=signal)),
        },
    }
    return render(request, "signals/signal_detail.html", context)


def _signal_form(request: AuthenticatedHttpRequest, region: Region, instance: Signal | None = None) -> SignalForm:
    user = request.user
    return SignalForm(
        request.POST or None,
        instance=instance,
        themes=terms_in_use(  # the signal's own theme even when it went out of use
            user=user, model=SignalTheme, region=region, include=[instance.theme_id] if instance else ()
        ),
        schools=school_choices(user=user, region=region),
        municipalities=municipalities_for(user=user, region=region),
        zones=zones_for(user=user, region=region),
    )


def signal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, Signal, region=region))
    form = _signal_form(request, region)
    return form_page(
        request, form=form,
        save=lambda: services.signal_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
        done=lambda signal: _("The signal %(title)s was recorded.") % {"title": signal.title},
        success_url=_detail_url,
        title=_("Record a signal"), cancel_url=reverse("signals:signal_list"), breadcrumbs=_crumbs(),
        intro=_(
            "A signal is a bottleneck that more than one young person or family runs into and that a "
            "school, a municipality, the zone, the region or Flanders must solve. Describe it without "
            "naming anyone; link cases as evidence afterwards, they are only ever shown as a number."
        ),
    )


def signal_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(request.user, Signal.objects.select_related("region", "theme"), Action.CHANGE, pk=pk)
    form = _signal_form(request, signal.region, signal)
    save = lambda: services.signal_update(  # noqa: E731
        actor=Actor.from_request(request), signal=signal, values=model_values(form)
    )
    return _signal_form_page(
        request, signal, form, save, title=_("Change signal %(title)s") % {"title": signal.title},
        done=_("The signal was saved."),
    )


def signal_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = get_object_or_404(user, Signal, Action.VIEW, pk=pk)
    require(can(user, Action.CREATE, SignalBacking(signal=signal, brugfiguur=user)))
    form = BackingForm(_posted(request))
    save = lambda: services.signal_back(  # noqa: E731
        actor=Actor.from_request(request), signal=signal, note=form.cleaned_data["note"]
    )
    return _signal_form_page(
        request, signal, form, save, title=_("Back signal %(title)s") % {"title": signal.title},
        done=_("You now back this signal."), anchor="backers", submit_label=_("Back this signal"),
        intro=_("Back a signal when you meet the same bottleneck in your own work."),
    )


def backing_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    backing = get_object_or_404(
        user, SignalBacking.objects.select_related("signal"), Action.DELETE, signal_id=pk, brugfiguur_id=user.pk
    )

    def save() -> bool:
        services.signal_backing_withdraw(actor=Actor.from_request(request), backing=backing)
        return True

    return _signal_form_page(
        request, backing.signal, forms.Form(_posted(request)), save,
        title=_("Withdraw your backing of %(title)s") % {"title": backing.signal.title},
        done=_("You no longer back this signal."), submit_label=_("Withdraw my backing"),
    )


# --- Evidence -----------------------------------------------------------------------------------


def evidence_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Look for a case of your own and link it; afterwards everyone else sees only the number."""
    user = request.user
    signal = selectors.signal_get(user=user, pk=pk)
    require(can(user, Action.CREATE, Signal, region=signal.region_id))
    add_form = EvidenceAddForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        case = scope(user, Case).filter(pk=add_form.cleaned_data["case"], region_id=signal.region_id).first()
        if case is None:
            add_form.add_error(None, _("Choose one of the cases you can see."))
        else:
            try:
                services.signal_evidence_add(actor=Actor.from_request(request), signal=signal, case=case)
            except PermissionDenied:
                add_form.add_error(None, _("Choose one of the cases you can see."))
            except ValidationError as error:
                add_service_errors(add_form, error)
            else:
                messages.success(
                    request, _("The case now counts as evidence. Others only ever see the number of cases.")
                )
                return redirect(_detail_url(signal, "evidence"))
    elif request.method == "POST":
        add_form.add_error(None, _("Choose one of the cases you can see."))
    search = EvidenceSearchForm(request.GET)
    search.is_valid()
    query = search.cleaned_data.get("q", "") if hasattr(search, "cleaned_data") else ""
    candidates = selectors.evidence_candidates_shown(user=user, signal=signal, query=query)
    context = {
        "signal": signal,
        "search": search,
        "add_form": add_form,
        "candidates": candidates,
        "query": query,
        "breadcrumbs": _crumbs(signal),
    }
    return render_page_or_fragment(request, "signals/evidence_add.html", "candidates", context)


def evidence_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(request.user, SignalEvidence.objects.select_related("signal"), Action.DELETE, pk=pk)

    def save() -> bool:
        services.signal_evidence_remove(actor=Actor.from_request(request), evidence=evidence)
        return True

    return _signal_form_page(
        request, evidence.signal, forms.Form(_posted(request)), save,
        title=_("Remove a case from the evidence of %(title)s") % {"title": evidence.signal.title},
        done=_("The case no longer counts as evidence."), anchor="evidence", submit_label=_("Remove"),
    )


# --- Status and responses -----------------------------------------------------------------------


def status_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = get_object_or_404(user, Signal, Action.VIEW, pk=pk)
    require(can(user, Action.CREATE, SignalStatusChange(signal=signal)))
    form = StatusChangeForm(request.POST or None, signal=signal)

    def save() -> SignalStatusChange:
        data = form.cleaned_data
        return services.signal_status_change(
            actor=Actor.from_request(request), signal=signal, to_status=data["to_status"], note=data["note"],
            changed_on=data["changed_on"], minutes=data["minutes"],
        )

    return _signal_form_page(
        request, signal, form, save, title=_("Change the status of %(title)s") % {"title": signal.title},
        done=_("The status was changed."), anchor="history",
        intro=_("Current status: %(status)s.") % {"status": signal.get_status_display()},
    )


def response_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = get_object_or_404(user, Signal, Action.VIEW, pk=pk)
    require(can(user, Action.CREATE, SignalResponse(signal=signal)))
    form = ResponseForm(request.POST or None)
    save = lambda: services.signal_response_add(  # noqa: E731
        actor=Actor.from_request(request), signal=signal, values=model_values(form)
    )
    return _signal_form_page(
        request, signal, form, save, title=_("Record an answer to %(title)s") % {"title": signal.title},
        done=_("The answer was recorded."), anchor="responses",
        intro=_(
            "Record what policy answered or did about this signal. An answer moves the signal to "
            "'answered', an action taken to 'action taken'."
        ),
    )


# --- Themes -------------------------------------------------------------------------------------

THEMES = VocabularyPages(
    model=SignalTheme,
    namespace="signals",
    kind="theme",
    parent_crumbs=_crumbs,
    texts=VocabularyTexts(
        title=gettext_lazy("Themes of signals"),
        intro=gettext_lazy("The region's own list. A theme out of use stays on the signals that have it."),
        crumb=gettext_lazy("Themes"),
        column=gettext_lazy("Theme"),
        empty=gettext_lazy("No themes yet."),
        add=gettext_lazy("Add a theme"),
        create_title=gettext_lazy("Add a theme"),
        update_title=gettext_lazy("Change theme %(name)s"),
        added=gettext_lazy("Theme %(name)s was added."),
        saved=gettext_lazy("Theme %(name)s was saved."),
        position_help=gettext_lazy("Themes are listed from low to high."),
        active_help=gettext_lazy(
            "A theme out of use is no longer offered for new signals; existing signals keep it."
        ),
    ),
)


urlpatterns = [
    path("", signal_list, name="signal_list"),
    path("beleid/", policy_list, name="policy_list"),
    path("nieuw/", signal_create, name="signal_create"),
    path("<int:pk>/", signal_detail, name="signal_detail"),
    path("<int:pk>/wijzigen/", signal_update, name="signal_update"),
    path("<int:pk>/steunen/", signal_back, name="signal_back"),
    path("<int:pk>/steun-intrekken/", backing_withdraw, name="backing_withdraw"),
    path("<int:pk>/bewijs/", evidence_add, name="evidence_add"),
    path("bewijs/<int:pk>/verwijderen/", evidence_remove, name="evidence_remove"),
    path("<int:pk>/status/", status_change, name="status_change"),
    path("<int:pk>/antwoord/", response_create, name="response_create"),
    *THEMES.urls(),
]
