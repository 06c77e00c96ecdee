"""Network and cooperation in the browser, each step done by the role that does it:

the coordinator records a local network meeting with partners and a school, adds what was agreed
and an action for a bridge figure → that bridge figure, on a phone, finds the action among their
open actions and marks it done → the school contact reads their school's cooperation agreement with
the pool's presence days, and the meeting about their school without the pool's notes.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name."""

import datetime

import pytest
from django.utils import timezone

from brugwerk.audit.services import verify_chain
from brugwerk.cooperation.models import CooperationAgreement, MeetingAction, MeetingAgreement, NetworkMeeting
from brugwerk.network.models import PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School, Zone
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)



def f(name: str) -> str:
    return f"[name='{name}']"


def submit(visitor: Visitor, name: str) -> None:
    with visitor.page.expect_navigation():
        visitor.page.locator("main form[method=post] [type=submit]").last.click()
    visitor.check(name)


def test_a_network_meeting_with_an_action_followed_up_on_a_phone(demo, open_as):
    region = Region.objects.get(slug="w13")
    school = School.objects.get(region=region, name="Stedelijk Instituut Overleie")
    sofie = PoolMember.objects.get(region=region, user__username="bf-sofie").user
    caw = PartnerOrganisation.objects.get(region=region, name="CAW Zuid-West-Vlaanderen")
    ocmw = PartnerOrganisation.objects.get(region=region, name="Sociaal Huis Kortrijk")
    zone = Zone.objects.get(region=region, name="Regio Kortrijk")
    day = timezone.localdate() - datetime.timedelta(days=1)

    # 1. The coordinator records the meeting.
    coordinator = open_as("coordinator")
    coordinator.goto("/samenwerking/overleg/", "coordinator-meetings")
    coordinator.goto("/samenwerking/overleg/nieuw/", "coordinator-meeting-form")
    page = coordinator.page
    page.fill(f("title"), "Netwerk schoolkosten Kortrijk")
    page.locator(f"{f('kind')}[value=local_network]").check()
    page.fill(f("date"), day.isoformat())
    page.fill(f("duration_minutes"), "120")
    page.fill(f("place"), "Sociaal Huis Kortrijk")
    page.select_option(f("zone"), str(zone.pk))
    page.locator(f"{f('pool_attendees')}[value='{sofie.pk}']").check()
    page.locator(f"{f('organisations')}[value='{caw.pk}']").check()
    page.locator(f"{f('organisations')}[value='{ocmw.pk}']").check()
    page.locator(f"{f('schools')}[value='{school.pk}']").check()
    page.fill(f("other_attendees"), "schepen van onderwijs")
    page.fill(f("notes"), "Vertrouwelijk: de directie twijfelt over het spreekuur.")
    submit(coordinator, "coordinator-meeting-saved")
    meeting = NetworkMeeting.objects.get(region=region, title="Netwerk schoolkosten Kortrijk")
    assert set(meeting.organisations.all()) == {caw, ocmw} and list(meeting.pool_attendees.all()) == [sofie]
    meeting_url = f"/samenwerking/overleg/{meeting.pk}/"

    coordinator.goto(f"{meeting_url}afspraak/", "coordinator-agreement-form")
    page.fill(f("text"), "Het CAW houdt vanaf volgende maand een spreekuur op school over schoolkosten.")
    submit(coordinator, "coordinator-agreement-saved")
    assert MeetingAgreement.objects.filter(meeting=meeting).count() == 1

    coordinator.goto(f"{meeting_url}actie/", "coordinator-action-form")
    page.fill(f("description"), "Spreekuur van het CAW bekendmaken bij de leerlingen")
    page.select_option(f("owner_user"), str(sofie.pk))
    page.fill(f("due_date"), (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    submit(coordinator, "coordinator-action-saved")
    action = MeetingAction.objects.get(meeting=meeting)
    assert action.owner_user == sofie and action.done_at is None
    assert "Spreekuur van het CAW" in page.content()

    # 2. The brugfiguur, on a phone, marks the action done from their open actions.
    bf = open_as("bf-sofie", phone=True)
    bf.goto("/samenwerking/acties/", "bf-open-actions")
    assert "Spreekuur van het CAW bekendmaken" in bf.page.content()
    with bf.page.expect_navigation():
        bf.page.locator(f"a[href^='/samenwerking/acties/{action.pk}/afgerond/']").click()
    bf.check("bf-mark-done-form")
    bf.page.fill(f("note"), "Affiche hangt in de leerlingenhoek; aangekondigd via Smartschool.")
    submit(bf, "bf-action-done")
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == sofie
    assert bf.page.url.endswith("/samenwerking/acties/")
    assert "Spreekuur van het CAW bekendmaken" not in bf.page.content()
    bf.goto(meeting_url, "bf-meeting")
    assert "Vertrouwelijk" in bf.page.content()  # the pool reads the notes

    # 3. The school contact reads their school's cooperation agreement and the meeting.
    contact = open_as("school")
    contact.goto("/samenwerking/scholen/", "school-agreements")
    contact.goto(f"/samenwerking/scholen/{school.pk}/", "school-agreement")
    agreement = CooperationAgreement.objects.get(school=school, valid_until__isnull=True)
    content = contact.page.content()
    assert agreement.contacts[0]["name"] in content and str(sofie) in content  # presence days of the pool
    assert contact.page.locator(f"a[href='/samenwerking/scholen/{school.pk}/wijzigen/']").count() == 0
    contact.goto(meeting_url, "school-meeting")
    assert "Het CAW houdt vanaf volgende maand" in contact.page.content()
    assert "Vertrouwelijk" not in contact.page.content()

    # The coordinator's overview of every school, and the trail holds.
    coordinator.goto("/samenwerking/scholen/", "coordinator-agreements")
    coordinator.goto("/samenwerking/acties/?who=all", "coordinator-open-actions")
    intact, _entries, problem = verify_chain()
    assert intact, problem
