"""What leaves a case: consent per recipient and purpose, referrals out to a partner's contact point
(sharing only what the consent covers, as a snapshot taken when sent, and a question that holds
nothing more), the partner's acknowledgement and feedback, and the handover summary. Nothing leaves a
case without a consent that covers it, and a withdrawn consent stops all further sharing at once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, audit_create, audit_update, locked_for, record, save_created, snapshot
from brugwerk.cases.models import (
    CONSENT_AGE,
    SHAREABLE_FIELDS,
    Case,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    FeedbackStatus,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
    ShareableField,
    age_on,
)
from brugwerk.cases.services.checks import require_case_content_write
from brugwerk.cases.services.disclosure import fields_disclosed_by
from brugwerk.core.services import full_clean, locked, raise_if, require_text, text, today
from brugwerk.network.models import ContactPoint, PartnerOrganisation


def _field_list(errors: dict[str, str], name: str, fields: Iterable[str]) -> list[str]:
    """The chosen fields, in the vocabulary's order; an error for anything outside it."""
    chosen = set(fields or ())
    if chosen - set(SHAREABLE_FIELDS):
        errors[name] = _("Choose only from the list of what can be shared.")
    return [field for field in SHAREABLE_FIELDS if field in chosen]


def _labels(fields: Iterable[str]) -> str:
    names = dict(ShareableField.choices)
    return ", ".join(str(names[field]) for field in fields)


# --- Consent -----------------------------------------------------------------------------------------


def consent_record(
    *,
    actor: Actor,
    case: Case,
    organisation: PartnerOrganisation,
    purpose: str,
    shared_fields: Iterable[str],
    given_by: str,
    given_on: datetime.date,
    method: str,
    given_by_name: str = "",
) -> Consent:
    """Record that `given_by` agreed that `organisation` may receive `shared_fields` of this case
    for `purpose`. A young person of 12 or older is presumed able to consent for themselves; for a
    younger child a parent or guardian consents."""
    consent = Consent(
        case=case, organisation=organisation, purpose=purpose, given_by=given_by, given_on=given_on,
        method=method, given_by_name=text(given_by_name), recorded_by=actor.user,
    )
    require_case_content_write(actor, consent, case)
    errors: dict[str, str] = {}
    consent.shared_fields = _field_list(errors, "shared_fields", shared_fields)
    if not consent.shared_fields and "shared_fields" not in errors:
        errors["shared_fields"] = _("Choose what may be shared.")
    if organisation is None or organisation.region_id != case.region_id:
        errors["organisation"] = _("Choose a partner organisation of this region.")
    if isinstance(given_on, datetime.date) and given_on > today():
        errors["given_on"] = _("Consent cannot be given in the future.")
    person = case.young_person
    if given_by == ConsentGiver.YOUNG_PERSON and isinstance(given_on, datetime.date):
        if person.birth_date is None:
            errors["given_by"] = _(
                "The young person's date of birth is not known, so it cannot be presumed that they can "
                "consent for themselves. Fill in their date of birth, or record the consent of a parent or "
                "guardian."
            )
        elif age_on(person.birth_date, given_on) < CONSENT_AGE:
            errors["given_by"] = _(
                "A child under %(age)d cannot consent for themselves: a parent or guardian must give consent."
            ) % {"age": CONSENT_AGE}
        consent.given_by_name = consent.given_by_name or str(person)
    elif given_by in (ConsentGiver.PARENT, ConsentGiver.GUARDIAN) and not consent.given_by_name:
        errors["given_by_name"] = _("Give the name of the parent or guardian who consented.")
    save_created(actor, consent, errors)
    return consent


def consent_withdraw(*, actor: Actor, consent: Consent) -> Consent:
    """From this moment nothing more is shared under this consent, and the partner no longer sees
    what was shared under it. Possible on a closed case too."""
    with transaction.atomic():
        consent = locked_for(actor, consent)
        if consent.withdrawn_at is not None:
            raise ValidationError(_("This consent has been withdrawn already."), code="withdrawn")
        before = snapshot(consent)
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor.user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_update(actor, consent, before)
    return consent


def _require_consent(errors: dict[str, str], consent: Consent | None, case: Case, purpose: str,
                     organisation: PartnerOrganisation | None, fields: list[str]) -> None:
    """The consent covers this case, this recipient, this purpose and every field, and stands."""
    if consent is None or consent.case_id != case.pk:
        errors["consent"] = _("Choose a consent of this case.")
    elif consent.withdrawn_at is not None:
        errors["consent"] = _("This consent has been withdrawn: nothing can be shared under it any more.")
    elif consent.purpose != purpose:
        errors["consent"] = _("This consent is for another purpose.")
    elif organisation is not None and consent.organisation_id != organisation.pk:
        errors["consent"] = _("This consent is for another organisation.")
    else:
        uncovered = [field for field in fields if field not in consent.shared_fields]
        if uncovered:
            errors["shared_fields"] = _("The consent does not cover: %(fields)s.") % {"fields": _labels(uncovered)}


