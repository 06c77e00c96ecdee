"""The whole casework journey in the browser, each step done by the role that does it:

school contact refers a pupil → coordinator accepts and assigns → brugfiguur (on a phone) registers a
home visit, adds two goals, records consent for CAW and refers to CAW (checking the partner's view of
the referral before sending it) → the CAW contact acknowledges and gives feedback → the pupil changes
school and the case moves to the other brugfiguur → that brugfiguur closes the case with an outcome.

Every page visited is checked by axe-core (zero violations), for console errors, and screenshotted
under var/screenshots/<test name>/. Form fields are found by their name, so the test reads the same
in Dutch and English; what the pages show is checked in Dutch, the default language."""

import re

import pytest

from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry
from brugwerk.audit.services import verify_chain
from brugwerk.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ContactMoment,
    ContactType,
    Goal,
    Referral,
    ReferralOut,
    ReferralOutStatus,
    ReferralStatus,
)
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)



def f(name: str) -> str:
    """The form field called `name`, also in a form with a prefix (`accept-lead`)."""
    return f":is([name='{name}'], [name$='-{name}'])"


def submit(visitor: Visitor, form_selector: str, name: str) -> None:
    """Submit the form and check the page it lands on."""
    with visitor.page.expect_navigation():
        visitor.page.locator(f"{form_selector} [type=submit]").last.click()
    visitor.check(name)


