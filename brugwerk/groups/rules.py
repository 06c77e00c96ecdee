"""Access rules of Group offerings (see brugwerk/access for how rules work; docs/access.md).

An offering and what is counted of it (its sessions, the anonymous counts) are seen by the pool and
the coordinator of its region, by the school contacts of its school and by the partners who
co-organise it; its organisers and the coordinator change it. A participant linked to a case (and
their attendance) is a record of that case: only those who see the case see it, and only those of
them who may change the offering add, mark or remove it. Beleid and beheerder see none of these
records (beleid reads totals only: `groups.selectors.group_figures`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register_permission, register_rules
from brugwerk.access.roles import BRUGFIGUUR_ROLE, CASE_CREATORS, COORDINATOR_ROLE, FIGURES_ROLES, POOL, Role
from brugwerk.access.rules import NOTHING, ConditionRule, in_regions, per_region, role_create
from brugwerk.cases.rules import CaseTeam
from brugwerk.groups.models import AnonymousAttendance, GroupAttendance, GroupOffering, GroupParticipant, GroupSession

Organisers = GroupOffering.organisers.through
Partners = GroupOffering.partners.through


def _co_organised(principal: Principal, p: str) -> Q:
    """Offerings (at path `p`) co-organised by the partner's own organisation, per region."""
    condition = NOTHING
    for region_id, organisations in principal.organisations.items():
        offerings = Partners.objects.filter(partnerorganisation_id__in=organisations).values("groupoffering_id")
        condition |= Q(**{f"{p}region_id": region_id, f"{p}id__in": offerings})
    return condition


def offering_view(principal: Principal, p: str = "") -> Q:
    """The pool and the coordinator: every offering of the region; a school contact: those at their
    school; a partner: those their organisation co-organises."""
    return (
        in_regions(principal, CASE_CREATORS, f"{p}region")
        | per_region(principal.schools, f"{p}region_id", f"{p}school_id")
        | _co_organised(principal, p)
    )


def offering_change(principal: Principal, p: str = "") -> Q:
    """The coordinator, and the organisers while they hold the brugfiguur role in the region."""
    organised = Organisers.objects.filter(user_id=principal.id).values("groupoffering_id")
    return in_regions(principal, COORDINATOR_ROLE, f"{p}region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(**{f"{p}id__in": organised})
    )


def _may_change_offering(principal: Principal, offering_id: int | None) -> bool:
    return offering_id is not None and GroupOffering.objects.filter(
        offering_change(principal), pk=offering_id
    ).exists()


def participant_write(principal: Principal, p: str = "") -> Q:
    """A linked participant (at path `p`): whoever sees its case and may change its offering."""
    return CaseTeam.view(principal, f"{p}case__") & offering_change(principal, f"{p}offering__")


def _participant_create(principal: Principal, obj: Any) -> bool:
    return _may_change_offering(principal, obj.offering_id) and CaseTeam.allows(
        CaseTeam.view, principal, obj.case_id
    )


def _attendance_create(principal: Principal, obj: Any) -> bool:
    return (
        obj.participant_id is not None
        and GroupParticipant.objects.filter(participant_write(principal), pk=obj.participant_id).exists()
    )


def _session_create(principal: Principal, obj: Any) -> bool:
    return _may_change_offering(principal, obj.offering_id)


def _counts_create(principal: Principal, obj: Any) -> bool:
    return obj.session_id is not None and GroupSession.objects.filter(
        offering_change(principal, "offering__"), pk=obj.session_id
    ).exists()


register_rules(
    {
        GroupOffering: ConditionRule(
            "region",
            {Action.VIEW: offering_view, Action.CHANGE: offering_change},
            create=role_create(CASE_CREATORS),
            create_roles=CASE_CREATORS,
        ),
        GroupSession: ConditionRule(
            "offering__region",
            {
                Action.VIEW: lambda pr: offering_view(pr, "offering__"),
                Action.CHANGE: lambda pr: offering_change(pr, "offering__"),
            },
            create=_session_create,
            create_roles=COORDINATOR_ROLE,
        ),
        GroupParticipant: ConditionRule(
            "offering__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"),
                Action.DELETE: participant_write,
            },
            create=_participant_create,
            create_roles=COORDINATOR_ROLE,
        ),
        GroupAttendance: ConditionRule(
            "session__offering__region",
            {
                Action.VIEW: lambda pr: CaseTeam.view(pr, "participant__case__"),
                Action.CHANGE: lambda pr: participant_write(pr, "participant__"),
                Action.DELETE: lambda pr: participant_write(pr, "participant__"),
            },
            create=_attendance_create,
            create_roles=COORDINATOR_ROLE,
        ),
        AnonymousAttendance: ConditionRule(
            "session__offering__region",
            {
                Action.VIEW: lambda pr: offering_view(pr, "session__offering__"),
                Action.CHANGE: lambda pr: offering_change(pr, "session__offering__"),
                Action.DELETE: lambda pr: offering_change(pr, "session__offering__"),
            },
            create=_counts_create,
            create_roles=COORDINATOR_ROLE,
        ),
    }
)


# --- Pages ------------------------------------------------------------------------------------------


def _school_or_partner(principal: Principal, region_id: int, obj: Any = None) -> bool:
    """A school contact (offerings at their school) or a partner (those their organisation co-organises)."""
    return bool(principal.schools.get(region_id)) or bool(principal.organisations.get(region_id))


register_permission(Permission(
    "groups.view_offerings",
    "The group offerings: the pool all of the region's, a school contact and a partner theirs.",
    roles=CASE_CREATORS,
    test=_school_or_partner,
))
register_permission(Permission(
    "groups.view_counts_in_full",
    "The group counts in full: the pool; everyone else sees head counts only, small cells hidden.",
    roles=POOL,
))
register_permission(Permission(
    "groups.view_figures", "The region's group work in figures that name nobody.", roles=FIGURES_ROLES,
))
register_permission(Permission(
    "groups.figures_in_menu",
    "The figures as a menu entry: for policy makers, whose view of this pillar they are (the "
    "coordinator reaches them from the list of offerings).",
    roles=frozenset({Role.BELEID}),
))
