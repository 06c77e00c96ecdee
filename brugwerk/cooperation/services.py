"""Writing network meetings (with their agreements and actions) and the cooperation agreements of
schools. Every function asks the access policy, validates, writes and records the audit entry in one
transaction; errors are `ValidationError`s keyed by field, refusals `PermissionDenied`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brugwerk.access import Action, may
from brugwerk.access.checks import require
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import (
    Actor,
    audit_create,
    audit_update,
    delete_audited,
    locked_for,
    record,
    save_changed,
    save_created,
    snapshot,
)
from brugwerk.cooperation.models import CooperationAgreement, MeetingAction, MeetingAgreement, NetworkMeeting
from brugwerk.core.services import check_region, check_regions, full_clean, locked, raise_if, require_text, text
from brugwerk.network.models import PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School

MEETING_FIELDS = frozenset(
    {"title", "kind", "date", "duration_minutes", "place", "school", "municipality", "zone", "other_attendees",
     "notes"}
)
AGREEMENT_FIELDS = frozenset(
    {"valid_from", "agreed_days", "contacts", "referral_channel", "referral_procedure", "role_profile_accepted",
     "role_profile_accepted_on", "role_profile_document", "last_evaluated_on", "next_evaluation_on", "remarks"}
)
CONTACT_KEYS = ("name", "function", "phone", "email")
MAX_CONTACTS = 12


def _only(values: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _today() -> datetime.date:
    return timezone.localdate()


def _ids(objs: Iterable[Any]) -> list[int]:
    return sorted(obj.pk for obj in objs)


# --- Network meetings --------------------------------------------------------------------------------


def _check_meeting(
    errors: dict[str, Any], meeting: NetworkMeeting, attendees: list[User], organisations: list[PartnerOrganisation],
    schools: list[School], already: frozenset[int] = frozenset(),
) -> None:
    """`already`: who attended according to the stored meeting (they stay, also after leaving the pool)."""
    region_id = meeting.region_id
    check_region(errors, "school", meeting.school, region_id)
    check_region(errors, "municipality", meeting.municipality, region_id)
    check_region(errors, "zone", meeting.zone, region_id)
    check_regions(errors, "organisations", organisations, region_id)
    check_regions(errors, "schools", schools, region_id)
    pool = set(
        PoolMember.objects.filter(region_id=region_id, active=True, user__in=attendees).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in pool and user.pk not in already for user in attendees):
        errors["pool_attendees"] = _("Choose only bridge figures of this region's pool.")
    meeting.title = require_text(errors, "title", meeting.title)


def _with_recorder(actor: Actor, region: Region, attendees: list[User]) -> list[User]:
    """A bridge figure who records a meeting attended it: they are added to the attendees, so that
    they can complete it afterwards (the coordinator records meetings of others)."""
    user = actor.user
    if user is None or any(a.pk == user.pk for a in attendees):
        return attendees
    if may(user, "cooperation.record_meetings_of_others", region=region):
        return attendees
    if PoolMember.objects.filter(region=region, user=user, active=True).exists():
        return [*attendees, user]
    return attendees


def _set_attendance(
    meeting: NetworkMeeting, attendees: list[User], organisations: list[PartnerOrganisation], schools: list[School]
) -> None:
    meeting.pool_attendees.set(attendees)
    meeting.organisations.set(organisations)
    meeting.schools.set(schools)


def meeting_create(
    *,
    actor: Actor,
    region: Region,
    values: Mapping[str, Any],
    pool_attendees: Iterable[User] = (),
    organisations: Iterable[PartnerOrganisation] = (),
    schools: Iterable[School] = (),
) -> NetworkMeeting:
    meeting = NetworkMeeting(region=region, created_by=actor.user, **_only(values, MEETING_FIELDS))
    require(actor, Action.CREATE, meeting)
    attendees = _with_recorder(actor, region, list(pool_attendees))
    organisations, schools = list(organisations), list(schools)
    errors: dict[str, Any] = {}
    _check_meeting(errors, meeting, attendees, organisations, schools)
    full_clean(meeting, errors)
    with transaction.atomic():
        meeting.save()
        _set_attendance(meeting, attendees, organisations, schools)
        audit_create(actor, meeting)  # the snapshot holds the attendees too
    return meeting


def meeting_update(
    *,
    actor: Actor,
    meeting: NetworkMeeting,
    values: Mapping[str, Any],
    pool_attendees: Iterable[User] = (),
    organisations: Iterable[PartnerOrganisation] = (),
    schools: Iterable[School] = (),
) -> NetworkMeeting:
    values = _only(values, MEETING_FIELDS)
    attendees, organisations, schools = list(pool_attendees), list(organisations), list(schools)
    with transaction.atomic():
        meeting = locked_for(actor, meeting)
        before = snapshot(meeting)
        for name, value in values.items():
            setattr(meeting, name, value)
        errors: dict[str, Any] = {}
        already = frozenset(before.get("pool_attendees", []))
        _check_meeting(errors, meeting, attendees, organisations, schools, already)
        full_clean(meeting, errors)
        meeting.save()
        _set_attendance(meeting, attendees, organisations, schools)
        audit_update(actor, meeting, before)
    return meeting


def meeting_delete(*, actor: Actor, meeting: NetworkMeeting) -> None:
    """Only for a meeting recorded by mistake: its agreements and actions go with it; the audit
    trail keeps what it held."""
    with transaction.atomic():
        meeting = locked_for(actor, meeting, Action.DELETE)
        before = snapshot(meeting)
        before["agreements"] = list(meeting.agreements.values_list("text", flat=True))
        before["actions"] = list(meeting.actions.values_list("description", flat=True))
        label, pk, region_id = str(meeting), meeting.pk, meeting.region_id
        meeting.delete()
        record(
            actor=actor, event=AuditEvent.DELETE, subject_type=NetworkMeeting._meta.label_lower, subject_id=str(pk),
            subject_label=label, region_id=region_id, changes=before,
        )


# --- Agreements made at a meeting --------------------------------------------------------------------


def meeting_agreement_add(*, actor: Actor, meeting: NetworkMeeting, text: str) -> MeetingAgreement:
    require(actor, Action.VIEW, meeting)
    agreement = MeetingAgreement(meeting=meeting, text=text)
    require(actor, Action.CREATE, agreement)
    errors: dict[str, Any] = {}
    agreement.text = require_text(errors, "text", agreement.text)
    save_created(actor, agreement, errors)
    return agreement


def meeting_agreement_update(*, actor: Actor, agreement: MeetingAgreement, text: str) -> MeetingAgreement:
    with transaction.atomic():
        agreement = locked_for(actor, agreement)
        before = snapshot(agreement)
        errors: dict[str, Any] = {}
        agreement.text = require_text(errors, "text", text)
        save_changed(actor, agreement, before, errors)
    return agreement


def _delete(actor: Actor, obj: MeetingAgreement | MeetingAction) -> None:
    delete_audited(actor, obj, region_id=obj.meeting.region_id)


def meeting_agreement_delete(*, actor: Actor, agreement: MeetingAgreement) -> None:
    _delete(actor, agreement)


# --- Actions ---------------------------------------------------------------------------------------


def _is_pool_user(user: User, region_id: int) -> bool:
    """An action's owner in Brugwerk: a bridge figure or coordinator of the region, who sees the
    meeting and marks the action done."""
    return user.is_active and Membership.objects.filter(
        user=user, region_id=region_id, role__in=[Role.BRUGFIGUUR, Role.COORDINATOR], revoked_at__isnull=True
    ).exists()


def _check_action(errors: dict[str, Any], action: MeetingAction) -> None:
    action.description = require_text(errors, "description", action.description)
    action.owner_label = text(action.owner_label)
    if action.owner_user is not None and action.owner_label:
        errors["owner_label"] = _("Choose a person of the pool or write who else does it, not both.")
    elif action.owner_user is None and not action.owner_label:
        errors["owner_user"] = _("Choose who does it: a person of the pool, or write who else.")
    elif action.owner_user is not None and not _is_pool_user(action.owner_user, action.meeting.region_id):
        errors["owner_user"] = _("Choose a bridge figure or coordinator of this region.")
    meeting_date = action.meeting.date
    if isinstance(action.due_date, datetime.date) and action.due_date < meeting_date:
        errors["due_date"] = _("The due date cannot lie before the meeting (%(date)s).") % {
            "date": date_format(meeting_date)
        }


def meeting_action_add(
    *,
    actor: Actor,
    meeting: NetworkMeeting,
    description: str,
    due_date: datetime.date,
    owner_user: User | None = None,
    owner_label: str = "",
) -> MeetingAction:
    require(actor, Action.VIEW, meeting)
    action = MeetingAction(
        meeting=meeting, description=description, due_date=due_date, owner_user=owner_user, owner_label=owner_label
    )
    require(actor, Action.CREATE, action)
    errors: dict[str, Any] = {}
    _check_action(errors, action)
    save_created(actor, action, errors)
    return action


def meeting_action_update(
    *,
    actor: Actor,
    action: MeetingAction,
    description: str,
    due_date: datetime.date,
    owner_user: User | None = None,
    owner_label: str = "",
) -> MeetingAction:
    """What, who and by when: the meeting's organisers change it (its owner only marks it done)."""
    with transaction.atomic():
        action = locked(action)
        require(actor, Action.VIEW, action)
        require(actor, Action.CHANGE, action.meeting)
        before = snapshot(action)
        action.description, action.due_date = description, due_date
        action.owner_user, action.owner_label = owner_user, owner_label
        errors: dict[str, Any] = {}
        _check_action(errors, action)
        save_changed(actor, action, before, errors)
    return action


