"""Journeys through the directory: a school contact on a phone finds their CAW contact point; a
brugfiguur switches the interface to English and back."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.accounts.models import User
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_school_contact_finds_the_caw_contact_for_their_school_on_a_phone(demo, phone_visitor, settings):
    settings.BRUGWERK_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=User.objects.get(username="school"), name="phone", confirmed=True)
    log_in(phone_visitor, "school", "brugwerk-demo", device=device)
    page = phone_visitor.page
    phone_visitor.check("start")
    page.get_by_role("link", name=re.compile("Wie is mijn contact")).first.click()
    page.wait_for_url(re.compile("/netwerk/wie-is-mijn-contact/"))
    phone_visitor.check("contact-finder")
    # The school contact's own school is chosen already; they pick the CAW.
    assert page.get_by_label("School").evaluate("el => el.options[el.selectedIndex].text") == (
        "Stedelijk Instituut Overleie"
    )
    page.get_by_label(re.compile("^Organisatie:?$")).select_option(label="CAW Zuid-West-Vlaanderen")
    page.get_by_role("button", name=re.compile("contact", re.I)).click()
    answer = page.locator("#contact-answer")
    answer.get_by_text("Bart Claeys").wait_for()
    phone_visitor.check("contact-found")
    assert answer.locator("a[href^='tel:']").count() >= 1
    assert answer.locator("a[href^='mailto:']").count() >= 1


def test_user_switches_the_interface_to_english_and_back(demo, visitor):
    log_in(visitor, "bf-sofie", "brugwerk-demo")
    page = visitor.page
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("header nav").get_by_role("link", name="Wie is mijn contact?").count() == 1
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Taal wijzigen").click()
    page.wait_for_load_state("networkidle")
    visitor.check("english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header nav").get_by_role("link", name="Who is my contact?").count() == 1
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")
    visitor.check("dutch-again")
    assert page.locator("html").get_attribute("lang") == "nl"
