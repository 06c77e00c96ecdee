"""Access rules of casework (see brugwerk/access for how rules work; docs/access.md).

Record-level rules. A brugfiguur's rights on a case come from leading it or from a share in force
today; a school contact's from their school, a partner's from their organisation. Each rule gives
one filter (a Q) per action; `can()` on a stored record asks that filter about the one record, so
`can()` and `scope()` cannot drift apart. CREATE is asked of an unsaved record carrying its case
(region-wide creation rights, such as a coordinator's, may also be asked of the record kind).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import ALL_ROLES, BRUGFIGUUR_ROLE, CASE_CREATORS, COORDINATOR_ROLE, FIGURES_ROLES, Role
from brugwerk.access.rules import EDITABLE_LIST, ConditionRule, Rule, in_regions, per_region, role_create
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    Consent,
    ContactMoment,
    FamilyMember,
    Goal,
    HelpQuestion,
    LifeDomain,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralSource,
    SavedFilter,
    YoungPerson,
)
from brugwerk.pool.rules import served_schools


class CaseTeam:
    """Who stands in which relation to a case, as filters on a path (`p`) that leads to the case:
    "" on Case itself, "case__" on its records. The other apps' rules use it for their records that
    link to a case."""

    @staticmethod
    def coordinator(principal: Principal, p: str) -> Q:
        return in_regions(principal, COORDINATOR_ROLE, f"{p}region")

    @staticmethod
    def lead(principal: Principal, p: str) -> Q:
        return in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(**{f"{p}lead_id": principal.user_id})

    @staticmethod
    def sharer(principal: Principal, p: str) -> Q:
        shared = CaseShare.objects.active_on(timezone.localdate()).filter(user_id=principal.id)
        return in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(
            **{f"{p}id__in": shared.values("case_id")}
        )

    @staticmethod
    def open(p: str) -> Q:
        return Q(**{f"{p}status": CaseStatus.OPEN})

    # The relations that grant something:
    @classmethod
    def view(cls, principal: Principal, p: str = "") -> Q:
        return cls.coordinator(principal, p) | cls.lead(principal, p) | cls.sharer(principal, p)

    @classmethod
    def change(cls, principal: Principal, p: str = "") -> Q:
        """The case itself: the coordinator and the lead always (closing, reopening, assigning),
        those it is shared with while it is open."""
        return cls.coordinator(principal, p) | cls.lead(principal, p) | (cls.sharer(principal, p) & cls.open(p))

    @classmethod
    def write(cls, principal: Principal, p: str = "") -> Q:
        """The content of a case (contacts, goals, help questions, ...): the guidance team, while open."""
        return (cls.lead(principal, p) | cls.sharer(principal, p)) & cls.open(p)

    @classmethod
    def manage(cls, principal: Principal, p: str = "") -> Q:
        """Sharing and transferring a case: the coordinator, and the lead while it is open."""
        return cls.coordinator(principal, p) | (cls.lead(principal, p) & cls.open(p))

    @classmethod
    def responsible(cls, principal: Principal, p: str = "") -> Q:
        """Exporting a handover summary, revoking a share: the coordinator and the lead."""
        return cls.coordinator(principal, p) | cls.lead(principal, p)

    @classmethod
    def allows(cls, condition: Callable[[Principal, str], Q], principal: Principal, case_id: int | None) -> bool:
        return case_id is not None and Case.objects.filter(condition(principal, ""), pk=case_id).exists()


def _content_rule(p: str = "case__") -> ConditionRule:
    """A record of a case's content: seen by whoever sees the case, written by the guidance team
    while the case is open."""
    return ConditionRule(
        "case__region",
        {Action.VIEW: lambda pr: CaseTeam.view(pr, p), Action.CHANGE: lambda pr: CaseTeam.write(pr, p)},
        create=lambda pr, obj: CaseTeam.allows(CaseTeam.write, pr, obj.case_id),
    )


def _young_people(principal: Principal, relation: Callable[[Principal, str], Q]) -> models.QuerySet:
    return Case.objects.filter(relation(principal, "")).values("young_person_id")


def _referral_triage(principal: Principal) -> Q:
    """Triage rights: the coordinator, or the brugfiguur serving the school where the region's casework
    settings say so (a region without them: the coordinator only, as their default)."""
    by_brugfiguur = in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(
        region__casework_settings__triage_by_brugfiguur=True, school_id__in=served_schools(principal)
    )
    return in_regions(principal, COORDINATOR_ROLE, "region") | by_brugfiguur


def _referral_view(principal: Principal) -> Q:
    own = in_regions(principal, ALL_ROLES, "region") & Q(referred_by_id=principal.user_id)
    their_school = per_region(principal.schools, "region_id", "school_id", source=ReferralSource.SCHOOL)
    their_case = in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(case__lead_id=principal.user_id)
    return _referral_triage(principal) | own | their_school | their_case


def _referral_create(principal: Principal, obj: Any) -> bool:
    region_id = obj.region_id
    if principal.has_role(region_id, CASE_CREATORS):
        return True
    if principal.has_role(region_id, {Role.SCHOOLCONTACT}) and obj.school_id in principal.schools.get(
        region_id, frozenset()
    ):
        return True
    return principal.has_role(region_id, {Role.PARTNER}) and obj.organisation_id in principal.organisations.get(
        region_id, frozenset()
    )


def partner_referrals_out(principal: Principal, p: str = "") -> Q:
    """Referrals out addressed to the partner's organisation, while their consent stands: from the
    moment it is withdrawn the partner sees nothing of them any more."""
    return per_region(
        principal.organisations, f"{p}case__region_id", f"{p}organisation_id",
        **{f"{p}consent__withdrawn_at__isnull": True},
    )


def _contact_view(principal: Principal) -> Q:
    without_case = in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(brugfiguur_id=principal.user_id)
    )
    return (Q(case__isnull=False) & CaseTeam.view(principal, "case__")) | (Q(case__isnull=True) & without_case)


def _contact_change(principal: Principal) -> Q:
    own_without_case = in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(
        case__isnull=True, brugfiguur_id=principal.user_id
    )
    return CaseTeam.write(principal, "case__") | own_without_case


def _contact_create(principal: Principal, obj: Any) -> bool:
    if obj.case_id is None:
        return principal.has_role(obj.region_id, BRUGFIGUUR_ROLE)
    return obj.region_id == obj.case.region_id and CaseTeam.allows(CaseTeam.write, principal, obj.case_id)


CASE_RULE = ConditionRule(
    "region",
    {Action.VIEW: CaseTeam.view, Action.CHANGE: CaseTeam.change, Action.EXPORT: CaseTeam.responsible},
    create=role_create(CASE_CREATORS),
    create_roles=CASE_CREATORS,
)
CONTACT_RULE = ConditionRule(
    "region",
    {Action.VIEW: _contact_view, Action.CHANGE: _contact_change},
    create=_contact_create,
    create_roles=BRUGFIGUUR_ROLE,
)
REFERRAL_RULE = ConditionRule(
    "region",
    {Action.VIEW: _referral_view, Action.CHANGE: _referral_triage},
    create=_referral_create,
    create_roles=frozenset({Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}),
)
TRANSFER_RULE = ConditionRule(
    "case__region",
    {Action.VIEW: lambda pr: CaseTeam.view(pr, "case__")},
    create=lambda pr, obj: CaseTeam.allows(CaseTeam.manage, pr, obj.case_id),
    create_roles=COORDINATOR_ROLE,
)

register(LifeDomain, Rule("region", EDITABLE_LIST))
register(Case, CASE_RULE)
register(YoungPerson, ConditionRule(
    "region",
    {
        Action.VIEW: lambda pr: in_regions(pr, COORDINATOR_ROLE, "region")
        | Q(pk__in=_young_people(pr, CaseTeam.view)),
        Action.CHANGE: lambda pr: in_regions(pr, COORDINATOR_ROLE, "region")
        | Q(pk__in=_young_people(pr, CaseTeam.write)),
    },
    create=role_create(CASE_CREATORS),
    create_roles=CASE_CREATORS,
))
register(FamilyMember, ConditionRule(
    "young_person__region",
    {
        Action.VIEW: lambda pr: in_regions(pr, COORDINATOR_ROLE, "young_person__region")
        | Q(young_person_id__in=_young_people(pr, CaseTeam.view)),
        Action.CHANGE: lambda pr: Q(young_person_id__in=_young_people(pr, CaseTeam.write)),
    },
    create=lambda pr, obj: Case.objects.filter(CaseTeam.write(pr), young_person_id=obj.young_person_id).exists(),
))
register(HelpQuestion, _content_rule())
register(Goal, _content_rule())
register(AgreedAction, _content_rule())
register(Consent, ConditionRule(
    "case__region",
    {
        Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"),
        # Withdrawing consent must stay possible after the case closed.
        Action.CHANGE: lambda pr: CaseTeam.view(pr, "case__"),
    },
    create=lambda pr, obj: CaseTeam.allows(CaseTeam.write, pr, obj.case_id),
))
register(CaseShare, ConditionRule(
    "case__region",
    {
        Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"),
        Action.CHANGE: lambda pr: CaseTeam.responsible(pr, "case__"),  # revoking a share
    },
    create=lambda pr, obj: CaseTeam.allows(CaseTeam.manage, pr, obj.case_id),
    create_roles=COORDINATOR_ROLE,
))
register(CaseTransfer, TRANSFER_RULE)
register(ContactMoment, CONTACT_RULE)
register(Referral, REFERRAL_RULE)
register(ReferralOut, ConditionRule(
    "case__region",
    {
        Action.VIEW: lambda pr: CaseTeam.view(pr, "case__") | partner_referrals_out(pr),
        Action.CHANGE: partner_referrals_out,  # acknowledging, giving feedback
    },
    create=lambda pr, obj: CaseTeam.allows(CaseTeam.write, pr, obj.case_id),
))
register(ReferralFeedback, ConditionRule(
    "referral_out__case__region",
    {
        Action.VIEW: lambda pr: CaseTeam.view(pr, "referral_out__case__")
        | partner_referrals_out(pr, "referral_out__"),
    },
    create=lambda pr, obj: ReferralOut.objects.filter(partner_referrals_out(pr), pk=obj.referral_out_id).exists(),
    create_roles=frozenset({Role.PARTNER}),
))


def _own_filters(principal: Principal) -> Q:
    """Saved filters are private to their owner, in the regions where the owner still has a role."""
    return Q(owner_id=principal.user_id, region_id__in=principal.region_ids)


register(SavedFilter, ConditionRule(
    "region",
    {Action.VIEW: _own_filters, Action.CHANGE: _own_filters, Action.DELETE: _own_filters},
    create=lambda pr, obj: obj.owner_id == pr.user_id and pr.has_role(obj.region_id, ALL_ROLES),
    create_roles=ALL_ROLES,
))


# --- Casework pages ------------------------------------------------------------------------------------


def _creates_cases(principal: Principal, region_id: int, obj: Any = None) -> bool:
    return CASE_RULE.can_create_in(principal, region_id)


register_permission(Permission(
    "cases.view_cases", "The case list and search (who opens cases).", test=_creates_cases,
    main_for=CASE_CREATORS,
))
register_permission(Permission(
    "cases.view_referrals", "Referring a pupil or family, and one's own referrals with their status.",
    test=lambda pr, region_id, obj=None: REFERRAL_RULE.can_create_in(pr, region_id),
    main_for=REFERRAL_RULE.create_roles,
))
register_permission(Permission(
    "cases.triage_referrals", "Deciding on the region's new referrals (the triage tab).", test=_creates_cases,
))
register_permission(Permission(
    "cases.view_waiting_list", "The waiting list of accepted referrals without a case yet.",
    test=_creates_cases, main_for=COORDINATOR_ROLE,
))
register_permission(Permission(
    "cases.view_caseload",
    "The caseload of every bridge figure of the pool: for whoever moves cases between them (a transfer).",
    test=lambda pr, region_id, obj=None: TRANSFER_RULE.can_create_in(pr, region_id),
    main_for=COORDINATOR_ROLE,
))
register_permission(Permission(
    "cases.view_figures", "The region's casework in figures that name nobody.", roles=FIGURES_ROLES,
))
register_permission(Permission(
    "cases.view_low_threshold_contacts", "One's own contacts without a case.",
    test=lambda pr, region_id, obj=None: CONTACT_RULE.can_create_in(pr, region_id),
))
register_permission(Permission(
    "cases.record_contacts", "Recording contact moments in the region (and counting one's own time).",
    test=lambda pr, region_id, obj=None: CONTACT_RULE.can_create_in(pr, region_id),
))
register_permission(Permission(
    "cases.guide_cases",
    "Guiding young people as a bridge figure of the region: leading or sharing a case, holding an "
    "agenda and presence days, recording contacts.",
    roles=BRUGFIGUUR_ROLE,
))
register_permission(Permission(
    "cases.view_partner_inbox",
    "The referrals out addressed to one's partner organisation, under a standing consent.",
    test=lambda pr, region_id, obj=None: bool(pr.organisations.get(region_id)),
    main_for=frozenset({Role.PARTNER}),
    where=partner_referrals_out,
))
