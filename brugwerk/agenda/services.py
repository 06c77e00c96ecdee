"""The brugfiguur's agenda: appointments (home visits, meetings, presence at school) and the days
they are at each school. A brugfiguur plans their own; the coordinator plans for the whole pool.
And the secret address of a brugfiguur's calendar feed: made and renewed by its owner, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.agenda.models import Appointment, CalendarFeed, PresenceDay, new_feed_token
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import (
    Actor,
    audit_update,
    delete_audited,
    locked_for,
    record,
    save_changed,
    save_created,
    snapshot,
)
from brugwerk.cases.models import Case
from brugwerk.cases.services.checks import is_brugfiguur_of
from brugwerk.core.services import check_region, full_clean, text
from brugwerk.regions.models import Region, School


def _check_appointment(errors: dict[str, str], appointment: Appointment, actor: Actor) -> None:
    region_id = appointment.region_id
    if not is_brugfiguur_of(appointment.brugfiguur, region_id):
        errors["brugfiguur"] = _("Choose a bridge figure of this region.")
    check_region(errors, "school", appointment.school, region_id)
    if appointment.case is not None:
        if appointment.case.region_id != region_id:
            errors["case"] = _("Choose a case of this region.")
        else:
            require(actor, Action.VIEW, appointment.case)
    if (
        isinstance(appointment.starts_at, datetime.datetime)
        and isinstance(appointment.ends_at, datetime.datetime)
        and appointment.ends_at <= appointment.starts_at
    ):
        errors["ends_at"] = _("The end must come after the start.")


def appointment_create(
    *,
    actor: Actor,
    region: Region,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    case: Case | None = None,
    school: School | None = None,
    brugfiguur: User | None = None,
) -> Appointment:
    appointment = Appointment(
        region=region, brugfiguur=brugfiguur or actor.user, kind=kind, starts_at=starts_at, ends_at=ends_at,
        location=text(location), case=case, school=school,
    )
    require(actor, Action.CREATE, appointment)  # one's own agenda, or the coordinator's pool
    errors: dict[str, str] = {}
    _check_appointment(errors, appointment, actor)
    save_created(actor, appointment, errors)
    return appointment


def appointment_update(
    *,
    actor: Actor,
    appointment: Appointment,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    case: Case | None = None,
    school: School | None = None,
) -> Appointment:
    with transaction.atomic():
        appointment = locked_for(actor, appointment)
        before = snapshot(appointment)
        appointment.kind, appointment.starts_at, appointment.ends_at = kind, starts_at, ends_at
        appointment.location, appointment.case, appointment.school = text(location), case, school
        errors: dict[str, str] = {}
        _check_appointment(errors, appointment, actor)
        save_changed(actor, appointment, before, errors)
    return appointment


def _delete(actor: Actor, obj: Appointment | PresenceDay) -> None:
    delete_audited(actor, obj, region_id=obj.region_id)


def appointment_delete(*, actor: Actor, appointment: Appointment) -> None:
    _delete(actor, appointment)


def presence_day_create(
    *,
    actor: Actor,
    region: Region,
    school: School,
    weekday: int,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    brugfiguur: User | None = None,
) -> PresenceDay:
    day = PresenceDay(
        region=region, brugfiguur=brugfiguur or actor.user, school=school, weekday=weekday,
        valid_from=valid_from, valid_until=valid_until,
    )
    require(actor, Action.CREATE, day)
    errors: dict[str, str] = {}
    if not is_brugfiguur_of(day.brugfiguur, region.pk):
        errors["brugfiguur"] = _("Choose a bridge figure of this region.")
    check_region(errors, "school", school, region.pk)
    if valid_until is not None and isinstance(valid_from, datetime.date) and valid_until < valid_from:
        errors["valid_until"] = _("The last day cannot lie before the first.")
    save_created(actor, day, errors)
    return day


def presence_day_end(*, actor: Actor, presence_day: PresenceDay, valid_until: datetime.date) -> PresenceDay:
    """The brugfiguur is no longer at this school on this weekday after `valid_until`."""
    with transaction.atomic():
        day = locked_for(actor, presence_day)
        before = snapshot(day)
        day.valid_until = valid_until
        errors: dict[str, str] = {}
        if isinstance(valid_until, datetime.date) and valid_until < day.valid_from:
            errors["valid_until"] = _("The last day cannot lie before the first.")
        full_clean(day, errors)
        day.save(update_fields=["valid_until"])
        audit_update(actor, day, before)
    return day


def presence_day_delete(*, actor: Actor, presence_day: PresenceDay) -> None:
    _delete(actor, presence_day)


# --- The calendar feed -------------------------------------------------------------------------------
# The secret address itself is never written to the audit trail: whoever reads the trail could
# otherwise subscribe to someone's agenda.


def _feed_audit(actor: Actor, event: AuditEvent, feed: CalendarFeed, region: Region | None) -> None:
    record(
        actor=actor, event=event, subject=feed, region_id=region.pk if region is not None else None,
        changes={"user": feed.user_id, "address": "new"},
    )


def calendar_feed_create(*, actor: Actor, region: Region | None = None) -> CalendarFeed:
    """Give a brugfiguur the secret address of their own calendar feed. `region` is where they were
    working, so that region's audit trail shows it."""
    feed = CalendarFeed(user=actor.user)
    require(actor, Action.CREATE, feed)
    with transaction.atomic():
        if CalendarFeed.objects.select_for_update().filter(user_id=actor.required_user.pk).exists():
            raise ValidationError(_("You already have a calendar address. Renew it to get a new one."))
        feed.save()
        _feed_audit(actor, AuditEvent.CREATE, feed, region)
    return feed


def calendar_feed_renew(*, actor: Actor, feed: CalendarFeed, region: Region | None = None) -> CalendarFeed:
    """A new secret address; the old one stops working at once (for a lost phone, or an address
    shared by mistake)."""
    with transaction.atomic():
        feed = locked_for(actor, feed)
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.last_read_at = None
        feed.save(update_fields=["token", "created_at", "last_read_at"])
        _feed_audit(actor, AuditEvent.UPDATE, feed, region)
    return feed


def calendar_feed_mark_read(*, feed: CalendarFeed) -> None:
    """When a calendar app last read the feed (not audited: the feed holds no personal data)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
