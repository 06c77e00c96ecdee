"""The second factor: once a user who may see personal data has logged in with a password, every
page but the two-factor pages themselves stays closed until a TOTP code has been given.

And no copies: pages and downloads with personal data are not kept by the browser or a proxy."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from brugwerk.accounts.redirects import DEFAULT_NEXT, safe_next
from brugwerk.accounts.selectors import second_factor_required

OPEN_URL_NAMES = {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match and match.namespace else getattr(match, "url_name", "")
        if name in OPEN_URL_NAMES or request.path.startswith(settings.STATIC_URL):
            return None
        if not second_factor_required(user):
            return None
        from django_otp import user_has_device

        target = reverse("accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup")
        # The page that was asked for is opened once the code is given (checked again there); not a
        # form's target or an htmx fragment, which are no page to land on.
        is_page = request.method == "GET" and not request.headers.get("HX-Request")
        wanted = safe_next(request, request.get_full_path(), default="") if is_page else ""
        if wanted and wanted != reverse(DEFAULT_NEXT):
            target = f"{target}?{urlencode({'next': wanted})}"
        return redirect(target)


DOWNLOAD_TYPES = ("text/csv", "text/calendar")


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's other never-cache headers) on every response to a
    logged-in user and on every other response that sets a cookie or is a download (CSV exports, the
    iCalendar feed, handover summaries), so no browser cache or proxy keeps personal data. Static
    files are served before this middleware (WhiteNoise) and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL) and self._personal(request, response):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _personal(request, response) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        if response.cookies or response.has_header("Content-Disposition"):
            return True
        return response.get("Content-Type", "").split(";")[0].strip() in DOWNLOAD_TYPES
