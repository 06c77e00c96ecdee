"""Pages of network meetings: the list with its filters, a meeting with who attended, its agreements
and actions, recording and changing a meeting, and the open actions to follow up (mine or all,
overdue first), marked done by their owner, also on a phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor, record_list_view, record_view
from brugwerk.cooperation import selectors, services
from brugwerk.cooperation.forms import (
    ActionDoneForm,
    MeetingActionForm,
    MeetingAgreementForm,
    MeetingFilterForm,
    MeetingForm,
)
from brugwerk.cooperation.models import MeetingAction, MeetingAgreement, NetworkMeeting
from brugwerk.cooperation.views._common import permitted
from brugwerk.core.http import refused_as_missing, region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_action, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.network.selectors import organisations_for
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import municipalities_for, school_choices, zones_for

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from brugwerk.cooperation.selectors import Overdue

MEETINGS_PER_PAGE = 25
ACTIONS_PER_PAGE = 50


def _crumbs(meeting: NetworkMeeting | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("cooperation:meeting_list"), _("Network meetings"))]
    if meeting is not None:
        crumbs.append((_meeting_url(meeting), meeting.title))
    return crumbs


def _meeting_url(meeting: NetworkMeeting, anchor: str = "") -> str:
    url = reverse("cooperation:meeting_detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The list ----------------------------------------------------------------------------------------


def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(selectors.may_see_meetings(user=user, region=region))
    form = MeetingFilterForm(
        request.GET,
        schools=school_choices(user=user, region=region),
        organisations=organisations_for(user=user, region=region),
        zones=zones_for(user=user, region=region),
        can_attend=selectors.pool_attendee_choices(user=user, region=region).filter(pk=user.pk).exists(),
    )
    meetings = selectors.meetings_for(user=user, region=region, filters=form.filters(user))
    context = {
        "form": form,
        "page": Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page")),
        "can_create": can(user, Action.CREATE, NetworkMeeting, region=region),
        "can_follow_actions": selectors.may_see_actions(user=user, region=region),
    }
    return render_page_or_fragment(request, "cooperation/meeting_list.html", "results", context)


# --- One meeting -------------------------------------------------------------------------------------


def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk)
    agreements = meeting.visible_agreements
    # Each action with `overdue` (set below, as `selectors.open_actions` annotates it on the list page).
    actions = cast("list[WithAnnotations[MeetingAction, Overdue]]", meeting.visible_actions)
    can_change = can(user, Action.CHANGE, meeting)
    done_allowed = permitted(user, MeetingAction, Action.CHANGE, actions)
    today = timezone.localdate()
    for action in actions:
        action.can_mark = action.pk in done_allowed
        action.overdue = action.is_overdue(today)
    record_view(
        actor=Actor.from_request(request),
        subject=meeting,
        details={
            "pool_attendees": [u.pk for u in meeting.pool_attendees.all()],
            "actions": [a.pk for a in actions],
            "notes": meeting.notes_readable,
        },
    )
    context = {
        "meeting": meeting,
        "agreements": agreements,
        "actions": actions,
        "can_change": can_change,
        "can_delete": can(user, Action.DELETE, meeting),
        "can_add_agreement": can(user, Action.CREATE, MeetingAgreement(meeting=meeting)),
        "can_add_action": can(user, Action.CREATE, MeetingAction(meeting=meeting)),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "cooperation/meeting_detail.html", context)


def _meeting_form(request: AuthenticatedHttpRequest, region: Region, **kwargs: Any) -> MeetingForm:
    user = request.user
    meeting = kwargs.get("instance")
    return MeetingForm(
        request.POST or None,
        schools=school_choices(user=user, region=region),
        municipalities=municipalities_for(user=user, region=region),
        zones=zones_for(user=user, region=region),
        organisations=organisations_for(user=user, region=region),
        attendees=selectors.pool_attendee_choices(user=user, region=region, meeting=meeting),
        **kwargs,
    )


def _render_meeting_form(
    request: AuthenticatedHttpRequest, form: MeetingForm, title: str, cancel_url: str, crumbs
) -> HttpResponse:
    return render_form(
        request, form=form, title=title, cancel_url=cancel_url, breadcrumbs=crumbs,
        template="cooperation/meeting_form.html",
    )


def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, NetworkMeeting, region=region))
    form = _meeting_form(request, region, initial={"date": timezone.localdate(), "duration_minutes": 90})
    meeting = run_form(request, form, lambda: services.meeting_create(
        actor=Actor.from_request(request), region=region, values=form.values(), **form.attendance()
    ))
    if meeting is not None:
        messages.success(request, _("The meeting was recorded. Add what was agreed and the actions that follow."))
        return redirect(_meeting_url(meeting))
    return _render_meeting_form(
        request, form, _("Record a network meeting"), reverse("cooperation:meeting_list"), _crumbs()
    )


def meeting_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _meeting_form(request, meeting.region, instance=meeting)
    saved = run_form(request, form, lambda: services.meeting_update(
        actor=Actor.from_request(request), meeting=meeting, values=form.values(), **form.attendance()
    ))
    if saved is not None:
        messages.success(request, _("The meeting was saved."))
        return redirect(_meeting_url(saved))
    title = _("Change %(title)s") % {"title": meeting.title}
    return _render_meeting_form(request, form, title, _meeting_url(meeting), _crumbs(meeting))


def _confirm_delete(
    request: AuthenticatedHttpRequest,
    *,
    title: str,
    what: str,
    cancel_url: str,
    crumbs,
    note: str = "",
    error: str = "",
) -> HttpResponse:
    context = {"title": title, "what": what, "cancel_url": cancel_url, "breadcrumbs": crumbs, "note": note,
               "error": error}
    return render(request, "cooperation/confirm_delete.html", context)


@refused_as_missing()
def _delete(request: AuthenticatedHttpRequest, delete: Any) -> str:
    """Run the delete service on a POST; the error to show, if any."""
    if request.method != "POST":
        return ""
    try:
        delete()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return "deleted"


def meeting_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action=Action.DELETE)
    result = _delete(request, lambda: services.meeting_delete(actor=Actor.from_request(request), meeting=meeting))
    if result == "deleted":
        messages.success(request, _("The meeting %(title)s was deleted.") % {"title": meeting.title})
        return redirect("cooperation:meeting_list")
    return _confirm_delete(
        request, title=_("Delete this meeting?"), what=str(meeting), cancel_url=_meeting_url(meeting),
        crumbs=_crumbs(meeting), error=result,
        note=_("Only for a meeting recorded by mistake: its agreements and actions are deleted with it."),
    )


# --- Agreements made at the meeting ----------------------------------------------------------------


def meeting_agreement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(can(request.user, Action.CREATE, MeetingAgreement(meeting=meeting)))
    form = MeetingAgreementForm(request.POST or None)
    saved = run_form(request, form, lambda: services.meeting_agreement_add(
        actor=Actor.from_request(request), meeting=meeting, text=form.cleaned_data["text"]
    ))
    if saved is not None:
        messages.success(request, _("The agreement was added."))
        return redirect(_meeting_url(meeting, "agreements"))
    return render_form(
        request, form=form, title=_("Add an agreement"), cancel_url=_meeting_url(meeting),
        breadcrumbs=_crumbs(meeting), intro=meeting.title,
    )


def meeting_agreement_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.meeting_agreement_get(user=request.user, pk=pk, action=Action.CHANGE)
    meeting = agreement.meeting
    form = MeetingAgreementForm(request.POST or None, initial={"text": agreement.text})
    saved = run_form(request, form, lambda: services.meeting_agreement_update(
        actor=Actor.from_request(request), agreement=agreement, text=form.cleaned_data["text"]
    ))
    if saved is not None:
        messages.success(request, _("The agreement was saved."))
        return redirect(_meeting_url(meeting, "agreements"))
    return render_form(
        request, form=form, title=_("Change an agreement"), cancel_url=_meeting_url(meeting),
        breadcrumbs=_crumbs(meeting), intro=meeting.title,
    )


def meeting_agreement_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.meeting_agreement_get(user=request.user, pk=pk, action=Action.DELETE)
    meeting = agreement.meeting
    result = _delete(request, lambda: services.meeting_agreement_delete(
        actor=Actor.from_request(request), agreement=agreement
    ))
    if result == "deleted":
        messages.success(request, _("The agreement was deleted."))
        return redirect(_meeting_url(meeting, "agreements"))
    return _confirm_delete(
        request, title=_("Delete this agreement?"), what=agreement.text, cancel_url=_meeting_url(meeting),
        crumbs=_crumbs(meeting), error=result,
    )


# --- Actions -----------------------------------------------------------------------------------------


def _action_values(form: MeetingActionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"description": data["description"], "due_date": data["due_date"], "owner_user": data["owner_user"],
            "owner_label": data["owner_label"]}


def meeting_action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(can(request.user, Action.CREATE, MeetingAction(meeting=meeting)))
    form = MeetingActionForm(
        request.POST or None, owners=selectors.action_owner_choices(user=request.user, region=meeting.region)
    )
    saved = run_form(request, form, lambda: services.meeting_action_add(
        actor=Actor.from_request(request), meeting=meeting, **_action_values(form)
    ))
    if saved is not None:
        messages.success(request, _("The action was added."))
        return redirect(_meeting_url(meeting, "actions"))
    return render_form(
        request, form=form, title=_("Add an action"), cancel_url=_meeting_url(meeting),
        breadcrumbs=_crumbs(meeting), intro=meeting.title,
    )


def meeting_action_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = selectors.meeting_action_get(user=request.user, pk=pk)
    meeting = action.meeting
    require(can(request.user, Action.CHANGE, meeting))
    form = MeetingActionForm(
        request.POST or None,
        owners=selectors.action_owner_choices(user=request.user, region=meeting.region),
        initial={"description": action.description, "owner_user": action.owner_user_id,
                 "owner_label": action.owner_label, "due_date": action.due_date},
    )
    saved = run_form(request, form, lambda: services.meeting_action_update(
        actor=Actor.from_request(request), action=action, **_action_values(form)
    ))
    if saved is not None:
        messages.success(request, _("The action was saved."))
        return redirect(_meeting_url(meeting, "actions"))
    return render_form(
        request, form=form, title=_("Change an action"), cancel_url=_meeting_url(meeting),
        breadcrumbs=_crumbs(meeting), intro=meeting.title,
    )


def meeting_action_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = selectors.meeting_action_get(user=request.user, pk=pk, action=Action.DELETE)
    meeting = action.meeting
    result = _delete(request, lambda: services.meeting_action_delete(actor=Actor.from_request(request), action=action))
    if result == "deleted":
        messages.success(request, _("The action was deleted."))
        return redirect(_meeting_url(meeting, "actions"))
    return _confirm_delete(
        request, title=_("Delete this action?"), what=action.description, cancel_url=_meeting_url(meeting),
        crumbs=_crumbs(meeting), error=result,
    )


def _back_url(request: AuthenticatedHttpRequest, action: MeetingAction) -> str:
    """Back where the user came from: the list of open actions or the meeting."""
    source = request.POST.get("back") or request.GET.get("back")
    return reverse("cooperation:action_list") if source == "actions" else _meeting_url(action.meeting, "actions")


def meeting_action_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = selectors.meeting_action_get(user=request.user, pk=pk, action=Action.CHANGE)
    back = _back_url(request, action)
    if action.is_done:
        messages.info(request, _("This action was already marked done."))
        return redirect(back)
    form = ActionDoneForm(request.POST or None)
    saved = run_form(request, form, lambda: services.meeting_action_done(
        actor=Actor.from_request(request), action=action, note=form.cleaned_data["note"]
    ))
    if saved is not None:
        messages.success(request, _("Well done: the action is marked done."))
        return redirect(back)
    context = {
        "form": form, "action": action, "cancel_url": back, "back": request.GET.get("back", ""),
        "breadcrumbs": _crumbs(action.meeting), "title": _("Mark the action done"),
    }
    return render(request, "cooperation/action_done.html", context)


@refused_as_missing()
def meeting_action_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = selectors.meeting_action_get(user=request.user, pk=pk, action=Action.CHANGE)
    back = _back_url(request, action)
    if request.method == "POST":
        run_action(
            request, lambda: services.meeting_action_reopen(actor=Actor.from_request(request), action=action),
            _("The action is open again."),
        )
        return redirect(back)
    context = {"action": action, "cancel_url": back, "breadcrumbs": _crumbs(action.meeting),
               "title": _("Open the action again?")}
    return render(request, "cooperation/action_reopen.html", context)


def action_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The actions still to do: the user's own, or all they may see; the overdue ones first."""
    region = region_or_404(request)
    user = request.user
    require(selectors.may_see_actions(user=user, region=region))
    who = request.GET.get("who", "")
    if who not in {"mine", "all"}:
        who = "mine" if selectors.has_own_open_actions(user=user, region=region) else "all"
    today = timezone.localdate()
    actions = selectors.open_actions(user=user, region=region, today=today, mine=who == "mine")
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    allowed = permitted(user, MeetingAction, Action.CHANGE, rows)
    for action in rows:
        action.can_mark = action.pk in allowed
    if rows:
        record_list_view(
            actor=Actor.from_request(request), model=MeetingAction, region_id=region.pk,
            label=_("Open actions"), details={"who": who, "actions": [a.pk for a in rows]},
        )
    context = {"page": page, "rows": rows, "who": who, "today": today}
    return render(request, "cooperation/action_list.html", context)


urlpatterns = [
    path("overleg/", meeting_list, name="meeting_list"),
    path("overleg/nieuw/", meeting_create, name="meeting_create"),
    path("overleg/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("overleg/<int:pk>/wijzigen/", meeting_update, name="meeting_update"),
    path("overleg/<int:pk>/verwijderen/", meeting_delete, name="meeting_delete"),
    path("overleg/<int:pk>/afspraak/", meeting_agreement_create, name="meeting_agreement_create"),
    path("overleg/<int:pk>/actie/", meeting_action_create, name="meeting_action_create"),
    path("afspraken/<int:pk>/wijzigen/", meeting_agreement_update, name="meeting_agreement_update"),
    path("afspraken/<int:pk>/verwijderen/", meeting_agreement_delete, name="meeting_agreement_delete"),
    path("acties/", action_list, name="action_list"),
    path("acties/<int:pk>/wijzigen/", meeting_action_update, name="meeting_action_update"),
    path("acties/<int:pk>/afgerond/", meeting_action_done, name="meeting_action_done"),
    path("acties/<int:pk>/heropenen/", meeting_action_reopen, name="meeting_action_reopen"),
    path("acties/<int:pk>/verwijderen/", meeting_action_delete, name="meeting_action_delete"),
]
