"""The referral pages: referring a pupil (school contact, partner, brugfiguur, coordinator), the
referrer's status page that shows nothing of the case, triage (accept with the duplicates choice,
refuse with a reason, queue with a priority) and the waiting list per school and zone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import Case, Goal, Referral, ReferralSource, ReferralStatus, Urgency, YoungPerson
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for

CREATE = reverse("cases:referral_create")
LIST = reverse("cases:referral_list")
TRIAGE = reverse("cases:triage_list")
WAITING = reverse("cases:waiting_list")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages and messages, so texts can be compared whatever the Dutch catalog says."""
    settings.LANGUAGE_CODE = "en"


def detail(referral) -> str:
    return reverse("cases:referral_detail", args=[referral.pk])


def decide(referral, which: str) -> str:
    return reverse(f"cases:referral_{which}", args=[referral.pk])


def make_referral(world, **fields) -> Referral:
    values = {
        "region": world.region, "school": world.school, "source": ReferralSource.SCHOOL,
        "referred_by": world.schoolcontact, "pupil_first_name": "Amina", "pupil_last_name": "El Idrissi",
    }
    return fc.ReferralFactory(**(values | fields))


def form_data(**overrides) -> dict:
    data = {
        "pupil_first_name": "Amina",
        "pupil_last_name": "El Idrissi",
        "pupil_birth_date": fc.years_ago(14).isoformat(),
        "reason": "Veel afwezig, moeder vraagt hulp bij de schoolkosten.",
        "already_tried": "Gesprek met de leerlingbegeleider.",
        "urgency": Urgency.HIGH,
        "pupil_informed": "on",
    }
    return data | overrides


def audit_entries(event: AuditEvent, subject_type: str = "cases.referral"):
    return AuditEntry.objects.filter(event=event, subject_type=subject_type)


# --- Referring ----------------------------------------------------------------------------------


def test_school_contact_refers_a_pupil_of_their_own_school_and_lands_on_the_status_page(world):
    domains = [fc.LifeDomainFactory(region=world.region, name=n) for n in ("onderwijs", "wonen")]
    fc.LifeDomainFactory(region=world.region, name="oud domein", active=False)
    client = client_for(world.schoolcontact)
    page = client.get(CREATE).content.decode()
    assert "Sint-Amandscollege" in page and 'name="school"' not in page  # preset and fixed
    assert "onderwijs" in page and "oud domein" not in page
    assert "What has the school already tried?" in page
    response = client.post(CREATE, form_data(life_domains=[d.pk for d in domains]), follow=True)
    referral = Referral.objects.get()
    assert response.redirect_chain == [(detail(referral), 302)]
    assert "The referral of Amina El Idrissi was sent." in response.content.decode()
    assert (referral.school, referral.source, referral.referred_by) == (
        world.school, ReferralSource.SCHOOL, world.schoolcontact
    )
    assert referral.urgency == Urgency.HIGH and referral.pupil_informed and not referral.parents_informed
    assert set(referral.life_domains.all()) == set(domains)
    assert audit_entries(AuditEvent.CREATE).count() == 1


def test_a_school_contact_cannot_slip_in_another_school(world):
    client_for(world.schoolcontact).post(CREATE, form_data(school=world.other_school.pk))
    assert Referral.objects.get().school == world.school


def test_a_partner_refers_for_their_own_organisation_and_follows_the_status(world):
    client = client_for(world.partner)
    page = client.get(CREATE).content.decode()
    assert "CAW Zuid-West-Vlaanderen" in page and 'name="organisation"' not in page
    response = client.post(CREATE, form_data(school=world.other_school.pk))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == detail(referral)
    assert (referral.source, referral.organisation, referral.school) == (
        ReferralSource.PARTNER, world.organisation, world.other_school
    )
    status_page = client.get(detail(referral)).content.decode()
    assert "Received" in status_page and "received" in status_page
    assert "Accept and assign" not in status_page
    assert "Amina" in client.get(LIST).content.decode()


