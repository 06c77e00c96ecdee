"""The case list: only the cases the user may see (own and shared for a brugfiguur, the region for the
coordinator), searchable by name, school and status, audited, paginated with a flat query count; and
saved filters that are private to their owner."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cases.models import CaseStatus, SavedFilter, ShareKind
from tests import factories_cases as fc
from tests.conftest import client_for

LIST = reverse("cases:case_list")
SAVE = reverse("cases:saved_filter_create")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def case_of(world, lead, first_name, last_name="Peeters", *, school=None, status=CaseStatus.OPEN, region=None):
    region = region or world.region
    person = fc.YoungPersonFactory(region=region, first_name=first_name, last_name=last_name, school=school)
    closed = {"closed_on": timezone.localdate(), "close_reason": "goals_reached"} if status == CaseStatus.CLOSED else {}
    return fc.CaseFactory(region=region, young_person=person, school=school, lead=lead, status=status, **closed)


@pytest.fixture
def cases(world):
    """Cases of both brugfiguren of region A (one shared with the first) and one of region B."""
    shared = case_of(world, world.brugfiguur2, "Lina", "Shared", school=world.other_school)
    fc.CaseShareFactory(case=shared, user=world.brugfiguur, granted_by=world.brugfiguur2, kind=ShareKind.STAND_IN)
    return {
        "own": case_of(world, world.brugfiguur, "Yasmine", "Amrani", school=world.school),
        "own_closed": case_of(world, world.brugfiguur, "Kobe", "Janssens", school=world.school,
                              status=CaseStatus.CLOSED),
        "shared": shared,
        "colleague": case_of(world, world.brugfiguur2, "Noah", "Maes", school=world.other_school),
        "foreign": case_of(world, world.foreign_brugfiguur, "Yasmine", "Elders", school=world.foreign_school,
                           region=world.other_region),
    }


def found(response):
    return sorted(case.young_person.first_name for case in response.context["page"].object_list)


# --- Who sees which cases ------------------------------------------------------------------------


def test_a_brugfiguur_lists_their_own_and_shared_cases_only(world, cases):
    response = client_for(world.brugfiguur).get(LIST)
    assert response.status_code == 200
    assert found(response) == ["Kobe", "Lina", "Yasmine"]
    page = response.content.decode()
    assert "Noah" not in page and "Elders" not in page
    assert reverse("cases:case_detail", args=[cases["own"].pk]) in page


def test_the_coordinator_lists_every_case_of_the_region(world, cases):
    assert found(client_for(world.coordinator).get(LIST)) == ["Kobe", "Lina", "Noah", "Yasmine"]
    assert found(client_for(world.foreign_coordinator).get(LIST)) == ["Yasmine"]  # Yasmine Elders, region B


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder"])
def test_people_who_guide_no_cases_have_no_case_list(world, cases, persona):
    client = client_for(world.persona(persona))
    assert client.get(LIST).status_code == 404
    assert client.post(SAVE, {"name": "Mijn zoekopdracht"}).status_code == 404
    assert not SavedFilter.objects.exists()


def test_the_list_is_recorded_in_the_audit_trail_with_the_cases_shown(world, cases):
    client_for(world.brugfiguur).get(LIST, {"q": "yasmine"})
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.case")
    assert entry.actor == world.brugfiguur and entry.region_id == world.region.pk
    assert entry.changes["cases"] == [cases["own"].pk]
    assert entry.changes["search"] == {"q": "yasmine"}


# --- Search --------------------------------------------------------------------------------------


def test_search_by_name_school_and_status(world, cases):
    client = client_for(world.coordinator)
    assert found(client.get(LIST, {"q": "amrani"})) == ["Yasmine"]
    assert found(client.get(LIST, {"q": "noah maes"})) == ["Noah"]
    assert found(client.get(LIST, {"q": "atheneum"})) == ["Lina", "Noah"]
    assert found(client.get(LIST, {"school": world.school.pk})) == ["Kobe", "Yasmine"]
    assert found(client.get(LIST, {"status": "closed"})) == ["Kobe"]
    assert found(client.get(LIST, {"status": "open", "school": world.school.pk})) == ["Yasmine"]


def test_search_never_finds_a_case_the_user_may_not_see(world, cases):
    client = client_for(world.brugfiguur)
    assert found(client.get(LIST, {"q": "noah"})) == []
    assert found(client.get(LIST, {"q": "elders"})) == []
    assert found(client.get(LIST, {"school": world.foreign_school.pk})) == ["Kobe", "Lina", "Yasmine"]  # ignored
    assert "No case matches this search." in client.get(LIST, {"q": "noah"}).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"status": "nope"}, {"school": "abc"}, {"school": "999999"}, {"page": "x"}, {"page": "-1"}, {"page": "9999"},
     {"q": "x" * 500}],
)
def test_bad_query_parameters_never_break_the_list(world, cases, params):
    response = client_for(world.brugfiguur).get(LIST, params)
    assert response.status_code == 200


def test_an_htmx_search_answers_with_the_results_only(world, cases):
    response = client_for(world.brugfiguur).get(LIST, {"q": "kobe"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="case-results"' in page and "<html" not in page
    assert "Kobe" in page and "Yasmine" not in page


def test_the_list_is_paginated(world):
    for i in range(30):
        case_of(world, world.brugfiguur, f"Jongere{i:02d}")
    client = client_for(world.brugfiguur)
    assert len(client.get(LIST).context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_the_case_list_runs_as_many_queries_for_many_cases_as_for_few(world):
    client = client_for(world.coordinator)
    client.get(LIST)

    def add(n):
        for i in range(n):
            case = case_of(world, world.brugfiguur if i % 2 else world.brugfiguur2, f"Jongere{i}", school=world.school)
            fc.ContactMomentFactory(case=case)
            fc.ContactMomentFactory(case=case)

    add(2)
    SavedFilter.objects.create(owner=world.coordinator, region=world.region, name="Open", query={"status": "open"})
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    add(13)
    SavedFilter.objects.create(owner=world.coordinator, region=world.region, name="Dicht", query={"status": "closed"})
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 15
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Saved filters -------------------------------------------------------------------------------


def test_a_search_is_saved_under_a_name_and_shown_as_a_link_to_its_owner_only(world, cases):
    client = client_for(world.brugfiguur)
    response = client.post(SAVE, {"name": "Open op Sint-Amand", "q": "", "status": "open", "school": world.school.pk})
    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.region, saved.name) == (world.brugfiguur, world.region, "Open op Sint-Amand")
    assert saved.query == {"status": "open", "school": str(world.school.pk)}
    assert response.status_code == 302 and response["Location"].startswith(LIST + "?")
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.savedfilter").exists()
    page = client.get(LIST).content.decode()
    assert "Open op Sint-Amand" in page
    assert found(client.get(response["Location"])) == ["Yasmine"]
    for other in (world.brugfiguur2, world.coordinator):
        assert "Open op Sint-Amand" not in client_for(other).get(LIST).content.decode()


def test_a_saved_filter_keeps_only_valid_search_parameters(world, cases):
    client_for(world.brugfiguur).post(SAVE, {"name": "Raar", "status": "nope", "school": "abc", "q": " kobe "})
    assert SavedFilter.objects.get().query == {"q": "kobe"}


def test_a_saved_filter_is_deleted_by_its_owner_only(world, cases):
    saved = SavedFilter.objects.create(owner=world.brugfiguur, region=world.region, name="Mijn", query={"q": "x"})
    url = reverse("cases:saved_filter_delete", args=[saved.pk])
    for other in (world.brugfiguur2, world.coordinator, world.foreign_brugfiguur):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(url).status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client = client_for(world.brugfiguur)
    assert client.get(url).status_code == 200  # asks first
    response = client.post(url)
    assert response["Location"] == LIST
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    entry = AuditEntry.objects.get(event=AuditEvent.DELETE, subject_type="cases.savedfilter")
    assert entry.changes["name"] == "Mijn"


def test_a_saved_filter_needs_a_name_of_its_own_in_dutch(world, cases, settings):
    settings.LANGUAGE_CODE = "nl"
    client = client_for(world.brugfiguur)
    SavedFilter.objects.create(owner=world.brugfiguur, region=world.region, name="Open", query={"status": "open"})
    SavedFilter.objects.create(owner=world.brugfiguur2, region=world.region, name="Gesloten", query={})
    before = AuditEntry.objects.exclude(event=AuditEvent.VIEW).count()
    response = client.post(SAVE, {"name": "", "status": "open"})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    response = client.post(SAVE, {"name": "open", "status": "closed"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]  # the name is taken (case-insensitively)
    assert SavedFilter.objects.filter(owner=world.brugfiguur).count() == 1
    assert AuditEntry.objects.exclude(event=AuditEvent.VIEW).count() == before
    # Another user's name is no obstacle.
    assert client.post(SAVE, {"name": "Gesloten", "status": "closed"}).status_code == 302
