"""A signal from creation to an answer from policy, in the browser, each step by its role:

a brugfiguur records a signal and adds one of her cases as evidence → a second brugfiguur (on a
phone) backs it → the coordinator moves it to "discussed in the pool" and passes it on to policy →
the policy maker (login "beleid") finds it in the list passed on to policy with the evidence as a
count, records the answer, and gets a 404 on a case address → the coordinator marks action taken.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name."""

import re

import pytest

from brugwerk.accounts.models import User
from brugwerk.cases.models import Case
from brugwerk.regions.models import Region
from brugwerk.signals.models import Signal, SignalBacking, SignalEvidence, SignalResponse, SignalStatus
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Geen studieplek thuis voor leerlingen in Kortrijk-Overleie"


def f(name: str) -> str:
    return f":is([name='{name}'], [name$='-{name}'])"


def submit(visitor: Visitor, form_selector: str, name: str) -> None:
    with visitor.page.expect_navigation():
        visitor.page.locator(f"{form_selector} [type=submit]").last.click()
    visitor.check(name)


def test_a_signal_travels_from_a_brugfiguur_to_an_answer_from_policy(demo, open_as):
    region = Region.objects.get(slug="w13")
    sofie = User.objects.get(username="bf-sofie")
    case = Case.objects.filter(region=region, lead=sofie).select_related("young_person").first()
    kortrijk = region.municipalities.get(name="Kortrijk")

    # 1. A brugfiguur records the signal and adds one of her cases as evidence.
    bf = open_as("bf-sofie")
    bf.goto("/signalen/", "bf-signal-list")
    bf.goto("/signalen/nieuw/", "bf-signal-form")
    page = bf.page
    page.select_option(f("theme"), label="wonen")
    page.fill(f("title"), TITLE)
    page.fill(f("description"), "Gezinnen wonen met te veel in een kleine woning; leerlingen maken hun taken "
                                "op de trap of in de keuken en halen hun punten niet.")
    page.select_option(f("level"), "municipality")
    page.select_option(f("municipality"), str(kortrijk.pk))
    page.fill(f("low_threshold_contacts"), "3")
    page.fill(f("minutes"), "30")
    submit(bf, "main form", "bf-signal-recorded")
    signal = Signal.objects.get(title=TITLE)
    assert signal.created_by == sofie and signal.status == SignalStatus.RECORDED
    detail = f"/signalen/{signal.pk}/"

    bf.goto(f"{detail}bewijs/", "bf-evidence-search")
    with page.expect_response(lambda response: "bewijs/?q=" in response.url):
        page.fill(f("q"), case.young_person.first_name)
    page.locator(f"#evidence-candidates input[name=case][value='{case.pk}']").wait_for(state="attached")
    bf.check("bf-evidence-found")
    with page.expect_navigation():
        page.locator(f"form:has(input[name=case][value='{case.pk}']) [type=submit]").click()
    bf.check("bf-evidence-added")
    assert SignalEvidence.objects.filter(signal=signal, case=case).exists()

    # 2. A second brugfiguur, on a phone, backs the signal.
    jonas = open_as("bf-jonas", phone=True)
    jonas.goto(detail, "bf2-signal")
    assert case.young_person.last_name not in jonas.page.content()  # not his case: a count only
    jonas.goto(f"{detail}steunen/", "bf2-back-form")
    jonas.page.fill(f("note"), "Zie ik ook in Menen: twee gezinnen in mijn begeleiding.")
    submit(jonas, "main form", "bf2-backed")
    assert SignalBacking.objects.filter(signal=signal).count() == 2

    # 3. The coordinator discusses it in the pool and passes it on to policy.
    coordinator = open_as("coordinator")
    coordinator.goto(detail, "coordinator-signal")
    for status, note, name in (
        ("discussed", "Herkend door de hele pool op het teamoverleg.", "discussed"),
        ("passed_on", "Bezorgd aan de schepen van Wonen van Kortrijk.", "passed-on"),
    ):
        coordinator.goto(f"{detail}status/", f"coordinator-status-form-{name}")
        coordinator.page.select_option(f("to_status"), status)
        coordinator.page.fill(f("note"), note)
        coordinator.page.fill(f("minutes"), "20")
        submit(coordinator, "main form", f"coordinator-{name}")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.PASSED_ON and signal.passed_on_on is not None

    # 4. Policy sees it with the evidence count, records the answer, and cannot open any case.
    beleid = open_as("beleid")
    beleid.goto("/signalen/beleid/", "beleid-policy-list")
    item = beleid.page.locator("li", has=beleid.page.get_by_role("link", name=TITLE))
    assert re.search(r"\b1 (dossier|case)\b", item.inner_text())
    beleid.page.get_by_role("link", name=TITLE).click()
    beleid.check("beleid-signal")
    content = beleid.page.content()
    assert case.young_person.first_name not in content and str(sofie) not in content
    beleid.goto(f"{detail}antwoord/", "beleid-answer-form")
    beleid.page.fill(f("responder"), "Schepen van Wonen Kortrijk")
    beleid.page.select_option(f("kind"), "answer")
    beleid.page.fill(f("text"), "De stad opent in september twee studieplekken in de bibliotheek van Overleie.")
    submit(beleid, "main form", "beleid-answered")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ANSWERED
    assert SignalResponse.objects.get(signal=signal).recorded_by.username == "beleid"
    for case_page in (f"/werk/dossiers/{case.pk}/", "/werk/dossiers/"):  # with beleid's own session cookies
        assert beleid.page.request.get(beleid.url(case_page)).status == 404

    # 5. The coordinator marks that action was taken.
    coordinator.goto(f"{detail}status/", "coordinator-status-form-action")
    coordinator.page.select_option(f("to_status"), "action_taken")
    coordinator.page.fill(f("note"), "De studieplekken zijn open; we volgen het gebruik op.")
    submit(coordinator, "main form", "coordinator-action-taken")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ACTION_TAKEN
    assert list(signal.status_changes.order_by("pk").values_list("to_status", flat=True)) == [
        "recorded", "discussed", "passed_on", "answered", "action_taken",
    ]
    beleid.goto(detail, "beleid-sees-action-taken")
