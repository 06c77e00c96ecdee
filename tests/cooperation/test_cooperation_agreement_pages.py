"""The cooperation agreements with schools: the overview of every school with its status (evaluation
overdue marked), one school's agreement with the pool's presence days and its history, writing a
new version (coordinator, or the bridge figure serving the school), and an earlier version."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.agenda.models import PresenceDay
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cooperation.models import CooperationAgreement, ReferralChannel
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests.conftest import client_for
from tests.records.cooperation import make_agreement

OVERVIEW = reverse("cooperation:agreement_overview")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def school_url(school) -> str:
    return reverse("cooperation:agreement_school", args=[school.pk])


def edit_url(school) -> str:
    return reverse("cooperation:agreement_edit", args=[school.pk])


@pytest.fixture
def agreement(world):
    """The school contact's school has an agreement whose evaluation is overdue; brugfiguur serves it
    on Tuesdays."""
    PoolMember.objects.get(user=world.brugfiguur).schools.add(world.school)
    PresenceDay.objects.create(region=world.region, brugfiguur=world.brugfiguur, school=world.school, weekday=1,
                               valid_from=timezone.localdate() - datetime.timedelta(days=90))
    return make_agreement(world.region, world.school,
                          next_evaluation_on=timezone.localdate() - datetime.timedelta(days=5))


def post_data(**overrides) -> dict:
    data = {
        "valid_from": timezone.localdate().isoformat(), "agreed_days": "Dinsdag en donderdagvoormiddag",
        "referral_channel": ReferralChannel.CARE_TEAM, "referral_procedure": "Via het zorgoverleg op maandag.",
        "role_profile_accepted": "on", "role_profile_accepted_on": "2025-09-15",
        "role_profile_document": "Getekend door de directie", "last_evaluated_on": "2026-01-20",
        "next_evaluation_on": "2027-01-20", "remarks": "",
        "contacts-TOTAL_FORMS": "3", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "12",
        "contacts-0-name": "Griet Vanneste", "contacts-0-function": "zorgcoördinator",
        "contacts-0-phone": "056 11 22 33", "contacts-0-email": "griet@school.example",
        "contacts-1-name": "Bram Desmet", "contacts-1-function": "directeur", "contacts-1-phone": "",
        "contacts-1-email": "",
    }
    return data | overrides


# --- The overview ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur", "beleid"])
def test_the_overview_shows_every_school_with_its_status(world, agreement, persona):
    response = client_for(world.persona(persona)).get(OVERVIEW)
    rows = {row.school.name: row for row in response.context["rows"]}
    assert response.status_code == 200 and set(rows) == {world.school.name, world.other_school.name}
    assert rows[world.school.name].agreement == agreement and rows[world.school.name].evaluation_overdue
    assert rows[world.other_school.name].agreement is None
    assert list(rows)[0] == world.school.name  # served by the pool: first
    content = response.content.decode()
    assert "overdue" in content and "no agreement yet" in content


def test_the_overview_filters_by_status(world, agreement):
    client = client_for(world.coordinator)
    names = lambda status: [r.school.name for r in client.get(OVERVIEW, {"status": status}).context["rows"]]  # noqa: E731
    assert names("missing") == [world.other_school.name]
    assert names("overdue") == [world.school.name]
    assert names("no_role_profile") == [world.other_school.name]
    assert len(names("nonsense")) == 2


def test_a_school_contact_sees_only_their_own_school_in_the_overview(world, agreement):
    response = client_for(world.schoolcontact).get(OVERVIEW)
    assert [row.school for row in response.context["rows"]] == [world.school]
    assert world.other_school.name not in response.content.decode()


@pytest.mark.parametrize("persona", ["partner", "beheerder"])
def test_the_overview_does_not_exist_for_partners_and_administrators(world, agreement, persona):
    assert client_for(world.persona(persona)).get(OVERVIEW).status_code == 404


def test_the_overview_runs_a_flat_number_of_queries(world, agreement, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as small:
        client.get(OVERVIEW)
    for i in range(13):
        school = f.SchoolFactory(region=world.region, municipality=world.municipality, name=f"School {i}")
        if i % 2:
            make_agreement(world.region, school)
    with django_assert_max_num_queries(len(small)):
        response = client.get(OVERVIEW)
    assert len(response.context["rows"]) == 15


# --- One school --------------------------------------------------------------------------------------


def test_the_school_page_shows_the_agreement_presence_days_and_is_audited(world, agreement):
    response = client_for(world.coordinator).get(school_url(world.school))
    content = response.content.decode()
    assert response.status_code == 200 and response.context["agreement"] == agreement
    assert "Griet Vanneste" in content and "056 11 22 33" in content and "Elke dinsdag" in content
    assert [p.brugfiguur for p in response.context["presence"]] == [world.brugfiguur]
    assert response.context["overdue"] and response.context["can_write"]
    entry = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cooperation.cooperationagreement").get()
    assert entry.changes["presence_days"] == [p.pk for p in response.context["presence"]]


def test_the_school_contact_reads_their_schools_agreement_without_changing_it(world, agreement):
    client = client_for(world.schoolcontact)
    response = client.get(school_url(world.school))
    assert response.status_code == 200 and "Griet Vanneste" in response.content.decode()
    assert not response.context["can_write"] and edit_url(world.school) not in response.content.decode()
    assert [p.brugfiguur for p in response.context["presence"]] == [world.brugfiguur]
    assert client.get(school_url(world.other_school)).status_code == 404
    assert client.get(edit_url(world.school)).status_code == 404


@pytest.mark.parametrize("persona", ["partner", "beheerder", "foreign_coordinator"])
def test_others_do_not_see_a_schools_agreement(world, agreement, persona):
    assert client_for(world.persona(persona)).get(school_url(world.school)).status_code == 404


def test_a_school_without_an_agreement_says_so_and_offers_the_coordinator_to_record_it(world):
    response = client_for(world.coordinator).get(school_url(world.other_school))
    assert response.status_code == 200 and response.context["agreement"] is None
    assert edit_url(world.other_school) in response.content.decode()
    response = client_for(world.brugfiguur).get(school_url(world.other_school))
    assert response.status_code == 200 and not response.context["can_write"]


# --- Writing the agreement ---------------------------------------------------------------------------


def test_the_coordinator_records_the_first_agreement(world):
    response = client_for(world.coordinator).post(edit_url(world.other_school), post_data())
    assert response["Location"] == school_url(world.other_school)
    agreement = CooperationAgreement.objects.get(school=world.other_school)
    assert agreement.version == 1 and agreement.is_current and agreement.role_profile_accepted
    assert agreement.contacts == [
        {"name": "Griet Vanneste", "function": "zorgcoördinator", "phone": "056 11 22 33",
         "email": "griet@school.example"},
        {"name": "Bram Desmet", "function": "directeur", "phone": "", "email": ""},
    ]
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_id=str(agreement.pk)).exists()


def test_the_serving_brugfiguur_writes_a_new_version_and_the_old_one_stays_in_the_history(world, agreement):
    client = client_for(world.brugfiguur)
    form = client.get(edit_url(world.school))
    assert form.status_code == 200 and form.context["contacts"].initial[0]["name"] == "Griet Vanneste"
    client.post(edit_url(world.school), post_data())
    versions = list(CooperationAgreement.objects.filter(school=world.school).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].valid_until == timezone.localdate() and versions[1].valid_until is None
    assert versions[0].agreed_days == "Elke dinsdag" and versions[1].agreed_days == "Dinsdag en donderdagvoormiddag"
    page = client.get(school_url(world.school))
    assert page.context["agreement"] == versions[1] and page.context["history"] == [versions[0]]
    old = client.get(reverse("cooperation:agreement_version", args=[versions[0].pk]))
    assert old.status_code == 200 and "Elke dinsdag" in old.content.decode()
    # An earlier version never changes.
    assert client.post(edit_url(world.school), post_data(agreed_days="Vrijdag")).status_code == 302
    assert CooperationAgreement.objects.get(pk=versions[0].pk).agreed_days == "Elke dinsdag"


@pytest.mark.parametrize("persona", ["brugfiguur2", "schoolcontact", "partner", "beleid", "foreign_coordinator"])
def test_who_neither_coordinates_nor_serves_the_school_cannot_change_it(world, agreement, persona):
    client = client_for(world.persona(persona))
    assert client.get(edit_url(world.school)).status_code == 404
    assert client.post(edit_url(world.school), post_data()).status_code == 404
    assert CooperationAgreement.objects.filter(school=world.school).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contacts-0-email": "griet-at-school"}, "Enter a valid email address."),
        ({"contacts-0-name": ""}, "Give the name of this contact person."),
        ({"next_evaluation_on": "2025-01-01"}, "The next evaluation must come after the last one."),
        ({"valid_from": "2020-01-01"}, "A new version cannot start before the current one"),
        ({"role_profile_accepted": "", "role_profile_accepted_on": "2025-09-15"}, "Tick that the school accepted"),
        ({"last_evaluated_on": "2099-01-01", "next_evaluation_on": "2099-06-01"}, "cannot lie in the future"),
        ({"referral_channel": ""}, "This field is required."),
    ],
)
def test_bad_input_changes_nothing(world, agreement, overrides, message):
    response = client_for(world.coordinator).post(edit_url(world.school), post_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert CooperationAgreement.objects.filter(school=world.school).count() == 1
    agreement.refresh_from_db()
    assert agreement.valid_until is None


def test_saving_without_a_change_makes_no_new_version(world, agreement):
    client = client_for(world.coordinator)
    data = {**post_data(), "agreed_days": agreement.agreed_days, "referral_procedure": "", "role_profile_document": "",
            "role_profile_accepted_on": agreement.role_profile_accepted_on.isoformat(),
            "last_evaluated_on": agreement.last_evaluated_on.isoformat(),
            "next_evaluation_on": agreement.next_evaluation_on.isoformat(),
            "contacts-0-email": "griet.vanneste@school.example", "contacts-1-name": "", "contacts-1-function": ""}
    response = client.post(edit_url(world.school), data)
    assert response.status_code == 200 and "Nothing was changed" in response.content.decode()
    assert CooperationAgreement.objects.filter(school=world.school).count() == 1


def test_a_missing_channel_gives_a_dutch_error(world, agreement, settings):
    settings.LANGUAGE_CODE = "nl"
    response = client_for(world.coordinator).post(edit_url(world.school), post_data(referral_channel=""))
    assert "Dit veld is verplicht." in response.context["form"].errors["referral_channel"]


def test_the_form_as_shown_keeps_the_contacts_and_a_cleared_row_removes_one(world, agreement):
    agreement.contacts = [
        {"name": "Griet Vanneste", "function": "zorgcoördinator", "phone": "", "email": ""},
        {"name": "Bram Desmet", "function": "directeur", "phone": "", "email": ""},
    ]
    agreement.save()
    client = client_for(world.coordinator)
    contacts = client.get(edit_url(world.school)).context["contacts"]
    management = contacts.management_form
    data = post_data(**{
        f"contacts-{key}": management[key].value()
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    })
    assert data["contacts-INITIAL_FORMS"] == 2 and data["contacts-TOTAL_FORMS"] == 4
    for i, form in enumerate(contacts.forms):
        for name in ("name", "function", "phone", "email"):
            data[f"contacts-{i}-{name}"] = form.initial.get(name, "")
    data |= {"contacts-1-name": "", "contacts-1-function": "", "agreed_days": "Elke vrijdag"}
    assert client.post(edit_url(world.school), data).status_code == 302
    current = CooperationAgreement.objects.get(school=world.school, valid_until__isnull=True)
    assert [c["name"] for c in current.contacts] == ["Griet Vanneste"]