# --- What is shared ---------------------------------------------------------------------------------


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def build_snapshot(case: Case, fields: Iterable[str]) -> dict[str, Any]:
    """The values of exactly `fields` of the case, now, as the recipient will see them."""
    person = case.young_person
    wanted = set(fields)
    values: dict[str, Any] = {}
    if ShareableField.FIRST_NAME in wanted:
        values["first_name"] = person.first_name
    if ShareableField.LAST_NAME in wanted:
        values["last_name"] = person.last_name
    if ShareableField.BIRTH_DATE in wanted:
        values["birth_date"] = _date(person.birth_date)
    if ShareableField.SCHOOL in wanted:
        school = case.school or person.school
        values["school"] = school.name if school else ""
    if ShareableField.GRADE in wanted:
        values["grade"] = {"grade": person.grade, "education_form": str(person.get_education_form_display())}
    if ShareableField.CONTACT_DETAILS in wanted:
        values["contact_details"] = {
            "phone": person.phone,
            "email": person.email,
            "street": person.street,
            "municipality": person.municipality.name if person.municipality else "",
        }
    if ShareableField.FAMILY in wanted:
        values["family"] = [
            {"relation": str(m.get_relation_display()), "name": m.name, "phone": m.phone, "email": m.email,
             "languages": m.languages, "needs_interpreter": m.needs_interpreter}
            for m in person.family.all()
        ]
    if ShareableField.HELP_QUESTIONS in wanted:
        values["help_questions"] = [
            {"life_domain": q.life_domain.name, "description": q.description, "status": str(q.get_status_display())}
            for q in case.help_questions.select_related("life_domain")
        ]
    if ShareableField.GOALS in wanted:
        values["goals"] = [
            {"description": g.description, "status": str(g.get_status_display()),
             "target_date": _date(g.target_date)}
            for g in case.goals.all()
        ]
    if ShareableField.SUMMARY in wanted:
        last = case.contacts.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
        values["summary"] = {
            "opened_on": _date(case.opened_on),
            "bridge_figure": str(case.lead),
            "life_domains": sorted({q.life_domain.name for q in case.help_questions.select_related("life_domain")}),
            "contacts": case.contacts.count(),
            "last_contact_on": date_format(timezone.localtime(last), "SHORT_DATE_FORMAT") if last else "",
        }
    return values


# --- Referrals out ----------------------------------------------------------------------------------


def free_text_errors(
    *, case: Case, consent: Consent | None, shared_fields: Iterable[str], texts: dict[str, str]
) -> dict[str, str]:
    """An error per free text (`texts`: form field -> text) that holds data the partner is not to
    receive with it: values of fields the consent does not cover, or that are not shared this time
    (`disclosure.fields_disclosed_by` decides). Empty when every text keeps to what is shared."""
    shared = list(shared_fields)
    covered = set(consent.shared_fields) if consent is not None else set()
    values = build_snapshot(case, SHAREABLE_FIELDS)
    errors: dict[str, str] = {}
    for name, value in texts.items():
        found = fields_disclosed_by(value, values=values, shared=shared)
        uncovered = [field for field in found if field not in covered]
        unshared = [field for field in found if field in covered]
        messages = []
        if uncovered:
            messages.append(
                _("The text holds data the consent does not cover: %(fields)s. Take it out of the text.")
                % {"fields": _labels(uncovered)}
            )
        if unshared:
            messages.append(
                _("The text holds data you do not share with this referral: %(fields)s. Take it out of the text, "
                  "or share it.")
                % {"fields": _labels(unshared)}
            )
        if messages:
            errors[name] = " ".join(messages)
    return errors


def _prepare(
    actor: Actor,
    *,
    case: Case,
    organisation: PartnerOrganisation,
    question: str,
    consent: Consent,
    shared_fields: Iterable[str],
    contact_point: ContactPoint | None,
) -> ReferralOut:
    """The referral out as it would be sent, checked and not saved (with the snapshot and the time)."""
    referral = ReferralOut(
        case=case, organisation=organisation, contact_point=contact_point, consent=consent,
        status=ReferralOutStatus.SENT, sent_by=actor.user,
    )
    require_case_content_write(actor, referral, case)
    errors: dict[str, str] = {}
    fields = _field_list(errors, "shared_fields", shared_fields)
    referral.question = "\n".join(require_text(errors, "question", question).splitlines())
    if organisation is None or organisation.region_id != case.region_id:
        errors["organisation"] = _("Choose a partner organisation of this region.")
    if contact_point is not None and organisation is not None and contact_point.organisation_id != organisation.pk:
        errors["contact_point"] = _("Choose a contact point of this organisation.")
    _require_consent(errors, consent, case, ConsentPurpose.REFERRAL, organisation, fields)
    if not errors:
        texts = {"question": referral.question}
        errors |= free_text_errors(case=case, consent=consent, shared_fields=fields, texts=texts)
    raise_if(errors)
    referral.consent = consent
    referral.shared_fields = fields
    referral.shared_snapshot = build_snapshot(case, fields)
    referral.sent_at = timezone.now()
    full_clean(referral)
    return referral