def meeting_action_done(*, actor: Actor, action: MeetingAction, note: str = "") -> MeetingAction:
    with transaction.atomic():
        action = locked_for(actor, action)
        if action.done_at is not None:
            raise ValidationError(_("This action was already marked done."), code="done")
        before = snapshot(action)
        action.done_at, action.done_by, action.done_note = timezone.now(), actor.user, text(note)
        full_clean(action)
        action.save(update_fields=["done_at", "done_by", "done_note"])
        audit_update(actor, action, before)
    return action


def meeting_action_reopen(*, actor: Actor, action: MeetingAction) -> MeetingAction:
    """Marked done by mistake, or it turned out not to be done after all."""
    with transaction.atomic():
        action = locked_for(actor, action)
        if action.done_at is None:
            raise ValidationError(_("This action is still open."), code="open")
        before = snapshot(action)
        action.done_at, action.done_by, action.done_note = None, None, ""
        action.save(update_fields=["done_at", "done_by", "done_note"])
        audit_update(actor, action, before)
    return action


def meeting_action_delete(*, actor: Actor, action: MeetingAction) -> None:
    _delete(actor, action)


# --- Cooperation agreements ------------------------------------------------------------------------


def clean_contacts(errors: dict[str, Any], contacts: Any) -> list[dict[str, str]]:
    """The school's contact persons as stored: a name at least, a valid e-mail address when given;
    rows left empty are dropped."""
    cleaned: list[dict[str, str]] = []
    for row in contacts or []:
        person = {key: text((row or {}).get(key)) for key in CONTACT_KEYS}
        if not any(person.values()):
            continue
        if not person["name"]:
            errors["contacts"] = _("Give the name of every contact person.")
        if person["email"]:
            try:
                validate_email(person["email"])
            except ValidationError:
                errors["contacts"] = _("%(email)s is not a valid e-mail address.") % {"email": person["email"]}
        if any(len(value) > 160 for value in person.values()):
            errors["contacts"] = _("Keep each detail of a contact person under 160 characters.")
        cleaned.append(person)
    if len(cleaned) > MAX_CONTACTS:
        errors["contacts"] = _("Give at most %(count)s contact persons.") % {"count": MAX_CONTACTS}
    return cleaned


