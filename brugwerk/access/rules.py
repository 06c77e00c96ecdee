"""Who may do what on which record kind: the rules. docs/access.md is this file as a table.

Every rule is scoped to the region a record belongs to: a role held in one region grants nothing
in another. Actions and roles not named here are denied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from brugwerk.access.policy import Action, Principal
from brugwerk.accounts.models import CASE_CONTENT_ROLES, Membership, Role, RoleInvitation, User
from brugwerk.audit.models import ACCOUNT_EVENTS, AuditEntry
from brugwerk.cases.models import (
    AgreedAction,
    Appointment,
    CalendarFeed,
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
    PresenceDay,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralSource,
    SavedFilter,
    YoungPerson,
)
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership

ALL_ROLES = frozenset(Role.values)
MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})
COORDINATOR_ROLE = frozenset({Role.COORDINATOR})
# Who grants which role in a region: a role that sees case content only the coordinator, the others
# (administrator, policy maker) the managers. A role not named here: the coordinator.
ROLE_GRANTERS: dict[str, frozenset[str]] = {
    role: COORDINATOR_ROLE if role in CASE_CONTENT_ROLES else MANAGERS for role in Role.values
}


class Rule:
    """A rule for one record kind: for each action, the roles that may do it on records of the
    regions where they hold that role. Subclasses narrow it per record where roles are not enough."""

    def __init__(self, region_path: str, grants: Mapping[Action, frozenset[str]]):
        self.region_path = region_path
        self.grants = grants

    def roles_for(self, action: Action) -> frozenset[str]:
        return self.grants.get(action, frozenset())

    def region_id_of(self, obj: models.Model) -> int | None:
        *hops, last = self.region_path.split("__")
        current: models.Model | None = obj
        for hop in hops:
            current = getattr(current, hop, None)
            if current is None:
                return None
        return getattr(current, f"{last}_id", None)

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        if not regions:
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__in": regions})

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        return principal.has_role(self.region_id_of(obj), self.roles_for(action))

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, self.roles_for(Action.CREATE))


class RegionRule(Rule):
    def region_id_of(self, obj: models.Model) -> int | None:
        return obj.pk


class MembershipRule(Rule):
    """Roles. Managers of a region see and revoke its roles; everyone sees their own. Granting:

    - a role whose holders see case content (`CASE_CONTENT_ROLES`) only the region's coordinator
      grants; the administrator grants the administrator and policy-maker roles only;
    - nobody grants a role to themselves;
    - a user who already holds roles in another region is added to this one by its coordinator only.

    Asked of the record kind (`can(user, CREATE, Membership, region=...)`), CREATE means "may grant
    every role here", which only the coordinator may; ask it of an unsaved Membership with its role
    (`accounts.selectors.grantable_roles`) to know which roles someone may grant."""

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        condition = Q(region__in=regions)
        if action == Action.VIEW:
            condition |= Q(user_id=principal.user_id)
        return queryset.filter(condition)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.user_id == principal.user_id:
            return True
        if action == Action.CREATE:
            return self.may_grant(principal, obj.user_id, obj.region_id, obj.role)
        return super().allows(principal, action, obj)

    @staticmethod
    def may_grant(principal: Principal, user_id: int | None, region_id: int, role: str) -> bool:
        if user_id is not None and user_id == principal.user_id:
            # Nobody grants themselves a role: an administrator could otherwise make themselves coordinator.
            return False
        granters = ROLE_GRANTERS.get(role, COORDINATOR_ROLE)
        if user_id is not None and (
            Membership.objects.filter(user_id=user_id, revoked_at__isnull=True).exclude(region_id=region_id).exists()
        ):
            granters = granters & COORDINATOR_ROLE
        return principal.has_role(region_id, granters)


class RoleInvitationRule(Rule):
    """Invitations to a role, for people who already have an account. The invitee sees and answers
    (CHANGE: accepts or declines) their own; the region's managers see the region's invitations (the
    pages show them the login as it was typed, never the account). Inviting is asked like granting
    the role (`MembershipRule.may_grant`), and asked again when the invitee accepts."""

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        if action == Action.VIEW:
            regions = principal.regions_with(self.roles_for(action))
            return queryset.filter(Q(region__in=regions) | Q(user_id=principal.user_id))
        if action == Action.CHANGE:
            return queryset.filter(user_id=principal.user_id)
        return queryset.none()

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.CREATE:
            return MembershipRule.may_grant(principal, obj.user_id, obj.region_id, obj.role)
        if action in (Action.VIEW, Action.CHANGE) and obj.user_id is not None and obj.user_id == principal.user_id:
            return True
        return action == Action.VIEW and super().allows(principal, action, obj)


class UserRule(Rule):
    """People's accounts. Managers see the users who hold (or held) a role in their region; an
    administrator changes an account only when every region it belongs to is theirs."""

    def __init__(self) -> None:
        super().__init__(
            "memberships__region", {Action.VIEW: MANAGERS, Action.CHANGE: frozenset({Role.BEHEERDER})}
        )

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        in_regions = Membership.objects.filter(region__in=regions).values("user_id")
        if action == Action.CHANGE:
            outside = Membership.objects.exclude(region__in=regions).values("user_id")
            return queryset.filter(pk__in=in_regions).exclude(pk__in=outside)
        if action == Action.VIEW:
            return queryset.filter(Q(pk__in=in_regions) | Q(pk=principal.user_id))
        # Seeing one's own account is a VIEW right only: it must not make it deletable or exportable.
        return queryset.filter(pk__in=in_regions)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.pk == principal.user_id:
            return True
        return self.scope(principal, User.objects.filter(pk=obj.pk), action).exists()

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, {Role.BEHEERDER, Role.COORDINATOR})


class AuditRule(Rule):
    """The coordinator reads the whole trail of their region; the administrator only account events."""

    def __init__(self) -> None:
        super().__init__("region", {Action.VIEW: MANAGERS, Action.EXPORT: frozenset({Role.COORDINATOR})})

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        coordinated = principal.regions_with({Role.COORDINATOR} & self.roles_for(action))
        administered = principal.regions_with({Role.BEHEERDER} & self.roles_for(action))
        return queryset.filter(
            Q(region__in=coordinated) | Q(region__in=administered, event__in=ACCOUNT_EVENTS)
        )

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if principal.has_role(obj.region_id, {Role.COORDINATOR} & self.roles_for(action)):
            return True
        return obj.event in ACCOUNT_EVENTS and principal.has_role(
            obj.region_id, {Role.BEHEERDER} & self.roles_for(action)
        )

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return False  # only the audit service writes entries


DIRECTORY = {
    Action.VIEW: ALL_ROLES, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS, Action.DELETE: MANAGERS
}
ROLE_GRANTS = {Action.VIEW: MANAGERS, Action.CREATE: COORDINATOR_ROLE, Action.DELETE: MANAGERS}

RULES: dict[type[models.Model], Rule] = {
    Region: RegionRule("pk", {Action.VIEW: ALL_ROLES, Action.CHANGE: frozenset({Role.BEHEERDER})}),
    Zone: Rule("region", DIRECTORY),
    Municipality: Rule("region", DIRECTORY),
    ZoneMembership: Rule("zone__region", DIRECTORY),
    School: Rule("region", DIRECTORY),
    PartnerOrganisation: Rule("region", DIRECTORY),
    ContactPoint: Rule("organisation__region", DIRECTORY),
    PoolMember: Rule("region", DIRECTORY),
    Membership: MembershipRule("region", ROLE_GRANTS),
    RoleInvitation: RoleInvitationRule("region", {Action.VIEW: MANAGERS, Action.CREATE: COORDINATOR_ROLE}),
    User: UserRule(),
    AuditEntry: AuditRule(),
}


# --- Casework ---------------------------------------------------------------------------------------
# Record-level rules. A brugfiguur's rights on a case come from leading it or from a share in force
# today; a school contact's from their school, a partner's from their organisation. Each rule gives
# one filter (a Q) per action; `can()` on a stored record asks that filter about the one record, so
# `can()` and `scope()` cannot drift apart. CREATE is asked of an unsaved record carrying its case
# (region-wide creation rights, such as a coordinator's, may also be asked of the record kind).

BRUGFIGUUR_ROLE = frozenset({Role.BRUGFIGUUR})
CASE_CREATORS = frozenset({Role.COORDINATOR, Role.BRUGFIGUUR})
NOTHING = Q(pk__in=[])

Condition = Callable[[Principal], Q]


def _in_regions(principal: Principal, roles: frozenset[str], path: str) -> Q:
    regions = principal.regions_with(roles)
    return Q(**{f"{path}__in": regions}) if regions else NOTHING


def _per_region(grants: Mapping[int, frozenset[int]], region_path: str, path: str, **extra: Any) -> Q:
    """Records of each region whose `path` is one of the ids the principal holds a role for there
    (their school as school contact, their organisation as partner)."""
    condition = NOTHING
    for region_id, ids in grants.items():
        condition |= Q(**{region_path: region_id, f"{path}__in": ids}, **extra)
    return condition


class CaseTeam:
    """Who stands in which relation to a case, as filters on a path (`p`) that leads to the case:
    "" on Case itself, "case__" on its records."""

    @staticmethod
    def coordinator(principal: Principal, p: str) -> Q:
        return _in_regions(principal, COORDINATOR_ROLE, f"{p}region")

    @staticmethod
    def lead(principal: Principal, p: str) -> Q:
        return _in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(**{f"{p}lead_id": principal.user_id})

    @staticmethod
    def sharer(principal: Principal, p: str) -> Q:
        shared = CaseShare.objects.active_on(timezone.localdate()).filter(user_id=principal.id)
        return _in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(
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


class ConditionRule(Rule):
    """A rule given as one filter per action, plus who may create a given unsaved record."""

    def __init__(
        self,
        region_path: str,
        conditions: Mapping[Action, Condition],
        *,
        create: Callable[[Principal, Any], bool] | None = None,
        create_roles: frozenset[str] = frozenset(),
    ):
        super().__init__(region_path, {})
        self.conditions = conditions
        self.create = create
        self.create_roles = create_roles

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        condition = self.conditions.get(action)
        if condition is None or action == Action.CREATE:
            return queryset.none()
        return queryset.filter(condition(principal))

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.CREATE:
            return self.create is not None and self.create(principal, obj)
        if obj.pk is None:
            return False
        return self.scope(principal, type(obj)._default_manager.filter(pk=obj.pk), action).exists()

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, self.create_roles)


def _role_create(roles: frozenset[str]) -> Callable[[Principal, Any], bool]:
    def create(principal: Principal, obj: Any) -> bool:
        return principal.has_role(obj.region_id, roles)

    return create


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


def _served_schools(principal: Principal) -> models.QuerySet:
    return School.objects.filter(pool_members__user_id=principal.id, pool_members__active=True).values("pk")


def _referral_triage(principal: Principal) -> Q:
    """Triage rights: the coordinator, or the brugfiguur serving the school where the region says so."""
    by_brugfiguur = _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(
        region__triage_by_brugfiguur=True, school_id__in=_served_schools(principal)
    )
    return _in_regions(principal, COORDINATOR_ROLE, "region") | by_brugfiguur


def _referral_view(principal: Principal) -> Q:
    own = _in_regions(principal, ALL_ROLES, "region") & Q(referred_by_id=principal.user_id)
    their_school = _per_region(principal.schools, "region_id", "school_id", source=ReferralSource.SCHOOL)
    their_case = _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(case__lead_id=principal.user_id)
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


def _partner_referrals_out(principal: Principal, p: str = "") -> Q:
    """Referrals out addressed to the partner's organisation, while their consent stands: from the
    moment it is withdrawn the partner sees nothing of them any more."""
    return _per_region(
        principal.organisations, f"{p}case__region_id", f"{p}organisation_id",
        **{f"{p}consent__withdrawn_at__isnull": True},
    )


def _contact_view(principal: Principal) -> Q:
    without_case = _in_regions(principal, COORDINATOR_ROLE, "region") | (
        _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(brugfiguur_id=principal.user_id)
    )
    return (Q(case__isnull=False) & CaseTeam.view(principal, "case__")) | (Q(case__isnull=True) & without_case)


def _contact_change(principal: Principal) -> Q:
    own_without_case = _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(
        case__isnull=True, brugfiguur_id=principal.user_id
    )
    return CaseTeam.write(principal, "case__") | own_without_case


def _contact_create(principal: Principal, obj: Any) -> bool:
    if obj.case_id is None:
        return principal.has_role(obj.region_id, BRUGFIGUUR_ROLE)
    return obj.region_id == obj.case.region_id and CaseTeam.allows(CaseTeam.write, principal, obj.case_id)


def _own_agenda(principal: Principal) -> Q:
    return _in_regions(principal, COORDINATOR_ROLE, "region") | (
        _in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(brugfiguur_id=principal.user_id)
    )


def _own_agenda_create(principal: Principal, obj: Any) -> bool:
    """The coordinator plans for the whole pool; a brugfiguur plans their own agenda only (so for a
    brugfiguur this is asked of an unsaved record that names them)."""
    return principal.has_role(obj.region_id, COORDINATOR_ROLE) or (
        principal.has_role(obj.region_id, BRUGFIGUUR_ROLE) and obj.brugfiguur_id == principal.user_id
    )


def _presence_view(principal: Principal) -> Q:
    return _own_agenda(principal) | _per_region(principal.schools, "region_id", "school_id")


RULES.update(
    {
        LifeDomain: Rule("region", {Action.VIEW: ALL_ROLES, Action.CREATE: MANAGERS, Action.CHANGE: MANAGERS}),
        Case: ConditionRule(
            "region",
            {Action.VIEW: CaseTeam.view, Action.CHANGE: CaseTeam.change, Action.EXPORT: CaseTeam.responsible},
            create=_role_create(CASE_CREATORS),
            create_roles=CASE_CREATORS,
        ),
        YoungPerson: ConditionRule(
            "region",
            {
                Action.VIEW: lambda pr: _in_regions(pr, COORDINATOR_ROLE, "region")
                | Q(pk__in=_young_people(pr, CaseTeam.view)),
                Action.CHANGE: lambda pr: _in_regions(pr, COORDINATOR_ROLE, "region")
                | Q(pk__in=_young_people(pr, CaseTeam.write)),
            },
            create=_role_create(CASE_CREATORS),
            create_roles=CASE_CREATORS,
        ),
        FamilyMember: ConditionRule(
            "young_person__region",
            {
                Action.VIEW: lambda pr: _in_regions(pr, COORDINATOR_ROLE, "young_person__region")
                | Q(young_person_id__in=_young_people(pr, CaseTeam.view)),
                Action.CHANGE: lambda pr: Q(young_person_id__in=_young_people(pr, CaseTeam.write)),
            },
            create=lambda pr, obj: Case.objects.filter(
                CaseTeam.write(pr), young_person_id=obj.young_person_id
            ).exists(),
        ),
        HelpQuestion: _content_rule(),
        Goal: _content_rule(),
        AgreedAction: _content_rule(),
        Consent: ConditionRule(
            "case__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"),
                # Withdrawing consent must stay possible after the case closed.
                Action.CHANGE: lambda pr: CaseTeam.view(pr, "case__"),
            },
            create=lambda pr, obj: CaseTeam.allows(CaseTeam.write, pr, obj.case_id),
        ),
        CaseShare: ConditionRule(
            "case__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"),
                Action.CHANGE: lambda pr: CaseTeam.responsible(pr, "case__"),  # revoking a share
            },
            create=lambda pr, obj: CaseTeam.allows(CaseTeam.manage, pr, obj.case_id),
            create_roles=COORDINATOR_ROLE,
        ),
        CaseTransfer: ConditionRule(
            "case__region",
            {Action.VIEW: lambda pr: CaseTeam.view(pr, "case__")},
            create=lambda pr, obj: CaseTeam.allows(CaseTeam.manage, pr, obj.case_id),
            create_roles=COORDINATOR_ROLE,
        ),
        ContactMoment: ConditionRule(
            "region",
            {Action.VIEW: _contact_view, Action.CHANGE: _contact_change},
            create=_contact_create,
            create_roles=BRUGFIGUUR_ROLE,
        ),
        Referral: ConditionRule(
            "region",
            {Action.VIEW: _referral_view, Action.CHANGE: _referral_triage},
            create=_referral_create,
            create_roles=frozenset({Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}),
        ),
        ReferralOut: ConditionRule(
            "case__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "case__") | _partner_referrals_out(pr),
                Action.CHANGE: _partner_referrals_out,  # acknowledging, giving feedback
            },
            create=lambda pr, obj: CaseTeam.allows(CaseTeam.write, pr, obj.case_id),
        ),
        ReferralFeedback: ConditionRule(
            "referral_out__case__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "referral_out__case__")
                | _partner_referrals_out(pr, "referral_out__"),
            },
            create=lambda pr, obj: ReferralOut.objects.filter(
                _partner_referrals_out(pr), pk=obj.referral_out_id
            ).exists(),
            create_roles=frozenset({Role.PARTNER}),
        ),
        Appointment: ConditionRule(
            "region",
            {Action.VIEW: _own_agenda, Action.CHANGE: _own_agenda, Action.DELETE: _own_agenda},
            create=_own_agenda_create,
            create_roles=COORDINATOR_ROLE,
        ),
        PresenceDay: ConditionRule(
            "region",
            {Action.VIEW: _presence_view, Action.CHANGE: _own_agenda, Action.DELETE: _own_agenda},
            create=_own_agenda_create,
            create_roles=COORDINATOR_ROLE,
        ),
    }
)


def _own_filters(principal: Principal) -> Q:
    """Saved filters are private to their owner, in the regions where the owner still has a role."""
    return Q(owner_id=principal.user_id, region_id__in=principal.region_ids)


def _own_feed(principal: Principal) -> Q:
    """A calendar feed is its brugfiguur's own (nobody else reads or renews it)."""
    return Q(user_id=principal.user_id) if principal.regions_with(BRUGFIGUUR_ROLE) else Q(pk__in=[])


RULES.update(
    {
        SavedFilter: ConditionRule(
            "region",
            {Action.VIEW: _own_filters, Action.CHANGE: _own_filters, Action.DELETE: _own_filters},
            create=lambda pr, obj: obj.owner_id == pr.user_id and pr.has_role(obj.region_id, ALL_ROLES),
            create_roles=ALL_ROLES,
        ),
        CalendarFeed: ConditionRule(
            "",
            {Action.VIEW: _own_feed, Action.CHANGE: _own_feed, Action.DELETE: _own_feed},
            create=lambda pr, obj: obj.user_id == pr.user_id and bool(pr.regions_with(BRUGFIGUUR_ROLE)),
        ),
    }
)

# The rules of the other domains live beside this file, one module per app; each adds its record
# kinds to RULES when imported here, so RULES is complete wherever the policy is used.
from brugwerk.access import (  # noqa: E402, F401, I001
    rules_cooperation,
    rules_expertise,
    rules_groups,
    rules_learning,
    rules_signals,
)
