"""Contact moments: registered in seconds, on a case or low-threshold without one (anonymous or with
a first name only), and turning low-threshold contacts into a case, with consent, keeping them as
its history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.audit.services import Actor, audit_create, audit_update, snapshot
from brugwerk.cases.models import (
    Case,
    CaseStatus,
    ContactMoment,
    ContactWith,
    LifeDomain,
    Referral,
    ReferralStatus,
    YoungPerson,
)
from brugwerk.cases.services.checks import is_brugfiguur_of, require_open
from brugwerk.core.services import check_region, full_clean, raise_if, today
from brugwerk.regions.models import Region, School

# Registering a contact a few minutes ahead (clock differences between phone and server) is fine;
# a contact further in the future is an appointment, not a contact.
CLOCK_SLACK = datetime.timedelta(minutes=10)
PRIVATE_FIELDS = ("note",)


def _hidden(contact: ContactMoment) -> tuple[str, ...]:
    """A private note stays out of the audit trail too: only its author may ever read it."""
    return PRIVATE_FIELDS if contact.note_private else ()


def build_contact(
    *,
    actor: Actor,
    region: Region | None,
    case: Case | None,
    contact_type: str,
    occurred_at: datetime.datetime,
    duration_minutes: int = 0,
    school: School | None = None,
    with_whom: Iterable[str] = (),
    place: str = "",
    language: str = "",
    interpreter: bool = False,
    note: str = "",
    note_private: bool = False,
    life_domain: LifeDomain | None = None,
    first_name: str = "",
    authorised: bool = False,
) -> ContactMoment:
    """A validated, unsaved contact moment by `actor`, after the access checks (`authorised`: the
    calling service already checked a right that covers this contact)."""
    if case is not None:
        require(actor, Action.VIEW, case)
        require_open(case)
        if region is not None and region.pk != case.region_id:
            raise ValidationError({"case": _("Choose a case of this region.")})
        region = case.region
    if region is None:
        raise ValueError("A contact without a case needs its region.")
    who = list(dict.fromkeys(with_whom or ()))
    contact = ContactMoment(
        region=region,
        case=case,
        school=school if school is not None else (case.school if case is not None else None),
        brugfiguur=actor.user,
        contact_type=contact_type,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        with_whom=who,
        place=(place or "").strip(),
        language=(language or "").strip(),
        interpreter=bool(interpreter),
        note=(note or "").strip(),
        note_private=bool(note_private),
        life_domain=life_domain,
        first_name=(first_name or "").strip(),
    )
    if not authorised:
        require(actor, Action.CREATE, contact)
    errors: dict[str, str] = {}
    check_region(errors, "school", contact.school, region.pk)
    if life_domain is not None and (life_domain.region_id != region.pk or not life_domain.active):
        errors["life_domain"] = _("Choose a life domain of this region that is in use.")
    if not isinstance(occurred_at, datetime.datetime) or timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("Give the date and time of the contact.")
    elif occurred_at > timezone.now() + CLOCK_SLACK:
        errors["occurred_at"] = _("A contact cannot lie in the future; plan an appointment instead.")
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int) or duration_minutes < 0:
        errors["duration_minutes"] = _("Give the duration in whole minutes.")
    if any(value not in ContactWith.values for value in who):
        errors["with_whom"] = _("Choose from the list who the contact was with.")
    if case is not None and contact.first_name:
        errors["first_name"] = _("A contact in a case has no first name of its own: the case names the young person.")
    full_clean(contact, errors)
    return contact


def referral_follows_contact(actor: Actor, case: Case) -> None:
    """The first contact in an assigned case shows the referrer that the work is in progress."""
    referral = Referral.objects.filter(case=case, status=ReferralStatus.ASSIGNED).first()
    if referral is not None:
        before = snapshot(referral)
        referral.status = ReferralStatus.IN_PROGRESS
        referral.save(update_fields=["status"])
        audit_update(actor, referral, before)


def contact_register(
    *,
    actor: Actor,
    contact_type: str,
    occurred_at: datetime.datetime,
    region: Region | None = None,
    case: Case | None = None,
    duration_minutes: int = 0,
    school: School | None = None,
    with_whom: Iterable[str] = (),
    place: str = "",
    language: str = "",
    interpreter: bool = False,
    note: str = "",
    note_private: bool = False,
    life_domain: LifeDomain | None = None,
    first_name: str = "",
) -> ContactMoment:
    """Register a contact: on `case`, or, without one, a low-threshold contact in `region`
    (anonymous, or with a first name only)."""
    contact = build_contact(
        actor=actor, region=region, case=case, contact_type=contact_type, occurred_at=occurred_at,
        duration_minutes=duration_minutes, school=school, with_whom=with_whom, place=place,
        language=language, interpreter=interpreter, note=note, note_private=note_private,
        life_domain=life_domain, first_name=first_name,
    )
    with transaction.atomic():
        contact.save()
        audit_create(actor, contact, hide=_hidden(contact))
        if case is not None:
            referral_follows_contact(actor, case)
    return contact


def low_threshold_convert_to_case(
    *,
    actor: Actor,
    contacts: Sequence[ContactMoment],
    consent_recorded: bool,
    young_person: YoungPerson | None = None,
    young_person_values: Mapping[str, Any] | None = None,
    school: School | None = None,
) -> Case:
    """Turn one's own low-threshold contacts into a case led by oneself: for a young person already
    known, or a new one from `young_person_values`. Only when the young person (or a parent) agreed,
    which the brugfiguur confirms with `consent_recorded`. The contacts become the case's history."""
    from brugwerk.cases.services.casefile import young_person_create

    if not contacts:
        raise ValidationError({"contacts": _("Choose the contacts to turn into a case.")})
    region_ids = {contact.region_id for contact in contacts}
    if len(region_ids) != 1:
        raise ValidationError({"contacts": _("Choose contacts of one region.")})
    region = contacts[0].region
    with transaction.atomic():
        stored = list(
            ContactMoment.objects.select_for_update()
            .filter(pk__in=[c.pk for c in contacts])
            .order_by("occurred_at", "pk")
        )
        if len(stored) != len({c.pk for c in contacts}):
            raise ValidationError({"contacts": _("Choose the contacts to turn into a case.")})
        for contact in stored:
            require(actor, Action.VIEW, contact)
            require(actor, Action.CHANGE, contact)
        errors: dict[str, str] = {}
        if not consent_recorded:
            errors["consent_recorded"] = _(
                "A case is only opened when the young person or a parent agrees. Confirm that they did."
            )
        if any(contact.case_id is not None for contact in stored):
            errors["contacts"] = _("Some of these contacts already belong to a case.")
        if not is_brugfiguur_of(actor.user, region.pk):
            errors["lead"] = _("Only a bridge figure of this region can lead a case.")
        check_region(errors, "school", school, region.pk)
        if young_person is not None:
            if young_person.region_id != region.pk:
                errors["young_person"] = _("Choose a young person of this region.")
            else:
                require(actor, Action.VIEW, young_person)
                if young_person.cases.filter(status=CaseStatus.OPEN).exists():
                    errors["young_person"] = _("This young person already has an open case.")
        elif not young_person_values:
            errors["young_person"] = _("Choose a young person, or give their name.")
        raise_if(errors)
        if young_person is None:
            young_person = young_person_create(actor=actor, region=region, values=young_person_values or {})
        case = Case(
            region=region,
            young_person=young_person,
            school=school or young_person.school,
            lead=actor.user,
            status=CaseStatus.OPEN,
            opened_on=today(),
        )
        require(actor, Action.CREATE, case)
        full_clean(case)
        case.save()
        audit_create(
            actor, case, extra={"from_contacts": [c.pk for c in stored], "consent_recorded": True}
        )
        for contact in stored:
            before = snapshot(contact)
            contact.case = case
            contact.first_name = ""
            contact.save(update_fields=["case", "first_name"])
            audit_update(actor, contact, before, hide=_hidden(contact))
    return case
