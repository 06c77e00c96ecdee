"""Journey: a coordinator logs in with a password and a TOTP code and reaches the start page."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import log_in, totp_now
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_login_sets_up_two_factor_then_asks_for_it(world, visitor, settings):
    settings.BRUGWERK_REQUIRE_2FA = True
    page = visitor.page
    visitor.goto("/", "redirected-to-login")
    assert "/account/inloggen/" in page.url
    page.get_by_label(re.compile("Gebruikersnaam|Username")).fill("coord")
    page.get_by_label(re.compile("Wachtwoord|Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Inloggen|Log in")).click()
    page.wait_for_url(re.compile("/account/tweestaps/instellen/"))
    visitor.check("two-factor-setup")
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    page.get_by_label(re.compile("code", re.I)).fill(totp_now(device))
    page.get_by_role("button", name=re.compile("Bevestig|Confirm")).click()
    page.wait_for_url(re.compile(r"/$"))
    visitor.check("start-after-setup")
    assert TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).count() == 1


def test_login_with_email_and_confirmed_device(world, visitor, settings):
    settings.BRUGWERK_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    log_in(visitor, world.brugfiguur.email.upper(), PASSWORD, device=device)
    visitor.check("start")
    assert visitor.page.get_by_role("heading", level=1).count() == 1


def test_audit_chain_verifies_after_a_browser_session_and_breaks_when_a_row_is_altered(world, visitor):
    from django.core.management import CommandError, call_command

    from brugwerk.audit.models import AuditEntry
    from tests.audit.audit_tamper import raw_sql

    log_in(visitor, "coord", PASSWORD)
    for path in ("/regio/", "/regio/scholen/", "/netwerk/wie-is-mijn-contact/", "/pool/", "/audit/"):
        visitor.goto(path)
    call_command("audit_verify")
    entry = AuditEntry.objects.filter(event="view").order_by("seq").first()
    # On PostgreSQL the helper first switches the append-only triggers off, as the table's owner could.
    raw_sql("UPDATE {table} SET subject_label = %s WHERE id = %s", ["iets anders", entry.pk])
    with pytest.raises(CommandError, match="altered"):
        call_command("audit_verify")
