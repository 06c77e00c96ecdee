"""Signals pages, reading and recording: the pool's list with filters, policy's list, one signal (what
each role sees of it, the audit entry), recording and changing a signal, and the region's themes.
Query counts of the lists and the detail page do not grow with the data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.signals.models import (
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalTheme,
)
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.signals import signal_of, theme_of

LIST = reverse("signals:signal_list")
POLICY = reverse("signals:policy_list")
CREATE = reverse("signals:signal_create")
THEMES = reverse("signals:theme_list")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def detail(signal):
    return reverse("signals:signal_detail", args=[signal.pk])


def titles(response):
    return sorted(signal.title for signal in response.context["page"].object_list)


@pytest.fixture
def signals(world):
    return {
        "recorded": signal_of(world.region, world.brugfiguur, title="Te dure schoolreis"),
        "passed_on": signal_of(world.region, world.brugfiguur2, title="Bus rijdt niet op woensdag",
                               status=SignalStatus.PASSED_ON, level=SignalLevel.MUNICIPALITY,
                               municipality=world.municipality, theme=theme_of(world.region, "vervoer en mobiliteit")),
        "foreign": signal_of(world.other_region, world.foreign_brugfiguur, title="Elders knelpunt",
                             status=SignalStatus.PASSED_ON),
    }


# --- The lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator"])
def test_the_pool_lists_every_signal_of_the_region(world, signals, persona):
    response = client_for(world.persona(persona)).get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Bus rijdt niet op woensdag", "Te dure schoolreis"]
    assert "Elders" not in response.content.decode()


def test_beleid_lists_only_what_was_passed_on(world, signals):
    assert titles(client_for(world.beleid).get(LIST)) == ["Bus rijdt niet op woensdag"]
    page = client_for(world.beleid).get(POLICY)
    assert page.status_code == 200 and titles(page) == ["Bus rijdt niet op woensdag"]
    assert "Te dure schoolreis" not in page.content.decode()


@pytest.mark.parametrize("persona", ["partner", "beheerder"])
def test_partners_and_administrators_have_no_signal_pages(world, signals, persona):
    client = client_for(world.persona(persona))
    for url in (LIST, POLICY, CREATE, detail(signals["passed_on"])):
        assert client.get(url).status_code == 404, url


def test_the_list_filters_by_theme_level_status_and_words(world, signals):
    client = client_for(world.coordinator)
    transport = SignalTheme.objects.get(region=world.region, name="vervoer en mobiliteit")
    assert titles(client.get(LIST, {"theme": transport.pk})) == ["Bus rijdt niet op woensdag"]
    assert titles(client.get(LIST, {"level": SignalLevel.REGION})) == ["Te dure schoolreis"]
    assert titles(client.get(LIST, {"status": SignalStatus.RECORDED})) == ["Te dure schoolreis"]
    assert titles(client.get(LIST, {"q": "woensdag"})) == ["Bus rijdt niet op woensdag"]


def test_the_list_ignores_bad_filters_and_another_regions_theme(world, signals):
    client = client_for(world.coordinator)
    foreign_theme = signals["foreign"].theme
    for query in ({"theme": "abc"}, {"status": "weg"}, {"theme": foreign_theme.pk}, {"page": "x"}):
        response = client.get(LIST, query)
        assert response.status_code == 200
        assert "Elders" not in response.content.decode()


def test_the_list_answers_htmx_with_the_results_only(world, signals):
    response = client_for(world.brugfiguur).get(LIST, {"q": "bus"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'id="signal-results"' in content and "<h1>" not in content


def _many(world, count):
    for n in range(count):
        signal = signal_of(world.region, world.brugfiguur, title=f"Knelpunt {n}", status=SignalStatus.PASSED_ON)
        SignalBacking.objects.create(signal=signal, brugfiguur=world.brugfiguur2, backed_on=TODAY)
        SignalEvidence.objects.create(signal=signal, case=fc.CaseFactory(region=world.region, lead=world.brugfiguur),
                                      added_by=world.brugfiguur)
        SignalResponse.objects.create(signal=signal, responder="Stad", received_on=TODAY, text="Antwoord",
                                      recorded_by=world.beleid)


@pytest.mark.parametrize(("url", "persona"), [(LIST, "coordinator"), (POLICY, "beleid")])
def test_list_query_counts_do_not_grow_with_the_data(world, django_assert_max_num_queries, url, persona):
    client = client_for(world.persona(persona))
    _many(world, 2)
    client.get(url)  # session and principal warmed up
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    _many(world, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 17


# --- One signal ------------------------------------------------------------------------------------


def test_the_pool_sees_the_whole_signal_and_the_view_is_audited(world, signals):
    signal = signals["passed_on"]
    response = client_for(world.brugfiguur).get(detail(signal))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bus rijdt niet op woensdag" in content and world.municipality.name in content
    assert str(world.brugfiguur2) in content  # the author and backer, by name
    assert reverse("signals:signal_back", args=[signal.pk]) in content
    assert reverse("signals:status_change", args=[signal.pk]) not in content  # the coordinator's
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="signals.signal")
    assert entry.actor == world.brugfiguur and entry.changes["backers"] == [world.brugfiguur2.pk]


def test_beleid_sees_counts_responses_and_no_names(world, signals):
    signal = signals["passed_on"]
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur2,
                          young_person=fc.YoungPersonFactory(region=world.region, first_name="Yasmina",
                                                             last_name="Verborgen"))
    SignalEvidence.objects.create(signal=signal, case=case, added_by=world.brugfiguur2)
    SignalResponse.objects.create(signal=signal, responder="Stad Kortrijk", received_on=TODAY,
                                  kind=ResponseKind.ANSWER, text="Er komt een extra bus.", recorded_by=world.beleid)
    response = client_for(world.beleid).get(detail(signal))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 case" in content and "Er komt een extra bus." in content
    assert "Yasmina" not in content and "Verborgen" not in content
    assert str(world.brugfiguur2) not in content
    assert reverse("cases:case_detail", args=[case.pk]) not in content
    assert reverse("signals:response_create", args=[signal.pk]) in content


def test_the_case_team_sees_its_evidence_by_name_colleagues_only_the_count(world, signals):
    signal = signals["recorded"]
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur,
                          young_person=fc.YoungPersonFactory(region=world.region, first_name="Ilyas"))
    SignalEvidence.objects.create(signal=signal, case=case, added_by=world.brugfiguur)
    own = client_for(world.brugfiguur).get(detail(signal)).content.decode()
    colleague = client_for(world.brugfiguur2).get(detail(signal)).content.decode()
    assert "Ilyas" in own and "Ilyas" not in colleague
    assert "1 case" in colleague


def test_beleid_gets_404_for_a_signal_still_in_the_pool(world, signals):
    assert client_for(world.beleid).get(detail(signals["recorded"])).status_code == 404
    assert client_for(world.schoolcontact).get(detail(signals["passed_on"])).status_code == 404


def test_detail_query_count_does_not_grow_with_backers_evidence_and_responses(world, django_assert_max_num_queries):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    client = client_for(world.coordinator)

    def grow(count):
        for _ in range(count):
            SignalBacking.objects.create(signal=signal, brugfiguur=fc.f.user_with_role("brugfiguur", world.region),
                                         backed_on=TODAY)
            SignalEvidence.objects.create(signal=signal, case=fc.CaseFactory(region=world.region,
                                          lead=world.brugfiguur), added_by=world.brugfiguur)
            SignalResponse.objects.create(signal=signal, responder="Stad", received_on=TODAY, text="Ok",
                                          recorded_by=world.coordinator)

    grow(2)
    client.get(detail(signal))
    with django_assert_max_num_queries(30) as small:
        client.get(detail(signal))
    grow(13)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(detail(signal))
    assert response.context["signal"].evidence_count == 15


# --- Recording and changing ------------------------------------------------------------------------


def test_a_brugfiguur_records_a_signal(world):
    theme = theme_of(world.region)
    client = client_for(world.brugfiguur)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, {
        "theme": theme.pk, "title": "Laptops te duur", "description": "Gezinnen kunnen de laptop niet betalen.",
        "level": SignalLevel.SCHOOL, "school": world.school.pk, "low_threshold_contacts": "4", "minutes": "30",
    })
    signal = Signal.objects.get()
    assert response.status_code == 302 and response.url == detail(signal)
    assert (signal.created_by, signal.school, signal.low_threshold_contacts, signal.minutes) == (
        world.brugfiguur, world.school, 4, 30)


def test_bad_input_shows_errors_and_records_nothing(world):
    client = client_for(world.brugfiguur)
    response = client.post(CREATE, {"theme": theme_of(world.other_region).pk, "title": "", "level": "school",
                                     "low_threshold_contacts": "-1", "minutes": "abc"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"theme", "title", "description", "low_threshold_contacts",
                                                    "minutes"}
    response = client.post(CREATE, {"theme": theme_of(world.region).pk, "title": "T", "description": "D",
                                    "level": "school", "low_threshold_contacts": "0"})
    assert "school" in response.context["form"].errors
    assert not Signal.objects.exists()


def test_the_errors_are_in_dutch(world, settings):
    settings.LANGUAGE_CODE = "nl"
    response = client_for(world.brugfiguur).post(CREATE, {"title": ""}, headers={"Accept-Language": "nl"})
    assert "Dit veld is verplicht." in response.content.decode()


@pytest.mark.parametrize("persona", ["beleid", "schoolcontact"])
def test_policy_and_school_contacts_do_not_record_signals(world, persona):
    client = client_for(world.persona(persona))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, {"title": "x"}).status_code == 404


def test_the_author_changes_the_signal_a_colleague_cannot(world, signals):
    signal = signals["recorded"]
    url = reverse("signals:signal_update", args=[signal.pk])
    data = {"theme": signal.theme_id, "title": "Schoolreis kost 400 euro", "description": "Zonder namen.",
            "level": SignalLevel.REGION, "low_threshold_contacts": "0"}
    assert client_for(world.brugfiguur2).post(url, data).status_code == 404
    response = client_for(world.brugfiguur).post(url, data)
    assert response.status_code == 302
    assert Signal.objects.get(pk=signal.pk).title == "Schoolreis kost 400 euro"
    assert client_for(world.brugfiguur).get(reverse("signals:signal_update",
                                                    args=[signals["passed_on"].pk])).status_code == 404


# --- Themes ----------------------------------------------------------------------------------------


def test_the_coordinator_keeps_the_themes(world):
    client = client_for(world.coordinator)
    response = client.post(reverse("signals:theme_create"), {"name": "armoede", "position": "12", "active": "on"})
    assert response.status_code == 302
    theme = SignalTheme.objects.get(name="armoede")
    assert "armoede" in client.get(THEMES).content.decode().lower()
    response = client.post(reverse("signals:theme_update", args=[theme.pk]), {"name": "Armoede", "position": "1"})
    theme.refresh_from_db()
    assert response.status_code == 302 and not theme.active and theme.name == "Armoede"
    response = client.post(reverse("signals:theme_create"), {"name": "armoede", "position": "2"})
    assert response.status_code == 200 and "name" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["brugfiguur", "beleid", "schoolcontact", "partner"])
def test_others_do_not_keep_themes(world, persona):
    theme = theme_of(world.region)
    client = client_for(world.persona(persona))
    assert client.get(THEMES).status_code == 404
    assert client.post(reverse("signals:theme_create"), {"name": "x", "position": "1"}).status_code == 404
    assert client.post(reverse("signals:theme_update", args=[theme.pk]), {"name": "x"}).status_code == 404
