"""Logging in: username or e-mail address, the lockout after repeated failures (per account and
address; the attacks on it are in tests/accounts/test_auth_attacks.py), the second factor for every role that
sees personal data, the 30-minute idle timeout and the password rules."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.audit.models import AuditEntry, AuditEvent
from tests.conftest import client_for
from tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")
START_URL = reverse("home:start")
SETUP_URL = reverse("accounts:otp_setup")
VERIFY_URL = reverse("accounts:otp_verify")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def require_2fa(settings):
    settings.BRUGWERK_REQUIRE_2FA = True


def log_in(client: Client, login: str, password: str = PASSWORD, path: str = LOGIN_URL, **extra):
    return client.post(path, {"username": login, "password": password}, **extra)


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    valid = {code_for(device, drift) for drift in range(-device.tolerance - 1, device.tolerance + 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


# --- Username or e-mail address --------------------------------------------------------------------


@pytest.mark.parametrize("login", ["coord", "COORD", "coord@brugwerk.test", "Coord@Brugwerk.TEST", " coord "])
def test_logs_in_with_username_or_email_in_any_case(world, client, login):
    response = log_in(client, login)
    assert response.status_code == 302 and response.url == START_URL
    assert logged_in_user_id(client) == str(world.coordinator.pk)
    assert client.get(START_URL).status_code == 200


def test_username_is_preferred_over_another_accounts_email(world, client):
    """A username may contain "@": an account whose username is someone else's e-mail address must
    still be the one that logs in with it."""
    from tests.factories import UserFactory

    other = UserFactory(username="coord@brugwerk.test", email="other@brugwerk.test")
    log_in(client, "coord@brugwerk.test")
    assert logged_in_user_id(client) == str(other.pk)


def test_wrong_password_shows_an_error_and_does_not_log_in(world, client):
    response = log_in(client, "coord", "not-the-password")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    form = response.context["form"]
    assert form.non_field_errors()
    assert str(form.non_field_errors()[0]) in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get(START_URL).status_code == 302


def test_inactive_account_cannot_log_in(world, client):
    world.coordinator.is_active = False
    world.coordinator.save(update_fields=["is_active"])
    response = log_in(client, "coord")
    assert response.status_code == 200 and response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_pages_need_a_login(world, client):
    response = client.get(reverse("regions:school_list"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_login_does_not_redirect_to_another_site(world, client):
    response = log_in(client, "coord", path=f"{LOGIN_URL}?next=https://evil.example/")
    assert response.status_code == 302 and response.url == START_URL


def test_logout_needs_a_post(world):
    client = client_for(world.coordinator)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user_id(client) == str(world.coordinator.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN_URL
    assert logged_in_user_id(client) is None


# --- Lockout (django-axes) -------------------------------------------------------------------------


def test_account_is_locked_after_the_failure_limit_and_the_lockout_page_shows(world, client):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "coord", "wrong")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    response = log_in(client, "coord", "wrong")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert 'role="alert"' in response.content.decode()

    # Even the right password does not get in now.
    response = log_in(client, "coord")
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_lockout_counts_the_account_not_the_spelling(world, client):
    """Case variants and the e-mail address are one account: five tries in all from one address, not
    five per spelling."""
    spellings = ["coord", "COORD", "Coord", "coord@brugwerk.test", "COORD@BRUGWERK.TEST"]
    for login in spellings:
        log_in(client, login, "wrong", REMOTE_ADDR="198.51.100.1")
    response = log_in(client, "coord", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_lockout_of_one_account_leaves_others_alone(world, client):
    """Also at the same address: colleagues behind one school address are not locked out."""
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coord", "wrong", REMOTE_ADDR="198.51.100.1")
    other = Client()
    response = log_in(other, "bf1", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 302
    assert logged_in_user_id(other) == str(world.brugfiguur.pk)


def test_a_successful_login_resets_the_failure_count(world, client):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "coord", "wrong")
    assert log_in(client, "coord").status_code == 302
    client.post(reverse("accounts:logout"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "coord", "wrong").status_code == 200
    assert log_in(client, "coord").status_code == 302


# --- Second factor --------------------------------------------------------------------------------


@pytest.mark.usefixtures("require_2fa")
def test_coordinator_who_logged_in_with_a_password_is_sent_to_set_up_two_factor(world, client):
    log_in(client, "coord")
    response = client.get(START_URL)
    assert response.status_code == 302 and response.url == SETUP_URL
    for url in (reverse("regions:school_list"), reverse("accounts:user_list")):
        response = client.get(url)
        # The page asked for comes along, to be opened once the second factor is set up.
        assert response.status_code == 302 and response.url == f"{SETUP_URL}?next={quote(url, safe='')}", url
    assert client.get(SETUP_URL).status_code == 200


@pytest.mark.usefixtures("require_2fa")
def test_completing_two_factor_setup_logs_in_and_is_audited(world, client):
    log_in(client, "coord")
    response = client.get(SETUP_URL)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    assert 'data-testid="otp-secret"' in response.content.decode()

    response = client.post(SETUP_URL, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == START_URL
    assert client.get(START_URL).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    added = AuditEntry.objects.get(event=AuditEvent.OTP_ADDED)
    assert (added.actor_id, added.subject_id, added.region_id) == (
        world.coordinator.pk, str(world.coordinator.pk), world.region.pk
    )


@pytest.mark.usefixtures("require_2fa")
def test_wrong_code_during_setup_is_refused_and_audited(world, client):
    log_in(client, "coord")
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=world.coordinator)
    response = client.post(SETUP_URL, {"token": wrong_code_for(device)})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEntry.objects.filter(event=AuditEvent.OTP_FAILED, actor=world.coordinator).count() == 1
    assert client.get(START_URL).url == SETUP_URL


@pytest.mark.usefixtures("require_2fa")
def test_user_with_a_device_must_give_the_right_code(world, client):
    device = TOTPDevice.objects.create(user=world.coordinator, name="Brugwerk", confirmed=True)
    log_in(client, "coord")
    response = client.get(START_URL)
    assert response.status_code == 302 and response.url == VERIFY_URL
    assert client.get(SETUP_URL).url == VERIFY_URL  # no second device behind the first one's back

    response = client.post(VERIFY_URL, {"token": wrong_code_for(device)})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    failed = AuditEntry.objects.get(event=AuditEvent.OTP_FAILED)
    assert (failed.actor_id, failed.ip) == (world.coordinator.pk, "127.0.0.1")
    assert client.get(START_URL).url == VERIFY_URL

    # django-otp slows guessing down (1 s after one failure); let that delay pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=10)
    )
    response = client.post(VERIFY_URL, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == START_URL
    assert client.get(START_URL).status_code == 200


@pytest.mark.usefixtures("require_2fa")
def test_codes_are_digits_only(world, client):
    TOTPDevice.objects.create(user=world.coordinator, name="Brugwerk", confirmed=True)
    log_in(client, "coord")
    response = client.post(VERIFY_URL, {"token": "12345a"})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    assert client.get(START_URL).url == VERIFY_URL


@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize(
    "persona", ["brugfiguur", "schoolcontact", "partner", "beheerder", "foreign_coordinator"]
)
def test_every_role_that_sees_personal_data_is_asked_for_two_factor(world, client, persona):
    log_in(client, world.persona(persona).username)
    assert client.get(START_URL).url == SETUP_URL


@pytest.mark.usefixtures("require_2fa")
def test_policy_maker_who_sees_no_personal_data_is_not_asked_for_two_factor(world, client):
    log_in(client, "beleid")
    assert client.get(START_URL).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.beleid).exists()


# --- Sessions --------------------------------------------------------------------------------------


def test_session_ends_after_thirty_minutes_without_a_request(world, client):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    log_in(client, "coord")
    assert client.get(START_URL).status_code == 200
    assert client.session.get_expiry_age() == 1800
    session = Session.objects.get(session_key=client.session.session_key)
    assert abs((session.expire_date - timezone.now()).total_seconds() - 1800) < 60

    # Each request pushes the end back: nearly idle for 30 minutes, then a request renews it.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert client.get(START_URL).status_code == 200
    renewed = Session.objects.get(session_key=client.session.session_key)
    assert (renewed.expire_date - timezone.now()).total_seconds() > 1700

    # Idle longer than that: the session is gone and the next page asks to log in again.
    Session.objects.filter(pk=renewed.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(START_URL)
    assert response.status_code == 302 and response.url.startswith(LOGIN_URL)


# --- Passwords ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["Kort-1!", "Elf-tekens1", "password1234", "123456789012", "coord@brugwerk.test"]
)
def test_password_validators_reject_weak_passwords(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.coordinator)


def test_password_validators_accept_a_long_uncommon_password(world):
    assert validate_password("Brug-naar-onderwijs-2026", world.coordinator) is None
