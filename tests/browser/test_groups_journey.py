"""A parent café series with attendance taken on a phone-sized screen (issue 4), in the browser:

the brugfiguur, on a phone (390 × 844), creates the series at a school she serves together with the
CAW, plans its first session, links a young person of one of her cases, and takes attendance: the
young person present with one tap, the mothers and fathers counted with the − and + buttons and by
typing; the totals show on the offering page. Then the school's contact person opens the same
offering: the counts, but no name.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name, so the test reads the same
in Dutch and English."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brugwerk.accounts.models import User
from brugwerk.audit.services import verify_chain
from brugwerk.cases.models import Case, CaseStatus
from brugwerk.groups.models import AnonymousAttendance, AttendanceStatus, GroupAttendance, GroupOffering
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import Region, School
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Oudercafé Overleie: de schoolrekening"


def f(name: str) -> str:
    return f"[name='{name}']"


def submit(visitor: Visitor, selector: str, name: str) -> None:
    """Click the submit button and check the page it lands on."""
    with visitor.page.expect_navigation():
        visitor.page.locator(selector).click()
    visitor.check(name)


def test_a_parent_cafe_series_with_attendance_taken_on_a_phone(demo, open_as):
    region = Region.objects.get(slug="w13")
    school = School.objects.get(region=region, name="Stedelijk Instituut Overleie")
    caw = PartnerOrganisation.objects.get(region=region, name="CAW Zuid-West-Vlaanderen")
    sofie = User.objects.get(username="bf-sofie")
    case = Case.objects.filter(region=region, lead=sofie, status=CaseStatus.OPEN, school=school).first() or \
        Case.objects.filter(region=region, lead=sofie, status=CaseStatus.OPEN).first()
    pupil = case.young_person

    # 1. On her phone, the brugfiguur creates the series.
    bf = open_as("bf-sofie", phone=True)
    page = bf.page
    bf.goto("/groepen/", "bf-offerings")
    page.get_by_role("link", name=re.compile("Nieuw groepsaanbod|New group offering")).click()
    bf.check("bf-new-offering")
    page.locator(f"{f('kind')}[value=parent_cafe]").check()
    page.fill(f("title"), TITLE)
    page.locator(f"{f('target_group')}[value=parents]").check()
    page.select_option(f("school"), str(school.pk))
    page.fill(f("place"), "ouderlokaal")
    assert page.locator(f"{f('organisers')}[value='{sofie.pk}']").is_checked()
    page.locator(f"{f('partners')}[value='{caw.pk}']").check()
    page.fill(f("languages"), "Nederlands, Arabisch")
    page.check(f("interpreter"))
    submit(bf, "main form [type=submit]", "bf-offering-saved")
    offering = GroupOffering.objects.get(title=TITLE)
    assert list(offering.partners.all()) == [caw]

    # 2. ... lands on its first session, planned for today.
    assert re.search(r"/groepen/\d+/sessies/nieuw/$", page.url)
    page.fill(f("date"), timezone.localdate().isoformat())
    page.fill(f("start_time"), "08:30")
    page.fill(f("duration_minutes"), "90")
    page.fill(f("topic"), "De schoolrekening")
    submit(bf, "main form [type=submit]", "bf-session-saved")
    session = offering.sessions.get()

    # 3. She links a young person of one of her cases.
    bf.goto(f"/groepen/{offering.pk}/deelnemers/", "bf-add-participant")
    page.locator(f"{f('cases')}[value='{case.pk}']").check()
    submit(bf, "main form[method=post] [type=submit]", "bf-participant-added")
    assert f"{pupil.first_name} {pupil.last_name}" in page.content()

    # 4. Attendance, with big toggles and − / + buttons.
    page.get_by_role("link", name=re.compile("aanwezighe|attendance", re.I)).first.click()
    bf.check("bf-attendance")
    assert page.url.endswith(f"/groepen/sessies/{session.pk}/aanwezigheid/")
    # axe-core leaves empty style attributes behind, which htmx would copy while swapping a number
    # (and the strict CSP would refuse): start from the page as the server sent it.
    page.reload()
    participant = offering.participants.get()
    toggle = page.locator(f"[name='p{participant.pk}'][value=present]")
    page.locator("label", has=toggle).click()  # the whole card is the tap target
    assert page.locator(f"[name='p{participant.pk}'][value=present]").is_checked()
    plus = page.locator("[name=step][value='c-0-count:1']")
    for _ in range(4):  # quick taps: none may get lost
        plus.click()
    page.locator("[name=step][value='c-0-count:-1']").click()
    expect(page.locator(f("c-0-count"))).to_have_value("3")
    page.fill(f("c-1-count"), "2")
    bf.check("bf-attendance-counted")
    assert not AnonymousAttendance.objects.filter(session=session).exists()  # nothing saved before she saves
    # On a phone the keyboard's Go key saves the form (never the first − button).
    with page.expect_navigation():
        page.press(f("c-1-count"), "Enter")
    bf.check("bf-attendance-saved")
    assert GroupAttendance.objects.get(session=session).status == AttendanceStatus.PRESENT
    assert sorted(AnonymousAttendance.objects.filter(session=session).values_list("gender", "count")) == [
        ("female", 3), ("male", 2)]
    totals = page.locator("#totals-title + .grid .stat").first.inner_text()
    assert totals.strip() == "6"

    # 5. The school's contact person sees the series and its counts, but no name.
    contact = open_as("school")
    contact.goto("/groepen/", "school-offerings")
    assert TITLE in contact.page.content()
    contact.goto(f"/groepen/{offering.pk}/", "school-offering")
    content = contact.page.content()
    assert contact.page.locator("#totals-title + .grid .stat").first.inner_text().strip() == "6"
    assert f"{pupil.first_name} {pupil.last_name}" not in content and pupil.last_name not in content
    assert contact.page.goto(contact.url(f"/groepen/sessies/{session.pk}/aanwezigheid/")).status == 404

    intact, _entries, problem = verify_chain()
    assert intact, problem
