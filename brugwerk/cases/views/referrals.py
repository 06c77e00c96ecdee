"""Pages of casework: referrals in (aanmeldingen), their triage and the waiting list.

A referrer (school contact, partner, brugfiguur or coordinator) refers a pupil and afterwards sees
the status only, never the case behind it. Whoever triages (the coordinator, or the brugfiguur of the
school where the region says so) accepts, refuses or queues it on the referral's page; accepting
opens the case, and there the triager chooses between a young person already known with the same
name and date of birth and a new one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, may
from brugwerk.audit.services import Actor
from brugwerk.cases import selectors as casework
from brugwerk.cases import services
from brugwerk.cases.forms.referrals import AcceptForm, QueueForm, ReferralForm, RefuseForm, WaitingListFilterForm
from brugwerk.cases.models import OPEN_REFERRAL_STATUSES, Case, LifeDomain, Referral, YoungPerson
from brugwerk.cases.selectors import referrals as selectors
from brugwerk.core.forms import add_service_errors
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import school_choices, zones_for
from brugwerk.vocabularies.selectors import terms_in_use

if TYPE_CHECKING:
    from brugwerk.accounts.models import User
from brugwerk.core.http import refused_as_missing

REFERRALS_PER_PAGE = 50


def _crumbs() -> list[tuple[str, str]]:
    return [(reverse("cases:referral_list"), _("Referrals"))]


def _works_on_cases(user: User, region: Region) -> bool:
    """Brugfiguren and the coordinator (who may open cases) see the triage tab and the waiting list."""
    return may(user, "cases.triage_referrals", region=region)


def _tabs(user: User, region: Region, active: str) -> dict[str, Any]:
    shown = _works_on_cases(user, region)
    return {
        "tabs_shown": shown,
        "active_tab": active,
        "triage_count": selectors.triage_count(user=user, region=region) if shown else 0,
    }


# --- Referring --------------------------------------------------------------------------------------


def _identity_key(values: dict[str, Any]) -> str:
    """What the "register anyway" button confirms: this name and date of birth. Changing either
    after the warning asks again."""
    birth_date = values["pupil_birth_date"]
    names = (values["pupil_first_name"].strip().lower(), values["pupil_last_name"].strip().lower())
    return "|".join((*names, birth_date.isoformat() if birth_date else ""))


@refused_as_missing()
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Refer a pupil. A brugfiguur or coordinator registering directly first sees the young people
    they may see who look the same, and confirms; a school contact or partner never sees them."""
    region = region_or_404(request)
    user = request.user
    referrer = selectors.referrer_in(user=user, region=region)
    if referrer is None:
        raise Http404
    form = ReferralForm(
        request.POST or None, referrer=referrer, life_domains=terms_in_use(user=user, model=LifeDomain, region=region)
    )
    duplicates: list[YoungPerson] = []
    identity = ""
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        identity = _identity_key(values)
        if referrer.direct and request.POST.get("confirmed") != identity:
            duplicates = selectors.duplicates_of_new_referral(
                user=user,
                region=region,
                first_name=values["pupil_first_name"],
                last_name=values["pupil_last_name"],
                birth_date=values["pupil_birth_date"],
            )
        if not duplicates:
            try:
                created = services.referral_create(actor=Actor.from_request(request), region=region, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                referral = created.referral
                messages.success(
                    request,
                    _("The referral of %(name)s was sent. Here you can follow its status.")
                    % {"name": f"{referral.pupil_first_name} {referral.pupil_last_name}"},
                )
                return redirect("cases:referral_detail", pk=referral.pk)
    context = {
        "form": form,
        "referrer": referrer,
        "duplicates": duplicates,
        "identity": identity,
        "breadcrumbs": _crumbs(),
        "title": _("Register a young person") if referrer.direct else _("Refer a pupil"),
    }
    return render(request, "cases/referrals/referral_form.html", context)


def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My referrals: the ones the user made (and, for a school contact, their school made), with
    their status and nothing of the case behind them."""
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, Referral, region=region))
    page = selectors.my_referrals_page(
        user=user, region=region, number=request.GET.get("page"), per_page=REFERRALS_PER_PAGE
    )
    context = {"page": page, **_tabs(user, region, "mine")}
    return render(request, "cases/referrals/referral_list.html", context)


def triage_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals waiting for the user's decision, urgent first, with how long they have waited."""
    region = region_or_404(request)
    user = request.user
    require(may(user, "cases.triage_referrals", region=region))
    items = selectors.triage_list(user=user, region=region)
    context = {"items": items, "region": region, "casework": casework.casework_settings(region=region),
               **_tabs(user, region, "triage")}
    context["triage_count"] = len(items)
    return render(request, "cases/referrals/triage_list.html", context)


# --- One referral and the decision on it ------------------------------------------------------------


@dataclass
class DecisionForms:
    accept: AcceptForm
    refuse: RefuseForm
    queue: QueueForm
    duplicates: list[YoungPerson]


def _decision_forms(request: AuthenticatedHttpRequest, referral: Referral, bound: str = "") -> DecisionForms:
    """The three decision forms; only the one named `bound` takes the POST."""
    user = request.user

    def data(name: str) -> Any:
        return request.POST if bound == name else None

    leads = selectors.brugfiguren_for_lead(user=user, region=referral.region)
    duplicates = selectors.duplicates_of(user=user, referral=referral)
    suggested = selectors.lead_suggestion(user=user, referral=referral, leads=leads)
    return DecisionForms(
        accept=AcceptForm(
            data("accept"), referral=referral, leads=leads, duplicates=duplicates,
            initial={"lead": suggested.pk if suggested else None},
        ),
        refuse=RefuseForm(data("refuse")),
        queue=QueueForm(data("queue"), initial={"priority": referral.priority}),
        duplicates=duplicates,
    )


def _render_detail(
    request: AuthenticatedHttpRequest, referral: Referral, forms: DecisionForms | None = None
) -> HttpResponse:
    """The referral as the user may see it: the referral itself and the decision forms for a triager,
    the referral for the case's guidance team, and only its status for everyone else (the referrer)."""
    user = request.user
    can_triage = can(user, Action.CHANGE, referral)
    undecided = referral.status in OPEN_REFERRAL_STATUSES
    if can_triage and undecided and forms is None:
        forms = _decision_forms(request, referral)
    full = can_triage or (referral.case is not None and can(user, Action.VIEW, referral.case))
    if not full:
        context = {"referral": referral, "breadcrumbs": _crumbs()}
        return render(request, "cases/referrals/referral_status.html", context)
    context = {
        "referral": referral,
        "breadcrumbs": _crumbs(),
        "can_triage": can_triage,
        "undecided": undecided,
        "forms": forms if can_triage and undecided else None,
        "waiting_days": (timezone.localdate() - timezone.localdate(referral.received_at)).days,
        "life_domains": list(referral.life_domains.all()),
    }
    return render(request, "cases/referrals/referral_detail.html", context)


def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.referral_get(user=request.user, pk=pk))


