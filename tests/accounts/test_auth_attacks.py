"""Issue 8, the attacks on logging in and on account events, each performed and refused:

- finding 2: no `next` value sends the browser to another site (login, the two-factor steps, the
  password re-entry, the language switch), and the second-factor step opens the page that was asked;
- finding 9: wrong old passwords in the password change are recorded, and five end the session;
- finding 11: pages and downloads with personal data are not cached; failures from one address do
  not lock the account's owner out elsewhere; a login that matches no account is never kept in clear;
- finding 4 (last part): an account's events go to every region where it holds a role.
"""

import re
from datetime import timedelta
from urllib.parse import quote, urljoin, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.accounts.backends import unknown_login_label
from brugwerk.accounts.models import Membership
from brugwerk.accounts.redirects import safe_next
from brugwerk.agenda.models import CalendarFeed
from brugwerk.audit.models import AuditEntry, AuditEvent
from tests import factories as f
from tests import factories_cases as fc
from tests.accounts.test_auth import code_for, log_in, logged_in_user_id
from tests.conftest import client_for
from tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")
START_URL = reverse("home:start")
VERIFY_URL = reverse("accounts:otp_verify")
SETUP_URL = reverse("accounts:otp_setup")
CONFIRM_URL = reverse("accounts:confirm_password")
PASSWORD_CHANGE_URL = reverse("accounts:password_change")
MY_ACCOUNT_URL = reverse("accounts:my_account")
SCHOOLS_URL = reverse("regions:school_list")
NEW = "Schelde-Leie-Kanaal-77"

# Every way the review (and the usual lists) found to leave a site through a "next" parameter.
HOSTILE_NEXT = [
    "https://evil.example",
    "https://evil.example/account/",
    "//evil.example",
    "///evil.example",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver@evil.example/",
    "http://testserver/",  # our own host, but a full URL: not needed, so not allowed
    "evil.example",
    "",
]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def require_2fa(settings):
    settings.BRUGWERK_REQUIRE_2FA = True


@pytest.fixture
def device(world):
    return TOTPDevice.objects.create(user=world.coordinator, name="Brugwerk", confirmed=True)


def assert_stays_on_site(response) -> None:
    """The redirect lands on this site, read the way a browser reads it (which drops tabs and
    newlines and takes a backslash for a slash)."""
    assert response.status_code == 302
    location = re.sub(r"[\t\n\r]", "", response["Location"]).replace("\\", "/")
    landed = urlsplit(urljoin("http://testserver/some/page/", location))
    assert (landed.scheme, landed.netloc) == ("http", "testserver"), response["Location"]


# --- Finding 2: open redirect after the two-factor step ----------------------------------------------


@pytest.mark.usefixtures("require_2fa")
def test_the_reported_login_and_two_factor_chain_ends_on_our_own_site(world, client, device):
    """The exact URL of the finding: the login page sends on to the two-factor page, whose `next`
    is https://evil.example. After the right code the browser must still be on Brugwerk."""
    url = "/account/inloggen/?next=%2Faccount%2Ftweestaps%2F%3Fnext%3Dhttps%253A%252F%252Fevil.example"
    page = client.get(url)
    assert page.status_code == 200
    wanted = page.context["next"]  # what the login form posts back, as a browser would
    assert wanted == "/account/tweestaps/?next=https%3A%2F%2Fevil.example"

    response = client.post(url, {"username": "coord", "password": PASSWORD, "next": wanted})
    assert_stays_on_site(response)
    assert response.url == wanted  # a page of our own: allowed

    assert client.get(response.url).status_code == 200
    response = client.post(response.url, {"token": code_for(device)})
    assert_stays_on_site(response)
    assert response.url == START_URL
    assert client.get(response.url).status_code == 200


