"""Named permission of the start page (see brugwerk/access; docs/access.md)."""

from brugwerk.access.permissions import Permission
from brugwerk.access.registry import register_permission
from brugwerk.access.roles import ALL_ROLES

register_permission(Permission(
    "home.view_start", "The start page: a section for each role the user holds in the region.",
    roles=ALL_ROLES, main_for=ALL_ROLES,
))