def test_the_referral_form_shows_dutch_errors_and_changes_nothing(world, settings):
    settings.LANGUAGE_CODE = "nl"
    response = client_for(world.schoolcontact).post(
        CREATE, form_data(pupil_first_name="", reason="  "), headers={"Accept-Language": "nl"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("Dit veld is verplicht.") == 2
    assert not Referral.objects.exists() and not audit_entries(AuditEvent.CREATE).exists()


def test_a_birth_date_in_the_future_is_refused_on_its_field(world):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(world.schoolcontact).post(CREATE, form_data(pupil_birth_date=tomorrow))
    assert response.context["form"].errors["pupil_birth_date"] == ["A date of birth cannot lie in the future."]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("persona", ["beleid", "beheerder"])
def test_roles_without_casework_get_404_on_the_referral_pages(world, persona):
    client = client_for(world.persona(persona))
    for url in (CREATE, LIST, TRIAGE, WAITING):
        assert client.get(url).status_code == 404
    assert client.post(CREATE, form_data()).status_code == 404
    assert not Referral.objects.exists()


def test_a_brugfiguur_registering_directly_first_sees_possible_duplicates_and_confirms(world):
    known = fc.YoungPersonFactory(
        region=world.region, first_name="Amina", last_name="El Idrissi", birth_date=fc.years_ago(14),
        school=world.other_school,
    )
    case = fc.CaseFactory(region=world.region, young_person=known, lead=world.brugfiguur, school=world.other_school)
    client = client_for(world.brugfiguur)
    response = client.post(CREATE, form_data(pupil_first_name="amina", school=world.school.pk))
    page = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()  # nothing created yet
    assert "These young people look the same" in page and "Atheneum Kortrijk" in page
    assert case.young_person.first_name in page and 'name="confirmed"' in page
    listed = audit_entries(AuditEvent.VIEW, "cases.youngperson").get()
    assert listed.changes["young_people"] == [known.pk]
    confirmed = response.context["identity"]
    # Confirming one young person does not wave through another one who also looks like somebody known.
    namesake = fc.YoungPersonFactory(
        region=world.region, first_name="Amina", last_name="El Idrissi", birth_date=fc.years_ago(14, days=1)
    )
    fc.CaseFactory(region=world.region, young_person=namesake, lead=world.brugfiguur)
    other_birth_date = fc.years_ago(14, days=1).isoformat()
    response = client.post(CREATE, form_data(pupil_birth_date=other_birth_date, confirmed=confirmed))
    assert response.status_code == 200 and response.context["duplicates"] and not Referral.objects.exists()
    response = client.post(CREATE, form_data(pupil_first_name="amina", school=world.school.pk, confirmed=confirmed))
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.source == ReferralSource.DIRECT
    assert YoungPerson.objects.count() == 2  # the young person is only created at triage


def test_a_school_contact_never_sees_another_schools_pupil_that_looks_the_same(world):
    fc.YoungPersonFactory(
        region=world.region, first_name="Amina", last_name="El Idrissi", birth_date=fc.years_ago(14),
        school=world.other_school, phone="0499 12 34 56",
    )
    response = client_for(world.schoolcontact).post(CREATE, form_data(), follow=True)
    page = response.content.decode()
    assert Referral.objects.count() == 1
    assert "look the same" not in page and "Atheneum Kortrijk" not in page and "0499" not in page


# --- What the referrer sees -----------------------------------------------------------------------


def test_the_school_contact_sees_the_status_but_never_the_case_content(world):
    records = fc.full_case(world)
    referral, case = records[Referral], records[Case]
    Goal.objects.filter(case=case).update(description="Geheim doel: elke dag op tijd")
    client = client_for(world.schoolcontact)
    for url in (detail(referral), LIST):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and "Yasmine" in page and "assigned" in page
        for secret in (
            "Geheim doel", "Gesprek met moeder", "Hulp bij de aanvraag", "Afspraak maken bij het OCMW",
            "Fatima", "Warme overdracht", str(world.brugfiguur), "Go to the case", "Accept and assign",
        ):
            assert secret not in page, secret
    viewed = audit_entries(AuditEvent.VIEW)
    assert viewed.filter(subject_id=str(referral.pk), actor=world.schoolcontact).exists()
    assert viewed.filter(subject_label="My referrals", changes__referrals=[referral.pk]).exists()


def test_my_referrals_lists_only_the_users_own_and_their_schools(world):
    mine = make_referral(world)
    colleague = f.user_with_role(Role.SCHOOLCONTACT, world.region, school=world.school)
    of_colleague = make_referral(world, referred_by=colleague, pupil_first_name="Bram")
    other = make_referral(world, school=world.other_school, referred_by=None, pupil_first_name="Chloé")
    rows = client_for(world.schoolcontact).get(LIST).context["page"].object_list
    assert {row.pk for row in rows} == {mine.pk, of_colleague.pk}
    assert other.pk not in {row.pk for row in client_for(world.partner).get(LIST).context["page"].object_list}


def test_the_lead_of_the_case_sees_the_referral_without_decision_forms(world):
    referral = fc.full_case(world)[Referral]
    page = client_for(world.brugfiguur).get(detail(referral)).content.decode()
    assert "Vaak afwezig" in page and "Accept and assign" not in page


@pytest.mark.parametrize("persona", ["foreign_coordinator", "foreign_brugfiguur", "brugfiguur2", "partner", "beleid"])
def test_a_referral_others_may_not_see_is_404_and_cannot_be_decided(world, persona):
    referral = make_referral(world)
    client = client_for(world.persona(persona))
    assert client.get(detail(referral)).status_code == 404
    assert client.post(decide(referral, "refuse"), {"refuse-reason": "Nee."}).status_code == 404
    assert client.post(decide(referral, "queue"), {"queue-priority": "5"}).status_code == 404
    assert client.post(decide(referral, "accept"), {"accept-lead": world.brugfiguur.pk}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED and not audit_entries(AuditEvent.UPDATE).exists()


def test_a_school_contact_of_another_school_gets_404(world):
    referral = make_referral(world, school=world.other_school, referred_by=None)
    assert client_for(world.schoolcontact).get(detail(referral)).status_code == 404


# --- Triage -----------------------------------------------------------------------------------------


def test_the_triager_sees_the_referral_with_its_possible_duplicates_before_a_young_person_is_created(world):
    referral = make_referral(world, pupil_birth_date=fc.years_ago(14))
    known = fc.YoungPersonFactory(
        region=world.region, first_name="Amina", last_name="El Idrissi", birth_date=fc.years_ago(14)
    )
    client = client_for(world.coordinator)
    response = client.get(detail(referral))
    page = response.content.decode()
    assert "Possible duplicates" in page and "Young person already known: Amina El Idrissi" in page
    assert "A new young person: create Amina El Idrissi" in page
    assert YoungPerson.objects.count() == 1
    entry = audit_entries(AuditEvent.VIEW).get(subject_id=str(referral.pk))
    assert entry.changes == {"duplicates": [known.pk]}
    # The choice is required: accepting without it changes nothing.
    response = client.post(decide(referral, "accept"), {"accept-lead": world.brugfiguur.pk})
    assert response.status_code == 200 and "young_person" in response.context["forms"].accept.errors
    assert not Case.objects.exists()
    response = client.post(
        decide(referral, "accept"), {"accept-lead": world.brugfiguur.pk, "accept-young_person": known.pk}
    )
    assert response.status_code == 302 and response.url == detail(referral)
    case = Case.objects.get()
    assert case.young_person == known and case.lead == world.brugfiguur and YoungPerson.objects.count() == 1


def test_accepting_a_new_young_person_opens_the_case_and_is_audited(world):
    fc.pool_serves(world)
    referral = make_referral(world)
    client = client_for(world.coordinator)
    form = client.get(detail(referral)).context["forms"].accept
    assert form.initial["lead"] == world.brugfiguur.pk  # the brugfiguur who serves the school
    assert "young_person" not in form.fields  # nobody looks the same
    assert set(form.fields["lead"].queryset) == {world.brugfiguur, world.brugfiguur2}
    response = client.post(decide(referral, "accept"), {"accept-lead": world.brugfiguur2.pk}, follow=True)
    assert f"{world.brugfiguur2} takes on the case" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED and referral.case.lead == world.brugfiguur2
    assert referral.case.young_person.first_name == "Amina"
    assert audit_entries(AuditEvent.UPDATE).filter(subject_id=str(referral.pk), actor=world.coordinator).exists()
    assert audit_entries(AuditEvent.CREATE, "cases.case").exists()
    page = response.content.decode()
    assert "Accept and assign" not in page  # decided: no forms any more
    assert f'href="{reverse("cases:case_detail", args=[referral.case.pk])}"' in page


def test_a_lead_who_is_not_in_the_pool_is_refused(world):
    referral = make_referral(world)
    response = client_for(world.coordinator).post(decide(referral, "accept"), {"accept-lead": world.schoolcontact.pk})
    assert response.status_code == 200 and "lead" in response.context["forms"].accept.errors
    assert not Case.objects.exists()


def test_refusing_without_a_reason_gives_a_dutch_error_and_changes_nothing(world, settings):
    settings.LANGUAGE_CODE = "nl"
    referral = make_referral(world)
    response = client_for(world.coordinator).post(
        decide(referral, "refuse"), {"refuse-reason": "   "}, headers={"Accept-Language": "nl"}
    )
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED and referral.refusal_reason == ""
    assert not audit_entries(AuditEvent.UPDATE).exists()


def test_refusing_with_a_reason_is_audited_and_the_referrer_sees_the_reason(world):
    referral = make_referral(world)
    response = client_for(world.coordinator).post(decide(referral, "refuse"), {"refuse-reason": "Hoort bij het CLB."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED and referral.refusal_reason == "Hoort bij het CLB."
    entry = audit_entries(AuditEvent.UPDATE).get(subject_id=str(referral.pk))
    assert entry.actor == world.coordinator and "refusal_reason" in entry.changes
    page = client_for(world.schoolcontact).get(detail(referral)).content.decode()
    assert "refused" in page and "Hoort bij het CLB." in page


def test_queueing_sets_the_priority_and_a_bad_priority_changes_nothing(world):
    referral = make_referral(world)
    client = client_for(world.coordinator)
    for bad in ("101", "-1", "veel"):
        response = client.post(decide(referral, "queue"), {"queue-priority": bad})
        assert response.status_code == 200 and "priority" in response.context["forms"].queue.errors
    assert not audit_entries(AuditEvent.UPDATE).exists()
    response = client.post(decide(referral, "queue"), {"queue-priority": "7"}, follow=True)
    assert "on the waiting list with priority 7" in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.priority) == (ReferralStatus.WAITING, 7)
    assert audit_entries(AuditEvent.UPDATE).filter(subject_id=str(referral.pk)).count() == 1


def test_a_decided_referral_cannot_be_decided_again(world):
    referral = make_referral(world, status=ReferralStatus.REFUSED, refusal_reason="Al geholpen.")
    client = client_for(world.coordinator)
    assert client.get(detail(referral)).context["forms"] is None
    response = client.post(decide(referral, "queue"), {"queue-priority": "3"}, follow=True)
    assert "This referral has already been decided on." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED


def test_decision_pages_answer_a_get_with_the_referral(world):
    referral = make_referral(world)
    response = client_for(world.coordinator).get(decide(referral, "refuse"))
    assert response.status_code == 302 and response.url == detail(referral)


def test_a_brugfiguur_triages_only_when_the_region_says_so_and_only_for_their_school(world):
    fc.pool_serves(world)
    referral = make_referral(world)
    client = client_for(world.brugfiguur)
    assert client.get(detail(referral)).status_code == 404
    assert client.get(TRIAGE).context["items"] == []
    fc.set_casework_settings(world.region, triage_by_brugfiguur=True)
    assert [item.referral for item in client.get(TRIAGE).context["items"]] == [referral]
    assert client_for(world.brugfiguur2).get(detail(referral)).status_code == 404
    response = client.post(decide(referral, "queue"), {"queue-priority": "2"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_the_triage_list_puts_urgent_first_with_the_waiting_time_in_flat_queries(
    world, django_assert_max_num_queries
):
    now = timezone.now()
    old = make_referral(world, pupil_first_name="Oud", received_at=now - datetime.timedelta(days=9))
    urgent = make_referral(world, pupil_first_name="Dringend", urgency=Urgency.HIGH, received_at=now)
    client = client_for(world.coordinator)
    response = client.get(TRIAGE)
    items = response.context["items"]
    assert [item.referral for item in items] == [urgent, old] and items[1].waiting_days == 9
    assert "9 days" in response.content.decode()
    entry = audit_entries(AuditEvent.VIEW).get(subject_label="Referrals to decide on")
    assert entry.changes["referrals"] == [urgent.pk, old.pk]
    domain = fc.LifeDomainFactory(region=world.region)
    with django_assert_max_num_queries(30) as small:
        client.get(TRIAGE)
    for _ in range(15):
        make_referral(world).life_domains.add(domain)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(TRIAGE).context["items"]) == 17
    assert client_for(world.schoolcontact).get(TRIAGE).status_code == 404


# --- The waiting list -----------------------------------------------------------------------------


def test_the_waiting_list_filters_by_school_and_zone_and_records_the_view(world):
    elsewhere = f.SchoolFactory(region=world.region, name="School zonder zone")
    here = make_referral(world, status=ReferralStatus.WAITING, priority=5)
    there = make_referral(world, school=elsewhere, pupil_first_name="Bram")
    make_referral(world, status=ReferralStatus.ASSIGNED, pupil_first_name="Klaar")
    fc.ReferralFactory(region=world.other_region, school=world.foreign_school)
    client = client_for(world.coordinator)

    def listed(params=None):
        return [item.referral for item in client.get(WAITING, params or {}).context["items"]]

    assert listed() == [here, there]
    assert listed({"school": elsewhere.pk}) == [there]
    assert listed({"zone": world.zone.pk}) == [here]
    assert listed({"school": "nope", "zone": "999999"}) == [here, there]  # bad filters are ignored
    entry = audit_entries(AuditEvent.VIEW).filter(subject_label="Waiting list").last()
    assert entry.region_id == world.region.pk and entry.changes["referrals"] == [here.pk, there.pk]
    page = client.get(WAITING).content.decode()
    assert "School zonder zone" in page and "Per school" in page


def test_the_waiting_list_htmx_filter_returns_the_results_only(world):
    make_referral(world)
    response = client_for(world.coordinator).get(WAITING, {"school": world.school.pk}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="waiting-results">')


@pytest.mark.parametrize("persona", ["schoolcontact", "partner"])
def test_the_waiting_list_is_for_the_pool_only(world, persona):
    make_referral(world)
    assert client_for(world.persona(persona)).get(WAITING).status_code == 404


def test_another_regions_coordinator_sees_nothing_of_this_regions_waiting_list(world):
    make_referral(world)
    response = client_for(world.foreign_coordinator).get(WAITING, {"school": world.school.pk})
    assert response.status_code == 200 and response.context["items"] == []
    assert "Amina" not in response.content.decode()


def test_the_waiting_list_runs_the_same_number_of_queries_for_2_and_20_referrals(
    world, django_assert_max_num_queries
):
    domain = fc.LifeDomainFactory(region=world.region)
    client = client_for(world.coordinator)
    for _ in range(2):
        make_referral(world, status=ReferralStatus.WAITING).life_domains.add(domain)
    with django_assert_max_num_queries(30) as small:
        assert len(client.get(WAITING).context["items"]) == 2
    with django_assert_max_num_queries(30) as small_in_zone:
        client.get(WAITING, {"zone": world.zone.pk})
    for i in range(18):
        school = f.SchoolFactory(region=world.region)
        make_referral(world, school=school, urgency=Urgency.HIGH if i % 2 else Urgency.LOW).life_domains.add(domain)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(WAITING).context["items"]) == 20
    with django_assert_max_num_queries(len(small_in_zone.captured_queries)):
        assert len(client.get(WAITING, {"zone": world.zone.pk}).context["items"]) == 2


def test_my_referrals_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.schoolcontact)
    make_referral(world)
    with django_assert_max_num_queries(30) as small:
        client.get(LIST)
    for _ in range(15):
        make_referral(world)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(LIST).context["page"].object_list) == 16


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "coordinator", "schoolcontact", "partner",
                                     "beleid", "beheerder", "foreign_coordinator", "foreign_brugfiguur"])
def test_every_persona_gets_a_page_or_a_404_never_an_error(world, persona):
    records = fc.full_case(world)
    waiting = make_referral(world, status=ReferralStatus.WAITING, priority=3)
    client = client_for(world.persona(persona))
    expected = {
        CREATE: persona not in ("beleid", "beheerder"),
        LIST: persona not in ("beleid", "beheerder"),
        TRIAGE: persona in ("brugfiguur", "brugfiguur2", "coordinator", "foreign_coordinator", "foreign_brugfiguur"),
        WAITING: persona in ("brugfiguur", "brugfiguur2", "coordinator", "foreign_coordinator", "foreign_brugfiguur"),
        detail(records[Referral]): persona in ("brugfiguur", "coordinator", "schoolcontact"),
        detail(waiting): persona in ("coordinator", "schoolcontact"),
    }
    for url, allowed in expected.items():
        assert client.get(url).status_code == (200 if allowed else 404), url
