"""The library, the social map and the learning themes: everyone with a role in the region reads the
library and the social map, the pool writes them, the coordinator keeps the themes; live search with
htmx and a plain GET; bad input; flat query counts."""

import pytest
from django.urls import reverse

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.learning.models import LearningTheme, LibraryItem, SocialMapEntry
from tests import factories as f
from tests.conftest import client_for
from tests.factories_cases import LifeDomainFactory
from tests.records.learning import make_entry, make_item, make_theme

LIBRARY = reverse("learning:library_list")
SOCIAL_MAP = reverse("learning:social_map_list")
THEMES = reverse("learning:theme_list")
READERS = ["brugfiguur", "coordinator", "schoolcontact", "partner", "beleid", "beheerder"]
WRITERS = ["brugfiguur", "coordinator"]
NOT_WRITERS = ["schoolcontact", "partner", "beleid", "beheerder"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def shown(response) -> list[str]:
    return [str(obj) for obj in response.context["page"].object_list]


def writes():
    return AuditEntry.objects.filter(event__in=[AuditEvent.CREATE, AuditEvent.UPDATE])


# --- Library --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_in_the_region_reads_the_library(world, persona):
    item = make_item(world.region, body="Zet koffie klaar aan de schoolpoort.")
    make_item(world.other_region, "Elders")
    client = client_for(world.persona(persona))
    assert shown(client.get(LIBRARY)) == [item.title]
    detail = client.get(reverse("learning:library_detail", args=[item.pk]))
    assert detail.status_code == 200 and "Zet koffie klaar" in detail.content.decode()
    assert detail.context["can_change"] == (persona in WRITERS)


@pytest.mark.parametrize("persona", ["foreign_coordinator", "foreign_brugfiguur"])
def test_another_regions_library_items_are_404(world, persona):
    item = make_item(world.region)
    client = client_for(world.persona(persona))
    assert client.get(reverse("learning:library_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("learning:library_update", args=[item.pk])).status_code == 404
    assert shown(client.get(LIBRARY)) == []


def test_library_search_works_with_a_plain_get_and_with_htmx(world):
    theme = make_theme(world.region)
    make_item(world.region, "Oudercafé", body="Koffie aan de schoolpoort.").themes.add(theme)
    make_item(world.region, "Netwerkkaart", kind="tool", summary="Teken het netwerk van het gezin.")
    client = client_for(world.partner)
    assert shown(client.get(LIBRARY, {"q": "koffie"})) == ["Oudercafé"]
    assert shown(client.get(LIBRARY, {"kind": "tool"})) == ["Netwerkkaart"]
    assert shown(client.get(LIBRARY, {"theme": theme.pk})) == ["Oudercafé"]
    fragment = client.get(LIBRARY, {"q": "netwerk"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="library-results">') and "Netwerkkaart" in fragment
    assert "<h1>" not in fragment


@pytest.mark.parametrize("params", [{"kind": "nope"}, {"theme": "abc"}, {"page": "x"}, {"q": "%_'\""}])
def test_bad_library_search_parameters_are_harmless(world, params):
    assert client_for(world.brugfiguur).get(LIBRARY, params).status_code == 200


def test_a_bridge_figure_adds_and_changes_a_library_item(world):
    theme = make_theme(world.region)
    client = client_for(world.brugfiguur)
    response = client.post(reverse("learning:library_create"), {
        "kind": "method", "title": "Netwerkkaart", "summary": "Teken het netwerk.", "body": "Stap 1 ...",
        "link": "https://voorbeeld.example/netwerkkaart", "themes": [theme.pk],
    })
    item = LibraryItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("learning:library_detail", args=[item.pk])
    assert item.author == world.brugfiguur and list(item.themes.all()) == [theme]
    response = client_for(world.coordinator).post(reverse("learning:library_update", args=[item.pk]), {
        "kind": "tool", "title": "Netwerkkaart (versie 2)", "summary": "Teken het netwerk.",
    })
    item.refresh_from_db()
    assert response.status_code == 302 and item.title == "Netwerkkaart (versie 2)" and item.kind == "tool"
    assert writes().filter(subject_type="learning.libraryitem").count() == 2


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_readers_cannot_add_or_change_library_items(world, persona):
    item = make_item(world.region)
    client = client_for(world.persona(persona))
    assert client.get(reverse("learning:library_create")).status_code == 404
    new = {"kind": "tool", "title": "X", "summary": "Y"}
    assert client.post(reverse("learning:library_create"), new).status_code == 404
    assert client.post(reverse("learning:library_update", args=[item.pk]), {"title": "X"}).status_code == 404
    assert LibraryItem.objects.count() == 1 and not writes().exists()


@pytest.mark.parametrize("data", [
    {"kind": "poem"}, {"title": ""}, {"link": "geen link"}, {"summary": "x" * 400},
])
def test_bad_library_input_shows_errors_and_saves_nothing(world, data):
    post = {"kind": "method", "title": "Netwerkkaart", "summary": "Kort."} | data
    response = client_for(world.brugfiguur).post(reverse("learning:library_create"), post)
    assert response.status_code == 200 and response.context["form"].errors
    assert not LibraryItem.objects.exists()


def test_the_library_list_runs_the_same_number_of_queries_for_2_or_15_items(world, django_assert_max_num_queries):
    themes = [make_theme(world.region, f"thema {i}") for i in range(3)]

    def add(n, start):
        for i in range(start, start + n):
            make_item(world.region, f"Item {i:02d}", author=world.brugfiguur).themes.set(themes)

    client = client_for(world.schoolcontact)
    add(2, 0)
    with django_assert_max_num_queries(15) as small:
        client.get(LIBRARY)
    add(13, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIBRARY).context["page"].paginator.count == 15


# --- Social map -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_in_the_region_reads_the_social_map(world, persona):
    entry = make_entry(world.region, municipality=world.municipality, partner=world.organisation,
                       email="huiswerk@debrug.example", opening_hours="ma-do 16-18 u")
    client = client_for(world.persona(persona))
    assert shown(client.get(SOCIAL_MAP)) == [entry.service_name]
    detail = client.get(reverse("learning:social_map_detail", args=[entry.pk])).content.decode()
    assert "huiswerk@debrug.example" in detail and "ma-do 16-18 u" in detail and world.organisation.name in detail
    assert 'href="tel:056112233"' in detail


def test_social_map_filters_by_municipality_life_domain_and_text(world):
    menen = f.MunicipalityFactory(region=world.region, name="Menen")
    money = LifeDomainFactory(region=world.region, name="financiën en inkomen")
    school = LifeDomainFactory(region=world.region, name="onderwijs")
    make_entry(world.region, "Huiswerkklas Kortrijk", municipality=world.municipality).life_domains.add(school)
    make_entry(world.region, "Schuldhulp Menen", municipality=menen, offers="Hulp bij schulden").life_domains.add(money)
    make_entry(world.region, "Awel", offers="Luisterlijn voor jongeren")
    client = client_for(world.schoolcontact)
    assert set(shown(client.get(SOCIAL_MAP, {"municipality": menen.pk}))) == {"Schuldhulp Menen", "Awel"}
    assert shown(client.get(SOCIAL_MAP, {"life_domain": school.pk})) == ["Huiswerkklas Kortrijk"]
    assert shown(client.get(SOCIAL_MAP, {"q": "schulden"})) == ["Schuldhulp Menen"]
    fragment = client.get(SOCIAL_MAP, {"q": "luisterlijn"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="social-map-results">') and "Awel" in fragment


@pytest.mark.parametrize("params", [
    {"municipality": "999999"}, {"life_domain": "abc"}, {"page": "-1"}, {"q": "x" * 500},
])
def test_bad_social_map_parameters_are_harmless(world, params):
    assert client_for(world.partner).get(SOCIAL_MAP, params).status_code == 200


def test_a_bridge_figure_adds_a_service_that_is_not_a_partner(world):
    domain = LifeDomainFactory(region=world.region, name="vrije tijd")
    form = client_for(world.brugfiguur).get(reverse("learning:social_map_create"))
    assert form.status_code == 200 and "<legend>" in form.content.decode()
    assert list(form.context["form"].fields["partner"].queryset) == [world.organisation]
    response = client_for(world.brugfiguur).post(reverse("learning:social_map_create"), {
        "service_name": "Jeugdhuis De Kelder", "municipality": world.municipality.pk, "provider": "vzw De Kelder",
        "offers": "Ontmoeting en activiteiten", "for_whom": "Jongeren van 12 tot 21", "life_domains": [domain.pk],
        "languages": "Nederlands, Engels", "cost": "free", "address": "Kelderstraat 1, Kortrijk",
        "opening_hours": "woe en za 14-18 u",
    })
    entry = SocialMapEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("learning:social_map_detail", args=[entry.pk])
    assert entry.partner is None and entry.provider == "vzw De Kelder" and entry.added_by == world.brugfiguur
    assert writes().filter(subject_type="learning.socialmapentry").count() == 1


def test_a_service_without_a_way_to_reach_it_shows_the_error_and_saves_nothing(world):
    response = client_for(world.coordinator).post(reverse("learning:social_map_create"), {
        "service_name": "Voedselbank", "offers": "Pakketten", "for_whom": "Gezinnen", "cost": "free",
    })
    assert response.status_code == 200
    assert "at least one way to reach the service" in str(response.context["form"].errors["phone"])
    assert not SocialMapEntry.objects.exists()


@pytest.mark.parametrize("data", [
    {"cost": "cheap"}, {"email": "geen-adres"}, {"municipality": "999999"}, {"service_name": ""},
])
def test_bad_social_map_input_shows_errors_and_saves_nothing(world, data):
    post = {"service_name": "Voedselbank", "offers": "Pakketten", "for_whom": "Gezinnen", "cost": "free",
            "phone": "056 00 00 00"} | data
    response = client_for(world.coordinator).post(reverse("learning:social_map_create"), post)
    assert response.status_code == 200 and response.context["form"].errors
    assert not SocialMapEntry.objects.exists()


def test_the_coordinator_changes_a_service_and_a_partner_cannot(world):
    entry = make_entry(world.region)
    url = reverse("learning:social_map_update", args=[entry.pk])
    assert client_for(world.partner).get(url).status_code == 404
    assert client_for(world.coordinator).get(url).context["form"].instance == entry
    response = client_for(world.coordinator).post(url, {
        "service_name": entry.service_name, "offers": entry.offers, "for_whom": entry.for_whom, "cost": "paid",
        "phone": "056 99 99 99",
    })
    entry.refresh_from_db()
    assert response.status_code == 302 and entry.cost == "paid" and entry.phone == "056 99 99 99"


def test_the_social_map_runs_the_same_number_of_queries_for_2_or_15_services(world, django_assert_max_num_queries):
    domains = [LifeDomainFactory(region=world.region, name=f"domein {i}") for i in range(3)]

    def add(n, start):
        for i in range(start, start + n):
            entry = make_entry(world.region, f"Dienst {i:02d}", municipality=world.municipality,
                               partner=world.organisation if i % 2 else None)
            entry.life_domains.set(domains)

    client = client_for(world.partner)
    add(2, 0)
    with django_assert_max_num_queries(15) as small:
        client.get(SOCIAL_MAP, {"municipality": world.municipality.pk})
    add(13, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(SOCIAL_MAP, {"municipality": world.municipality.pk})
    assert response.context["page"].paginator.count == 15


# --- Themes ---------------------------------------------------------------------------------------


def test_the_coordinator_keeps_the_learning_themes(world):
    client = client_for(world.coordinator)
    assert client.get(THEMES).status_code == 200
    response = client.post(reverse("learning:theme_create"), {"name": "schoolkosten", "position": 3, "active": "on"})
    theme = LearningTheme.objects.get()
    assert response.status_code == 302 and theme.name == "schoolkosten"
    assert client.get(reverse("learning:theme_update", args=[theme.pk])).status_code == 200
    client.post(reverse("learning:theme_update", args=[theme.pk]), {"name": "schoolkosten", "position": 3})
    theme.refresh_from_db()
    assert not theme.active
    duplicate = client.post(reverse("learning:theme_create"), {"name": "schoolkosten", "position": 1})
    assert duplicate.status_code == 200 and duplicate.context["form"].errors
    assert LearningTheme.objects.count() == 1


def test_a_theme_no_longer_in_use_cannot_be_chosen_but_stays_on_an_item(world):
    old = make_theme(world.region, "oud thema", active=False)
    item = make_item(world.region)
    item.themes.add(old)
    client = client_for(world.brugfiguur)
    assert old not in client.get(reverse("learning:library_create")).context["form"].fields["themes"].queryset
    assert old in client.get(reverse("learning:library_update", args=[item.pk])).context["form"].fields[
        "themes"].queryset


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beleid"])
def test_only_managers_keep_the_themes(world, persona):
    theme = make_theme(world.region)
    client = client_for(world.persona(persona))
    assert client.get(THEMES).status_code == 404
    assert client.post(reverse("learning:theme_create"), {"name": "x", "position": 1}).status_code == 404
    assert client.post(reverse("learning:theme_update", args=[theme.pk]), {"name": "x"}).status_code == 404
    assert LearningTheme.objects.count() == 1
