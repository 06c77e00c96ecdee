"""Pages of group offerings: the list (filters kind, school, period), an offering with its sessions
and totals, creating and changing offerings and sessions, linking participants to a case, quick
attendance on a phone, the evaluation of a session and the figures for policy makers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brugwerk.access import Action, can, scope
from brugwerk.audit.services import Actor
from brugwerk.cases.models import LifeDomain
from brugwerk.core.forms import key_in_range, model_values
from brugwerk.core.http import refused_as_missing, region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.groups import selectors, services
from brugwerk.groups.forms import (
    COUNT_PREFIX,
    AttendanceForm,
    CountFormSet,
    EvaluationForm,
    OfferingForm,
    OfferingSearchForm,
    ParticipantAddForm,
    SessionForm,
    apply_step,
    count_rows,
    next_session_initial,
)
from brugwerk.groups.models import GroupOffering, GroupSession
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.selectors import school_choices
from brugwerk.vocabularies.selectors import terms_in_use

OFFERINGS_PER_PAGE = 25
QUOTES_SHOWN = 12
CASE_CHOICES = 40  # young people offered at once on the participants page (search narrows them down)


def _offering_url(offering: GroupOffering, anchor: str = "") -> str:
    return reverse("groups:offering_detail", args=[offering.pk]) + (f"#{anchor}" if anchor else "")


def _crumbs(offering: GroupOffering | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("groups:offering_list"), _("Group offerings"))]
    if offering is not None:
        crumbs.append((_offering_url(offering), offering.title))
    return crumbs


def _session_label(session: GroupSession) -> str:
    return _("Session of %(date)s") % {"date": date_format(session.date)}


# --- The list ------------------------------------------------------------------------------------------


def offering_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    form = OfferingSearchForm(request.GET, schools=school_choices(user=user, region=region))
    page = selectors.offering_page(
        user=user, region=region, filters=form.filters(), number=request.GET.get("page"), per_page=OFFERINGS_PER_PAGE
    )
    context = {
        "form": form,
        "page": page,
        "can_create": can(user, Action.CREATE, GroupOffering, region=region),
        "can_see_figures": selectors.group_figures_allowed(user=user, region=region),
    }
    return render_page_or_fragment(request, "groups/offering_list.html", "results", context)


# --- One offering ----------------------------------------------------------------------------------------


def offering_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    offering = selectors.offering_detail(user=user, pk=pk)
    can_change = can(user, Action.CHANGE, offering)
    today = timezone.localdate()
    sessions = offering.session_list
    held = [session for session in sessions if session.date <= today]
    todays = [session for session in held if session.date == today]
    untaken = [session for session in held if session.attendance_taken_at is None]
    context = {
        "offering": offering,
        "totals": offering.totals,
        "today": today,
        "take_attendance": (todays[0] if todays else untaken[-1] if untaken else None) if can_change else None,
        "quotes": [quote for session in reversed(held) for quote in session.quotes()][:QUOTES_SHOWN],
        "can_change": can_change,
        "can_add_session": can(user, Action.CREATE, GroupSession(offering=offering)),
    }
    return render(request, "groups/offering_detail.html", context)


def _offering_form(request: AuthenticatedHttpRequest, region: Any, **kwargs: Any) -> OfferingForm:
    user = request.user
    return OfferingForm(
        request.POST or None,
        schools=school_choices(user=user, region=region),
        organisers=selectors.organiser_choices(user=user, region=region),
        partners=scope(user, PartnerOrganisation).filter(region=region).order_by("name"),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
        **kwargs,
    )


def offering_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, GroupOffering, region=region))
    organisers = selectors.organiser_choices(user=user, region=region)
    initial = {"organisers": [user.pk]} if organisers.filter(pk=user.pk).exists() else {}
    form = _offering_form(request, region, initial=initial)
    offering = run_form(
        request, form,
        lambda: services.offering_create(actor=Actor.from_request(request), region=region, values=model_values(form)),
    )
    if offering is not None:
        messages.success(request, _("%(title)s was added. Now plan its first session.") % {"title": offering.title})
        return redirect("groups:session_create", pk=offering.pk)
    return render_form(
        request, form=form, title=_("New group offering"), cancel_url=reverse("groups:offering_list"),
        breadcrumbs=_crumbs(),
        intro=_("A parent café, a pupil workshop, a group trajectory or an information session: a series of "
                "sessions at a school or another place."),
    )


def offering_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _offering_form(request, offering.region, instance=offering)
    saved = run_form(
        request, form,
        lambda: services.offering_update(
            actor=Actor.from_request(request), offering=offering, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("%(title)s was saved.") % {"title": saved.title})
        return redirect(_offering_url(saved))
    return render_form(
        request, form=form, title=_("Change %(title)s") % {"title": offering.title},
        cancel_url=_offering_url(offering), breadcrumbs=_crumbs(offering),
    )


# --- Participants linked to a case -----------------------------------------------------------------------


def participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Link young people with a case to the series: the open cases the user sees, those of the
    offering's school first, narrowed down by a name search."""
    user = request.user
    offering = selectors.offering_get(user=user, pk=pk, action=Action.CHANGE)
    query = (request.GET.get("q") or "").strip()[:100]
    offered = selectors.cases_to_offer(user=user, offering=offering, query=query, limit=CASE_CHOICES)
    candidates, shown_ids = offered.candidates, offered.shown_ids
    posted = [value for value in request.POST.getlist("cases") if value.isdigit() and key_in_range(candidates, value)]
    form = ParticipantAddForm(request.POST or None, cases=candidates.filter(pk__in=shown_ids + posted))
    added = run_form(
        request, form,
        lambda: services.participants_add(
            actor=Actor.from_request(request), offering=offering, cases=form.cleaned_data["cases"]
        ),
    )
    if added is not None:
        count = len(added)
        messages.success(request, ngettext(
            "%(count)s participant was added.", "%(count)s participants were added.", count
        ) % {"count": count})
        return redirect(_offering_url(offering, "participants"))
    context = {"offering": offering, "form": form, "query": query, "breadcrumbs": _crumbs(offering)}
    return render(request, "groups/participant_add.html", context)


