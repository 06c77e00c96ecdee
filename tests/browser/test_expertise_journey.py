"""Recording a school-team training, in the browser, each step by the role that does it:

a brugfiguur (on a phone) records a training on a topic at a school they serve and, after it, adds
the evaluation → the school's contact sees it on their school's page and opens it → the policy
maker sees it counted in the figures, without its description → the coordinator sees the topics.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name, so the test reads the same
in Dutch and English."""

import datetime

import pytest
from django.utils import timezone

from brugwerk.accounts.models import User
from brugwerk.audit.services import verify_chain
from brugwerk.demo import w13
from brugwerk.expertise.models import ActivityKind, ExpertiseTopic, SchoolTeamActivity
from brugwerk.regions.models import Region, School
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "Vorming ‘Armoede in de klas’ voor het lerarenteam van de eerste graad; vervolg in maart."
EVALUATION = "Het team vond de voorbeelden herkenbaar en vraagt een vervolg over schoolkosten."


def f(name: str) -> str:
    return f"[name='{name}']"


def submit(visitor: Visitor, name: str) -> None:
    with visitor.page.expect_navigation():
        visitor.page.locator("main form [type=submit]").last.click()
    visitor.check(name)


def test_recording_a_school_team_training(demo, open_as):
    region = Region.objects.get(slug=w13.SLUG)
    school = School.objects.get(region=region, name=w13.SCHOOL_OF_SCHOOLCONTACT)
    poverty = ExpertiseTopic.objects.get(region=region, name="armoede en kansarmoede")
    sofie = User.objects.get(username="bf-sofie")  # serves the school contact's school
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    # 1. The brugfiguur records the training on a phone.
    bf = open_as("bf-sofie", phone=True)
    bf.goto("/expertise/", "bf-activities")
    bf.goto("/expertise/nieuw/", "bf-activity-form")
    page = bf.page
    page.locator(f"{f('kind')}[value={ActivityKind.TRAINING}]").check()
    page.select_option(f("school"), str(school.pk))
    page.fill(f("date"), yesterday.isoformat())
    page.locator(f"{f('duration')}[value='120']").check()
    page.locator(f"{f('topics')}[value='{poverty.pk}']").check()
    page.fill(f("participant_count"), "16")
    page.locator(f"{f('participant_functions')}[value=teachers]").check()
    page.locator(f"{f('participant_functions')}[value=care_coordinators]").check()
    page.fill(f("description"), DESCRIPTION)
    submit(bf, "bf-training-recorded")
    activity = SchoolTeamActivity.objects.get(description=DESCRIPTION)
    assert (activity.school, activity.lead, activity.kind, activity.duration_minutes) == (
        school, sofie, ActivityKind.TRAINING, 120)
    assert list(activity.topics.all()) == [poverty]
    assert page.url.endswith(f"/expertise/{activity.pk}/")

    # 2. ... and adds the evaluation from the activity's page.
    with page.expect_navigation():
        page.locator(f"a[href='/expertise/{activity.pk}/evaluatie/']").click()
    bf.check("bf-evaluation-form")
    page.locator(f"{f('evaluation_score')}[value='4']").check()
    page.fill(f("evaluation_text"), EVALUATION)
    submit(bf, "bf-evaluation-saved")
    activity.refresh_from_db()
    assert activity.evaluation_score == 4 and activity.evaluation_text == EVALUATION
    assert EVALUATION in page.content()

    # 3. The school contact sees it on their school's page and opens it (read-only).
    contact = open_as("school")
    contact.goto("/expertise/mijn-school/", "school-summary")
    assert contact.page.url.endswith(f"/expertise/scholen/{school.pk}/")
    assert "armoede en kansarmoede" in contact.page.content()
    with contact.page.expect_navigation():
        contact.page.locator(f"main a[href='/expertise/{activity.pk}/']").click()
    contact.check("school-activity")
    content = contact.page.content()
    assert DESCRIPTION.split(";")[0] in content.replace("&nbsp;", " ") and EVALUATION in content
    assert contact.page.locator(f"a[href='/expertise/{activity.pk}/wijzigen/']").count() == 0
    contact.goto("/expertise/", "school-activities")
    assert contact.page.goto(contact.url("/expertise/nieuw/")).status == 404

    # 4. The policy maker sees it counted, not described; the coordinator keeps the topics.
    beleid = open_as("beleid")
    beleid.goto("/expertise/cijfers/", "beleid-figures")
    assert "armoede en kansarmoede" in beleid.page.content().lower() and DESCRIPTION not in beleid.page.content()
    assert beleid.page.goto(beleid.url(f"/expertise/{activity.pk}/")).status == 404
    coordinator = open_as("coordinator")
    coordinator.goto("/expertise/themas/", "coordinator-topics")
    coordinator.goto(f"/expertise/themas/{poverty.pk}/wijzigen/", "coordinator-topic-form")

    intact, _entries, problem = verify_chain()
    assert intact, problem
