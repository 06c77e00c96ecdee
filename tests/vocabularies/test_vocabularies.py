"""The one implementation of a region's editable list, run for each of the four lists: the services
(create, rename, reorder, take out of use, defaults) with their audit entries, the selectors, and
the pages; and what must not work: another region, a role that does not keep the list, hostile
input (each refused with a clear error on its field, in Dutch, and nothing changed)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import LifeDomain
from brugwerk.expertise.models import ExpertiseTopic
from brugwerk.learning.models import LearningTheme
from brugwerk.signals.models import SignalTheme
from brugwerk.vocabularies import selectors, services
from brugwerk.vocabularies.models import RegionVocabulary, vocabulary_models
from tests.conftest import client_for

MODELS = [LifeDomain, ExpertiseTopic, SignalTheme, LearningTheme]
# Who may keep each list beyond the coordinator (the access rules, unchanged).
ALSO_KEEPS = {
    LifeDomain: {"beheerder"}, ExpertiseTopic: set(), SignalTheme: {"beheerder"}, LearningTheme: {"beheerder"}
}
OUTSIDERS = ["brugfiguur", "schoolcontact", "partner", "beleid", "foreign_coordinator", "foreign_brugfiguur"]
# The lists with pages: (model, URL namespace, kind of the URL names).
PAGES = [
    (ExpertiseTopic, "expertise", "topic", "/expertise/themas/"),
    (SignalTheme, "signals", "theme", "/signalen/themas/"),
    (LearningTheme, "learning", "theme", "/leren/themas/"),
]

by_model = pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
by_page = pytest.mark.parametrize("model", [page[0] for page in PAGES], ids=lambda m: m.__name__)


def entries(model: type[RegionVocabulary]) -> int:
    return AuditEntry.objects.filter(subject_type=model._meta.label_lower).count()


def state(model: type[RegionVocabulary]) -> list[tuple]:
    return list(model.objects.order_by("pk").values_list("pk", "region_id", "name", "position", "active"))


def make(world, model, name="eerste", **values):
    return services.term_create(actor=Actor(user=world.coordinator), model=model, region=world.region,
                                values={"name": name, **values})


# --- Services ------------------------------------------------------------------------------------


@by_model
def test_the_list_is_an_editable_vocabulary_of_its_region(model):
    assert issubclass(model, RegionVocabulary) and not model._meta.abstract
    assert model._meta.ordering == ["position", "name"]
    assert model.DEFAULTS and len(set(model.DEFAULTS)) == len(model.DEFAULTS)
    assert set(vocabulary_models()) == set(MODELS)


@by_model
def test_create_rename_reorder_and_take_out_of_use_each_with_its_audit_entry(world, model):
    term = make(world, model, "  Digitale   kloof ", position=4)
    assert (term.region, term.name, term.position, term.active) == (world.region, "Digitale kloof", 4, True)
    assert str(term) == "Digitale kloof"
    created = AuditEntry.objects.get(subject_type=model._meta.label_lower, subject_id=str(term.pk))
    assert (created.event, created.region_id, created.actor) == (AuditEvent.CREATE, world.region.pk, world.coordinator)
    assert created.changes["name"] == "Digitale kloof"
    coordinator = Actor(user=world.coordinator)
    services.term_update(actor=coordinator, term=term, values={"name": "Digitale uitsluiting"})
    services.term_update(actor=coordinator, term=term, values={"position": 1})
    services.term_update(actor=coordinator, term=term, values={"active": False})
    services.term_update(actor=coordinator, term=term, values={"active": False})  # no change, no entry
    term.refresh_from_db()
    assert (term.name, term.position, term.active) == ("Digitale uitsluiting", 1, False)
    updates = AuditEntry.objects.filter(subject_id=str(term.pk), subject_type=model._meta.label_lower,
                                        event=AuditEvent.UPDATE).order_by("seq")
    assert [e.changes for e in updates] == [
        {"name": {"old": "Digitale kloof", "new": "Digitale uitsluiting"}},
        {"position": {"old": 4, "new": 1}},
        {"active": {"old": True, "new": False}},
    ]


@by_model
def test_the_same_name_in_other_capitals_is_refused_in_the_region_but_not_in_another(world, model):
    make(world, model, "Schoolkosten")
    before, audit = state(model), entries(model)
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        make(world, model, "SCHOOLKOSTEN ")
    [message] = raised.value.message_dict["name"]
    with translation.override("nl"):
        assert str(model._meta.verbose_name) in message  # names the list, in the language of the page
    assert (state(model), entries(model)) == (before, audit)
    services.term_create(actor=Actor(user=world.foreign_coordinator), model=model, region=world.other_region,
                         values={"name": "Schoolkosten"})


@by_model
@pytest.mark.parametrize(
    ("values", "field", "dutch"),
    [
        ({"name": "   "}, "name", "Dit veld is verplicht."),
        ({"name": "x" * 81}, "name", "Zorg dat deze waarde niet meer dan 80 tekens bevat"),
        ({"name": "nul\x00teken"}, "name", "Null-tekens zijn niet toegestaan."),
        ({"name": "ok", "position": -1}, "position", "Zorg ervoor dat deze waarde minstens 0 is."),
        ({"name": "ok", "position": 10**6}, "position", "Zorg ervoor dat deze waarde hoogstens 32767 is."),
        ({"name": "ok", "position": "drie"}, "position", "moet een geheel getal zijn"),
        ({"name": "ok", "active": "misschien"}, "active", "moet True of False zijn"),
    ],
    ids=["blank", "too-long", "nul", "negative", "huge", "not-a-number", "not-a-boolean"],
)
def test_hostile_input_is_refused_with_a_dutch_error_on_its_field_and_changes_nothing(
    world, model, values, field, dutch
):
    term = make(world, model, "bestaand", position=2)
    before, audit = state(model), entries(model)
    for attempt in (
        lambda: make(world, model, **values),
        lambda: services.term_update(actor=Actor(user=world.coordinator), term=term, values=values),
    ):
        with translation.override("nl"), pytest.raises(ValidationError) as raised:
            attempt()
        with translation.override("nl"):
            messages = " ".join(raised.value.message_dict[field])
        assert dutch in messages
        assert (state(model), entries(model)) == (before, audit)


@by_model
def test_fields_other_than_name_position_and_in_use_cannot_be_set(world, model):
    term = make(world, model)
    before, audit = state(model), entries(model)
    for values in ({"name": "x", "region": world.other_region}, {"id": 999}, {"region_id": world.other_region.pk}):
        with pytest.raises(ValueError, match="cannot be set"):
            make(world, model, **values)
        with pytest.raises(ValueError, match="cannot be set"):
            services.term_update(actor=Actor(user=world.coordinator), term=term, values=values)
    assert (state(model), entries(model)) == (before, audit)


@by_model
@pytest.mark.parametrize("persona", OUTSIDERS + ["beheerder"])
def test_only_who_keeps_the_list_of_the_region_changes_it(world, model, persona):
    term = make(world, model)
    before, audit = state(model), entries(model)
    actor = Actor(user=world.persona(persona))
    if persona in ALSO_KEEPS[model]:
        services.term_update(actor=actor, term=term, values={"position": 7})
        assert model.objects.get(pk=term.pk).position == 7
        return
    with pytest.raises(PermissionDenied):
        services.term_create(actor=actor, model=model, region=world.region, values={"name": "stiekem"})
    with pytest.raises(PermissionDenied):
        services.term_update(actor=actor, term=term, values={"name": "stiekem", "active": False})
    with pytest.raises(PermissionDenied):
        services.terms_ensure_defaults(model=model, region=world.region, actor=actor)
    assert (state(model), entries(model)) == (before, audit)


@by_model
def test_a_term_moved_in_memory_to_another_region_is_still_checked_against_its_stored_region(world, model):
    """The update reads the stored entry afresh: changing `term.region` in memory neither lets the
    other region's coordinator in nor moves it."""
    term = make(world, model)
    term.region = world.other_region
    with pytest.raises(PermissionDenied):
        services.term_update(actor=Actor(user=world.foreign_coordinator), term=term, values={"name": "van B"})
    saved = services.term_update(actor=Actor(user=world.coordinator), term=term, values={"position": 3})
    assert saved.region_id == world.region.pk