@refused_as_missing()
def participant_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_for_page(user=request.user, pk=pk, action=Action.DELETE)
    offering = participant.offering
    if request.method == "POST":
        services.participant_remove(actor=Actor.from_request(request), participant=participant)
        messages.success(
            request, _("%(name)s is no longer a participant.") % {"name": participant.case.young_person}
        )
        return redirect(_offering_url(offering, "participants"))
    context = {"participant": participant, "offering": offering, "breadcrumbs": _crumbs(offering)}
    return render(request, "groups/participant_remove.html", context)


# --- Sessions ----------------------------------------------------------------------------------------------


def session_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    require(can(request.user, Action.CREATE, GroupSession(offering=offering)))
    last = offering.sessions.order_by("-date", "-start_time", "-pk").first()
    form = SessionForm(
        request.POST or None, initial=next_session_initial(last, offering.kind, timezone.localdate())
    )
    session = run_form(
        request, form,
        lambda: services.session_create(
            actor=Actor.from_request(request), offering=offering, values=model_values(form)
        ),
    )
    if session is not None:
        messages.success(request, _("The session of %(date)s was added.") % {"date": date_format(session.date)})
        return redirect(_offering_url(offering, f"session-{session.pk}"))
    return render_form(
        request, form=form, title=_("New session of %(title)s") % {"title": offering.title},
        cancel_url=_offering_url(offering), breadcrumbs=_crumbs(offering),
    )


def session_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk, action=Action.CHANGE)
    offering = session.offering
    form = SessionForm(request.POST or None, instance=session)
    saved = run_form(
        request, form,
        lambda: services.session_update(actor=Actor.from_request(request), session=session, values=model_values(form)),
    )
    if saved is not None:
        messages.success(request, _("The session of %(date)s was saved.") % {"date": date_format(saved.date)})
        return redirect(_offering_url(offering, f"session-{saved.pk}"))
    return render_form(
        request, form=form, title=_("Change the session of %(date)s") % {"date": date_format(session.date)},
        cancel_url=_offering_url(offering), breadcrumbs=_crumbs(offering),
    )


def _not_yet(request: AuthenticatedHttpRequest, session: GroupSession) -> HttpResponse:
    return render(request, "groups/session_not_yet.html", {
        "session": session, "offering": session.offering, "breadcrumbs": _crumbs(session.offering),
        "title": _session_label(session),
    })