@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_two_factor_step_never_sends_the_browser_to_another_site(world, client, device, hostile):
    log_in(client, "coord")
    response = client.post(f"{VERIFY_URL}?next={quote(hostile, safe='')}", {"token": code_for(device)})
    assert_stays_on_site(response)
    assert response.url == START_URL
    # Once verified, the same link again does not lead away either.
    assert_stays_on_site(client.get(f"{VERIFY_URL}?next={quote(hostile, safe='')}"))


@pytest.mark.usefixtures("require_2fa")
def test_two_factor_setup_does_not_send_the_browser_to_another_site(world, client):
    log_in(client, "coord")
    client.get(SETUP_URL)
    pending = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    response = client.post(f"{SETUP_URL}?next=https%3A%2F%2Fevil.example", {"token": code_for(pending)})
    assert_stays_on_site(response)
    assert response.url == START_URL


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_login_page_never_sends_the_browser_to_another_site(world, client, hostile):
    response = client.post(LOGIN_URL, {"username": "coord", "password": PASSWORD, "next": hostile})
    assert_stays_on_site(response)
    assert response.url == START_URL


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_password_re_entry_never_sends_the_browser_to_another_site(world, hostile):
    client = client_for(world.coordinator)
    response = client.post(f"{CONFIRM_URL}?next={quote(hostile, safe='')}", {"password": PASSWORD, "next": hostile})
    assert_stays_on_site(response)
    assert response.url == START_URL


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_language_switch_never_sends_the_browser_to_another_site(world, client, hostile):
    """Django's own view, with its own check of `next` (the same as `safe_next`'s, which also
    refuses full URLs of our own host)."""
    response = client.post(reverse("set_language"), {"language": "nl", "next": hostile})
    assert_stays_on_site(response)


@pytest.mark.parametrize("hostile", [*HOSTILE_NEXT, None, 42, "/ok\r\nSet-Cookie: x=1", "/ok\x00"])
def test_safe_next_refuses_everything_but_a_path_on_this_site(hostile):
    request = RequestFactory().get("/")
    assert safe_next(request, hostile) == START_URL
    assert safe_next(request, hostile, default="") == ""


@pytest.mark.parametrize("path", ["/regio/scholen/", "/werk/dossiers/1/?tab=doelen#goals", "/"])
def test_safe_next_keeps_a_path_on_this_site(path):
    assert safe_next(RequestFactory().get("/"), path) == path


@pytest.mark.usefixtures("require_2fa")
def test_the_page_asked_for_before_the_second_factor_opens_after_it(world, client, device):
    """Asked for the schools list, sent to the code first (carrying the page along), then there."""
    log_in(client, "coord")
    response = client.get(f"{SCHOOLS_URL}?q=Sint")
    wanted = f"{SCHOOLS_URL}?q=Sint"
    assert response.status_code == 302 and response.url == f"{VERIFY_URL}?next={quote(wanted, safe='')}"
    response = client.post(response.url, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == wanted
    assert client.get(wanted).status_code == 200


@pytest.mark.usefixtures("require_2fa")
def test_the_page_asked_for_is_carried_through_the_two_factor_setup(world, client):
    log_in(client, "coord")
    response = client.get(SCHOOLS_URL)
    assert response.url == f"{SETUP_URL}?next={quote(SCHOOLS_URL, safe='')}"
    client.get(response.url)
    pending = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    response = client.post(response.url, {"token": code_for(pending)})
    assert response.status_code == 302 and response.url == SCHOOLS_URL


@pytest.mark.usefixtures("require_2fa")
def test_a_login_with_next_goes_through_the_second_factor_to_that_page(world, client, device):
    response = client.get(SCHOOLS_URL)
    assert response.url == f"{LOGIN_URL}?next={SCHOOLS_URL}"
    response = client.post(response.url, {"username": "coord", "password": PASSWORD, "next": SCHOOLS_URL})
    assert response.url == SCHOOLS_URL
    response = client.get(SCHOOLS_URL)
    assert response.url == f"{VERIFY_URL}?next={quote(SCHOOLS_URL, safe='')}"
    response = client.post(response.url, {"token": code_for(device)})
    assert response.url == SCHOOLS_URL


# --- Finding 9: the password change is throttled and audited -----------------------------------------


def change_password(client, old: str, new: str = NEW):
    return client.post(PASSWORD_CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})


