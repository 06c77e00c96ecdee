"""Types for annotations only: nothing here changes what runs.

`AuthenticatedHttpRequest` is the request of a page behind Django's `LoginRequiredMiddleware` (every
page but those marked `login_not_required`): its `user` is a `User`, never the anonymous user, so a
view can hand `request.user` to a service or selector that takes `user: User`. At run time it is
`HttpRequest` itself. The import of `User` is for the type checker only, so this bottom layer does
not depend on `accounts` when the code runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from brugwerk.accounts.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        user: User

else:
    AuthenticatedHttpRequest = HttpRequest

__all__ = ["AuthenticatedHttpRequest"]