def _check_agreement(errors: dict[str, Any], agreement: CooperationAgreement, current: CooperationAgreement | None):
    today = _today()
    agreement.contacts = clean_contacts(errors, agreement.contacts)
    if agreement.role_profile_accepted_on and not agreement.role_profile_accepted:
        errors["role_profile_accepted_on"] = _(
            "Tick that the school accepted the role profile, or leave the date empty."
        )
    for field in ("role_profile_accepted_on", "last_evaluated_on"):
        value = getattr(agreement, field)
        if isinstance(value, datetime.date) and value > today:
            errors[field] = _("This date cannot lie in the future.")
    last, following = agreement.last_evaluated_on, agreement.next_evaluation_on
    if isinstance(last, datetime.date) and isinstance(following, datetime.date) and following <= last:
        errors["next_evaluation_on"] = _("The next evaluation must come after the last one.")
    start = agreement.valid_from
    if current is not None and isinstance(start, datetime.date) and start < current.valid_from:
        errors["valid_from"] = _("A new version cannot start before the current one (%(date)s).") % {
            "date": date_format(current.valid_from)
        }


def _same_content(agreement: CooperationAgreement, current: CooperationAgreement) -> bool:
    fields = AGREEMENT_FIELDS - {"valid_from"}
    return all(getattr(agreement, name) == getattr(current, name) for name in fields)


def cooperation_agreement_save(*, actor: Actor, school: School, values: Mapping[str, Any]) -> CooperationAgreement:
    """The school's agreement as it stands from `valid_from` on (today if not given): the first
    version, or a new one that replaces the current version from that day. Earlier versions stay."""
    values = _only(values, AGREEMENT_FIELDS)
    values["valid_from"] = values.get("valid_from") or _today()
    with transaction.atomic():
        current = (
            CooperationAgreement.objects.select_for_update().filter(school=school, valid_until__isnull=True).first()
        )
        agreement = CooperationAgreement(
            region_id=school.region_id, school=school, created_by=actor.user, version=1, **values
        )
        if current is not None:
            require(actor, Action.VIEW, current)
            require(actor, Action.CHANGE, current)
            agreement.version = current.version + 1
        else:
            require(actor, Action.CREATE, agreement)
            latest = CooperationAgreement.objects.filter(school=school).order_by("-version").first()
            agreement.version = latest.version + 1 if latest is not None else 1
        errors: dict[str, Any] = {}
        _check_agreement(errors, agreement, current)
        raise_if(errors)
        if current is not None and _same_content(agreement, current):
            raise ValidationError(_("Nothing was changed, so the current version stays."), code="unchanged")
        if current is not None:
            before = snapshot(current)
            current.valid_until = agreement.valid_from
            current.save(update_fields=["valid_until"])
            audit_update(actor, current, before)
        full_clean(agreement)
        agreement.save()
        audit_create(actor, agreement, extra={"replaces": current.pk if current is not None else None})
    return agreement