def password_failures(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, subject_id=str(user.pk)).order_by("seq"))


def test_five_wrong_old_passwords_are_recorded_and_end_the_session(world):
    user = world.schoolcontact
    client = client_for(user)
    for attempt in range(1, 5):
        response = change_password(client, f"guess-{attempt}")
        assert response.status_code == 200 and response.context["form"].errors["old_password"]
        assert logged_in_user_id(client) == str(user.pk)
    response = change_password(client, "guess-5")
    assert response.status_code == 302 and response.url == LOGIN_URL
    assert logged_in_user_id(client) is None
    response = client.get(MY_ACCOUNT_URL)
    assert response.status_code == 302 and response.url.startswith(LOGIN_URL)

    failures = password_failures(user)
    assert len(failures) == 5
    assert all(e.actor_id == user.pk and e.changes == {"step": "password change"} for e in failures)
    assert all(e.region_id == world.region.pk for e in failures)
    assert AuditEntry.objects.filter(event=AuditEvent.LOGOUT, subject_id=str(user.pk)).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_logout_after_five_wrong_old_passwords_says_why(world):
    client = client_for(world.schoolcontact)
    for attempt in range(5):
        response = change_password(client, f"guess-{attempt}")
    page = client.get(response.url)
    assert "wrong too many times" in page.content.decode()


def test_the_right_old_password_still_works_after_four_wrong_ones(world):
    user = world.schoolcontact
    client = client_for(user)
    for attempt in range(4):
        assert change_password(client, f"guess-{attempt}").status_code == 200
    response = change_password(client, PASSWORD)
    assert response.status_code == 302 and response.url == MY_ACCOUNT_URL
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get(MY_ACCOUNT_URL).status_code == 200
    assert len(password_failures(user)) == 4
    # The count starts again after the right password.
    for attempt in range(4):
        assert change_password(client, f"guess-{attempt}", new="Brug-naar-onderwijs-2026").status_code == 200
    assert logged_in_user_id(client) == str(user.pk)


def test_a_weak_new_password_is_not_counted_as_a_wrong_one(world):
    client = client_for(world.schoolcontact)
    for _attempt in range(6):
        response = change_password(client, PASSWORD, new="kort")
        assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    assert logged_in_user_id(client) == str(world.schoolcontact.pk)
    assert password_failures(world.schoolcontact) == []


def test_wrong_passwords_count_together_over_re_entry_and_password_change(world):
    """One count per session: switching between the two pages gives no more guesses."""
    client = client_for(world.coordinator)
    for attempt in range(3):
        assert client.post(CONFIRM_URL, {"password": f"guess-{attempt}"}).status_code == 200
    assert change_password(client, "guess-3").status_code == 200
    response = change_password(client, "guess-4")
    assert response.status_code == 302 and response.url == LOGIN_URL
    assert logged_in_user_id(client) is None
    steps = [e.changes["step"] for e in password_failures(world.coordinator)]
    assert steps == ["password confirmation"] * 3 + ["password change"] * 2


# --- Finding 11 (a): no copies of personal data in caches --------------------------------------------


def assert_not_stored(response) -> None:
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "no-cache", "private"} <= cache_control, response.get("Cache-Control")


