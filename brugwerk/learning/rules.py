"""Access rules of Learning (see brugwerk/access for how rules work; docs/access.md).

- Learning sessions (intervision, coaching, learning networks) are the pool's own: a bridge figure
  sees those they took part in, facilitated or recorded; the coordinator sees all of the region.
  Nobody else, not even as aggregate here (time figures come through `learning.selectors.time_spent`).
  Changing: the coordinator, the bridge figure who recorded or facilitated the session, and the
  coached bridge figure of a coaching.
- The private note of a coaching is personal: only the coached bridge figure and the coach (when the
  coach uses Brugwerk) read it, not the coordinator as such (`may_read_coaching_note`).
- The library and the social map are shared knowledge without personal data: everyone with a role in
  the region reads them (the social map is useful to school contacts and partners too); the pool
  (bridge figures and coordinator) writes them.
- Learning themes are an editable list, managed like the life domains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register_permission, register_rules
from brugwerk.access.roles import ALL_ROLES, BRUGFIGUUR_ROLE, CASE_CREATORS, COORDINATOR_ROLE, Role
from brugwerk.access.rules import EDITABLE_LIST, ConditionRule, Rule, in_regions, role_create
from brugwerk.learning.models import LearningKind, LearningSession, LearningTheme, LibraryItem, SocialMapEntry

if TYPE_CHECKING:
    pass

POOL = CASE_CREATORS  # the coordinator and the bridge figures of a region


def _attended(principal: Principal) -> Q:
    attended = LearningSession.participants.through.objects.filter(user_id=principal.id)
    return Q(pk__in=attended.values("learningsession_id"))


def _session_view(principal: Principal) -> Q:
    """The coordinator: every session of the region; a bridge figure: those they took part in,
    facilitated or recorded."""
    own = Q(recorded_by_id=principal.user_id) | Q(facilitator_id=principal.user_id) | _attended(principal)
    return in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & own
    )


def _session_change(principal: Principal) -> Q:
    """The coordinator; a bridge figure who recorded or facilitated the session, or who was coached
    in it (a coaching is theirs)."""
    own = (
        Q(recorded_by_id=principal.user_id)
        | Q(facilitator_id=principal.user_id)
        | (Q(kind=LearningKind.COACHING) & _attended(principal))
    )
    return in_regions(principal, COORDINATOR_ROLE, "region") | (
        in_regions(principal, BRUGFIGUUR_ROLE, "region") & own
    )


def _reads_coaching_note(
    principal: Principal, region_id: int, session: LearningSession, *, people: list[int] | None = None
) -> bool:
    """Only the coached bridge figure and the coach, while they hold a role in the pool of the
    session's region. `people` are the ids of the coached participants, for a session not saved yet
    (or about to change)."""
    if session is None or session.kind != LearningKind.COACHING:
        return False
    if principal.user_id is None or not principal.has_role(session.region_id, POOL):
        return False
    if session.facilitator_id == principal.user_id:
        return True
    if people is None:
        people = [p.pk for p in session.participants.all()] if session.pk else []
    return principal.user_id in people


register_rules(
    {
        LearningTheme: Rule("region", EDITABLE_LIST),
        LearningSession: ConditionRule(
            "region",
            {Action.VIEW: _session_view, Action.CHANGE: _session_change},
            create=role_create(POOL),
            create_roles=POOL,
        ),
        LibraryItem: Rule("region", {Action.VIEW: ALL_ROLES, Action.CREATE: POOL, Action.CHANGE: POOL}),
        SocialMapEntry: Rule("region", {Action.VIEW: ALL_ROLES, Action.CREATE: POOL, Action.CHANGE: POOL}),
    }
)


register_permission(Permission(
    "learning.read_coaching_note",
    "Reading (and writing) the private note of a coaching (asked of the session): the coached bridge "
    "figure and the coach, not the coordinator as such.",
    test=_reads_coaching_note,
))
register_permission(Permission(
    "learning.view_sessions", "The pool's learning sessions (intervision, coaching, learning networks).",
    roles=POOL,
))
register_permission(Permission(
    "learning.coordinate_sessions",
    "Recording the pool's sessions as their coordinator: choosing oneself as facilitator or coach.",
    roles=COORDINATOR_ROLE,
))
register_permission(Permission(
    "learning.view_social_map", "The social map: shared knowledge without personal data.", roles=ALL_ROLES,
    main_for=frozenset({Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}),
))
register_permission(Permission("learning.view_library", "The library of the region.", roles=ALL_ROLES))
