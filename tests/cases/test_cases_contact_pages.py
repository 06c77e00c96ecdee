"""The contact pages: a contact moment on a case in under a minute (few required fields, defaults,
Dutch errors that change nothing, private notes out of the co-guide's reach), low-threshold
contacts without a file (a first name at most, one's own only, a flat number of queries) and
turning them into a case with consent, keeping their history."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import Case, CaseStatus, ContactMoment, ContactType, YoungPerson
from brugwerk.cases.selectors import contact_note_visible, contacts_visible_to
from tests import factories_cases as fc
from tests.conftest import client_for

OUTSIDERS = ["brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator",
             "foreign_brugfiguur"]


@pytest.fixture
def case(world) -> Case:
    return fc.full_case(world)[Case]


def share_with(case: Case, user) -> None:
    fc.CaseShareFactory(case=case, user=user, granted_by=case.lead)


def when(delta: datetime.timedelta = datetime.timedelta(0)) -> dict[str, str]:
    moment = timezone.localtime() + delta
    return {"occurred_on": moment.strftime("%Y-%m-%d"), "occurred_time": moment.strftime("%H:%M")}


def contact_url(case: Case) -> str:
    return reverse("cases:contact_create", args=[case.pk])


def free_contact(world, user=None, **values) -> ContactMoment:
    defaults = {"region": world.region, "case": None, "brugfiguur": user or world.brugfiguur, "school": world.school,
                "contact_type": ContactType.SCHOOL_GATE, "first_name": "Sara", "note": "Babbel aan de poort."}
    return fc.ContactMomentFactory(**(defaults | values))


# --- A contact moment on a case -------------------------------------------------------------------


def test_the_lead_and_a_sharer_get_the_contact_form_with_now_and_their_usual_type_filled_in(world, case):
    share_with(case, world.brugfiguur2)
    fc.ContactMomentFactory(case=case, contact_type=ContactType.PHONE_MESSAGE_EMAIL)
    for user in (world.brugfiguur, world.brugfiguur2):
        response = client_for(user).get(contact_url(case))
        assert response.status_code == 200
        form = response.context["form"]
        assert form["occurred_on"].value() == timezone.localdate()
        assert form["contact_type"].value() == (ContactType.PHONE_MESSAGE_EMAIL if user == world.brugfiguur else None)
        assert 'name="contact_type"' in response.content.decode() and "Yasmine" in response.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.case",
                                     subject_id=str(case.pk)).count() == 2


@pytest.mark.parametrize("persona", ["coordinator", *OUTSIDERS])
def test_nobody_outside_the_guidance_team_gets_the_contact_form(world, case, persona):
    client = client_for(world.persona(persona))
    before = ContactMoment.objects.count()
    assert client.get(contact_url(case)).status_code == 404
    assert client.post(contact_url(case), {"contact_type": ContactType.HOME_VISIT, **when()}).status_code == 404
    assert ContactMoment.objects.count() == before


def test_a_contact_is_registered_with_only_the_required_fields(world, case):
    before = ContactMoment.objects.filter(case=case).count()
    response = client_for(world.brugfiguur).post(
        contact_url(case), {"contact_type": ContactType.CONVERSATION_AT_SCHOOL, **when()}, follow=True
    )
    assert response.redirect_chain[0] == (reverse("cases:case_detail", args=[case.pk]), 302)
    assert "geregistreerd" in response.content.decode() or "registered" in response.content.decode()
    contact = ContactMoment.objects.filter(case=case).latest("created_at")
    assert ContactMoment.objects.filter(case=case).count() == before + 1
    assert (contact.contact_type, contact.brugfiguur, contact.duration_minutes) == (
        ContactType.CONVERSATION_AT_SCHOOL, world.brugfiguur, 0)
    assert contact.note_private is False and contact.first_name == "" and contact.school == world.school


def test_all_the_details_of_a_contact_are_kept(world, case):
    client_for(world.brugfiguur).post(contact_url(case), {
        "contact_type": ContactType.HOME_VISIT, **when(-datetime.timedelta(hours=2)), "duration": "30",
        "with_whom": ["young_person", "parent"], "place": "thuis", "language": "Arabisch", "interpreter": "on",
        "note": "Moeder wil hulp bij de schooltoeslag.", "note_visibility": "shared",
    })
    contact = ContactMoment.objects.filter(case=case).latest("created_at")
    assert (contact.duration_minutes, contact.with_whom, contact.place, contact.language, contact.interpreter) == (
        30, ["young_person", "parent"], "thuis", "Arabisch", True)
    assert timezone.now() - contact.occurred_at < datetime.timedelta(hours=2, minutes=2)


def test_another_duration_wins_over_the_quick_choice(world, case):
    client_for(world.brugfiguur).post(contact_url(case), {
        "contact_type": ContactType.NEIGHBOURHOOD, **when(), "duration": "15", "duration_minutes": "95"})
    assert ContactMoment.objects.filter(case=case).latest("created_at").duration_minutes == 95


@pytest.mark.parametrize(
    ("values", "field", "dutch"),
    [
        (when(datetime.timedelta(days=2)), "occurred_on", "kan niet in de toekomst liggen"),
        ({**when(), "duration_minutes": "-10"}, "duration_minutes", "Geef de duur in hele minuten"),
        ({**when(), "occurred_on": "31-02-2026"}, "occurred_on", "Voer een geldige datum in"),
    ],
)
def test_bad_input_shows_a_dutch_error_and_registers_nothing(world, case, values, field, dutch):
    before = ContactMoment.objects.count()
    response = client_for(world.brugfiguur).post(contact_url(case), {"contact_type": ContactType.HOME_VISIT, **values})
    assert response.status_code == 200
    assert any(dutch in message for message in response.context["form"].errors[field])
    assert dutch in response.content.decode()
    assert ContactMoment.objects.count() == before


def test_a_private_note_is_hidden_from_the_co_guide(world, case):
    share_with(case, world.brugfiguur2)
    client_for(world.brugfiguur).post(contact_url(case), {
        "contact_type": ContactType.HOME_VISIT, **when(), "note": "Vertelt over schulden thuis.",
        "note_visibility": "private",
    })
    contact = ContactMoment.objects.get(note="Vertelt over schulden thuis.")
    assert contact.note_private and contact_note_visible(user=world.brugfiguur, contact=contact)
    assert not contact_note_visible(user=world.brugfiguur2, contact=contact)
    seen = contacts_visible_to(user=world.brugfiguur2, region=world.region, case=case).get(pk=contact.pk)
    assert seen.visible_note == ""
    assert "schulden" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_closed_case_takes_no_contact(world, case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    before = ContactMoment.objects.count()
    client = client_for(world.brugfiguur)
    for response in (client.get(contact_url(case), follow=True),
                     client.post(contact_url(case), {"contact_type": ContactType.HOME_VISIT, **when()}, follow=True)):
        assert response.redirect_chain[0][0] == reverse("cases:case_detail", args=[case.pk])
        assert "Heropen het eerst" in response.content.decode()
    assert ContactMoment.objects.count() == before


# --- Low-threshold contacts -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "schoolcontact", "partner", "beleid", "beheerder",
                                     "foreign_coordinator"])
@pytest.mark.parametrize("name", ["quick_contact", "low_threshold_list", "low_threshold_convert"])
def test_only_brugfiguren_use_the_low_threshold_pages(world, persona, name):
    client = client_for(world.persona(persona))
    assert client.get(reverse(f"cases:{name}")).status_code == 404
    assert client.post(reverse(f"cases:{name}"), {"contact_type": ContactType.SCHOOL_GATE, **when()}).status_code == 404
    assert not ContactMoment.objects.exists()


def test_the_quick_form_offers_the_schools_one_serves_first_and_todays_school(world):
    fc.pool_serves(world)
    response = client_for(world.brugfiguur).get(reverse("cases:quick_contact"))
    assert response.status_code == 200
    choices = response.context["form"].fields["school"].choices
    assert choices[1][1] == [(str(world.school.pk), world.school.name)]  # the schools they serve
    assert (str(world.other_school.pk), world.other_school.name) in choices[2][1]  # then the others
    assert response.context["form"]["school"].value() == str(world.school.pk)  # the only school they serve


def test_a_low_threshold_contact_is_registered_in_seconds(world):
    domain = fc.LifeDomainFactory(region=world.region, name="onderwijs")
    response = client_for(world.brugfiguur).post(reverse("cases:quick_contact"), {
        "contact_type": ContactType.SCHOOL_GATE, "first_name": " Sara ", "school": str(world.school.pk),
        **when(), "duration": "5", "life_domain": str(domain.pk), "place": "schoolpoort",
        "note": "Vraagt naar de studietoelage.",
    })
    assert response.status_code == 302 and response.url == reverse("cases:low_threshold_list")
    contact = ContactMoment.objects.get()
    assert (contact.case, contact.first_name, contact.school, contact.life_domain, contact.region) == (
        None, "Sara", world.school, domain, world.region)
    assert contact.brugfiguur == world.brugfiguur and contact.duration_minutes == 5
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.contactmoment").exists()


def test_an_anonymous_contact_needs_only_its_type_and_time(world):
    response = client_for(world.brugfiguur).post(reverse("cases:quick_contact"),
                                                 {"contact_type": ContactType.NEIGHBOURHOOD, **when()})
    assert response.status_code == 302
    assert ContactMoment.objects.get().first_name == ""


@pytest.mark.parametrize("name", ["Sara Vermeulen", "x" * 41])
def test_a_low_threshold_contact_never_takes_a_last_name(world, name):
    response = client_for(world.brugfiguur).post(reverse("cases:quick_contact"), {
        "contact_type": ContactType.SCHOOL_GATE, "first_name": name, **when()})
    assert response.status_code == 200 and response.context["form"].errors["first_name"]
    assert not ContactMoment.objects.exists()


def test_the_list_shows_ones_own_contacts_by_first_name_only_and_is_audited(world):
    mine = free_contact(world, note="Vraagt hulp bij huiswerk.")
    free_contact(world, first_name="")
    free_contact(world, world.brugfiguur2, first_name="Jonas", note="Contact van een collega.")
    person = fc.YoungPersonFactory(region=world.region, first_name="Sara", last_name="Vermeulen")
    fc.CaseFactory(region=world.region, young_person=person, lead=world.brugfiguur)
    response = client_for(world.brugfiguur).get(reverse("cases:low_threshold_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sara" in html and "Vraagt hulp bij huiswerk." in html
    assert sorted(c.first_name for c in response.context["page"]) == ["", "Sara"]
    assert "Jonas" not in html and "collega" not in html and "Vermeulen" not in html
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.contactmoment")
    assert mine.pk in entry.changes["contacts"] and len(entry.changes["contacts"]) == 2


def test_a_foreign_brugfiguur_sees_only_their_own_regions_contacts(world):
    free_contact(world)
    response = client_for(world.foreign_brugfiguur).get(reverse("cases:low_threshold_list"))
    assert response.status_code == 200 and "Sara" not in response.content.decode()
    assert list(response.context["page"]) == []


def test_the_list_filters_on_a_first_name(world):
    free_contact(world)
    free_contact(world, first_name="Jonas")
    response = client_for(world.brugfiguur).get(reverse("cases:low_threshold_list"), {"first_name": "sara"})
    assert [c.first_name for c in response.context["page"]] == ["Sara"]


def test_the_list_runs_a_flat_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.brugfiguur)
    domain = fc.LifeDomainFactory(region=world.region, name="onderwijs")
    for _ in range(2):
        free_contact(world, life_domain=domain)
    client.get(reverse("cases:low_threshold_list"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("cases:low_threshold_list")).status_code == 200
    for n in range(15):
        free_contact(world, life_domain=domain, school=world.other_school, first_name=f"Naam{n}")
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("cases:low_threshold_list"))
    assert len(response.context["page"]) == 17


# --- Turning low-threshold contacts into a case ---------------------------------------------------


def convert(world, contacts, **values):
    data = {"contacts": [c.pk for c in contacts], "first_name": "Sara", "last_name": "Vermeulen",
            "birth_date": "2012-03-04", "school": str(world.school.pk), "consent_recorded": "on"}
    return client_for(world.brugfiguur).post(reverse("cases:low_threshold_convert"), data | values)


def test_the_conversion_page_preselects_the_contacts_with_a_first_name(world):
    first, second = free_contact(world), free_contact(world, contact_type=ContactType.NEIGHBOURHOOD)
    free_contact(world, first_name="Jonas")
    free_contact(world, world.brugfiguur2)
    response = client_for(world.brugfiguur).get(reverse("cases:low_threshold_convert"), {"first_name": "Sara"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {c.pk for c in form.fields["contacts"].queryset} == {first.pk, second.pk}
    assert {c.pk for c in form.initial["contacts"]} == {first.pk, second.pk}
    assert form.initial["first_name"] == "Sara" and form.initial["school"] == world.school


def test_conversion_needs_consent_and_changes_nothing_without_it(world):
    contact = free_contact(world)
    response = convert(world, [contact], consent_recorded="")
    assert response.status_code == 200 and response.context["form"].errors["consent_recorded"]
    assert not Case.objects.exists() and not YoungPerson.objects.exists()
    contact.refresh_from_db()
    assert contact.case is None and contact.first_name == "Sara"


def test_conversion_refuses_contacts_of_different_people(world):
    response = convert(world, [free_contact(world), free_contact(world, first_name="Jonas")])
    assert response.status_code == 200 and response.context["form"].errors["contacts"]
    assert not Case.objects.exists()


def test_conversion_needs_a_last_name_for_someone_new(world):
    response = convert(world, [free_contact(world)], last_name="")
    assert response.status_code == 200 and "Dit veld is verplicht." in response.context["form"].errors["last_name"]
    assert not Case.objects.exists()


def test_conversion_keeps_the_contacts_history_on_the_new_case(world):
    old = free_contact(world, occurred_at=timezone.now() - datetime.timedelta(days=30), note="Eerste babbel.")
    anonymous = free_contact(world, first_name="", note="Tweede keer, naam niet gevraagd.")
    response = convert(world, [old, anonymous])
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:case_detail", args=[case.pk])
    assert (case.lead, case.status, case.school, str(case.young_person)) == (
        world.brugfiguur, CaseStatus.OPEN, world.school, "Sara Vermeulen")
    old.refresh_from_db()
    anonymous.refresh_from_db()
    assert old.case == anonymous.case == case and old.first_name == "" and old.note == "Eerste babbel."
    assert old.occurred_at < timezone.now() - datetime.timedelta(days=29)
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="cases.case")
    assert entry.changes["consent_recorded"] is True and sorted(entry.changes["from_contacts"]) == sorted(
        [old.pk, anonymous.pk])
    listed = client_for(world.brugfiguur).get(reverse("cases:low_threshold_list"))
    assert list(listed.context["page"]) == [] and "Vermeulen" not in listed.content.decode()


def test_conversion_warns_about_a_young_person_one_already_knows(world):
    person = fc.YoungPersonFactory(region=world.region, first_name="Sara", last_name="Vermeulen",
                                   birth_date=datetime.date(2012, 3, 4), school=world.school)
    fc.CaseFactory(region=world.region, young_person=person, lead=world.brugfiguur, status=CaseStatus.CLOSED,
                   closed_on=timezone.localdate(), close_reason="goals_reached")
    contact = free_contact(world)
    response = convert(world, [contact])
    assert response.status_code == 200 and response.context["duplicates"] == [person]
    assert Case.objects.count() == 1
    response = convert(world, [contact], young_person=str(person.pk), first_name="", last_name="")
    assert response.status_code == 302
    new_case = Case.objects.get(status=CaseStatus.OPEN)
    assert new_case.young_person == person and YoungPerson.objects.count() == 1


def test_one_cannot_convert_a_colleagues_contacts(world):
    theirs = free_contact(world, world.brugfiguur2)
    response = convert(world, [theirs])
    assert response.status_code == 200 and response.context["form"].errors["contacts"]
    assert not Case.objects.exists()
