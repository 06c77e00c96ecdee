"""The one access policy of Brugwerk.

Two questions, per record kind: `can(user, action, obj)` ("may this user do this to this record?")
and `scope(user, queryset, action)` ("which of these records may this user see / act on?").
Default deny: a role not named in a rule gets nothing, an unknown record kind raises.
Rules live in `brugwerk.access.rules`; see docs/access.md for the matrix they implement.
"""

from brugwerk.access.policy import (
    Action,
    Principal,
    can,
    get_object_or_404,
    principal_of,
    scope,
)

__all__ = ["Action", "Principal", "can", "get_object_or_404", "principal_of", "scope"]