def referral_out_prepare(
    *,
    actor: Actor,
    case: Case,
    organisation: PartnerOrganisation,
    question: str,
    consent: Consent,
    shared_fields: Iterable[str],
    contact_point: ContactPoint | None = None,
) -> ReferralOut:
    """What `referral_out_send` would send, checked the same way, without sending or saving it: the
    page shows the brugfiguur the partner's view of it before they send."""
    return _prepare(
        actor, case=case, organisation=organisation, question=question, consent=consent,
        shared_fields=shared_fields, contact_point=contact_point,
    )


def referral_out_send(
    *,
    actor: Actor,
    case: Case,
    organisation: PartnerOrganisation,
    question: str,
    consent: Consent,
    shared_fields: Iterable[str],
    contact_point: ContactPoint | None = None,
) -> ReferralOut:
    """Refer the young person to `organisation` (its fixed `contact_point`), sharing `shared_fields`
    as they are now: the consent must be for this organisation and for referral, cover every field,
    and not be withdrawn; and the question (free text the partner reads) must hold no data of the
    young person beyond what is shared (`free_text_errors`)."""
    with transaction.atomic():
        consent = locked(consent) if consent is not None and consent.pk else consent
        referral = _prepare(
            actor, case=case, organisation=organisation, question=question, consent=consent,
            shared_fields=shared_fields, contact_point=contact_point,
        )
        referral.save()
        audit_create(actor, referral)
    return referral


def referral_out_acknowledge(*, actor: Actor, referral_out: ReferralOut) -> ReferralOut:
    """The partner confirms they received the referral."""
    with transaction.atomic():
        referral = locked_for(actor, referral_out)
        if referral.status != ReferralOutStatus.SENT:
            raise ValidationError(_("This referral has been acknowledged already."), code="acknowledged")
        before = snapshot(referral, ["status", "acknowledged_at", "acknowledged_by"])
        referral.status = ReferralOutStatus.ACKNOWLEDGED
        referral.acknowledged_at = timezone.now()
        referral.acknowledged_by = actor.user
        referral.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        audit_update(actor, referral, before)
    return referral


def referral_feedback_give(
    *, actor: Actor, referral_out: ReferralOut, status: str, note: str = ""
) -> ReferralFeedback:
    """The partner tells how it goes: started, on a waiting list, not possible (say why), ended."""
    with transaction.atomic():
        referral = locked(referral_out)
        require(actor, Action.VIEW, referral)
        feedback = ReferralFeedback(
            referral_out=referral, status=status, note=text(note), given_by=actor.user, given_at=timezone.now()
        )
        require(actor, Action.CREATE, feedback)
        errors: dict[str, str] = {}
        if referral.status == ReferralOutStatus.ENDED:
            errors["status"] = _("This referral has ended: no more feedback can be given.")
        if status == FeedbackStatus.NOT_POSSIBLE and not feedback.note:
            errors["note"] = _("Say briefly why it is not possible.")
        full_clean(feedback, errors)
        feedback.save()
        audit_create(actor, feedback)
        fields = ["status", "last_feedback_at", "acknowledged_at", "acknowledged_by"]
        before = snapshot(referral, fields)
        referral.status = status
        referral.last_feedback_at = feedback.given_at
        if referral.acknowledged_at is None:
            referral.acknowledged_at, referral.acknowledged_by = feedback.given_at, actor.user
        referral.save(update_fields=fields)
        audit_update(actor, referral, before)
    return feedback


def case_handover_export(*, actor: Actor, case: Case, consent: Consent) -> dict[str, Any]:
    """The handover summary when a young person leaves the region: only the fields a standing
    consent for a handover summary covers. Recorded as an export."""
    require(actor, Action.VIEW, case)
    require(actor, Action.EXPORT, case)
    with transaction.atomic():
        consent = locked(consent) if consent is not None and consent.pk else consent
        errors: dict[str, str] = {}
        _require_consent(errors, consent, case, ConsentPurpose.HANDOVER_SUMMARY, None, [])
        raise_if(errors)
        values = build_snapshot(case, consent.shared_fields)
        record(
            actor=actor,
            event=AuditEvent.EXPORT,
            subject=case,
            changes={"handover_summary": list(consent.shared_fields), "consent": consent.pk},
        )
    return {"organisation": str(consent.organisation), "fields": values}
