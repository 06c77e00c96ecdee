"""Access rules of network and cooperation (see brugwerk/access for how rules work;
docs/access.md has them as a table).

- Network meetings: the pool (bridge figures, coordinator) and the policy makers of the region see
  them all; a school contact sees the meetings about or attended by their school, a partner those
  their organisation attended. The coordinator changes every meeting, a bridge figure the meetings
  they attended (and records new ones). Only the coordinator deletes one.
- A meeting's notes are the pool's working notes: only bridge figures and the coordinator read them
  (`meeting_notes_readable`); the others see who attended, the agreements and the actions.
- Agreements follow their meeting. Actions too, except that policy makers do not see them (they are
  the pool's follow-up), and that an action's owner (a user of the pool) marks it done.
- Cooperation agreements (per school, in versions): the pool and the policy makers of the region see
  them all, a school contact their own school's. The coordinator and the bridge figures serving the
  school write a new version; earlier versions never change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register_permission, register_rules
from brugwerk.access.roles import BRUGFIGUUR_ROLE, COORDINATOR_ROLE, POOL, POOL_AND_POLICY
from brugwerk.access.rules import NOTHING, ConditionRule, in_regions, per_region
from brugwerk.cooperation.models import CooperationAgreement, MeetingAction, MeetingAgreement, NetworkMeeting
from brugwerk.pool.rules import served_schools

MEETING_CREATORS = POOL

Attendance = NetworkMeeting.pool_attendees.through
SchoolAttendance = NetworkMeeting.schools.through
OrganisationAttendance = NetworkMeeting.organisations.through


def _meetings_of_their_school(principal: Principal, p: str) -> Q:
    """Meetings about the school contact's school, or that their school attended."""
    condition = NOTHING
    for region_id, schools in principal.schools.items():
        attended = SchoolAttendance.objects.filter(school_id__in=schools).values("networkmeeting_id")
        condition |= Q(**{f"{p}region_id": region_id}) & (
            Q(**{f"{p}school_id__in": schools}) | Q(**{f"{p}id__in": attended})
        )
    return condition


def _meetings_of_their_organisation(principal: Principal, p: str) -> Q:
    condition = NOTHING
    for region_id, organisations in principal.organisations.items():
        attended = OrganisationAttendance.objects.filter(partnerorganisation_id__in=organisations)
        condition |= Q(**{f"{p}region_id": region_id, f"{p}id__in": attended.values("networkmeeting_id")})
    return condition


def _meeting_view(principal: Principal, p: str = "", region_wide: frozenset[str] = POOL_AND_POLICY) -> Q:
    return (
        in_regions(principal, region_wide, f"{p}region")
        | _meetings_of_their_school(principal, p)
        | _meetings_of_their_organisation(principal, p)
    )


def _meeting_change(principal: Principal, p: str = "") -> Q:
    """The coordinator, and the bridge figures who attended."""
    attended = Attendance.objects.filter(user_id=principal.id).values("networkmeeting_id")
    return in_regions(principal, COORDINATOR_ROLE, f"{p}region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, f"{p}region") & Q(**{f"{p}id__in": attended})
    )


def _meeting_create(principal: Principal, obj: Any) -> bool:
    return principal.has_role(obj.region_id, MEETING_CREATORS)


def _changes_meeting(principal: Principal, obj: Any) -> bool:
    """Adding an agreement or an action to a meeting: whoever may change the meeting."""
    return obj.meeting_id is not None and NetworkMeeting.objects.filter(
        _meeting_change(principal), pk=obj.meeting_id
    ).exists()


def _action_change(principal: Principal) -> Q:
    """Marking done (and reopening): the meeting's organisers and the action's owner."""
    own = in_regions(principal, POOL, "meeting__region") & Q(owner_user_id=principal.user_id)
    return _meeting_change(principal, "meeting__") | own


def meeting_notes_readable(principal: Principal, p: str = "") -> Q:
    """The meetings (at path `p`) whose notes the principal reads: the pool's, in its regions."""
    return in_regions(principal, POOL, f"{p}region")


# --- Cooperation agreements --------------------------------------------------------------------------


def agreement_schools(principal: Principal) -> Q:
    """A filter on School: the schools whose cooperation agreement the principal reads."""
    return in_regions(principal, POOL_AND_POLICY, "region") | per_region(principal.schools, "region_id", "pk")


