"""The region's list of life domains: seeded once with the defaults, kept by the managers, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brugwerk.audit.models import AuditEntry
from brugwerk.audit.services import Actor
from brugwerk.cases.models import DEFAULT_LIFE_DOMAINS, LifeDomain
from brugwerk.vocabularies.services import term_create, term_update, terms_ensure_defaults


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_region_gets_the_default_life_domains_once(world):
    created = terms_ensure_defaults(model=LifeDomain, region=world.region)
    assert [d.name for d in created] == list(DEFAULT_LIFE_DOMAINS)
    assert terms_ensure_defaults(model=LifeDomain, region=world.region) == list(
        LifeDomain.objects.filter(region=world.region))
    assert LifeDomain.objects.filter(region=world.region).count() == 11
    assert AuditEntry.objects.filter(subject_type="cases.lifedomain", actor_label="terms_ensure_defaults",
                                     region=world.region).count() == 11
    with pytest.raises(PermissionDenied):
        terms_ensure_defaults(model=LifeDomain, region=world.other_region, actor=Actor(user=world.brugfiguur))


def test_the_coordinator_keeps_the_list_of_life_domains(world):
    domain = term_create(actor=Actor(user=world.coordinator), model=LifeDomain, region=world.region,
                         values={"name": "Digitale inclusie"})
    with pytest.raises(ValidationError):
        term_create(actor=Actor(user=world.beheerder), model=LifeDomain, region=world.region,
                    values={"name": "digitale inclusie"})
    with pytest.raises(PermissionDenied):
        term_create(actor=Actor(user=world.brugfiguur), model=LifeDomain, region=world.region, values={"name": "Sport"})
    term_update(actor=Actor(user=world.coordinator), term=domain, values={"active": False})
    domain.refresh_from_db()
    assert not domain.active
    with pytest.raises(ValidationError):
        term_update(actor=Actor(user=world.coordinator), term=domain, values={"name": " "})
    with pytest.raises(PermissionDenied):
        term_update(actor=Actor(user=world.foreign_coordinator), term=domain, values={"active": True})