def test_a_referral_travels_from_school_to_a_closed_case(demo, open_as):
    region = Region.objects.get(slug="w13")
    school_contact = User.objects.get(username="school")
    first_school = School.objects.get(region=region, name="Stedelijk Instituut Overleie")
    first_bf = PoolMember.objects.get(region=region, schools=first_school, active=True).user
    other = (
        PoolMember.objects.filter(region=region, active=True)
        .exclude(user=first_bf)
        .exclude(schools=first_school)
        .prefetch_related("schools")
        .first()
    )
    second_bf, second_school = other.user, other.schools.exclude(pool_members__user=first_bf).first()
    caw = PartnerOrganisation.objects.get(region=region, name="CAW Zuid-West-Vlaanderen")

    # 1. The school contact refers a pupil of their school.
    school = open_as("school")
    school.goto("/werk/aanmelden/", "school-refers")
    page = school.page
    page.fill(f("pupil_first_name"), "Yana")
    page.fill(f("pupil_last_name"), "Reizegem")
    page.fill(f("pupil_birth_date"), "2012-03-04")
    page.fill(f("reason"), "Yana komt vaak te laat en thuis is er weinig steun bij het huiswerk.")
    page.locator(f("life_domains")).first.check()
    page.fill(f("already_tried"), "Gesprek met de leerlingenbegeleiding.")
    page.check(f("pupil_informed"))
    page.check(f("parents_informed"))
    submit(school, "main form", "school-referral-sent")
    referral = Referral.objects.get(referred_by=school_contact, pupil_first_name="Yana")
    assert referral.status == ReferralStatus.RECEIVED
    school.goto("/werk/aanmeldingen/", "school-my-referrals")
    assert "Yana" in page.content()

    # 2. The coordinator accepts the referral and assigns the brugfiguur of that school.
    coordinator = open_as("coordinator")
    coordinator.goto("/werk/aanmeldingen/te-behandelen/", "coordinator-triage")
    coordinator.page.get_by_role("link", name=re.compile("Yana")).first.click()
    coordinator.check("coordinator-referral")
    accept = "form[action$='/aanvaarden/']"
    coordinator.page.select_option(f"{accept} {f('lead')}", str(first_bf.pk))
    new_person = coordinator.page.locator(f"{accept} {f('young_person')}[value=new]")
    if new_person.count():
        new_person.check()
    submit(coordinator, accept, "coordinator-accepted")
    case = Case.objects.get(young_person__first_name="Yana", young_person__last_name="Reizegem")
    assert case.lead == first_bf and case.school == first_school and case.is_open
    case_url = f"/werk/dossiers/{case.pk}/"

    # 3. The brugfiguur, on a phone: home visit, two goals, consent for CAW, referral to CAW.
    bf = open_as(first_bf.username, phone=True)
    bf.goto(case_url, "bf-case-file")
    bf.goto(f"{case_url}contact/", "bf-contact-form")
    bf.page.locator(f"{f('contact_type')}[value=home_visit]").check()
    bf.page.locator(f"{f('duration')}[value='60']").check()
    bf.page.fill(f("note"), "Huisbezoek met mama; afspraak over een vaste huiswerkplek.")
    submit(bf, "main form", "bf-contact-saved")
    assert ContactMoment.objects.filter(case=case, contact_type=ContactType.HOME_VISIT).count() == 1
    for n, goal in enumerate(["Elke dag op tijd op school", "Huiswerk maken in de studie"], start=1):
        bf.goto(f"{case_url}doelen/nieuw/", f"bf-goal-form-{n}")
        bf.page.fill(f("description"), goal)
        submit(bf, "main form", f"bf-goal-saved-{n}")
    assert Goal.objects.filter(case=case).count() == 2

    bf.goto(f"{case_url}toestemming/?purpose=referral&organisation={caw.pk}", "bf-consent-form")
    bf.page.select_option(f("organisation"), str(caw.pk))
    bf.page.locator(f"{f('purpose')}[value=referral]").check()
    for field in ("first_name", "last_name", "birth_date", "school", "help_questions"):
        bf.page.locator(f"{f('shared_fields')}[value={field}]").check()
    bf.page.locator(f"{f('given_by')}[value=parent]").check()
    bf.page.fill(f("given_by_name"), "Mama van Yana")
    bf.page.locator(f"{f('method')}[value=verbal]").check()
    submit(bf, "main form", "bf-consent-saved")
    consent = Consent.objects.get(case=case, organisation=caw)
    assert consent.withdrawn_at is None

    bf.goto(f"{case_url}doorverwijzen/", "bf-referral-out")
    contact_point = ContactPoint.objects.filter(organisation=caw).order_by("pk")
    options = bf.page.locator(f"{f('contact_point')} option").evaluate_all("os => os.map(o => o.value)")
    chosen = next(v for v in options if v and contact_point.filter(pk=v).exists())
    bf.page.select_option(f("contact_point"), chosen)
    bf.page.fill(f("question"), "Ondersteuning voor het gezin bij de administratie en budget.")
    for field in ("first_name", "last_name", "help_questions"):
        bf.page.locator(f"{f('shared_fields')}[value={field}]").check()
    for field in ("birth_date", "school"):  # covered by the consent, but CAW does not need them
        bf.page.locator(f"{f('shared_fields')}[value={field}]").uncheck()
    submit(bf, "main form", "bf-referral-out-preview")
    # Before anything is sent: the partner's page of the referral, exactly what CAW will see.
    assert not ReferralOut.objects.filter(case=case).exists()
    preview = bf.page.content()
    assert "Reizegem" in preview and "Ondersteuning voor het gezin" in preview
    assert "2012" not in preview  # the birth date is left out of this referral
    with bf.page.expect_navigation():
        bf.page.locator("main form [name=confirm]").click()
    bf.check("bf-referral-out-sent")
    referral_out = ReferralOut.objects.get(case=case)
    assert referral_out.organisation == caw and referral_out.status == ReferralOutStatus.SENT

    # 4. The CAW contact sees it in their inbox, acknowledges it and gives feedback.
    partner = open_as("caw")
    partner.goto("/werk/doorverwijzingen/inbox/", "caw-inbox")
    assert "Yana" in partner.page.content()
    partner.goto(f"/werk/doorverwijzingen/inbox/{referral_out.pk}/", "caw-referral")
    assert "Reizegem" in partner.page.content()  # a consented field
    assert "2012" not in partner.page.content()  # the birth date was left out of this referral
    submit(partner, "form[action$='/ontvangen/']", "caw-acknowledged")
    partner.goto(f"/werk/doorverwijzingen/inbox/{referral_out.pk}/terugkoppeling/", "caw-feedback-form")
    partner.page.locator(f"{f('status')}[value=started]").check()
    partner.page.fill(f("note"), "Eerste gesprek gepland volgende week.")
    submit(partner, "main form", "caw-feedback-given")
    referral_out.refresh_from_db()
    assert referral_out.acknowledged_at is not None
    assert referral_out.feedback.filter(status="started").exists()
    bf.goto(case_url, "bf-case-file-with-feedback")

    # 5. The pupil changes school: the coordinator moves the case to the other brugfiguur.
    coordinator.goto(f"{case_url}schoolwissel/", "coordinator-transfer-form")
    coordinator.page.select_option(f("to_school"), str(second_school.pk))
    lead_choice = coordinator.page.locator(f("lead"))
    if lead_choice.count():
        lead_choice.select_option(str(second_bf.pk))
    coordinator.page.fill(f("note"), "Yana gaat na de krokusvakantie naar een andere school.")
    submit(coordinator, "main form", "coordinator-transferred")
    case.refresh_from_db()
    assert case.school == second_school and case.lead == second_bf
    school.goto("/werk/aanmeldingen/", "school-after-transfer")
    assert school.page.goto(school.url(case_url)).status == 404  # the old school never saw the case

    # 6. The new brugfiguur closes the case with an outcome and a closing contact.
    new_bf = open_as(second_bf.username)
    new_bf.goto(case_url, "new-bf-case-file")
    new_bf.goto(f"{case_url}afsluiten/", "new-bf-close-form")
    new_bf.page.locator(f"{f('reason')}[value=goals_reached]").check()
    new_bf.page.fill(f("outcome"), "Yana komt op tijd en heeft een huiswerkplek; het gezin krijgt hulp van CAW.")
    new_bf.page.locator(f"{f('contact_type')}[value=conversation_at_school]").check()
    submit(new_bf, "main form", "new-bf-closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason == "goals_reached"
    assert "afgesloten" in new_bf.page.content().lower()
    # Closed cases are read-only: the file offers no contact registration any more.
    assert new_bf.page.locator(f"a[href='{case_url}contact/']").count() == 0

    # Every step is in the audit trail, and the chain holds.
    events = set(AuditEntry.objects.filter(region=region).values_list("subject_type", flat=True))
    assert {"cases.referral", "cases.case", "cases.consent", "cases.referralout"} <= events
    intact, _entries, problem = verify_chain()
    assert intact, problem
