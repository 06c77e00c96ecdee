"""Referrals in (aanmeldingen) and their triage: a school contact, a partner or a brugfiguur refers
a pupil; the coordinator (or, where the region says so, the brugfiguur of the school) accepts,
refuses or queues it, and accepting opens the case."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, organisations_of, schools_of
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor, audit_create, audit_update, snapshot
from brugwerk.cases.models import (
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseStatus,
    HelpQuestion,
    LifeDomain,
    Referral,
    ReferralSource,
    ReferralStatus,
    Urgency,
    YoungPerson,
)
from brugwerk.cases.services.checks import is_brugfiguur_of
from brugwerk.core.services import check_region, check_regions, full_clean, locked, raise_if, require_text, text, today
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import Region, School

MAX_PRIORITY = 100


@dataclass(frozen=True)
class ReferralCreated:
    referral: Referral
    # Young people of the region with the same name and birth date that the referrer may see:
    # shown as a warning, never a reason to refuse the referral.
    possible_duplicates: list[YoungPerson]


def _source_for(
    actor: Actor, region: Region, school: School | None, organisation: PartnerOrganisation | None
) -> str:
    """Who refers, from the actor's roles: a partner for their organisation, a school contact for
    their school, else a brugfiguur or coordinator registering a pupil or parent who came directly."""
    if organisation is not None and organisation.pk in organisations_of(actor.user, region):
        return ReferralSource.PARTNER
    if school is not None and school.pk in schools_of(actor.user, region):
        return ReferralSource.SCHOOL
    if can(actor.user, Action.CREATE, Case, region=region):
        return ReferralSource.DIRECT
    raise PermissionDenied


def referral_create(
    *,
    actor: Actor,
    region: Region,
    pupil_first_name: str,
    pupil_last_name: str,
    reason: str,
    school: School | None = None,
    organisation: PartnerOrganisation | None = None,
    pupil_birth_date: datetime.date | None = None,
    life_domains: Iterable[LifeDomain] = (),
    already_tried: str = "",
    urgency: str = Urgency.NORMAL,
    pupil_informed: bool = False,
    parents_informed: bool = False,
) -> ReferralCreated:
    from brugwerk.cases.selectors import possible_duplicates

    source = _source_for(actor, region, school, organisation)
    referral = Referral(
        region=region,
        school=school,
        organisation=organisation if source == ReferralSource.PARTNER else None,
        source=source,
        referred_by=actor.user,
        pupil_birth_date=pupil_birth_date,
        already_tried=text(already_tried),
        urgency=urgency,
        pupil_informed=bool(pupil_informed),
        parents_informed=bool(parents_informed),
        status=ReferralStatus.RECEIVED,
        received_at=timezone.now(),
    )
    require(actor, Action.CREATE, referral)
    domains = list(life_domains)
    errors: dict[str, str] = {}
    referral.pupil_first_name = require_text(errors, "pupil_first_name", pupil_first_name)
    referral.pupil_last_name = require_text(errors, "pupil_last_name", pupil_last_name)
    referral.reason = require_text(errors, "reason", reason)
    check_region(errors, "school", school, region.pk)
    check_regions(errors, "life_domains", domains, region.pk)
    if any(not domain.active for domain in domains):
        errors["life_domains"] = _("Choose only life domains that are in use.")
    if pupil_birth_date is not None and pupil_birth_date > today():
        errors["pupil_birth_date"] = _("A date of birth cannot lie in the future.")
    full_clean(referral, errors)
    with transaction.atomic():
        referral.save()
        referral.life_domains.set(domains)
        audit_create(actor, referral)
    duplicates = (
        list(
            possible_duplicates(
                user=actor.required_user,
                region=region,
                first_name=referral.pupil_first_name,
                last_name=referral.pupil_last_name,
                birth_date=pupil_birth_date,
            )
        )
        if pupil_birth_date
        else []
    )
    return ReferralCreated(referral=referral, possible_duplicates=duplicates)


def _require_undecided(referral: Referral) -> None:
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ValidationError(_("This referral has already been decided on."), code="decided")


def _check_lead(errors: dict[str, str], lead: User | None, region_id: int) -> None:
    if not is_brugfiguur_of(lead, region_id):
        errors["lead"] = _("Choose a bridge figure of this region.")


def referral_accept(
    *, actor: Actor, referral: Referral, lead: User, young_person: YoungPerson | None = None
) -> Case:
    """Accept the referral: link it to a young person already known (see `possible_duplicates`) or
    create one from the referral, open their case led by `lead`, and start the file with one help
    question per life domain the referrer named."""
    with transaction.atomic():
        referral = locked(referral)
        require(actor, Action.CHANGE, referral)
        _require_undecided(referral)
        errors: dict[str, str] = {}
        _check_lead(errors, lead, referral.region_id)
        if young_person is not None:
            if young_person.region_id != referral.region_id or not young_person.pk:
                errors["young_person"] = _("Choose a young person of this region.")
            else:
                require(actor, Action.VIEW, young_person)
                if young_person.cases.filter(status=CaseStatus.OPEN).exists():
                    errors["young_person"] = _(
                        "This young person already has an open case. Refuse this referral, or close "
                        "that case first."
                    )
        raise_if(errors)
        if young_person is None:
            young_person = YoungPerson(
                region_id=referral.region_id,
                first_name=referral.pupil_first_name,
                last_name=referral.pupil_last_name,
                birth_date=referral.pupil_birth_date,
                school=referral.school,
            )
            require(actor, Action.CREATE, young_person)
            full_clean(young_person)
            young_person.save()
            audit_create(actor, young_person)
        case = Case(
            region_id=referral.region_id,
            young_person=young_person,
            school=referral.school or young_person.school,
            lead=lead,
            status=CaseStatus.OPEN,
            opened_on=today(),
        )
        require(actor, Action.CREATE, case)
        full_clean(case)
        case.save()
        audit_create(actor, case, extra={"referral": referral.pk})
        for domain in referral.life_domains.all():
            question = HelpQuestion.objects.create(case=case, life_domain=domain, description=referral.reason)
            audit_create(actor, question)
        before = snapshot(referral)
        referral.young_person = young_person
        referral.case = case
        referral.status = ReferralStatus.ASSIGNED
        referral.decided_at = timezone.now()
        referral.decided_by = actor.user
        referral.save()
        audit_update(actor, referral, before)
    return case


def referral_refuse(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    with transaction.atomic():
        referral = locked(referral)
        require(actor, Action.CHANGE, referral)
        _require_undecided(referral)
        errors: dict[str, str] = {}
        cleaned = require_text(errors, "reason", reason)
        raise_if(errors)
        before = snapshot(referral)
        referral.status = ReferralStatus.REFUSED
        referral.refusal_reason = cleaned
        referral.decided_at = timezone.now()
        referral.decided_by = actor.user
        referral.save()
        audit_update(actor, referral, before)
    return referral


def referral_queue(*, actor: Actor, referral: Referral, priority: int) -> Referral:
    """Put the referral on the waiting list (or change its priority there); higher comes first."""
    with transaction.atomic():
        referral = locked(referral)
        require(actor, Action.CHANGE, referral)
        _require_undecided(referral)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= MAX_PRIORITY:
            raise ValidationError(
                {"priority": _("Give a priority from 0 to %(max)d.") % {"max": MAX_PRIORITY}}
            )
        before = snapshot(referral)
        referral.status = ReferralStatus.WAITING
        referral.priority = priority
        referral.save(update_fields=["status", "priority"])
        audit_update(actor, referral, before)
    return referral
