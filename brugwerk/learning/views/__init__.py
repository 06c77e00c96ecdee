"""Pages of Learning: sessions (intervision, coaching, learning networks) in `sessions`, the library,
the social map and the themes in `shared`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from brugwerk.access import Action, can
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.learning.models import LearningSession, LearningTheme
from brugwerk.regions.models import Region
from brugwerk.regions.views import run_form


def save_form(request: AuthenticatedHttpRequest, form: Any, save: Callable[[], Any]) -> Any:
    """`run_form`, with a service's refusal answered as a page that does not exist (404)."""
    try:
        return run_form(request, form, save)
    except PermissionDenied:
        raise Http404 from None


def learning_nav(request: AuthenticatedHttpRequest, region: Region) -> dict[str, Any]:
    """What the tabs of the learning pages show to this user."""
    user = request.user
    return {
        "nav_sessions": can(user, Action.CREATE, LearningSession, region=region),
        "nav_themes": can(user, Action.CREATE, LearningTheme, region=region),
    }
