"""Named permissions of the start page (see brugwerk/access; docs/access.md): the page itself, and
each of its sections (`home.selectors.start_page_for` shows the sections the user holds here)."""

from brugwerk.access.permissions import Permission
from brugwerk.access.registry import register_permission
from brugwerk.access.roles import ALL_ROLES, BELEID_ROLE, BRUGFIGUUR_ROLE, COORDINATOR_ROLE, Role

register_permission(Permission(
    "home.view_start", "The start page: a section for each role the user holds in the region.",
    roles=ALL_ROLES, main_for=ALL_ROLES,
))
register_permission(Permission(
    "home.start_as_beheerder",
    "Start page section: accounts at a glance (how many, without two-factor, recent login trouble).",
    roles=frozenset({Role.BEHEERDER}),
))
register_permission(Permission(
    "home.start_as_coordinator",
    "Start page section: the pool with its caseload, waiting lists, referrals to triage, overdue feedback.",
    roles=COORDINATOR_ROLE,
))
register_permission(Permission(
    "home.start_as_brugfiguur",
    "Start page section: my cases and reminders, today's appointments, my actions and sessions.",
    roles=BRUGFIGUUR_ROLE,
))
register_permission(Permission(
    "home.start_as_schoolcontact",
    "Start page section: my school, its bridge figures and contact points, my referrals.",
    roles=frozenset({Role.SCHOOLCONTACT}),
))
register_permission(Permission(
    "home.start_as_partner",
    "Start page section: my organisation's contact points and the referrals waiting for it.",
    roles=frozenset({Role.PARTNER}),
))
register_permission(Permission(
    "home.start_as_beleid",
    "Start page section: figures for policy makers, totals only.",
    roles=BELEID_ROLE,
))
