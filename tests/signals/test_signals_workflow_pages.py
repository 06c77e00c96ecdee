"""Signals pages that move a signal along: backing it (and withdrawing), adding a case as evidence
(searching one's own cases; only a count for others), changing the status with a note, and
recording an answer from policy. Each page: who may use it, bad input, what it records."""

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import CaseStatus
from brugwerk.signals.models import (
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
)
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.signals import signal_of

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def url(name, obj):
    return reverse(f"signals:{name}", args=[obj.pk])


def case_of(world, lead, first_name, *, status=CaseStatus.OPEN, region=None):
    region = region or world.region
    closed = {"closed_on": TODAY, "close_reason": "goals_reached"} if status == CaseStatus.CLOSED else {}
    person = fc.YoungPersonFactory(region=region, first_name=first_name, last_name="Testers")
    return fc.CaseFactory(region=region, young_person=person, lead=lead, status=status, school=world.school
                          if region == world.region else None, **closed)


@pytest.fixture
def signal(world):
    return signal_of(world.region, world.brugfiguur, title="Te weinig plaatsen in de kinderopvang")


# --- Backing ---------------------------------------------------------------------------------------


def test_a_colleague_backs_the_signal_with_a_note(world, signal):
    client = client_for(world.brugfiguur2)
    assert client.get(url("signal_back", signal)).status_code == 200
    response = client.post(url("signal_back", signal), {"note": "Drie gezinnen in Menen wachten ook."})
    assert response.status_code == 302 and response.url.endswith("#backers")
    backing = SignalBacking.objects.get(brugfiguur=world.brugfiguur2)
    assert backing.note == "Drie gezinnen in Menen wachten ook."
    page = client.get(url("signal_detail", signal)).content.decode()
    assert "Drie gezinnen in Menen" in page and url("backing_withdraw", signal) in page


def test_backing_twice_is_an_error_on_the_form(world, signal):
    client = client_for(world.brugfiguur)  # the author backs it already
    response = client.post(url("signal_back", signal), {"note": ""})
    assert response.status_code == 200 and "already back" in response.content.decode()
    assert SignalBacking.objects.count() == 1


@pytest.mark.parametrize("persona", ["coordinator", "beleid", "schoolcontact", "partner"])
def test_only_brugfiguren_back(world, signal, persona):
    assert client_for(world.persona(persona)).post(url("signal_back", signal), {}).status_code == 404
    assert SignalBacking.objects.count() == 1


def test_withdrawing_ones_backing(world, signal):
    SignalBacking.objects.create(signal=signal, brugfiguur=world.brugfiguur2, backed_on=TODAY)
    assert client_for(world.coordinator).post(url("backing_withdraw", signal)).status_code == 404
    client = client_for(world.brugfiguur2)
    assert client.get(url("backing_withdraw", signal)).status_code == 200
    assert client.post(url("backing_withdraw", signal)).status_code == 302
    assert list(SignalBacking.objects.values_list("brugfiguur", flat=True)) == [world.brugfiguur.pk]
    assert client.post(url("backing_withdraw", signal)).status_code == 404


# --- Evidence --------------------------------------------------------------------------------------


def test_the_evidence_page_offers_the_users_own_cases_and_audits_them(world, signal):
    case_of(world, world.brugfiguur, "Amira")
    case_of(world, world.brugfiguur, "Kobe", status=CaseStatus.CLOSED)
    case_of(world, world.brugfiguur2, "Noah")
    response = client_for(world.brugfiguur).get(url("evidence_add", signal))
    assert response.status_code == 200
    assert sorted(c.young_person.first_name for c in response.context["candidates"]) == ["Amira", "Kobe"]
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.case")
    assert entry.actor == world.brugfiguur and len(entry.changes["cases"]) == 2


def test_the_search_box_finds_a_case_by_name_and_answers_htmx(world, signal):
    case_of(world, world.brugfiguur, "Amira")
    case_of(world, world.brugfiguur, "Kobe")
    response = client_for(world.brugfiguur).get(url("evidence_add", signal), {"q": "kob"},
                                                headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Kobe" in content and "Amira" not in content and "<h1>" not in content


def test_adding_a_case_as_evidence_shows_only_a_count_to_others(world, signal):
    case = case_of(world, world.brugfiguur, "Amira")
    client = client_for(world.brugfiguur)
    response = client.post(url("evidence_add", signal), {"case": case.pk})
    assert response.status_code == 302 and response.url.endswith("#evidence")
    assert SignalEvidence.objects.get().case == case
    assert "Amira" not in [c.young_person.first_name
                           for c in client.get(url("evidence_add", signal)).context["candidates"]]
    colleague = client_for(world.brugfiguur2).get(url("signal_detail", signal)).content.decode()
    assert "Amira" not in colleague and "1 case" in colleague


def test_a_case_the_user_does_not_see_is_refused_with_a_message(world, signal):
    colleagues = case_of(world, world.brugfiguur2, "Noah")
    foreign = case_of(world, world.foreign_brugfiguur, "Elders", region=world.other_region)
    client = client_for(world.brugfiguur)
    for value in (colleagues.pk, foreign.pk, "abc", ""):
        response = client.post(url("evidence_add", signal), {"case": value})
        assert response.status_code == 200
        assert "Choose one of the cases you can see." in response.content.decode()
    assert not SignalEvidence.objects.exists()


def test_the_same_case_twice_is_an_error(world, signal):
    case = case_of(world, world.brugfiguur, "Amira")
    SignalEvidence.objects.create(signal=signal, case=case, added_by=world.brugfiguur)
    response = client_for(world.brugfiguur).post(url("evidence_add", signal), {"case": case.pk})
    assert response.status_code == 200 and "already counts" in response.content.decode()
    assert SignalEvidence.objects.count() == 1


@pytest.mark.parametrize("persona", ["beleid", "schoolcontact", "partner", "beheerder"])
def test_no_evidence_page_outside_the_pool(world, persona):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON, level=SignalLevel.SCHOOL,
                       school=world.school)
    case = case_of(world, world.brugfiguur, "Amira")
    client = client_for(world.persona(persona))
    assert client.get(url("evidence_add", passed)).status_code == 404
    assert client.post(url("evidence_add", passed), {"case": case.pk}).status_code == 404
    assert not SignalEvidence.objects.exists()


