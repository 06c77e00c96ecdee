"""The one access policy of Brugwerk.

Two questions per record kind: `can(user, action, obj)` ("may this user do this to this record?")
and `scope(user, queryset, action)` ("which of these records may this user see / act on?"), and one
about pages and tasks: `may(user, "cases.view_caseload", region=...)` (a named permission).
Default deny: a role not named in a rule gets nothing; an unknown record kind or permission raises.

This package is the mechanism and knows no domain app: each app registers the rules of its record
kinds and its permissions in `brugwerk/<app>/rules.py`, discovered at startup (`registry.py`); the
roles are in `roles.py`. docs/access.md shows the rules as a table. Outside this package, nobody
reads a user's roles to decide something: they ask these questions.
"""

from brugwerk.access.permissions import Permission, featured, may, regions_where, where
from brugwerk.access.policy import (
    Action,
    Principal,
    can,
    get_object_or_404,
    organisations_of,
    principal_of,
    region_ids_of,
    roles_in,
    schools_of,
    scope,
)

__all__ = [
    "Action",
    "Permission",
    "Principal",
    "can",
    "featured",
    "get_object_or_404",
    "may",
    "organisations_of",
    "principal_of",
    "region_ids_of",
    "regions_where",
    "roles_in",
    "schools_of",
    "scope",
    "where",
]
