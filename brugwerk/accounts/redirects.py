"""Where a `next` parameter may send the browser: back into Brugwerk, and nowhere else.

Every view that redirects to a `next` value asks `safe_next` (the login page, the two-factor pages,
the password re-entry, the second-factor middleware). A value passes only if it is a path on this
site: it starts with one "/" (not "//" or "/\\", which browsers read as another host), holds no
control characters (browsers drop tabs and newlines, so "/\\t/evil.example" would become
"//evil.example", and a newline would break the Location header), and Django's own check agrees.
A full URL is refused even when it names our own host: nothing in Brugwerk needs one.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT_NEXT = "home:start"


def is_local_path(request: HttpRequest, value: object) -> bool:
    """Is `value` a path on this site that a redirect may safely go to?"""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return False
    return url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, value: object, default: str = DEFAULT_NEXT) -> str:
    """`value` if it is a path on this site, else `default` (a URL name or a path; "" gives "")."""
    if is_local_path(request, value):
        return str(value)
    return resolve_url(default) if default else ""
