"""Request helpers every page uses: the region of the request, a page that does not exist for whoever
may not use it, a refusal of the policy answered as 404, the whole page or only its htmx fragment,
and a fresh password before a sensitive page.

`core` sits below every app, so it cannot ask `accounts` which region a user works in: the accounts
app registers its answer at start-up (`set_region_resolver` in `AccountsConfig.ready`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps
from typing import Any, Concatenate
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

# --- The region of the request ------------------------------------------------------------------

_region_resolver: Callable[[HttpRequest], Any] | None = None


def set_region_resolver(resolver: Callable[[HttpRequest], Any]) -> None:
    """Name the function that tells the region a request works in (or None). Set once, by `accounts`."""
    global _region_resolver
    _region_resolver = resolver


def request_region(request: HttpRequest) -> Any:
    """The region (`regions.Region`) the user works in, or None when they have no role in any."""
    if _region_resolver is None:
        raise ImproperlyConfigured("No region resolver: is brugwerk.accounts in INSTALLED_APPS?")
    return _region_resolver(request)


def region_or_404(request: HttpRequest) -> Any:
    """The region the user works in; a user without one finds no regional page (404)."""
    region = request_region(request)
    if region is None:
        raise Http404
    return region


# --- Missing and forbidden look alike -----------------------------------------------------------


def require(allowed: bool) -> None:
    """A page the user may not use does not exist for them (missing and forbidden look alike)."""
    if not allowed:
        raise Http404


@contextmanager
def refused_as_missing() -> Any:
    """A refusal of the access policy (`PermissionDenied`, raised by a service) inside this block is
    answered as a page that does not exist (404). Also a decorator: `@refused_as_missing()`."""
    try:
        yield
    except PermissionDenied:
        raise Http404 from None


# --- Whole page or htmx fragment ----------------------------------------------------------------


def render_page_or_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page, or for an htmx request (live search) only its `fragment` partial. A history
    restore (the back button) needs the whole page again."""
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request)
    response = render(request, f"{template}#{fragment}" if partial else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- A fresh password before a sensitive page ---------------------------------------------------

RECENT_PASSWORD_SECONDS = 10 * 60
SESSION_PASSWORD_CONFIRMED_AT = "brugwerk_password_confirmed_at"


def password_recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(SESSION_PASSWORD_CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float):
        return False
    return 0 <= time.time() - confirmed_at < RECENT_PASSWORD_SECONDS


def require_recent_password[R: HttpRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[R, P], HttpResponse]:
    """Send the user to re-enter their password (`accounts:confirm_password`) unless they did so in
    the last ten minutes."""

    @wraps(view)
    def wrapper(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if password_recently_confirmed(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:confirm_password')}?{query}")

    return wrapper
