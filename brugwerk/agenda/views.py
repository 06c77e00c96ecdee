"""Pages of the agenda. A brugfiguur's week (the schools they are at, their appointments
and home visits), planning appointments and weekly presence days, and the iCalendar feed of their
own appointments, which carries no personal data (only the kind and at most a school's name)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from brugwerk.access import Action, get_object_or_404
from brugwerk.accounts.models import User
from brugwerk.accounts.selectors import current_region
from brugwerk.agenda import selectors, services
from brugwerk.agenda.forms import AgendaNavigationForm, AppointmentForm, PresenceDayEndForm, PresenceDayForm
from brugwerk.agenda.models import Appointment, AppointmentKind, PresenceDay
from brugwerk.audit.services import Actor
from brugwerk.core.http import refused_as_missing, region_or_404, require
from brugwerk.core.pages import run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import school_choices

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")


# --- Helpers ---------------------------------------------------------------------------------------


def _monday_of(request: AuthenticatedHttpRequest, form: AgendaNavigationForm) -> datetime.date:
    """The week asked for: the week of ?date=2026-11-25, else ?week=2026-W48, else this week."""
    day = form.cleaned_data.get("date") if form.is_valid() else None
    if day is not None:
        return selectors.week_start(day)
    match = WEEK_PATTERN.match(request.GET.get("week", ""))
    if match:
        try:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return selectors.week_start(timezone.localdate())


def _iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def agenda_url(day: datetime.date | None = None, owner_id: int | None = None) -> str:
    """The agenda at the week of `day` (this week if None), of one brugfiguur if `owner_id`."""
    query = QueryDict(mutable=True)
    if day is not None:
        query["week"] = _iso_week(day)
    if owner_id:
        query["brugfiguur"] = str(owner_id)
    url = reverse("agenda:agenda")
    return f"{url}?{query.urlencode()}" if query else url


def _owners_or_404(request: AuthenticatedHttpRequest, region: Region) -> tuple[list[User], bool]:
    """Whose agendas the user may plan in, and whether they plan for the whole pool; 404 for those
    who have no agenda (school contacts, partners, policy makers, administrators)."""
    owners = selectors.agenda_owners(user=request.user, region=region)
    pool = selectors.plans_for_pool(user=request.user, region=region)
    require(bool(owners) or pool)
    return owners, pool


def _owner_from(value: Any, owners: list[User]) -> User | None:
    return next((o for o in owners if str(o.pk) == str(value or "")), None)


def _crumbs() -> list[tuple[str, str]]:
    return [(reverse("agenda:agenda"), _("Agenda"))]


def _render_form(
    request: AuthenticatedHttpRequest, *, form: Any, title: str, cancel_url: str, intro: str = "", delete_url: str = "",
    submit_label: str = "",
) -> HttpResponse:
    context = {
        "form": form, "title": title, "intro": intro, "cancel_url": cancel_url, "delete_url": delete_url,
        "breadcrumbs": _crumbs(), "submit_label": submit_label or _("Save"),
    }
    return render(request, "agenda/form_page.html", context)


# --- The week --------------------------------------------------------------------------------------


def agenda(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    owners, pool = _owners_or_404(request, region)
    chosen = request.GET.get("brugfiguur", "")
    owner = _owner_from(chosen, owners)
    if chosen and owner is None:
        raise Http404  # not a brugfiguur of this region whose agenda the user may open
    if owner is None and not pool:
        owner = owners[0]  # a brugfiguur's own agenda
    shown = [owner] if owner is not None else owners
    form = AgendaNavigationForm(request.GET or None, owners=owners if pool else None)
    monday = _monday_of(request, form)
    today = timezone.localdate()
    week = selectors.agenda_week(user=user, region=region, monday=monday, owners=shown, owner=owner)
    owner_id = owner.pk if owner is not None and pool else None
    query = f"?brugfiguur={owner_id}" if owner_id else ""
    context = {
        "region": region,
        "form": form,
        "week": week,
        "week_number": monday.isocalendar()[1],
        "week_iso": _iso_week(monday),
        "today": today,
        "owner": owner,
        "pool": pool,
        "show_owner": owner is None or pool,
        "presence_rules": selectors.presence_rules(user=user, region=region, owners=shown, today=today),
        "previous_url": agenda_url(monday - datetime.timedelta(days=7), owner_id),
        "next_url": agenda_url(monday + datetime.timedelta(days=7), owner_id),
        "this_week_url": agenda_url(None, owner_id),
        "is_this_week": monday == selectors.week_start(today),
        "appointment_create_url": reverse("agenda:appointment_create") + query,
        "presence_day_create_url": reverse("agenda:presence_day_create") + query,
        "may_have_feed": selectors.may_have_calendar_feed(user=user),
    }
    return render(request, "agenda/agenda.html", context)


# --- Appointments ------------------------------------------------------------------------------------


def _appointment_done(
    request: AuthenticatedHttpRequest, appointment: Appointment, pool: bool, message: str
) -> HttpResponse:
    messages.success(request, message)
    day = timezone.localtime(appointment.starts_at).date()
    return redirect(agenda_url(day, appointment.brugfiguur_id if pool else None))


def appointment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    owners, pool = _owners_or_404(request, region)
    # the form lists the young people of the user's cases to choose from: the selector records that read
    cases = selectors.appointment_case_choices(
        user=user, region=region, label=_("New appointment: cases to choose from")
    )
    initial: dict[str, Any] = {"day": timezone.localdate(), "kind": AppointmentKind.HOME_VISIT}
    owner = _owner_from(request.GET.get("brugfiguur"), owners)
    if owner is not None:
        initial["brugfiguur"] = owner.pk
    case = cases.filter(pk=request.GET["case"]).first() if request.GET.get("case", "").isdigit() else None
    if case is not None:
        initial |= {"case": case.pk, "school": case.school_id}
    form = AppointmentForm(
        request.POST or None,
        cases=cases,
        schools=school_choices(user=user, region=region),
        owners=owners if pool else None,
        initial=initial,
    )
    appointment = run_form(
        request,
        form,
        lambda: services.appointment_create(
            actor=Actor.from_request(request), region=region, brugfiguur=form.cleaned_data.get("brugfiguur"),
            **form.values(),
        ),
    )
    if appointment is not None:
        return _appointment_done(request, appointment, pool, _("The appointment was added to the agenda."))
    return _render_form(
        request, form=form, title=_("New appointment"), cancel_url=agenda_url(None, owner.pk if owner else None),
        intro=_("A home visit, a meeting or another appointment. The calendar feed shows only its kind "
                "and school, never the young person's name or where."),
    )


def appointment_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    appointment = get_object_or_404(
        user, Appointment.objects.select_related("brugfiguur", "region"), Action.CHANGE, pk=pk, region=region
    )
    pool = selectors.plans_for_pool(user=user, region=region)
    form = AppointmentForm(
        request.POST or None,
        cases=selectors.appointment_case_choices(
            user=user, region=region, include=appointment.case_id, label=_("Change appointment: cases to choose from")
        ),
        schools=school_choices(user=user, region=region),
        instance=appointment,
    )
    saved = run_form(
        request,
        form,
        lambda: services.appointment_update(
            actor=Actor.from_request(request), appointment=appointment, **form.values()
        ),
    )
    if saved is not None:
        return _appointment_done(request, saved, pool, _("The appointment was saved."))
    start = timezone.localtime(appointment.starts_at)
    return _render_form(
        request,
        form=form,
        title=_("Change appointment of %(name)s") % {"name": appointment.brugfiguur},
        cancel_url=agenda_url(start.date(), appointment.brugfiguur_id if pool else None),
        delete_url=reverse("agenda:appointment_delete", args=[appointment.pk]),
    )


@refused_as_missing()
def appointment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    appointment = get_object_or_404(
        user, Appointment.objects.select_related("brugfiguur", "school"), Action.DELETE, pk=pk, region=region
    )
    pool = selectors.plans_for_pool(user=user, region=region)
    if request.method == "POST":
        services.appointment_delete(actor=Actor.from_request(request), appointment=appointment)
        return _appointment_done(request, appointment, pool, _("The appointment was deleted."))
    start = timezone.localtime(appointment.starts_at)
    context = {
        "appointment": appointment,
        "breadcrumbs": _crumbs(),
        "cancel_url": agenda_url(start.date(), appointment.brugfiguur_id if pool else None),
    }
    return render(request, "agenda/appointment_confirm_delete.html", context)


# --- Presence days -----------------------------------------------------------------------------------


def presence_day_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    owners, pool = _owners_or_404(request, region)
    owner = _owner_from(request.GET.get("brugfiguur"), owners)
    initial: dict[str, Any] = {"valid_from": timezone.localdate()}
    if owner is not None:
        initial["brugfiguur"] = owner.pk
    schools = selectors.served_schools(user=user, region=region, owners=owners)
    form = PresenceDayForm(
        request.POST or None,
        schools=schools,
        serves=lambda person, school: selectors.serves_school(region=region, brugfiguur=person, school=school),
        owners=owners if pool else None,
        initial=initial,
    )
    day = run_form(
        request,
        form,
        lambda: services.presence_day_create(
            actor=Actor.from_request(request),
            region=region,
            school=form.cleaned_data["school"],
            weekday=form.cleaned_data["weekday"],
            valid_from=form.cleaned_data["valid_from"],
            valid_until=form.cleaned_data["valid_until"],
            brugfiguur=form.cleaned_data.get("brugfiguur"),
        ),
    )
    if day is not None:
        messages.success(
            request,
            _("%(name)s is at %(school)s on %(weekday)s from now on.")
            % {"name": day.brugfiguur, "school": day.school.name, "weekday": day.get_weekday_display()},
        )
        return redirect(agenda_url(None, day.brugfiguur_id if pool else None))
    intro = _("A weekday on which a bridge figure is at a school, every week from the first day on.")
    if not schools.exists():
        intro = _("No school to choose from: the coordinator sets which schools a bridge figure serves in the pool.")
    return _render_form(
        request, form=form, title=_("Add a presence day"), intro=intro,
        cancel_url=agenda_url(None, owner.pk if owner is not None else None),
    )


def _presence_day_or_404(request: AuthenticatedHttpRequest, pk: int, action: Action) -> tuple[PresenceDay, bool]:
    """The presence day (of the region the user works in), and whether the user plans for the pool."""
    region = region_or_404(request)
    queryset = PresenceDay.objects.select_related("school", "brugfiguur")
    day = get_object_or_404(request.user, queryset, action, pk=pk, region=region)
    return day, selectors.plans_for_pool(user=request.user, region=region)


def presence_day_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    day, pool = _presence_day_or_404(request, pk, Action.CHANGE)
    form = PresenceDayEndForm(
        request.POST or None, presence_day=day, initial={"valid_until": day.valid_until or timezone.localdate()}
    )
    saved = run_form(
        request,
        form,
        lambda: services.presence_day_end(
            actor=Actor.from_request(request), presence_day=day, valid_until=form.cleaned_data["valid_until"]
        ),
    )
    back = agenda_url(None, day.brugfiguur_id if pool else None)
    if saved is not None:
        messages.success(request, _("The presence day was ended."))
        return redirect(back)
    title = _("End the presence day: %(weekday)s at %(school)s") % {
        "weekday": day.get_weekday_display(), "school": day.school.name
    }
    return _render_form(request, form=form, title=title, cancel_url=back, submit_label=_("End presence day"))


@refused_as_missing()
def presence_day_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    day, pool = _presence_day_or_404(request, pk, Action.DELETE)
    back = agenda_url(None, day.brugfiguur_id if pool else None)
    if request.method == "POST":
        services.presence_day_delete(actor=Actor.from_request(request), presence_day=day)
        messages.success(request, _("The presence day was deleted."))
        return redirect(back)
    context = {"presence_day": day, "breadcrumbs": _crumbs(), "cancel_url": back}
    return render(request, "agenda/presence_day_confirm_delete.html", context)


# --- The calendar feed -------------------------------------------------------------------------------


@refused_as_missing()
def calendar_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The secret address of the user's own calendar feed, and the button to make or renew it."""
    user = request.user
    require(selectors.may_have_calendar_feed(user=user))
    feed = selectors.calendar_feed_of(user=user)
    if request.method == "POST":
        actor, region = Actor.from_request(request), current_region(request)
        try:
            if feed is None:
                services.calendar_feed_create(actor=actor, region=region)
                messages.success(request, _("Your calendar address was made."))
            else:
                services.calendar_feed_renew(actor=actor, feed=feed, region=region)
                messages.success(request, _("Your calendar address was renewed. The old address no longer works."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("agenda:calendar_feed")
    feed_url = request.build_absolute_uri(reverse("agenda:calendar_feed_ics", args=[feed.token])) if feed else ""
    context = {
        "feed": feed,
        "feed_url": feed_url,
        "webcal_url": re.sub(r"^https?://", "webcal://", feed_url),
        "breadcrumbs": _crumbs(),
        "days_back": selectors.FEED_DAYS_BACK,
        "days_ahead": selectors.FEED_DAYS_AHEAD,
    }
    return render(request, "agenda/calendar_feed.html", context)


def _feed_title(appointment: Appointment) -> str:
    """Only the kind and the school: never the young person, the case or where (a home address)."""
    if appointment.kind == AppointmentKind.OTHER:
        title = str(capfirst(Appointment._meta.verbose_name))  # "Afspraak" rather than "Andere"
    else:
        title = str(capfirst(appointment.get_kind_display()))
    school = appointment.school
    return f"{title} · {school.name}" if school is not None else title


def calendar_body(appointments: list[Appointment], *, agenda_link: str) -> bytes:
    """The iCalendar (RFC 5545) text of `appointments`: icalendar folds lines, escapes text and ends
    lines with CRLF. Times in UTC, so no time zone definitions are needed."""
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Brugwerk//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Brugwerk agenda"))
    calendar.add("x-published-ttl", "PT1H")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@brugwerk")
        event.add("dtstamp", now.astimezone(datetime.UTC))
        event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
        event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
        event.add("summary", _feed_title(appointment))
        event.add("description", _("The details are in Brugwerk: %(url)s") % {"url": agenda_link})
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


@login_not_required
@require_safe
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app reads without logging in: the secret address is the key. Unknown or
    renewed addresses, and people who are no longer an active brugfiguur, get 404."""
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        raise Http404
    appointments = selectors.feed_appointments(feed=feed)
    with translation.override(settings.LANGUAGE_CODE):
        body = calendar_body(appointments, agenda_link=request.build_absolute_uri(reverse("agenda:agenda")))
    services.calendar_feed_mark_read(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="brugwerk.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response

