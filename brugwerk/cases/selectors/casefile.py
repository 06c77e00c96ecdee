"""Reads of casework for the case file: everything of one case the user may see, gathered in a fixed
number of queries however long the case runs, and what the user may do with it (the buttons).

The sections (help questions, goals, actions, consents, referrals out, shares, transfers) are taken
from the records `case_timeline` already read, so the page reads each kind of record only once; only
the family is read separately (it belongs to the young person, not to the case)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils import timezone

from brugwerk.access import Action, can, get_object_or_404, scope
from brugwerk.audit.reads import on_page, record_read
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    Consent,
    ConsentPurpose,
    ContactWith,
    FamilyMember,
    Goal,
    HelpQuestion,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
    Relation,
    ShareableField,
    YoungPerson,
    age_on,
)
from brugwerk.cases.selectors import TimelineItem, case_timeline
from brugwerk.cases.selectors.settings import casework_settings
from brugwerk.core.dates import subtract_working_days

if TYPE_CHECKING:
    from brugwerk.accounts.models import User

WAITING_FOR_FEEDBACK = (ReferralOutStatus.SENT, ReferralOutStatus.ACKNOWLEDGED)
RECENT_EVENTS = 20  # the timeline shows these at once, the older ones folded away


@dataclass(frozen=True)
class CaseFilePermissions:
    """What the user may do with the case file; the template only shows the buttons these allow."""

    write: bool = False  # add to and change the content: contacts, help questions, goals, actions, family, ...
    change_young_person: bool = False
    close: bool = False
    reopen: bool = False
    manage: bool = False  # assign another lead, transfer, share
    revoke_shares: bool = False
    withdraw_consents: bool = False
    export: bool = False


@dataclass(frozen=True)
class HelpQuestionGroup:
    life_domain: Any
    questions: list[HelpQuestion]


@dataclass
class CaseFile:
    case: Case
    today: datetime.date
    age: int | None
    family: list[FamilyMember]
    help_questions: list[HelpQuestionGroup]
    goals: list[Goal]  # each with `agreed_actions`
    loose_actions: list[AgreedAction]  # actions not tied to a goal
    consents: list[Consent]  # each with `shared_labels`
    referrals_out: list[ReferralOut]  # each with `feedback_list`, `feedback_overdue`, `consent_withdrawn`
    shares: list[CaseShare]  # each with `active`
    transfers: list[CaseTransfer]
    timeline: list[TimelineItem]
    permissions: CaseFilePermissions = field(default_factory=CaseFilePermissions)

    @property
    def overdue_actions(self) -> int:
        actions = [a for goal in self.goals for a in goal.agreed_actions] + self.loose_actions
        return sum(1 for action in actions if action.overdue)

    @property
    def recent_timeline(self) -> list[TimelineItem]:
        return self.timeline[:RECENT_EVENTS]

    @property
    def older_timeline(self) -> list[TimelineItem]:
        return self.timeline[RECENT_EVENTS:]

    @property
    def last_contact(self) -> TimelineItem | None:
        return next((item for item in self.timeline if item.kind == "contact"), None)


def _records(timeline: list[TimelineItem], kind: str) -> list[Any]:
    return [item.record for item in timeline if item.kind == kind]


def _action_order(action: AgreedAction) -> tuple:
    """Open actions first, the ones due soonest on top; done ones last."""
    return (action.done_at is not None, action.due_date or datetime.date.max, action.pk)


def case_file(*, user: User, case: Case, today: datetime.date | None = None) -> CaseFile:
    """The whole case file of `case` as `user` may see it. `case` comes from `case_file_get` (which
    checked the access and recorded the view). Private notes of others are blank in the timeline."""
    today = today or timezone.localdate()
    timeline = case_timeline(user=user, case=case)
    labels = dict(ContactWith.choices)
    for contact in _records(timeline, "contact"):
        contact.with_whom_labels = [str(labels.get(code, code)) for code in contact.with_whom or []]

    questions = sorted(_records(timeline, "help_question"), key=lambda q: (q.life_domain.position, q.life_domain.name,
                                                                         q.created_at, q.pk))
    groups = [
        HelpQuestionGroup(domain, list(items))
        for domain, items in groupby(questions, key=lambda q: q.life_domain)
    ]

    actions = sorted(_records(timeline, "action"), key=_action_order)
    for action in actions:
        action.overdue = action.done_at is None and action.due_date is not None and action.due_date < today
    goals = sorted(_records(timeline, "goal"), key=lambda g: (g.start_date, g.pk))
    for goal in goals:
        goal.agreed_actions = [a for a in actions if a.goal_id == goal.pk]

    field_labels = dict(ShareableField.choices)
    consents = sorted(_records(timeline, "consent"), key=lambda c: (c.withdrawn_at is not None, c.given_on, c.pk))
    for consent in consents:
        consent.shared_labels = [str(field_labels.get(name, name)) for name in consent.shared_fields]
    consents_by_pk = {consent.pk: consent for consent in consents}

    feedback: dict[int, list[ReferralFeedback]] = {}
    for item in sorted(_records(timeline, "feedback"), key=lambda f: (f.given_at, f.pk)):
        feedback.setdefault(item.referral_out_id, []).append(item)
    due_before = timezone.make_aware(
        datetime.datetime.combine(
            subtract_working_days(today, casework_settings(region=case.region).feedback_reminder_working_days),
            datetime.time.min,
        )
    )
    referrals = sorted(_records(timeline, "referral_out"), key=lambda r: (r.sent_at, r.pk), reverse=True)
    for referral in referrals:
        consent = consents_by_pk.get(referral.consent_id)
        referral.consent_withdrawn = consent is not None and consent.withdrawn_at is not None
        referral.feedback_list = feedback.get(referral.pk, [])
        referral.feedback_overdue = (
            referral.last_feedback_at is None
            and referral.status in WAITING_FOR_FEEDBACK
            and not referral.consent_withdrawn
            and referral.sent_at < due_before
        )

    shares = sorted(_records(timeline, "share"), key=lambda s: (s.starts_on, s.pk))
    for share in shares:
        share.active = share.is_active_on(today)

    relations = list(Relation.values)  # parents and guardians first, then siblings, then others
    family = sorted(
        scope(user, FamilyMember).filter(young_person_id=case.young_person_id),
        key=lambda member: (relations.index(member.relation) if member.relation in relations else 99, member.name),
    )
    birth_date = case.young_person.birth_date
    result = CaseFile(
        case=case,
        today=today,
        age=age_on(birth_date, today) if birth_date else None,
        family=family,
        help_questions=groups,
        goals=goals,
        loose_actions=[a for a in actions if a.goal_id is None],
        consents=consents,
        referrals_out=referrals,
        shares=shares,
        transfers=sorted(_records(timeline, "transfer"), key=lambda t: (t.transferred_at, t.pk), reverse=True),
        timeline=timeline,
    )
    result.permissions = case_file_permissions(user=user, case=case, file=result)
    return result


def case_file_permissions(*, user: User, case: Case, file: CaseFile | None = None) -> CaseFilePermissions:
    """What `user` may do with the case, asked of the access policy once per kind of thing (every
    record of one kind in a case follows the same rule, so the answer does not grow with the case).
    A closed case is read-only: only reopening and withdrawing a consent stay possible."""
    is_open = case.is_open
    change_case = can(user, Action.CHANGE, case)
    standing = [c for c in (file.consents if file else []) if c.withdrawn_at is None]
    standing_share = next((s for s in (file.shares if file else []) if s.revoked_at is None), None)
    return CaseFilePermissions(
        write=is_open and can(user, Action.CREATE, Goal(case=case)),
        change_young_person=is_open and can(user, Action.CHANGE, case.young_person),
        close=is_open and change_case,
        reopen=not is_open and change_case,
        manage=is_open and can(user, Action.CREATE, CaseTransfer(case=case)),
        revoke_shares=standing_share is not None and can(user, Action.CHANGE, standing_share),
        withdraw_consents=bool(standing) and can(user, Action.CHANGE, standing[0]),
        export=any(c.purpose == ConsentPurpose.HANDOVER_SUMMARY for c in standing)
        and can(user, Action.EXPORT, case),
    )


# --- The edit pages of the case file --------------------------------------------------------------
# Each returns the record an edit page shows and records its read for the page, naming the case.


def young_person_for_page(*, user: User, case: Case) -> YoungPerson:
    """The young person of `case`, to change (404 when the user may not)."""
    person = get_object_or_404(user, YoungPerson, Action.CHANGE, pk=case.young_person_id)
    record_read(user=user, subject=person, details=on_page(case=case.pk))
    return person


def family_member_for_page(*, user: User, pk: Any) -> tuple[FamilyMember, Case]:
    """A family member the user sees, and the case their page belongs to: the young person's open
    case the user sees, else their latest one (404 when there is none)."""
    member = get_object_or_404(user, FamilyMember, Action.VIEW, pk=pk)
    cases = scope(user, Case).filter(young_person_id=member.young_person_id).select_related("region", "young_person")
    case = cases.filter(status=CaseStatus.OPEN).first() or cases.order_by("-opened_on", "-pk").first()
    if case is None:
        raise Http404
    record_read(user=user, subject=member, details=on_page(case=case.pk))
    return member, case


def help_question_for_page(*, user: User, pk: Any) -> HelpQuestion:
    question = get_object_or_404(
        user, HelpQuestion.objects.select_related("case__region", "case__young_person"), Action.VIEW, pk=pk
    )
    record_read(user=user, subject=question, details=on_page(case=question.case_id))
    return question


def goal_for_page(*, user: User, pk: Any) -> Goal:
    goal = get_object_or_404(
        user, Goal.objects.select_related("case__region", "case__young_person"), Action.VIEW, pk=pk
    )
    record_read(user=user, subject=goal, details=on_page(case=goal.case_id))
    return goal