def _decide(
    request: AuthenticatedHttpRequest,
    pk: int,
    which: str,
    decide: Callable[[Referral, DecisionForms, Actor], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """Run one decision (`which` names its form) through its service: success goes back to the
    referral with a message, invalid input shows the form's errors and changes nothing."""
    referral = selectors.referral_get(user=request.user, pk=pk)
    require(can(request.user, Action.CHANGE, referral))
    if request.method != "POST":
        return redirect("cases:referral_detail", pk=referral.pk)
    forms = _decision_forms(request, referral, bound=which)
    form = getattr(forms, which)
    result = run_form(request, form, lambda: decide(referral, forms, Actor.from_request(request)))
    if result is not None:
        messages.success(request, done(result))
        return redirect("cases:referral_detail", pk=referral.pk)
    referral.refresh_from_db(fields=["status", "priority"])
    if referral.status not in OPEN_REFERRAL_STATUSES:  # somebody else decided in the meantime
        messages.error(request, _("This referral has already been decided on."))
        return redirect("cases:referral_detail", pk=referral.pk)
    return _render_detail(request, referral, forms)


def referral_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def decide(referral: Referral, forms: DecisionForms, actor: Actor) -> Case:
        return services.referral_accept(
            actor=actor,
            referral=referral,
            lead=forms.accept.cleaned_data["lead"],
            young_person=forms.accept.chosen_young_person(),
        )

    def done(case: Case) -> str:
        return _("The referral was accepted: %(lead)s takes on the case.") % {"lead": case.lead}

    return _decide(request, pk, "accept", decide, done)


def referral_refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def decide(referral: Referral, forms: DecisionForms, actor: Actor) -> Referral:
        return services.referral_refuse(actor=actor, referral=referral, reason=forms.refuse.cleaned_data["reason"])

    return _decide(
        request, pk, "refuse", decide, lambda _referral: _("The referral was refused. The referrer sees the reason.")
    )


def referral_queue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def decide(referral: Referral, forms: DecisionForms, actor: Actor) -> Referral:
        return services.referral_queue(actor=actor, referral=referral, priority=forms.queue.cleaned_data["priority"])

    def done(referral: Referral) -> str:
        return _("The referral is on the waiting list with priority %(priority)s.") % {"priority": referral.priority}

    return _decide(request, pk, "queue", decide, done)


# --- The waiting list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolWaiting:
    school: str
    count: int
    longest_days: int


def _per_school(items: list[casework.WaitingItem]) -> list[SchoolWaiting]:
    """How many wait per school and the longest wait there (from the list itself, no query)."""
    groups: dict[str, list[int]] = {}
    for item in items:
        school = item.referral.school
        name = school.name if school is not None else _("No school")
        groups.setdefault(name, []).append(item.waiting_days)
    return sorted(
        (SchoolWaiting(name, len(days), max(days)) for name, days in groups.items()),
        key=lambda row: (-row.longest_days, row.school),
    )


def waiting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The referrals not yet decided on, for a school or a zone, by priority, urgency and waiting time."""
    region = region_or_404(request)
    user = request.user
    require(may(user, "cases.view_waiting_list", region=region))
    form = WaitingListFilterForm(
        request.GET, schools=school_choices(user=user, region=region), zones=zones_for(user=user, region=region)
    )
    school, zone = form.values()
    items = selectors.waiting_list_shown(user=user, region=region, school=school, zone=zone)
    context = {
        "form": form,
        "items": items,
        "per_school": _per_school(items),
        "school": school,
        "zone": zone,
        **_tabs(user, region, "waiting"),
    }
    return render_page_or_fragment(request, "cases/referrals/waiting_list.html", "results", context)


urlpatterns = [
    path("aanmelden/", referral_create, name="referral_create"),
    path("aanmeldingen/", referral_list, name="referral_list"),
    path("aanmeldingen/te-behandelen/", triage_list, name="triage_list"),
    path("aanmeldingen/<int:pk>/", referral_detail, name="referral_detail"),
    path("aanmeldingen/<int:pk>/aanvaarden/", referral_accept, name="referral_accept"),
    path("aanmeldingen/<int:pk>/weigeren/", referral_refuse, name="referral_refuse"),
    path("aanmeldingen/<int:pk>/op-wachtlijst/", referral_queue, name="referral_queue"),
    path("wachtlijst/", waiting_list, name="waiting_list"),
]
