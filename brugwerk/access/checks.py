"""The policy asked from a service: `require(actor, action, obj)` refuses (PermissionDenied) what the
policy does not allow. Views answer a refusal as a page that does not exist
(`brugwerk.core.http.refused_as_missing`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from brugwerk.access.policy import Action, can


def require(actor: Any, action: Action, obj: Any, *, region: Any = None) -> None:
    """PermissionDenied unless the policy allows `actor` (an `audit.services.Actor`) `action` on `obj`."""
    if not can(actor.user, action, obj, region=region):
        raise PermissionDenied