def session_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Quick attendance on a phone: one form for the linked participants' present/absent/excused and
    the anonymous numbers per category. The − and + buttons post the form back with `step`: the
    page returns with that number changed and nothing saved until the user saves."""
    user = request.user
    session = selectors.attendance_sheet(user=user, pk=pk)
    if session.date > timezone.localdate():
        return _not_yet(request, session)
    data = None
    stepping = False
    if request.method == "POST":
        stepping = bool(request.POST.get("step"))
        data = apply_step(request.POST) if stepping else request.POST
    form = AttendanceForm(data, participants=session.participant_rows)
    counts = CountFormSet(data, initial=None if data is not None else count_rows(session), prefix=COUNT_PREFIX)
    if data is not None and not stepping:
        saved = run_form(
            request, form,
            lambda: services.attendance_record(
                actor=Actor.from_request(request), session=session, statuses=form.statuses(),
                counts=counts.counts(),
            ),
            also_valid=counts.is_valid(),
        )
        if saved is not None:
            messages.success(request, _("The attendance of %(date)s was saved.") % {"date": date_format(saved.date)})
            return redirect(_offering_url(session.offering, f"session-{saved.pk}"))
    others = [count_form for count_form in counts if not count_form.fixed]
    context = {
        "session": session,
        "offering": session.offering,
        "form": form,
        "counts": counts,
        "fixed_forms": [count_form for count_form in counts if count_form.fixed],
        "other_forms": others,
        "open_other": any(
            count_form.is_bound and (count_form.data.get(count_form.add_prefix("role")) or count_form.errors)
            for count_form in others
        ),
        "breadcrumbs": _crumbs(session.offering),
        "title": _("Attendance"),
    }
    return render(request, "groups/attendance.html", context)


def session_evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk, action=Action.CHANGE)
    if session.date > timezone.localdate():
        return _not_yet(request, session)
    form = EvaluationForm(request.POST or None, initial={
        "evaluation_forms": session.evaluation_forms,
        "evaluation_score": session.evaluation_score,
        "evaluation_quotes": session.evaluation_quotes,
    })
    saved = run_form(
        request, form,
        lambda: services.evaluation_record(
            actor=Actor.from_request(request), session=session, forms=form.cleaned_data["evaluation_forms"],
            score=form.cleaned_data["evaluation_score"], quotes=form.cleaned_data["evaluation_quotes"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The evaluation of %(date)s was saved.") % {"date": date_format(saved.date)})
        return redirect(_offering_url(session.offering, f"session-{saved.pk}"))
    return render_form(
        request, form=form,
        title=_("Evaluation of the session of %(date)s") % {"date": date_format(session.date)},
        cancel_url=_offering_url(session.offering), breadcrumbs=_crumbs(session.offering),
        intro=_("What the participants said on the evaluation forms. Never write down who said what."),
    )


# --- Figures -------------------------------------------------------------------------------------------------


def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The region's group work in figures, without names: for policy makers and the coordinator."""
    region = region_or_404(request)
    form = OfferingSearchForm(request.GET, schools=school_choices(user=request.user, region=region))
    filters = form.filters()
    result = selectors.group_figures(user=request.user, region=region, start=filters.start, end=filters.end)
    if result is None:
        raise Http404
    return render(request, "groups/figures.html", {"form": form, "figures": result, "region": region})


urlpatterns = [
    path("", offering_list, name="offering_list"),
    path("nieuw/", offering_create, name="offering_create"),
    path("cijfers/", figures, name="figures"),
    path("<int:pk>/", offering_detail, name="offering_detail"),
    path("<int:pk>/wijzigen/", offering_update, name="offering_update"),
    path("<int:pk>/deelnemers/", participant_add, name="participant_add"),
    path("<int:pk>/sessies/nieuw/", session_create, name="session_create"),
    path("deelnemers/<int:pk>/verwijderen/", participant_remove, name="participant_remove"),
    path("sessies/<int:pk>/wijzigen/", session_update, name="session_update"),
    path("sessies/<int:pk>/aanwezigheid/", session_attendance, name="session_attendance"),
    path("sessies/<int:pk>/evaluatie/", session_evaluation, name="session_evaluation"),
]
