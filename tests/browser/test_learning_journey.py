"""An intervision session in the browser: a bridge figure records an intervision with three colleagues,
the anonymised case question and what was learned; a participant sees it, a bridge figure who was not
there does not; and a school contact searches the social map on a phone, live and without JavaScript.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name; texts are matched in Dutch or
English, so the test does not depend on the compiled catalog."""

import re

import pytest

from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.learning.models import LearningKind, LearningSession
from brugwerk.regions.models import Municipality, Region

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Een leerling van vijftien wil stoppen met school; thuis weet niemand het. Hoe breng ik dit ter sprake?"
LEARNED = "Niet meteen oplossen: eerst vragen wat de leerling zelf wil, dan samen kiezen wie het vertelt."


def f(name: str) -> str:
    return f"[name='{name}']"


def test_an_intervision_session_is_seen_by_its_participants_only(demo, open_as):
    recorder, *colleagues, absent = (User.objects.get(username=name) for name in
                                     ("bf-sofie", "bf-jonas", "bf-fatima", "bf-pieter", "bf-lotte"))

    # 1. A bridge figure records an intervision with three colleagues.
    bf = open_as(recorder.username)
    bf.goto("/leren/", "bf-sessions")
    with bf.page.expect_navigation():
        bf.page.get_by_role("link", name=re.compile("intervisie registreren|record an intervision", re.I)).click()
    bf.check("bf-intervision-form")
    page = bf.page
    page.fill(f("duration_minutes"), "120")
    for person in (recorder, *colleagues):
        page.locator(f"{f('participants')}[value='{person.pk}']").check()
    page.fill(f("case_question"), QUESTION)
    page.fill(f("learned"), LEARNED)
    page.locator(f("themes")).first.check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    bf.check("bf-intervision-saved")
    session = LearningSession.objects.get(case_question=QUESTION)
    assert session.kind == LearningKind.INTERVISION and session.recorded_by == recorder
    assert set(session.participants.all()) == {recorder, *colleagues}
    assert re.search("geregistreerd|was recorded", page.content()) and QUESTION in page.content()
    detail = f"/leren/bijeenkomsten/{session.pk}/"

    # 2. A participant finds it in their list and reads the question and what was learned.
    participant = open_as(colleagues[0].username, phone=True)
    participant.goto("/leren/?kind=intervision", "participant-sessions")
    assert participant.page.locator(f"a[href='{detail}']").count() == 1
    participant.goto(detail, "participant-intervision")
    assert QUESTION in participant.page.content() and LEARNED in participant.page.content()

    # 3. A bridge figure who was not there does not see it: not in the list, and its page does not exist.
    other = open_as(absent.username)
    other.goto("/leren/?kind=intervision", "absent-sessions")
    assert other.page.locator(f"a[href='{detail}']").count() == 0
    assert other.page.goto(other.url(detail)).status == 404
    assert QUESTION not in other.page.content()

    views = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="learning.learningsession",
                                      subject_id=str(session.pk))
    assert set(views.values_list("actor__username", flat=True)) == {recorder.username, colleagues[0].username}


def test_a_school_contact_searches_the_social_map_on_a_phone(demo, open_as):
    region = Region.objects.get(slug="w13")
    kortrijk = Municipality.objects.get(region=region, name="Kortrijk")
    school = open_as("school", phone=True)
    school.goto("/leren/sociale-kaart/", "social-map")
    page = school.page
    # Live search (htmx): the results change while typing, the address follows.
    page.fill(f("q"), "huiswerk")
    page.wait_for_url(re.compile(r"q=huiswerk"))
    school.check("social-map-huiswerk")
    results = page.locator("#social-map-results h2")
    assert results.count() >= 1
    assert "Huiswerkklas" in page.locator("#social-map-results").inner_text()
    page.select_option(f("municipality"), str(kortrijk.pk))
    page.wait_for_url(re.compile(rf"municipality={kortrijk.pk}"))
    school.check("social-map-kortrijk")
    # A plain GET (no JavaScript needed) gives the same page; open one service.
    school.goto(f"/leren/sociale-kaart/?q=&municipality={kortrijk.pk}", "social-map-kortrijk-plain")
    content = page.locator("#social-map-results").inner_text()
    assert "Kortrijk" in content and "Awel" in content  # its own services and those for the whole region
    with page.expect_navigation():
        page.locator("#social-map-results h2 a").first.click()
    school.check("social-map-service")
    assert re.search("Zo bereik je de dienst|How to reach it", page.content())
    # The school contact reads the map but does not change it.
    assert page.locator("a[href$='/wijzigen/']").count() == 0