@by_model
def test_defaults_are_given_once_with_an_entry_per_term_and_only_to_that_region(world, model):
    created = services.terms_ensure_defaults(model=model, region=world.region)
    assert [(t.name, t.position) for t in created] == [(name, i) for i, name in enumerate(model.DEFAULTS, 1)]
    again = services.terms_ensure_defaults(model=model, region=world.region, actor=Actor(user=world.coordinator))
    assert sorted(t.pk for t in again) == sorted(t.pk for t in created)
    assert not model.objects.filter(region=world.other_region).exists()
    system = AuditEntry.objects.filter(subject_type=model._meta.label_lower, actor__isnull=True,
                                       actor_label=services.SYSTEM_LABEL, region=world.region)
    assert system.count() == len(model.DEFAULTS)
    own = services.terms_ensure_defaults(model=model, region=world.other_region, defaults=["een", "twee"],
                                         actor=Actor(user=world.foreign_coordinator))
    assert [t.name for t in own] == ["een", "twee"]
    assert AuditEntry.objects.filter(actor=world.foreign_coordinator, region=world.other_region).count() == 2


@by_model
def test_a_new_region_gets_every_list(world, model):
    services.region_defaults_ensure(region=world.region)
    assert list(model.objects.filter(region=world.region).values_list("name", flat=True)) == list(model.DEFAULTS)


# --- Selectors -----------------------------------------------------------------------------------


