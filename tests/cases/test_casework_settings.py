"""Casework's settings live in casework (`cases.CaseworkSettings`, one row per region), no longer on
the region: the migrations copy every region's values over and drop the region's columns; a region
without a row reads the defaults; reading them costs one query per request at most.

The migration test runs on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://…"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from brugwerk.access import Action, can
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import verify_chain
from brugwerk.cases.models import CaseworkSettings
from brugwerk.cases.selectors import case_file_get, casework_settings
from brugwerk.cases.services.settings import casework_settings_ensure
from brugwerk.regions.models import Region
from tests import factories as f
from tests import factories_cases as fc

FIELDS = ("feedback_reminder_working_days", "inactivity_reminder_days", "triage_by_brugfiguur")
BEFORE = [("cases", "0005_agenda_moves_to_its_own_app"), ("regions", "0002_region_casework_settings")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_each_regions_settings_are_copied_to_casework_and_leave_the_region():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert "cases.caseworksettings" not in {m._meta.label_lower for m in old_apps.get_models()}
        regions = old_apps.get_model("regions", "Region").objects
        written = {
            regions.create(name="Strikt", slug="strikt", feedback_reminder_working_days=3,
                           inactivity_reminder_days=7, triage_by_brugfiguur=True).pk: (3, 7, True),
            regions.create(name="Ruim", slug="ruim", feedback_reminder_working_days=120,
                           inactivity_reminder_days=365, triage_by_brugfiguur=False).pk: (120, 365, False),
            regions.create(name="Standaard", slug="standaard").pk: (10, 30, False),
        }
    finally:
        _migrate(leaves)

    copied = {row[0]: row[1:] for row in CaseworkSettings.objects.values_list("region_id", *FIELDS)}
    assert copied == written  # one row per region, each with its own values
    assert not set(FIELDS) & _columns(Region._meta.db_table)
    assert "retention_years" in _columns(Region._meta.db_table)  # not casework's: it stays
    assert Region.objects.get(slug="strikt").casework_settings.triage_by_brugfiguur is True

    # And back: the region gets its values again (the row is what counts, not the defaults).
    _migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        back = old_apps.get_model("regions", "Region").objects.values_list("pk", *FIELDS)
        assert {row[0]: row[1:] for row in back} == written
    finally:
        _migrate(leaves)
    assert {row[0]: row[1:] for row in CaseworkSettings.objects.values_list("region_id", *FIELDS)} == written


@pytest.mark.django_db
def test_a_region_without_settings_reads_the_defaults_and_saves_nothing():
    region = f.RegionFactory()
    settings = casework_settings(region=region)
    assert settings.pk is None and settings.region_id == region.pk
    assert (settings.feedback_reminder_working_days, settings.inactivity_reminder_days,
            settings.triage_by_brugfiguur) == (10, 30, False)
    assert not CaseworkSettings.objects.exists()


@pytest.mark.django_db
def test_a_region_reads_its_own_settings_once_per_region_object():
    region, other = f.RegionFactory(), f.RegionFactory()
    CaseworkSettings.objects.create(region=region, feedback_reminder_working_days=4, inactivity_reminder_days=9)
    fresh = Region.objects.get(pk=region.pk)  # as a request loads it
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert casework_settings(region=fresh).feedback_reminder_working_days == 4
            assert casework_settings(region=fresh).inactivity_reminder_days == 9
    assert len(queries) == 1
    fresh_other = Region.objects.get(pk=other.pk)
    with CaptureQueriesContext(connection) as queries:  # the absence is kept too
        casework_settings(region=fresh_other)
        casework_settings(region=fresh_other)
    assert len(queries) == 1
    joined = Region.objects.select_related("casework_settings").get(pk=region.pk)
    with CaptureQueriesContext(connection) as queries:
        assert casework_settings(region=joined).inactivity_reminder_days == 9
    assert len(queries) == 0


@pytest.mark.django_db
def test_ensure_creates_the_defaults_once_with_an_audit_entry():
    region = f.RegionFactory()
    created = casework_settings_ensure(region=region)
    assert created.pk is not None and created.feedback_reminder_working_days == 10
    CaseworkSettings.objects.filter(pk=created.pk).update(feedback_reminder_working_days=5)
    assert casework_settings_ensure(region=region).feedback_reminder_working_days == 5  # kept as it was
    [entry] = AuditEntry.objects.filter(subject_type="cases.caseworksettings")
    assert (entry.event, entry.actor, entry.region_id) == (AuditEvent.CREATE, None, region.pk)
    assert entry.changes["triage_by_brugfiguur"] is False
    assert verify_chain()[0]


def test_a_region_without_settings_is_triaged_by_its_coordinator_only(world):
    """The access rule reads the setting in the database: no row means the default (coordinator)."""
    fc.pool_serves(world)
    CaseworkSettings.objects.filter(region=world.region).delete()
    referral = fc.ReferralFactory(region=world.region, school=world.school, referred_by=world.schoolcontact)
    assert not can(world.brugfiguur, Action.VIEW, referral)
    assert can(world.coordinator, Action.VIEW, referral)
    fc.set_casework_settings(world.region, triage_by_brugfiguur=True)
    assert can(world.brugfiguur, Action.VIEW, referral)


def test_the_case_file_reads_the_settings_with_the_case(world):
    """The case file's overdue-feedback mark uses its region's settings, loaded with the case."""
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    fc.set_casework_settings(world.region, feedback_reminder_working_days=7)
    loaded = case_file_get(user=world.brugfiguur, pk=case.pk)
    with CaptureQueriesContext(connection) as queries:
        assert casework_settings(region=loaded.region).feedback_reminder_working_days == 7
    assert len(queries) == 0
