"""Kept for the branches that still import it: the casework factories live in
tests/cases/factories.py now. Import from there."""

from brugwerk.cases.models import Case
from tests import factories as f
from tests.cases.factories import (
    AgreedActionFactory,
    AppointmentFactory,
    CaseFactory,
    CaseShareFactory,
    CaseTransferFactory,
    ConsentFactory,
    ContactMomentFactory,
    FamilyMemberFactory,
    GoalFactory,
    HelpQuestionFactory,
    LifeDomainFactory,
    PresenceDayFactory,
    ReferralFactory,
    ReferralFeedbackFactory,
    ReferralOutFactory,
    YoungPersonFactory,
    casework_in,
    full_case,
    pool_serves,
    set_casework_settings,
    years_ago,
)

__all__ = [  # and, as the module had them, its `f` (tests.factories) and `Case`
    "Case",
    "f",
    "AgreedActionFactory",
    "AppointmentFactory",
    "CaseFactory",
    "CaseShareFactory",
    "CaseTransferFactory",
    "ConsentFactory",
    "ContactMomentFactory",
    "FamilyMemberFactory",
    "GoalFactory",
    "HelpQuestionFactory",
    "LifeDomainFactory",
    "PresenceDayFactory",
    "ReferralFactory",
    "ReferralFeedbackFactory",
    "ReferralOutFactory",
    "YoungPersonFactory",
    "casework_in",
    "full_case",
    "pool_serves",
    "set_casework_settings",
    "years_ago",
]
