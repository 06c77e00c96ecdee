"""Reads of casework. Every selector takes the `user` and starts from `access.scope`, so it returns
only what that user may see; lists run a fixed number of queries, however much data there is.

Two kinds of people see casework without seeing case files: a referrer sees the status of their
referrals (`referrals_of_referrer`), a partner sees the referrals addressed to their organisation
with exactly the snapshot the consent covered (`partner_referrals`), and, once that consent is
withdrawn, nothing of them any more. Private contact notes are readable by their author only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from brugwerk.access import Action, can, get_object_or_404, may, schools_of, scope, where
from brugwerk.accounts.models import User
from brugwerk.audit.reads import record_read
from brugwerk.cases.models import (
    OPEN_REFERRAL_STATUSES,
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    Consent,
    ContactMoment,
    Goal,
    HelpQuestion,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
    ReferralSource,
    ReferralStatus,
    ShareableField,
    Urgency,
    YoungPerson,
)
from brugwerk.cases.selectors.settings import casework_settings
from brugwerk.core.dates import start_of, subtract_working_days, working_days_between
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School, Zone, ZoneMembership

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _feedback_due_before(region: Region, today: datetime.date) -> datetime.datetime:
    """Referrals sent before this moment are overdue when they have had no feedback yet."""
    days = casework_settings(region=region).feedback_reminder_working_days
    return start_of(subtract_working_days(today, days))


# --- Young people and cases -------------------------------------------------------------------------


def possible_duplicates(
    *, user: User, region: Region, first_name: str, last_name: str, birth_date: datetime.date | None
) -> QuerySet[YoungPerson]:
    """Young people of the region the user may see with the same name and date of birth: shown
    before a new young person is created, never a reason to refuse."""
    if not birth_date or not (first_name or "").strip() or not (last_name or "").strip():
        return YoungPerson.objects.none()
    return (
        scope(user, YoungPerson)
        .filter(
            region=region,
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            birth_date=birth_date,
        )
        .select_related("school")
    )


def cases_visible_to(
    *, user: User, region: Region, status: str | None = None, query: str = ""
) -> QuerySet[Case]:
    """The cases of `region` the user may see, searchable by the young person's name and the school."""
    cases = scope(user, Case).filter(region=region)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    for word in (query or "").split()[:5]:
        cases = cases.filter(
            Q(young_person__first_name__icontains=word)
            | Q(young_person__last_name__icontains=word)
            | Q(school__name__icontains=word)
        )
    return cases.select_related("young_person", "school", "lead").order_by(
        "young_person__last_name", "young_person__first_name", "-opened_on"
    )


def case_file_get(*, user: User, pk: Any) -> Case:
    """One case file, recorded in the audit trail as read by `user`."""
    case = get_object_or_404(
        user,
        Case.objects.select_related(
            "region", "region__casework_settings", "young_person", "young_person__school",
            "young_person__municipality", "school", "lead",
        ),
        Action.VIEW,
        pk=pk,
    )
    record_read(user=user, subject=case)
    return case


# --- Contact moments and private notes ------------------------------------------------------------


def contact_note_visible(*, user: User, contact: ContactMoment) -> bool:
    """A private note is readable by its author only; other notes by whoever sees the contact."""
    if not can(user, Action.VIEW, contact):
        return False
    return not contact.note_private or contact.brugfiguur_id == user.pk


class VisibleNote(TypedDict):
    """What `_with_visible_notes` adds to each contact."""

    visible_note: str
    note_hidden: int  # 1 for somebody else's private note