def test_a_case_page_is_not_stored(world):
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school)
    response = client_for(world.brugfiguur).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_a_csv_export_is_not_stored(world):
    today = timezone.localdate()
    response = client_for(world.coordinator).get(
        reverse("timeuse:export"), {"date_from": (today - timedelta(days=7)).isoformat(), "date_to": today.isoformat()}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert_not_stored(response)


def test_the_login_page_and_the_pages_after_logging_in_are_not_stored(world, client):
    assert_not_stored(client.get(LOGIN_URL))  # it sets the CSRF cookie
    response = log_in(client, "coord")
    assert response.status_code == 302
    assert_not_stored(response)
    assert_not_stored(client.get(LOGIN_URL))  # logged in: sent on, and not stored
    assert_not_stored(client.get(START_URL))
    assert_not_stored(client.post(reverse("accounts:logout")))


def test_the_calendar_feed_is_not_stored(world):
    feed = CalendarFeed.objects.create(user=world.brugfiguur)
    response = Client().get(reverse("agenda:calendar_feed_ics", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert_not_stored(response)


def test_static_files_keep_their_caching(world):
    response = client_for(world.coordinator).get(f"{settings.STATIC_URL}brugwerk/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Finding 11 (b): nobody locks another person's account at will -----------------------------------

ADDRESS_A, ADDRESS_B = "198.51.100.7", "203.0.113.9"


def fail(login: str, address: str, times: int = settings.AXES_FAILURE_LIMIT) -> None:
    for _attempt in range(times):
        log_in(Client(), login, "wrong", REMOTE_ADDR=address)


def test_failures_from_one_address_lock_the_account_there_and_nowhere_else(world):
    fail("coord", ADDRESS_A)
    # Locked at A: even the right password does not get in from there.
    stranger = Client()
    assert log_in(stranger, "coord", REMOTE_ADDR=ADDRESS_A).status_code == 429
    assert logged_in_user_id(stranger) is None
    # The owner, at their own address, is not locked out.
    owner = Client()
    response = log_in(owner, "coord", REMOTE_ADDR=ADDRESS_B)
    assert response.status_code == 302 and logged_in_user_id(owner) == str(world.coordinator.pk)
    # Another account at address A is not touched either.
    colleague = Client()
    response = log_in(colleague, "bf1", REMOTE_ADDR=ADDRESS_A)
    assert response.status_code == 302 and logged_in_user_id(colleague) == str(world.brugfiguur.pk)
    # And the lock at A still holds after the owner's login elsewhere.
    assert log_in(Client(), "coord", REMOTE_ADDR=ADDRESS_A).status_code == 429


def test_the_lock_at_an_address_lifts_after_the_cool_off(world):
    fail("coord", ADDRESS_A)
    assert log_in(Client(), "coord", REMOTE_ADDR=ADDRESS_A).status_code == 429
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(minutes=1))
    client = Client()
    assert log_in(client, "coord", REMOTE_ADDR=ADDRESS_A).status_code == 302


def test_the_system_checks_no_longer_need_silencing(db):
    """The per-address lockout satisfies axes' own check (W006); nothing silences it any more."""
    from django.core.checks import run_checks

    assert "axes.W006" not in getattr(settings, "SILENCED_SYSTEM_CHECKS", [])
    assert not [m for m in run_checks() if m.id == "axes.W006"]


# --- Finding 11 (c): a login that matches no account is never kept in clear ---------------------------

TYPED = "Mijn-Geheim-Wachtwoord-2026"  # a password typed into the username field


def stored_text() -> str:
    audit = "\n".join(entry.canonical() for entry in AuditEntry.objects.all())
    attempts = "\n".join(f"{a.username} {a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    return f"{audit}\n{attempts}".lower()


def test_an_unknown_login_is_kept_only_as_a_keyed_digest(world):
    log_in(Client(), TYPED, "wrong", REMOTE_ADDR=ADDRESS_A)
    log_in(Client(), TYPED.upper(), "wrong", REMOTE_ADDR=ADDRESS_B)
    log_in(Client(), "someone-else", "wrong", REMOTE_ADDR=ADDRESS_A)
    first, second, other = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).order_by("seq")
    assert re.fullmatch(r"unknown account #[0-9a-f]{8}", first.actor_label)
    assert first.actor_label == second.actor_label == unknown_login_label(TYPED)  # tries can be correlated
    assert other.actor_label != first.actor_label
    assert (first.actor_id, first.subject_id) == (None, "")
    assert TYPED.lower() not in stored_text() and "someone-else" not in stored_text()


def test_a_lockout_of_an_unknown_login_is_kept_only_as_its_digest(world):
    fail(TYPED, ADDRESS_A)
    (locked,) = AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT)
    assert (locked.actor_label, locked.ip) == (unknown_login_label(TYPED), ADDRESS_A)
    assert TYPED.lower() not in stored_text()


def test_a_known_account_stays_named_through_its_user(world):
    fail("COORD@brugwerk.test", ADDRESS_A)
    failed = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).order_by("seq").first()
    assert (failed.subject_id, failed.region_id) == (str(world.coordinator.pk), world.region.pk)
    (locked,) = AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT)
    assert (locked.subject_id, locked.region_id) == (str(world.coordinator.pk), world.region.pk)


