"""The second factor: once a user who may see personal data has logged in with a password, every
page but the two-factor pages themselves stays closed until a TOTP code has been given."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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

        target = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
        return redirect(reverse(target))
