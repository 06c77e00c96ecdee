"""Access rules of Signals to policy (see brugwerk/access for how rules work; docs/access.md).

The pool (brugfiguren and the coordinator) sees every signal of its region. Policy (beleid) sees a
signal once it has been passed on to policy, with its evidence as a count only; a school contact
sees the school-level signals about their own school from that moment, since for those the school
is the policy that must answer. Evidence links to a case, so it is seen (and added) only by whoever
sees that case; everybody else gets the number. Partners and administrators see nothing of signals.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register_permission, register_rules
from brugwerk.access.roles import BELEID_ROLE, BRUGFIGUUR_ROLE, COORDINATOR_ROLE, POOL, Role
from brugwerk.access.rules import EDITABLE_LIST, ConditionRule, Rule, in_regions, per_region
from brugwerk.cases.rules import CaseTeam
from brugwerk.signals.models import (
    DRAFT_STATUSES,
    POLICY_STATUSES,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatusChange,
    SignalTheme,
)

RESPONDERS = frozenset({Role.COORDINATOR, Role.BELEID, Role.SCHOOLCONTACT})


def _passed_on(p: str = "") -> Q:
    """The signal has been passed on to policy and is still at or beyond that step."""
    return Q(**{f"{p}status__in": POLICY_STATUSES, f"{p}passed_on_on__isnull": False})


def _policy_view(principal: Principal, p: str = "") -> Q:
    """What policy sees: beleid every signal passed on; a school contact those about their school
    that must be solved at school level."""
    beleid = in_regions(principal, BELEID_ROLE, f"{p}region")
    own_school = per_region(
        principal.schools, f"{p}region_id", f"{p}school_id", **{f"{p}level": SignalLevel.SCHOOL}
    )
    return (beleid | own_school) & _passed_on(p)


def _signal_view(principal: Principal, p: str = "") -> Q:
    return in_regions(principal, POOL, f"{p}region") | _policy_view(principal, p)


def _signal_change(principal: Principal) -> Q:
    """The coordinator; the author while the pool has not passed the signal on yet."""
    author = in_regions(principal, BRUGFIGUUR_ROLE, "region") & Q(
        created_by_id=principal.user_id, status__in=DRAFT_STATUSES
    )
    return in_regions(principal, COORDINATOR_ROLE, "region") | author


def _history_view(principal: Principal) -> Q:
    """The pool sees the whole history; policy the steps from "passed on" onward only (what the
    pool said among itself before stays in the pool)."""
    pool = in_regions(principal, POOL, "signal__region")
    return pool | (_policy_view(principal, "signal__") & Q(to_status__in=POLICY_STATUSES))


def _signal_of(obj: Any) -> Signal | None:
    return getattr(obj, "signal", None) if getattr(obj, "signal_id", None) else None


def _backing_create(principal: Principal, obj: Any) -> bool:
    """A brugfiguur backs a signal of their region, always as themselves (the service makes the
    actor the backer)."""
    signal = _signal_of(obj)
    return (
        signal is not None
        and principal.has_role(signal.region_id, BRUGFIGUUR_ROLE)
        and obj.brugfiguur_id in (None, principal.user_id)
    )


def _own_backing(principal: Principal) -> Q:
    return in_regions(principal, BRUGFIGUUR_ROLE, "signal__region") & Q(brugfiguur_id=principal.user_id)


def _evidence_create(principal: Principal, obj: Any) -> bool:
    """Someone of the pool links a case they see to a signal of the same region."""
    signal = _signal_of(obj)
    if signal is None or obj.case_id is None or not principal.has_role(signal.region_id, POOL):
        return False
    return CaseTeam.allows(CaseTeam.view, principal, obj.case_id) and obj.case.region_id == signal.region_id


def _evidence_delete(principal: Principal) -> Q:
    """The coordinator, or whoever added it while they still see the case."""
    own = Q(added_by_id=principal.user_id) & CaseTeam.view(principal, "case__")
    return in_regions(principal, COORDINATOR_ROLE, "signal__region") | own


def _response_create(principal: Principal, obj: Any) -> bool:
    """The coordinator records answers at any time; policy (and a school contact for a school-level
    signal about their school) once the signal has been passed on to them."""
    signal = _signal_of(obj)
    if signal is None:
        return False
    if principal.has_role(signal.region_id, COORDINATOR_ROLE):
        return True
    return Signal.objects.filter(_policy_view(principal), pk=signal.pk).exists()


SIGNAL_RULE = ConditionRule(
    "region",
    {Action.VIEW: _signal_view, Action.CHANGE: _signal_change},
    create=lambda pr, obj: pr.has_role(obj.region_id, POOL),
    create_roles=POOL,
)

register_rules(
    {
        SignalTheme: Rule("region", EDITABLE_LIST),
        Signal: SIGNAL_RULE,
        SignalBacking: ConditionRule(
            "signal__region",
            {
                Action.VIEW: lambda pr: in_regions(pr, POOL, "signal__region"),
                Action.DELETE: _own_backing,  # withdrawing one's own backing
            },
            create=_backing_create,
            create_roles=BRUGFIGUUR_ROLE,
        ),
        SignalEvidence: ConditionRule(
            "signal__region",
            {Action.VIEW: lambda pr: CaseTeam.view(pr, "case__"), Action.DELETE: _evidence_delete},
            create=_evidence_create,
            create_roles=COORDINATOR_ROLE,
        ),
        SignalStatusChange: ConditionRule(
            "signal__region",
            {Action.VIEW: _history_view},
            create=lambda pr, obj: _signal_of(obj) is not None
            and pr.has_role(obj.signal.region_id, COORDINATOR_ROLE),
            create_roles=COORDINATOR_ROLE,
        ),
        SignalResponse: ConditionRule(
            "signal__region",
            {Action.VIEW: lambda pr: _signal_view(pr, "signal__")},
            create=_response_create,
            create_roles=RESPONDERS,
        ),
    }
)


register_permission(Permission(
    "signals.view_signals", "The signals of the region: the pool, who records them.",
    test=lambda pr, region_id, obj=None: SIGNAL_RULE.can_create_in(pr, region_id),
))
register_permission(Permission(
    "signals.answer_signals",
    "Signals passed on to policy, answered from outside the pool: policy makers, and school contacts "
    "for their school (the pool reaches the list from its own).",
    roles=RESPONDERS - POOL,
    main_for=BELEID_ROLE,
))