def test_the_administrator_never_sees_a_typed_unknown_login(world):
    fail(TYPED, ADDRESS_A)
    beheerder = client_for(world.beheerder)
    for url in (reverse("audit:entry_list"), START_URL):
        response = beheerder.get(url)
        assert response.status_code == 200
        assert TYPED.lower() not in response.content.decode().lower()


# --- Finding 4 (last part): an account's events go to every region where it holds a role -------------


def test_a_second_region_does_not_take_over_an_accounts_events(world):
    """As in the finding: region A's coordinator adds region B's bridge figure ("Regio A" comes first
    by name). B's coordinator must keep seeing their logins, and A gets them too."""
    Membership.objects.create(user=world.foreign_brugfiguur, region=world.region, role=Role.BRUGFIGUUR)
    client = Client()
    assert log_in(client, "bf-b").status_code == 302
    client.post(reverse("accounts:logout"))
    fail("bf-b", ADDRESS_A)
    subject = str(world.foreign_brugfiguur.pk)
    for event in (AuditEvent.LOGIN, AuditEvent.LOGOUT, AuditEvent.LOCKED_OUT):
        regions = sorted(AuditEntry.objects.filter(event=event, subject_id=subject).values_list("region_id", flat=True))
        assert regions == sorted([world.region.pk, world.other_region.pk]), event
    failed = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, subject_id=subject)
    assert failed.filter(region=world.region).count() == failed.filter(region=world.other_region).count() == 5


def test_a_login_is_in_the_trail_of_each_region_of_the_account_and_no_other(world):
    third = f.RegionFactory(name="Regio C", slug="regio-c")
    third_coordinator = f.user_with_role(Role.COORDINATOR, third, username="coord-c")
    both = f.user_with_role(Role.BRUGFIGUUR, world.region, username="bf-ab")
    Membership.objects.create(user=both, region=world.other_region, role=Role.BRUGFIGUUR)
    Membership.objects.create(user=both, region=third, role=Role.BELEID, revoked_at=timezone.now())
    assert log_in(Client(), "bf-ab").status_code == 302

    logins = AuditEntry.objects.filter(event=AuditEvent.LOGIN, subject_id=str(both.pk))
    assert sorted(logins.values_list("region_id", flat=True)) == sorted([world.region.pk, world.other_region.pk])
    in_a = logins.get(region=world.region)
    in_b = logins.get(region=world.other_region)

    def shown_to(user) -> set[int]:
        response = client_for(user).get(reverse("audit:entry_list"), {"event": AuditEvent.LOGIN})
        assert response.status_code == 200
        return {entry.seq for entry in response.context["page"].object_list}

    assert in_a.seq in shown_to(world.coordinator) and in_b.seq not in shown_to(world.coordinator)
    assert in_a.seq in shown_to(world.beheerder)
    assert in_b.seq in shown_to(world.foreign_coordinator)
    assert not AuditEntry.objects.filter(subject_id=str(both.pk), region=third).exists()
    assert not shown_to(third_coordinator) & {in_a.seq, in_b.seq}