@by_model
def test_in_use_leaves_out_what_is_out_of_use_unless_a_record_has_it(world, model):
    kept = make(world, model, "in gebruik", position=2)
    old = make(world, model, "oud", position=1, active=False)
    foreign = services.term_create(actor=Actor(user=world.foreign_coordinator), model=model,
                                   region=world.other_region, values={"name": "elders"})
    user = world.coordinator
    assert list(selectors.terms_in_use(user=user, model=model, region=world.region)) == [kept]
    assert list(selectors.terms_in_use(user=user, model=model, region=world.region, include=[old.pk, None])) == [
        old, kept]
    assert list(selectors.terms_in_use(user=user, model=model, region=world.region, include=[foreign.pk])) == [kept]
    assert list(selectors.terms_for(user=user, model=model, region=world.region.pk)) == [old, kept]
    assert list(selectors.terms_for(user=world.foreign_coordinator, model=model, region=world.region)) == []
    rows = selectors.terms_to_manage(user=user, model=model, region=world.region)
    assert [(t, t.can_change) for t in rows] == [(old, True), (kept, True)]
    rows = selectors.terms_to_manage(user=world.brugfiguur, model=model, region=world.region)
    assert all(not t.can_change for t in rows)


# --- Pages ---------------------------------------------------------------------------------------


def _pages(model):
    [(namespace, kind)] = [(namespace, kind) for candidate, namespace, kind, _path in PAGES if candidate is model]
    return namespace, kind


@by_page
def test_the_pages_keep_their_urls(model):
    namespace, kind = _pages(model)
    [path] = [p for m, _n, _k, p in PAGES if m is model]
    assert reverse(f"{namespace}:{kind}_list") == path
    assert reverse(f"{namespace}:{kind}_create") == f"{path}nieuw/"
    assert reverse(f"{namespace}:{kind}_update", args=[7]) == f"{path}7/wijzigen/"
    if model is ExpertiseTopic:
        assert reverse("expertise:topic_defaults") == f"{path}standaard/"


@by_page
def test_the_coordinator_keeps_the_list_on_its_pages(world, model):
    namespace, kind = _pages(model)
    client = client_for(world.coordinator)
    response = client.post(reverse(f"{namespace}:{kind}_create"),
                           {"name": "Armoede", "position": "3", "region": world.other_region.pk})
    assert response.status_code == 302
    term = model.objects.get(name="Armoede")
    assert term.region == world.region and term.active  # a posted region is no field of the form
    page = client.get(reverse(f"{namespace}:{kind}_list"))
    assert page.status_code == 200 and "Armoede" in page.content.decode()
    assert reverse(f"{namespace}:{kind}_update", args=[term.pk]) in page.content.decode()
    response = client.post(reverse(f"{namespace}:{kind}_update", args=[term.pk]), {"name": "armoede", "position": "1"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.name, term.position, term.active) == ("armoede", 1, False)


@by_page
def test_hostile_input_on_the_page_shows_a_dutch_error_and_saves_nothing(world, model):
    namespace, kind = _pages(model)
    term = make(world, model, "bestaand")
    before, audit = state(model), entries(model)
    client = client_for(world.coordinator)
    for url, data in (
        (reverse(f"{namespace}:{kind}_create"), {"name": "x" * 500, "position": "-4"}),
        (reverse(f"{namespace}:{kind}_create"), {"name": "BESTAAND", "position": "1"}),
        (reverse(f"{namespace}:{kind}_update", args=[term.pk]), {"name": "<script>alert(1)</script>\x00",
                                                                   "position": "99999999999999999999"}),
    ):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200 and response.context["form"].errors
        assert "<script>alert" not in response.content.decode()
    response = client.post(reverse(f"{namespace}:{kind}_create"), {"name": "x" * 500, "position": "-4"})
    errors = response.context["form"].errors
    assert "niet meer dan 80 tekens" in " ".join(errors["name"]) and "minstens 0" in " ".join(errors["position"])
    assert (state(model), entries(model)) == (before, audit)


@by_page
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_the_pages_do_not_exist_for_others_nor_for_another_regions_entry(world, model, persona):
    namespace, kind = _pages(model)
    term = make(world, model)
    before = state(model)
    client = client_for(world.persona(persona))
    response = client.get(reverse(f"{namespace}:{kind}_list"))
    if persona == "foreign_coordinator":
        assert response.status_code == 200 and term.name not in response.content.decode()  # their own list
    else:
        assert response.status_code == 404
    assert client.post(reverse(f"{namespace}:{kind}_update", args=[term.pk]), {"name": "x", "position": "1"}
                       ).status_code == 404
    assert client.get(reverse(f"{namespace}:{kind}_update", args=[term.pk])).status_code == 404
    if not persona.startswith("foreign"):
        assert client.post(reverse(f"{namespace}:{kind}_create"), {"name": "x", "position": "1"}).status_code == 404
    assert state(model) == before
