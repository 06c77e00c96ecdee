"""A case's course: assigning another lead, moving with the pupil to another school of the region
(or out of it), closing with a reason, an outcome and a closing contact, and reopening. Every step
keeps the referrer's view of the referral in line: they see its status, nothing more. A new lead or
a change of school ends every share of the case in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor, audit_create, audit_update, snapshot
from brugwerk.cases.models import Case, CaseStatus, CaseTransfer, CloseReason, Referral, ReferralStatus
from brugwerk.cases.services.checks import is_brugfiguur_of, require_open
from brugwerk.cases.services.contacts import build_contact
from brugwerk.cases.services.sharing import end_case_shares
from brugwerk.core.services import locked, raise_if, require_text, today
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import School


def _referral_status(actor: Actor, case: Case, status: str, *, only_if: Any = None) -> None:
    referral = Referral.objects.filter(case=case).first()
    if referral is None or referral.status == status or (only_if is not None and not only_if(referral)):
        return
    before = snapshot(referral)
    referral.status = status
    referral.save(update_fields=["status"])
    audit_update(actor, referral, before)


def _transfer(
    actor: Actor, case: Case, *, to_school: School | None, to_lead: User | None, note: str
) -> CaseTransfer:
    transfer = CaseTransfer(
        case=case,
        from_school=case.school,
        to_school=to_school,
        from_lead=case.lead,
        to_lead=to_lead,
        note=note,
        transferred_by=actor.user,
        transferred_at=timezone.now(),
    )
    require(actor, Action.CREATE, transfer)
    return transfer


def case_assign_lead(*, actor: Actor, case: Case, lead: User, note: str = "") -> Case:
    """Another brugfiguur leads the case from now on (same school). Recorded as a transfer. Every
    share of the case ends with it (`sharing.end_case_shares`): the new lead shares anew if needed."""
    with transaction.atomic():
        case = locked(case)
        require(actor, Action.VIEW, case)
        require_open(case)
        transfer = _transfer(actor, case, to_school=case.school, to_lead=lead, note=(note or "").strip())
        errors: dict[str, str] = {}
        if not is_brugfiguur_of(lead, case.region_id):
            errors["lead"] = _("Choose a bridge figure of this region.")
        elif lead.pk == case.lead_id:
            errors["lead"] = _("This bridge figure already leads the case.")
        raise_if(errors)
        transfer.save()
        audit_create(actor, transfer)
        end_case_shares(actor=actor, case=case, because="new_lead", transfer=transfer)
        before = snapshot(case)
        case.lead = lead
        case.save(update_fields=["lead"])
        audit_update(actor, case, before)
    return case


def _lead_for(school: School, lead: User | None, errors: dict[str, str]) -> User | None:
    """The lead at the new school: the one given, else the one brugfiguur who serves that school."""
    if lead is not None:
        if not is_brugfiguur_of(lead, school.region_id):
            errors["to_lead"] = _("Choose a bridge figure of this region.")
        return lead
    serving = [
        member.user
        for member in PoolMember.objects.filter(region_id=school.region_id, active=True, schools=school)
        .select_related("user")
        if is_brugfiguur_of(member.user, school.region_id)
    ]
    if len(serving) == 1:
        return serving[0]
    errors["to_lead"] = (
        _("No bridge figure serves this school: choose who leads the case.")
        if not serving
        else _("Several bridge figures serve this school: choose who leads the case.")
    )
    return None


def case_transfer(
    *, actor: Actor, case: Case, to_school: School | None, note: str, to_lead: User | None = None
) -> Case:
    """Pupil mobility. To a school of the region: the case moves to the brugfiguur of that school
    (or `to_lead`) with a handover note, and the old school's referral shows as closed to its
    referrer. Out of the region (`to_school` None): the case is closed as moved away. Either way every
    share of the case ends with it (`sharing.end_case_shares`)."""
    with transaction.atomic():
        case = locked(case)
        require(actor, Action.VIEW, case)
        require_open(case)
        require(actor, Action.CREATE, CaseTransfer(case=case))
        errors: dict[str, str] = {}
        note = require_text(errors, "note", note)
        lead: User | None = None
        if to_school is not None:
            if to_school.region_id != case.region_id:
                errors["to_school"] = _("Choose a school of this region.")
            elif to_school.pk == case.school_id:
                errors["to_school"] = _("The case is already at this school.")
            else:
                lead = _lead_for(to_school, to_lead, errors)
        transfer = _transfer(actor, case, to_school=to_school, to_lead=lead, note=note)
        raise_if(errors)
        transfer.save()
        audit_create(actor, transfer)
        end_case_shares(actor=actor, case=case, because="transfer", transfer=transfer)
        before = snapshot(case)
        if to_school is None:
            case.status = CaseStatus.CLOSED
            case.closed_on = today()
            case.close_reason = CloseReason.MOVED_AWAY
            case.outcome = case.outcome or note
        else:
            assert lead is not None  # `_lead_for` gave one, or it set an error that raise_if raised
            case.school = to_school
            case.lead = lead
        case.save()
        audit_update(actor, case, before, extra={"transfer": transfer.pk})
        if to_school is not None:
            person = case.young_person
            person_before = snapshot(person)
            person.school = to_school
            person.save(update_fields=["school"])
            audit_update(actor, person, person_before)
        # The referring school sees its referral as closed: the case is no longer theirs.
        _referral_status(
            actor, case, ReferralStatus.CLOSED,
            only_if=lambda r: to_school is None or r.school_id != to_school.pk,
        )
    return case


def case_close(
    *, actor: Actor, case: Case, reason: str, outcome: str, closing_contact: Mapping[str, Any]
) -> Case:
    """Close with a reason and an outcome. `closing_contact` is the closing contact moment
    (the arguments of `contact_register`: contact_type, occurred_at, duration_minutes, ...),
    registered on the case just before it closes."""
    with transaction.atomic():
        case = locked(case)
        require(actor, Action.VIEW, case)
        require_open(case)
        require(actor, Action.CHANGE, case)
        errors: dict[str, str] = {}
        if reason not in CloseReason.values:
            errors["reason"] = _("Choose why the case closes.")
        outcome = require_text(errors, "outcome", outcome)
        contact = None
        try:
            # Closing is a change to the case: whoever may close it (the coordinator too) registers
            # its closing contact.
            contact = build_contact(
                actor=actor, region=None, case=case, authorised=True, **dict(closing_contact)
            )
        except ValidationError as exc:
            errors["closing_contact"] = " ".join(exc.messages)
        except TypeError as exc:
            raise ValueError(f"closing_contact: {exc}") from exc
        raise_if(errors)
        assert contact is not None
        contact.save()
        audit_create(actor, contact, hide=("note",) if contact.note_private else ())
        before = snapshot(case)
        case.status = CaseStatus.CLOSED
        case.closed_on = max(today(), case.opened_on)
        case.close_reason = reason
        case.outcome = outcome
        case.save()
        audit_update(actor, case, before, extra={"closing_contact": contact.pk})
        _referral_status(actor, case, ReferralStatus.CLOSED)
    return case


def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    """Reopen a closed case, explicitly and with a reason: by its lead or the coordinator."""
    with transaction.atomic():
        case = locked(case)
        require(actor, Action.VIEW, case)
        if case.status == CaseStatus.OPEN:
            raise ValidationError(_("This case is open already."), code="open")
        require(actor, Action.CHANGE, case)
        errors: dict[str, str] = {}
        reason = require_text(errors, "reason", reason)
        if Case.objects.filter(young_person_id=case.young_person_id, status=CaseStatus.OPEN).exists():
            errors["reason"] = _("This young person has another open case: continue in that one.")
        raise_if(errors)
        before = snapshot(case)
        case.status = CaseStatus.OPEN
        case.closed_on = None
        case.close_reason = ""
        case.outcome = ""
        case.reopened_count += 1
        case.save()
        audit_update(actor, case, before, extra={"reopen_reason": reason})
        _referral_status(
            actor, case, ReferralStatus.IN_PROGRESS,
            only_if=lambda r: r.school_id is None or r.school_id == case.school_id,
        )
    return case

