"""Casework: referrals in (aanmeldingen), the case file of a young person (trajectory, help questions
per life domain, goals, agreed actions, family), contact moments (also low-threshold ones without a
file), consent per recipient and purpose, referrals out to partners with their feedback, sharing
within the pool, and transfers between schools. The brugfiguur's agenda is `brugwerk.agenda`.

Every record reaches exactly one region (directly or through its case); who may see or change what
is decided by `brugwerk.access` (see docs/access.md), and every write goes through `cases.services`.
"""

from brugwerk.cases.models.casefile import (
    DEFAULT_LIFE_DOMAINS,
    AgreedAction,
    Case,
    CaseShare,
    CaseShareQuerySet,
    CaseStatus,
    CaseTransfer,
    CloseReason,
    FamilyMember,
    Goal,
    GoalStatus,
    HelpQuestion,
    HelpQuestionStatus,
    LifeDomain,
    Relation,
    ShareKind,
    YoungPerson,
)
from brugwerk.cases.models.contacts import ContactMoment, ContactType, ContactWith
from brugwerk.cases.models.personal import SavedFilter
from brugwerk.cases.models.referrals import (
    CONSENT_AGE,
    OPEN_REFERRAL_STATUSES,
    SHAREABLE_FIELDS,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    FeedbackStatus,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
    ReferralSource,
    ReferralStatus,
    ShareableField,
    Urgency,
    age_on,
)
from brugwerk.cases.models.settings import CaseworkSettings

__all__ = [
    "CONSENT_AGE",
    "DEFAULT_LIFE_DOMAINS",
    "OPEN_REFERRAL_STATUSES",
    "SHAREABLE_FIELDS",
    "AgreedAction",
    "Case",
    "CaseShare",
    "CaseworkSettings",
    "CaseShareQuerySet",
    "CaseStatus",
    "CaseTransfer",
    "CloseReason",
    "Consent",
    "ConsentGiver",
    "ConsentMethod",
    "ConsentPurpose",
    "ContactMoment",
    "ContactType",
    "ContactWith",
    "FamilyMember",
    "FeedbackStatus",
    "Goal",
    "GoalStatus",
    "HelpQuestion",
    "HelpQuestionStatus",
    "LifeDomain",
    "Referral",
    "ReferralFeedback",
    "ReferralOut",
    "ReferralOutStatus",
    "ReferralSource",
    "ReferralStatus",
    "SavedFilter",
    "Relation",
    "ShareKind",
    "ShareableField",
    "Urgency",
    "YoungPerson",
    "age_on",
]
