"""Pages of Learning: sessions (intervision, coaching, learning networks) in `sessions`, the library,
the social map and the themes in `shared`."""

from __future__ import annotations

from typing import Any

from brugwerk.access import Action, can
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.learning.models import LearningSession, LearningTheme
from brugwerk.regions.models import Region


def learning_nav(request: AuthenticatedHttpRequest, region: Region) -> dict[str, Any]:
    """What the tabs of the learning pages show to this user."""
    user = request.user
    return {
        "nav_sessions": can(user, Action.CREATE, LearningSession, region=region),
        "nav_themes": can(user, Action.CREATE, LearningTheme, region=region),
    }
