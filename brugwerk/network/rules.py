"""Access rules of the partner network (organisations and their contact points): the region's
directory (see brugwerk/access for how rules work; docs/access.md)."""

from __future__ import annotations

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import ALL_ROLES, Role
from brugwerk.access.rules import DIRECTORY, Rule
from brugwerk.network.models import ContactPoint, PartnerOrganisation

register(PartnerOrganisation, Rule("region", DIRECTORY))
register(ContactPoint, Rule("organisation__region", DIRECTORY))

register_permission(Permission(
    "network.find_contact", "Who is my contact? The fixed contact points of a school or place.",
    roles=DIRECTORY[Action.VIEW], main_for=ALL_ROLES - {Role.BEHEERDER, Role.BELEID},
))
register_permission(Permission(
    "network.view_organisations", "The partner organisations of the region.", roles=DIRECTORY[Action.VIEW],
    main_for=frozenset({Role.BEHEERDER}),
))