def test_removing_evidence(world, signal):
    evidence = SignalEvidence.objects.create(signal=signal, case=case_of(world, world.brugfiguur, "Amira"),
                                             added_by=world.brugfiguur)
    assert client_for(world.brugfiguur2).post(url("evidence_remove", evidence)).status_code == 404
    client = client_for(world.brugfiguur)
    assert url("evidence_remove", evidence) in client.get(url("signal_detail", signal)).content.decode()
    assert client.post(url("evidence_remove", evidence)).status_code == 302
    assert not SignalEvidence.objects.exists()


def test_evidence_page_query_count_does_not_grow(world, signal, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    for n in range(2):
        case_of(world, world.brugfiguur, f"Jongere{n}")
    client.get(url("evidence_add", signal))
    with django_assert_max_num_queries(30) as small:
        client.get(url("evidence_add", signal))
    for n in range(15):
        case_of(world, world.brugfiguur2, f"Meer{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("evidence_add", signal))


# --- Status ----------------------------------------------------------------------------------------


def test_the_coordinator_moves_the_signal_on_with_a_note(world, signal):
    client = client_for(world.coordinator)
    assert client.get(url("status_change", signal)).status_code == 200
    response = client.post(url("status_change", signal), {
        "to_status": SignalStatus.DISCUSSED, "changed_on": TODAY.isoformat(), "note": "Herkend door heel de pool.",
        "minutes": "25",
    })
    assert response.status_code == 302 and response.url.endswith("#history")
    change = SignalStatusChange.objects.get(to_status=SignalStatus.DISCUSSED)
    assert (change.note, change.minutes, change.changed_by) == ("Herkend door heel de pool.", 25, world.coordinator)
    assert "Herkend door heel de pool." in client.get(url("signal_detail", signal)).content.decode()


def test_bad_status_input_changes_nothing(world, signal):
    client = client_for(world.coordinator)
    for data in (
        {"to_status": SignalStatus.RECORDED, "changed_on": TODAY.isoformat()},  # the current status
        {"to_status": "gone", "changed_on": TODAY.isoformat()},
        {"to_status": SignalStatus.DISCUSSED, "changed_on": "2999-01-01"},
        {"to_status": SignalStatus.DISCUSSED, "changed_on": TODAY.isoformat(), "minutes": "-5"},
    ):
        response = client.post(url("status_change", signal), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert Signal.objects.get().status == SignalStatus.RECORDED


@pytest.mark.parametrize("persona", ["brugfiguur", "brugfiguur2", "beleid", "schoolcontact"])
def test_only_the_coordinator_changes_the_status(world, persona):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON, level=SignalLevel.SCHOOL,
                       school=world.school)
    client = client_for(world.persona(persona))
    data = {"to_status": SignalStatus.CLOSED, "changed_on": TODAY.isoformat()}
    assert client.post(url("status_change", passed), data).status_code == 404
    assert Signal.objects.get().status == SignalStatus.PASSED_ON


# --- Responses -------------------------------------------------------------------------------------


def answer(**extra):
    return {"responder": "Schepen van Onderwijs Kortrijk", "received_on": TODAY.isoformat(),
            "kind": ResponseKind.ANSWER, "text": "We voorzien extra plaatsen vanaf september."} | extra


def test_beleid_records_the_answer_and_the_signal_is_answered(world):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    client = client_for(world.beleid)
    assert url("response_create", passed) in client.get(url("signal_detail", passed)).content.decode()
    response = client.post(url("response_create", passed), answer())
    assert response.status_code == 302 and response.url.endswith("#responses")
    assert SignalResponse.objects.get().recorded_by == world.beleid
    assert Signal.objects.get().status == SignalStatus.ANSWERED
    assert "extra plaatsen" in client.get(reverse("signals:policy_list")).content.decode()


def test_a_school_contact_answers_for_their_school(world):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON, level=SignalLevel.SCHOOL,
                       school=world.school)
    response = client_for(world.schoolcontact).post(url("response_create", passed),
                                                    answer(responder=world.school.name))
    assert response.status_code == 302
    assert SignalResponse.objects.get().responder == world.school.name


def test_bad_answers_change_nothing(world):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    client = client_for(world.beleid)
    for data in (answer(text=""), answer(received_on="2999-01-01"), answer(kind="maybe"), answer(responder="")):
        response = client.post(url("response_create", passed), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not SignalResponse.objects.exists()
    assert Signal.objects.get().status == SignalStatus.PASSED_ON


def test_the_coordinator_gets_a_message_when_the_signal_was_not_passed_on(world, signal):
    response = client_for(world.coordinator).post(url("response_create", signal), answer())
    assert response.status_code == 200 and "not been passed on" in response.content.decode()
    assert not SignalResponse.objects.exists()


@pytest.mark.parametrize("persona", ["brugfiguur", "partner", "beheerder"])
def test_others_do_not_record_answers(world, persona):
    passed = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    assert client_for(world.persona(persona)).post(url("response_create", passed), answer()).status_code == 404
    assert not SignalResponse.objects.exists()


def test_beleid_cannot_open_any_case_page(world):
    case = fc.full_case(world)[fc.Case]
    client = client_for(world.beleid)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:case_list")).status_code == 404
