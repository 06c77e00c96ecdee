"""Every write to casework. Each service takes keyword arguments only, with the `actor` first; asks
the access policy (PermissionDenied when it says no); validates (ValidationError with translatable
messages, per field where there is one); writes; and records the audit entry in the same
transaction. Modules: referrals (in, and triage), casefile (young person, family, help questions,
goals, actions, life domains), contacts, lifecycle (lead, transfer, close, reopen), sharing,
handover (consent, referrals out, feedback, handover summary; `disclosure` finds a case's data in
the free text a partner reads). The agenda's services are `brugwerk.agenda.services`."""

from brugwerk.cases.services.casefile import (
    action_add,
    action_complete,
    family_member_add,
    family_member_update,
    goal_add,
    goal_update,
    help_question_add,
    help_question_update,
    young_person_create,
    young_person_update,
)
from brugwerk.cases.services.contacts import contact_register, low_threshold_convert_to_case
from brugwerk.cases.services.handover import (
    build_snapshot,
    case_handover_export,
    consent_record,
    consent_withdraw,
    referral_feedback_give,
    referral_out_acknowledge,
    referral_out_prepare,
    referral_out_send,
)
from brugwerk.cases.services.lifecycle import case_assign_lead, case_close, case_reopen, case_transfer
from brugwerk.cases.services.referrals import (
    ReferralCreated,
    referral_accept,
    referral_create,
    referral_queue,
    referral_refuse,
)
from brugwerk.cases.services.sharing import case_share_grant, case_share_revoke, end_case_shares

__all__ = [
    "ReferralCreated",
    "action_add",
    "action_complete",
    "build_snapshot",
    "case_assign_lead",
    "case_close",
    "case_handover_export",
    "case_reopen",
    "case_share_grant",
    "case_share_revoke",
    "case_transfer",
    "consent_record",
    "consent_withdraw",
    "contact_register",
    "end_case_shares",
    "family_member_add",
    "family_member_update",
    "goal_add",
    "goal_update",
    "help_question_add",
    "help_question_update",
    "low_threshold_convert_to_case",
    "referral_accept",
    "referral_create",
    "referral_feedback_give",
    "referral_out_acknowledge",
    "referral_out_prepare",
    "referral_out_send",
    "referral_queue",
    "referral_refuse",
    "young_person_create",
    "young_person_update",
]
