"""The agenda moved out of `cases` into its own app without moving a row: the migrations are
state-only (`db_table` keeps the tables), so rows written through the historical `cases` models
before the move are the same rows, with the same ids and links, through the `agenda` models after
it. Also: the same URL paths as before, audit entries of the old record kinds still found by the
audit filter, and the contact forms still offering the school of today's presence day.

Run on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://…"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import resolve, reverse
from django.utils import timezone

from brugwerk.agenda import views
from brugwerk.agenda.models import Appointment, AppointmentKind, CalendarFeed, PresenceDay
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.selectors import AuditFilter, audit_entries_for
from brugwerk.audit.services import Actor, record
from brugwerk.cases.models import Case
from brugwerk.cases.selectors.contacts import contact_school_choices
from tests import factories_cases as fc

BEFORE = [("cases", "0004_saved_filters_and_calendar_feeds")]
MOVED_TABLES = {"cases_appointment", "cases_presenceday", "cases_calendarfeed"}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _populate(apps) -> dict[str, object]:
    """Rows of every moved kind through the historical models, linked to rows of other apps."""
    region = apps.get_model("regions", "Region").objects.create(name="Historisch", slug="historisch")
    municipality = apps.get_model("regions", "Municipality").objects.create(region=region, name="Gent")
    school = apps.get_model("regions", "School").objects.create(
        region=region, name="Oude School", municipality=municipality, network="go"
    )
    users = apps.get_model("accounts", "User").objects
    sofie = users.create(username="sofie-hist", first_name="Sofie")
    karim = users.create(username="karim-hist", first_name="Karim")
    young_person = apps.get_model("cases", "YoungPerson").objects.create(
        region=region, first_name="Aya", last_name="Historisch", school=school
    )
    case = apps.get_model("cases", "Case").objects.create(
        region=region, young_person=young_person, school=school, lead=sofie, opened_on=datetime.date(2026, 9, 1)
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    appointments = apps.get_model("cases", "Appointment").objects
    with_case = appointments.create(
        region=region, brugfiguur=sofie, case=case, school=school, kind="home_visit",
        starts_at=start, ends_at=start + datetime.timedelta(hours=1), location="thuis",
    )
    without_case = appointments.create(
        region=region, brugfiguur=karim, kind="meeting",
        starts_at=start + datetime.timedelta(days=1), ends_at=start + datetime.timedelta(days=1, hours=2),
    )
    presence = apps.get_model("cases", "PresenceDay").objects.create(
        region=region, brugfiguur=sofie, school=school, weekday=2, valid_from=datetime.date(2026, 9, 1),
        valid_until=datetime.date(2027, 6, 30),
    )
    feed = apps.get_model("cases", "CalendarFeed").objects.create(user=sofie, token="historisch-token")
    types = apps.get_model("contenttypes", "ContentType").objects
    content_type = types.get_or_create(app_label="cases", model="appointment")[0]
    return {
        "region": region.pk, "school": school.pk, "sofie": sofie.pk, "karim": karim.pk, "case": case.pk,
        "with_case": with_case.pk, "without_case": without_case.pk, "presence": presence.pk, "feed": feed.pk,
        "start": start, "content_type": content_type.pk,
        "rows": {
            table: {row[0] for row in _table_rows(table)} for table in MOVED_TABLES
        },
    }


def _table_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_the_same_rows_after_it():
    leaves = _leaves()
    _migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert not any(model._meta.app_label == "agenda" for model in old_apps.get_models())
        made = _populate(old_apps)
        raw_before = {table: _table_rows(table) for table in MOVED_TABLES}
    finally:
        _migrate(leaves)
    ContentType.objects.clear_cache()

    # The same tables, byte for byte: nothing was copied, renamed or rewritten.
    assert {table: _table_rows(table) for table in MOVED_TABLES} == raw_before
    assert {Appointment._meta.db_table, PresenceDay._meta.db_table, CalendarFeed._meta.db_table} == MOVED_TABLES

    # The same rows, ids and links through the new models, both ways across apps.
    with_case = Appointment.objects.select_related("case", "school", "region", "brugfiguur").get(pk=made["with_case"])
    assert (with_case.case_id, with_case.school_id, with_case.region_id, with_case.brugfiguur_id) == (
        made["case"], made["school"], made["region"], made["sofie"]
    )
    assert with_case.kind == AppointmentKind.HOME_VISIT and with_case.location == "thuis"
    assert with_case.starts_at == made["start"]
    case = Case.objects.get(pk=made["case"])
    assert list(case.appointments.values_list("pk", flat=True)) == [made["with_case"]]
    assert Appointment.objects.get(pk=made["without_case"]).case is None
    presence = PresenceDay.objects.get(pk=made["presence"])
    assert (presence.school_id, presence.weekday, presence.valid_until) == (
        made["school"], 2, datetime.date(2027, 6, 30)
    )
    assert CalendarFeed.objects.get(pk=made["feed"]).token == "historisch-token"
    assert CalendarFeed.objects.get(user_id=made["sofie"]).pk == made["feed"]

    # The content type kept its row (and so its permissions): renamed, not made anew.
    assert ContentType.objects.get_for_model(Appointment).pk == made["content_type"]
    assert not ContentType.objects.filter(app_label="cases", model__in=["appointment", "presenceday", "calendarfeed"])

    # The database still does what it did: the sequence continues, constraints and the index keep
    # their names, and the delete rule from the case holds (SET NULL).
    fresh = Appointment.objects.create(
        region_id=made["region"], brugfiguur_id=made["karim"], kind=AppointmentKind.OTHER,
        starts_at=made["start"], ends_at=made["start"] + datetime.timedelta(minutes=30),
    )
    assert fresh.pk > max(made["rows"]["cases_appointment"])
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "cases_appointment"))
        presence_names = set(connection.introspection.get_constraints(cursor, "cases_presenceday"))
    assert {"appointment_ends_after_start", "cases_appoi_brugfig_fe1c61_idx"} <= names
    if connection.vendor == "postgresql":  # SQLite does not report CHECK constraints by name
        assert {"presence_day_weekday_valid", "presence_day_period_valid"} <= presence_names
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('cases_appointment', 'id')")
            assert cursor.fetchone()[0] == "public.cases_appointment_id_seq"
    case.delete()  # the case's reverse relation is the agenda's now, and still sets NULL
    assert Appointment.objects.get(pk=made["with_case"]).case_id is None


@pytest.mark.django_db(transaction=True)
def test_the_moved_models_are_created_only_in_state():
    """`agenda` 0001 and `cases` 0005 write no SQL (the content type rename is Python, not DDL)."""
    executor = MigrationExecutor(connection)
    for app_label, name in (("cases", "0005_agenda_moves_to_its_own_app"), ("agenda", "0001_initial")):
        migration = executor.loader.get_migration(app_label, name)
        state = executor.loader.project_state((app_label, name), at_end=False)
        with connection.schema_editor(collect_sql=True, atomic=False) as editor:
            migration.apply(state, editor, collect_sql=True)
        assert [sql for sql in editor.collected_sql if not sql.startswith("--")] == [], (app_label, name)


# (URL name, arguments, the path it had when the agenda was part of casework)
OLD_PATHS = [
    ("agenda", [], "/werk/agenda/"),
    ("appointment_create", [], "/werk/agenda/afspraken/nieuw/"),
    ("appointment_update", [7], "/werk/agenda/afspraken/7/"),
    ("appointment_delete", [7], "/werk/agenda/afspraken/7/verwijderen/"),
    ("presence_day_create", [], "/werk/agenda/aanwezigheid/nieuw/"),
    ("presence_day_end", [7], "/werk/agenda/aanwezigheid/7/beeindigen/"),
    ("presence_day_delete", [7], "/werk/agenda/aanwezigheid/7/verwijderen/"),
    ("calendar_feed", [], "/werk/agenda/kalender/"),
    ("calendar_feed_ics", ["abc-DEF_1"], "/werk/agenda/kalender/abc-DEF_1.ics"),
]


@pytest.mark.parametrize(("name", "args", "path"), OLD_PATHS)
def test_every_agenda_page_keeps_its_path(name, args, path):
    assert reverse(f"agenda:{name}", args=args) == path
    match = resolve(path)
    assert match.namespace == "agenda" and match.func is getattr(views, name)


def test_the_audit_filter_finds_entries_written_before_the_move(world):
    appointment = fc.AppointmentFactory(region=world.region, brugfiguur=world.brugfiguur)
    actor = Actor(user=world.brugfiguur)
    old = record(actor=actor, event=AuditEvent.UPDATE, subject_type="cases.appointment",
                 subject_id=str(appointment.pk), subject_label="before", region_id=world.region.pk)
    new = record(actor=actor, event=AuditEvent.UPDATE, subject=appointment, region_id=world.region.pk)
    assert new.subject_type == "agenda.appointment"
    shown = audit_entries_for(
        user=world.coordinator, region=world.region,
        filters=AuditFilter(subject_type="agenda.appointment", subject_id=str(appointment.pk)),
    )
    assert set(shown) == {old, new}
    other_kind = audit_entries_for(
        user=world.coordinator, region=world.region, filters=AuditFilter(subject_type="agenda.presenceday")
    )
    assert old not in set(other_kind) and new not in set(other_kind)


def test_a_contact_form_offers_the_school_of_todays_presence_day_first(world):
    """Casework asks the agenda through the finder the agenda registers (no import of the agenda)."""
    today = timezone.localdate()
    assert contact_school_choices(user=world.brugfiguur, region=world.region).today is None
    fc.PresenceDayFactory(region=world.region, brugfiguur=world.brugfiguur, school=world.other_school,
                          weekday=today.weekday(), valid_from=today - datetime.timedelta(days=7))
    assert contact_school_choices(user=world.brugfiguur, region=world.region).today == world.other_school
    assert contact_school_choices(user=world.brugfiguur2, region=world.region).today != world.other_school