def _agreement_view(principal: Principal) -> Q:
    return in_regions(principal, POOL_AND_POLICY, "region") | per_region(
        principal.schools, "region_id", "school_id"
    )


def _agreement_writers(principal: Principal) -> Q:
    """The coordinator, and a bridge figure serving the school."""
    return in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(school_id__in=served_schools(principal))
    )


def _agreement_change(principal: Principal) -> Q:
    """A new version is written on top of the current one; earlier versions never change."""
    return Q(valid_until__isnull=True) & _agreement_writers(principal)


def _agreement_create(principal: Principal, obj: Any) -> bool:
    if principal.has_role(obj.region_id, COORDINATOR_ROLE):
        return True
    return (
        principal.has_role(obj.region_id, BRUGFIGUUR_ROLE)
        and obj.school_id is not None
        and served_schools(principal).filter(pk=obj.school_id, region_id=obj.region_id).exists()
    )


register_rules(
    {
        NetworkMeeting: ConditionRule(
            "region",
            {
                Action.VIEW: _meeting_view,
                Action.CHANGE: _meeting_change,
                Action.DELETE: lambda pr: in_regions(pr, COORDINATOR_ROLE, "region"),
            },
            create=_meeting_create,
            create_roles=MEETING_CREATORS,
        ),
        MeetingAgreement: ConditionRule(
            "meeting__region",
            {
                Action.VIEW: lambda pr: _meeting_view(pr, "meeting__"),
                Action.CHANGE: lambda pr: _meeting_change(pr, "meeting__"),
                Action.DELETE: lambda pr: _meeting_change(pr, "meeting__"),
            },
            create=_changes_meeting,
            create_roles=COORDINATOR_ROLE,
        ),
        MeetingAction: ConditionRule(
            "meeting__region",
            {
                Action.VIEW: lambda pr: _meeting_view(pr, "meeting__", POOL),
                Action.CHANGE: _action_change,
                Action.DELETE: lambda pr: _meeting_change(pr, "meeting__"),
            },
            create=_changes_meeting,
            create_roles=COORDINATOR_ROLE,
        ),
        CooperationAgreement: ConditionRule(
            "region",
            {Action.VIEW: _agreement_view, Action.CHANGE: _agreement_change},
            create=_agreement_create,
            create_roles=COORDINATOR_ROLE,
        ),
    }
)


# --- Pages ------------------------------------------------------------------------------------------


def _takes_part(principal: Principal, region_id: int, obj: Any = None) -> bool:
    """A school or an organisation of the principal's takes part in the region's meetings (they may
    hold none to see yet)."""
    return bool(principal.schools.get(region_id)) or bool(principal.organisations.get(region_id))


def _school_of_theirs(principal: Principal, region_id: int, obj: Any = None) -> bool:
    """A school contact: for their school (`obj`), or for some school when asked of the region."""
    schools = principal.schools.get(region_id, frozenset())
    return bool(schools) if obj is None else obj.pk in schools


register_permission(Permission(
    "cooperation.view_meetings",
    "The meeting pages: a role that sees all of the region's meetings, or a school or organisation "
    "that takes part in some.",
    roles=POOL_AND_POLICY,
    test=_takes_part,
))
register_permission(Permission(
    "cooperation.view_actions",
    "The open actions of meetings (policy makers do not follow actions).",
    roles=POOL,
    test=_takes_part,
))
register_permission(Permission(
    "cooperation.read_meeting_notes",
    "A meeting's notes: the pool's working notes (as a filter: `meeting_notes_readable`).",
    roles=POOL,
    where=meeting_notes_readable,
))
register_permission(Permission(
    "cooperation.own_actions", "Owning an action of a meeting: the pool of the region.", roles=POOL,
))
register_permission(Permission(
    "cooperation.record_meetings_of_others",
    "Recording a meeting without having attended it: the coordinator (a bridge figure who records one "
    "attended it).",
    roles=COORDINATOR_ROLE,
))
register_permission(Permission(
    "cooperation.view_agreements",
    "The cooperation agreements: the pool and policy makers all of the region's, a school contact "
    "their school's (asked of a school, or as a filter on schools).",
    roles=POOL_AND_POLICY,
    test=_school_of_theirs,
    where=lambda principal, p: in_regions(principal, POOL_AND_POLICY, f"{p}region")
    | per_region(principal.schools, f"{p}region_id", f"{p}pk"),
))
