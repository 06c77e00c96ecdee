"""Time use in the browser, on the W13 demo: the coordinator looks at the pool's time this school
year, picks this month, makes a mistake in the dates and corrects it; a policy maker reads the
totals on a phone (no persons); a brugfiguur sees their own time. Every page is checked by axe-core
and photographed under var/screenshots/<test name>/."""

import re

import pytest

from brugwerk.accounts.models import User
from tests.browser.conftest import DESKTOP, PHONE, Visitor, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "brugwerk-demo"
URL = "/tijd/"


def test_time_use_for_the_coordinator_a_policy_maker_and_a_brugfiguur(demo, browser, live_server, request):
    contexts = []

    def open_as(username: str, *, phone: bool = False) -> Visitor:
        context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="nl-BE")
        contexts.append(context)
        visitor = Visitor(context.new_page(), live_server, request.node.name)
        visitor.count = len(contexts) * 100
        log_in(visitor, username, PASSWORD)
        return visitor

    try:
        coordinator = open_as("coordinator")
        coordinator.goto(URL, "pool-school-year")
        page = coordinator.page
        assert re.match("Tijdsbesteding|Time use", page.get_by_role("heading", level=1).inner_text())
        bf = User.objects.get(username="bf-sofie")
        assert str(bf) in page.content()
        page.get_by_role("link", name=re.compile("Deze maand|This month")).click()
        page.wait_for_url(re.compile(r"period=month"))
        coordinator.check("pool-this-month")
        page.fill("input[name=date_from]", "2025-05-01")
        page.fill("input[name=date_to]", "2025-04-01")
        page.get_by_role("button", name=re.compile("Deze data tonen|Show these dates")).click()
        page.wait_for_url(re.compile(r"date_from="))
        coordinator.check("pool-wrong-dates")
        assert "De einddatum ligt voor de begindatum." in page.content()
        page.fill("input[name=date_to]", "2026-04-30")
        page.get_by_role("button", name=re.compile("Deze data tonen|Show these dates")).click()
        page.wait_for_load_state("networkidle")
        coordinator.check("pool-own-dates")
        assert page.get_by_role("table").count() >= 3

        beleid = open_as("beleid", phone=True)
        beleid.goto(URL, "beleid-phone")
        assert str(bf) not in beleid.page.content()

        sofie = open_as("bf-sofie", phone=True)
        sofie.goto(URL, "brugfiguur-phone")
        assert str(bf) in sofie.page.content()
    finally:
        for context in contexts:
            context.close()
