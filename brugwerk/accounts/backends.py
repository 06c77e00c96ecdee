"""Logging in: with the username or the e-mail address, and one name per account for the lockout."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.crypto import salted_hmac


def user_for_login(login: str) -> Any:
    """The account a login name points at: the exact username first, then the username in another
    case, then the e-mail address (usernames may contain "@", and Django keeps "An" and "an" apart)."""
    if not login:
        return None
    User = get_user_model()
    return (
        User._default_manager.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .annotate(
            login_rank=Case(
                When(username=login, then=Value(0)),
                When(username__iexact=login, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("login_rank", "pk")
        .first()
    )


class UsernameOrEmailBackend(ModelBackend):
    """Log in with either the username or the e-mail address (both case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # The same work as a real check, so the time taken does not tell that the user is unknown.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


UNKNOWN_LOGIN_PREFIX = "unknown account #"


def unknown_login_label(login: str) -> str:
    """How a login name that matches no account is kept (audit trail, lockout records): never in clear,
    since it may well be a password typed in the wrong field, but as a short keyed digest, so that
    repeated tries of one name can still be told apart from others. Usernames cannot contain spaces,
    so the label never names a real account."""
    digest = salted_hmac("brugwerk.accounts.unknown-login", str(login).strip().lower(), algorithm="sha256")
    return UNKNOWN_LOGIN_PREFIX + digest.hexdigest()[:8]


def axes_username(request: Any, credentials: dict | None = None) -> str:
    """The name django-axes counts failures under (settings.AXES_USERNAME_CALLABLE): the account's
    username, so that "An", "an" and "an@school.be" share one lockout instead of five tries each; for
    a login that matches no account its `unknown_login_label`, so axes stores no clear text either."""
    if credentials:
        login = credentials.get("username")
    else:
        login = getattr(request, "POST", {}).get("username")
    login = str(login or "")
    user = user_for_login(login.strip()[:254])
    return user.get_username() if user is not None else unknown_login_label(login)