def _with_visible_notes(
    contacts: QuerySet[ContactMoment], user: User
) -> QuerySet[WithAnnotations[ContactMoment, VisibleNote]]:
    """`visible_note` holds the note, or "" for somebody else's private note; the note itself is not
    even read from the database (templates show `visible_note`)."""
    hidden = Q(note_private=True) & ~Q(brugfiguur_id=user.pk)
    return contacts.defer("note").annotate(
        visible_note=CaseWhen(When(hidden, then=Value("")), default=F("note"), output_field=CharField()),
        note_hidden=CaseWhen(When(hidden, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )


def contacts_visible_to(
    *, user: User, region: Region, case: Case | None = None, without_case: bool = False
) -> QuerySet[ContactMoment]:
    """Contacts of the region the user may see (of one case, or only the low-threshold ones),
    newest first, with private notes of others blanked."""
    contacts = scope(user, ContactMoment).filter(region=region)
    if case is not None:
        contacts = contacts.filter(case=case)
    elif without_case:
        contacts = contacts.filter(case__isnull=True)
    contacts = contacts.select_related("brugfiguur", "life_domain", "school").order_by("-occurred_at", "-pk")
    return _with_visible_notes(contacts, user)


# --- The timeline of a case -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    kind: str  # opened, closed, contact, help_question, goal, action, action_done, consent,
    # consent_withdrawn, referral_out, feedback, share, share_revoked, transfer
    record: Any
    note: str = ""  # a contact's note as the user may read it


def case_timeline(*, user: User, case: Case) -> list[TimelineItem]:
    """Everything that happened in a case, newest first. Private notes of others are left out."""
    if not scope(user, Case).filter(pk=case.pk).exists():
        raise Http404
    items: list[TimelineItem] = [TimelineItem(start_of(case.opened_on), "opened", case)]
    if case.closed_on:
        items.append(TimelineItem(start_of(case.closed_on), "closed", case))
    for contact in _with_visible_notes(
        scope(user, ContactMoment).filter(case=case).select_related("brugfiguur", "life_domain"), user
    ):
        items.append(TimelineItem(contact.occurred_at, "contact", contact, contact.visible_note))
    for question in scope(user, HelpQuestion).filter(case=case).select_related("life_domain"):
        items.append(TimelineItem(question.created_at, "help_question", question))
    for goal in scope(user, Goal).filter(case=case):
        items.append(TimelineItem(start_of(goal.start_date), "goal", goal))
    for action in scope(user, AgreedAction).filter(case=case).select_related("owner_user", "goal"):
        items.append(TimelineItem(action.created_at, "action", action))
        if action.done_at:
            items.append(TimelineItem(action.done_at, "action_done", action))
    for consent in scope(user, Consent).filter(case=case).select_related("organisation", "recorded_by"):
        items.append(TimelineItem(start_of(consent.given_on), "consent", consent))
        if consent.withdrawn_at:
            items.append(TimelineItem(consent.withdrawn_at, "consent_withdrawn", consent))
    for referral in scope(user, ReferralOut).filter(case=case).select_related(
        "organisation", "contact_point", "sent_by"
    ):
        items.append(TimelineItem(referral.sent_at, "referral_out", referral))
    for feedback in scope(user, ReferralFeedback).filter(referral_out__case=case).select_related(
        "referral_out__organisation", "given_by"
    ):
        items.append(TimelineItem(feedback.given_at, "feedback", feedback))
    for share in scope(user, CaseShare).filter(case=case).select_related("user", "granted_by"):
        items.append(TimelineItem(share.granted_at, "share", share))
        if share.revoked_at:
            items.append(TimelineItem(share.revoked_at, "share_revoked", share))
    for transfer in scope(user, CaseTransfer).filter(case=case).select_related(
        "from_school", "to_school", "from_lead", "to_lead", "transferred_by"
    ):
        items.append(TimelineItem(transfer.transferred_at, "transfer", transfer))
    return sorted(items, key=lambda item: (item.at, item.kind, item.record.pk), reverse=True)


# --- Triage and the pool ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    referral: Referral
    waiting_days: int


def waiting_list(
    *, user: User, region: Region, school: School | None = None, zone: Zone | None = None,
    today: datetime.date | None = None,
) -> list[WaitingItem]:
    """Referrals not yet decided on (received or queued), by priority, then urgency, then the longest
    waiting; for one school or one zone (its municipalities today) if asked."""
    today = today or timezone.localdate()
    referrals = scope(user, Referral).filter(region=region, status__in=OPEN_REFERRAL_STATUSES)
    if school is not None:
        referrals = referrals.filter(school=school)
    if zone is not None:
        in_zone = ZoneMembership.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=today),
            zone=zone,
            municipality_id=OuterRef("school__municipality_id"),
            valid_from__lte=today,
        )
        referrals = referrals.filter(Exists(in_zone))
    urgency = CaseWhen(
        When(urgency=Urgency.HIGH, then=Value(0)),
        When(urgency=Urgency.NORMAL, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    referrals = (
        referrals.select_related("school", "school__municipality", "organisation", "referred_by")
        .prefetch_related("life_domains")
        .annotate(urgency_rank=urgency)
        .order_by("-priority", "urgency_rank", "received_at", "pk")
    )
    return [
        WaitingItem(referral=r, waiting_days=(today - timezone.localdate(r.received_at)).days) for r in referrals
    ]


@dataclass(frozen=True)
class CaseloadRow:
    member: PoolMember
    open_cases: int
    cases_per_fte: Decimal


def caseload(*, user: User, region: Region) -> list[CaseloadRow]:
    """Open cases per active brugfiguur of the pool, and per FTE: for the coordinator the whole pool,
    for a brugfiguur their own row. One query."""
    members = scope(user, PoolMember).filter(region=region, active=True)
    if not may(user, "cases.view_caseload", region=region):
        members = members.filter(user_id=user.pk)
    open_cases = (
        scope(user, Case)
        .filter(region=region, status=CaseStatus.OPEN, lead_id=OuterRef("user_id"))
        .order_by()
        .values("lead_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    members = (
        members.annotate(open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), 0))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    return [
        CaseloadRow(
            member=m, open_cases=m.open_cases, cases_per_fte=(Decimal(m.open_cases) / m.fte).quantize(Decimal("0.1"))
        )
        for m in members
    ]


# --- Nudges -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReferral:
    referral_out: ReferralOut
    working_days: int  # since it was sent


def overdue_feedback(*, user: User, region: Region, today: datetime.date | None = None) -> list[OverdueReferral]:
    """Referrals out of the cases the user guides or coordinates that have had no feedback for more
    than the region's number of working days (Monday to Friday)."""
    today = today or timezone.localdate()
    referrals = (
        scope(user, ReferralOut)
        .filter(
            case__in=scope(user, Case).filter(region=region),
            status__in=[ReferralOutStatus.SENT, ReferralOutStatus.ACKNOWLEDGED],
            last_feedback_at__isnull=True,
            consent__withdrawn_at__isnull=True,
            sent_at__lt=_feedback_due_before(region, today),
        )
        .select_related("case__young_person", "case__lead", "organisation", "contact_point")
        .order_by("sent_at", "pk")
    )
    return [
        OverdueReferral(r, working_days_between(timezone.localdate(r.sent_at), today)) for r in referrals
    ]


def inactive_cases(*, user: User, region: Region, today: datetime.date | None = None) -> QuerySet[Case]:
    """Open cases the user sees without any contact for more than the region's number of days
    (counted from the opening when there was no contact yet); `last_contact_at` is annotated."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=casework_settings(region=region).inactivity_reminder_days)
    last_contact = ContactMoment.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return (
        scope(user, Case)
        .filter(region=region, status=CaseStatus.OPEN)
        .annotate(last_contact_at=Subquery(last_contact))
        .filter(
            Q(last_contact_at__lt=start_of(cutoff)) | Q(last_contact_at__isnull=True, opened_on__lt=cutoff)
        )
        .select_related("young_person", "school", "lead")
        .order_by(F("last_contact_at").asc(nulls_first=True), "opened_on", "pk")
    )


# --- What referrers and partners see ----------------------------------------------------------------


@dataclass(frozen=True)
class ReferralStatusRow:
    """A referral as its referrer sees it: what they sent and its status, nothing of the case."""

    pk: int
    pupil_first_name: str
    pupil_last_name: str
    school: str
    status: str
    status_label: str
    received_at: datetime.datetime
    decided_at: datetime.datetime | None
    refusal_reason: str


def referrals_of_referrer(*, user: User) -> list[ReferralStatusRow]:
    """The referrals the user made, and, for a school contact, those their school made."""
    mine = Q(referred_by_id=getattr(user, "pk", None)) | Q(source=ReferralSource.SCHOOL, school_id__in=schools_of(user))
    labels = dict(ReferralStatus.choices)
    rows = (
        scope(user, Referral)
        .filter(mine)
        .order_by("-received_at", "-pk")
        .values_list(
            "pk", "pupil_first_name", "pupil_last_name", "school__name", "status", "received_at", "decided_at",
            "refusal_reason",
        )
    )
    return [
        ReferralStatusRow(pk, first, last, school or "", status, str(labels[status]), received, decided, refusal)
        for pk, first, last, school, status, received, decided, refusal in rows
    ]


@dataclass(frozen=True)
class PartnerFeedback:
    status_label: str
    note: str
    given_at: datetime.datetime


@dataclass(frozen=True)
class PartnerReferral:
    """A referral out as the receiving partner sees it: the question and the consented snapshot."""

    pk: int
    organisation: str
    contact_point: str
    sent_by: str
    question: str
    shared: dict[str, Any]  # the snapshot: exactly the consented fields as they were when sent
    shared_labels: list[str]
    status: str
    status_label: str
    sent_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    last_feedback_at: datetime.datetime | None
    feedback_overdue: bool
    feedback: list[PartnerFeedback] = field(default_factory=list)


def _partner_rows(user: User, **lookup: Any) -> list[PartnerReferral]:
    addressed = where(user, "cases.view_partner_inbox")  # to their organisation, while consent stands
    referrals = list(
        scope(user, ReferralOut)
        .filter(addressed, consent__withdrawn_at__isnull=True, **lookup)
        .select_related("organisation", "contact_point", "sent_by", "case__region", "case__region__casework_settings")
        .order_by("-sent_at", "-pk")
    )
    feedback: dict[int, list[PartnerFeedback]] = {}
    labels = dict(ReferralOutStatus.choices)
    for referral_id, status, note, given_at in (
        ReferralFeedback.objects.filter(referral_out__in=[r.pk for r in referrals])
        .order_by("given_at", "pk")
        .values_list("referral_out_id", "status", "note", "given_at")
    ):
        feedback.setdefault(referral_id, []).append(PartnerFeedback(str(labels[status]), note, given_at))
    today = timezone.localdate()
    return [partner_row(r, feedback=feedback.get(r.pk, []), today=today) for r in referrals]


def partner_row(r: ReferralOut, *, feedback: list[PartnerFeedback], today: datetime.date) -> PartnerReferral:
    """One referral out as its partner sees it: exactly its question and its snapshot. The partner's
    pages and the sender's preview of an unsent referral both show this (and nothing else of it)."""
    field_labels = dict(ShareableField.choices)
    return PartnerReferral(
        pk=r.pk,
        organisation=r.organisation.name,
        contact_point=r.contact_point.person_name if r.contact_point else "",
        sent_by=str(r.sent_by),
        question=r.question,
        shared=dict(r.shared_snapshot),
        shared_labels=[str(field_labels.get(name, name)) for name in r.shared_fields],
        status=r.status,
        status_label=str(dict(ReferralOutStatus.choices)[r.status]),
        sent_at=r.sent_at,
        acknowledged_at=r.acknowledged_at,
        last_feedback_at=r.last_feedback_at,
        feedback_overdue=r.last_feedback_at is None
        and r.status in (ReferralOutStatus.SENT, ReferralOutStatus.ACKNOWLEDGED)
        and r.sent_at < _feedback_due_before(r.case.region, today),
        feedback=feedback,
    )


def partner_referrals(*, user: User) -> list[PartnerReferral]:
    """The referrals addressed to the partner's organisation(s) whose consent stands."""
    return _partner_rows(user)


def partner_referral_get(*, user: User, referral_out_id: Any) -> PartnerReferral:
    try:
        pk = int(referral_out_id)
    except (TypeError, ValueError):
        raise Http404 from None
    rows = _partner_rows(user, pk=pk)
    if not rows:
        raise Http404
    return rows[0]
