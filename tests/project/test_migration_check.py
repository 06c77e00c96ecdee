"""The comparison of scripts/migration_check.py: given two snapshots of a database (before and after
the head's migrations), what is reported and what fails. Pure functions, plus the catalog reading on
a small SQLite file; building the demo is the script's job, too slow for the suite."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "migration_check.py"
_spec = importlib.util.spec_from_file_location("migration_check", SCRIPT)
assert _spec and _spec.loader
mc = importlib.util.module_from_spec(_spec)
sys.modules["migration_check"] = mc  # dataclasses look their module up while the class is made
_spec.loader.exec_module(mc)

T = mc.TableStat
AUDIT_OK = mc.AuditStat(True, "Audit trail intact: 155 entries", 155, "ab" * 32)
TABLES = {
    "cases_case": T(120, 131),
    "cases_appointment": T(40, 40),
    "regions_region": T(2, 2),
    "django_session": T(6, None),
    "django_migrations": T(90, 90),
    "django_content_type": T(70, 70),
    "auth_permission": T(280, 280),
}


def snap(tables=None, *, audit=AUDIT_OK, migrations=("cases.0001_initial",), models=()):
    return mc.Snapshot(
        tables=dict(TABLES if tables is None else tables),
        audit=audit,
        migrations=frozenset(migrations),
        models=frozenset(models),
    )


def changed(**tables):
    return {**TABLES, **tables}


def without(*names, **added):
    return {**{k: v for k, v in TABLES.items() if k not in names}, **added}


def line(comparison, table):
    return next(x for x in comparison.lines if x.table == table)


def test_identical_snapshots_are_equal():
    result = mc.compare(snap(), snap())
    assert result.ok and result.failures == []
    assert result.equal_tables == len(TABLES)
    report = mc.format_report(result, snap(), snap())
    assert "EQUAL" in report and "FAIL" not in report
    assert "7 equal in rows and highest id" in report


def test_a_lost_row_fails_and_names_the_table():
    after = snap(changed(cases_case=T(119, 131)))
    result = mc.compare(snap(), after)
    assert not result.ok
    assert line(result, "cases_case").status == "changed"
    assert result.failures == ["cases_case: changed - rows 120 -> 119 (-1)"]
    report = mc.format_report(result, snap(), after)
    assert "FAIL changed" in report and "DIFFERENT (1)" in report
    assert "regions_region" not in report  # equal tables are left out unless verbose
    assert "regions_region" in mc.format_report(result, snap(), after, verbose=True)


def test_same_count_but_other_rows_fails():
    """A row deleted and another inserted keeps the count but moves the highest id."""
    result = mc.compare(snap(), snap(changed(regions_region=T(2, 3))))
    assert result.failures == ["regions_region: changed - max id 2 -> 3"]


def test_allowed_table_may_change():
    result = mc.compare(snap(), snap(changed(regions_region=T(3, 3))), allowed=["regions_region"])
    assert result.ok
    assert line(result, "regions_region").note == "accepted by --allow"


def test_bookkeeping_tables_may_grow_but_not_shrink():
    after = snap(
        changed(django_migrations=T(92, 92), django_content_type=T(73, 73), auth_permission=T(292, 292)),
        migrations=("cases.0001_initial", "agenda.0001_initial", "cases.0030_move_agenda"),
    )
    result = mc.compare(snap(), after)
    assert result.ok
    assert line(result, "django_migrations").note == "+2 (bookkeeping)"
    assert result.new_migrations == ["agenda.0001_initial", "cases.0030_move_agenda"]
    assert "Migrations applied by the head (2)" in mc.format_report(result, snap(), after)

    shrunk = mc.compare(snap(), snap(changed(django_content_type=T(69, 70))))
    assert shrunk.failures == ["django_content_type: changed - rows 70 -> 69 (-1)"]


def test_a_removed_migration_record_fails():
    result = mc.compare(snap(), snap(migrations=()))
    assert result.failures == ["migration record removed: cases.0001_initial"]


def test_declared_rename_keeps_the_rows():
    after = snap(without("cases_appointment", agenda_appointment=T(40, 40)))
    result = mc.compare(snap(), after, renames={"cases_appointment": "agenda_appointment"})
    assert result.ok
    renamed = line(result, "cases_appointment -> agenda_appointment")
    assert renamed.status == "renamed" and renamed.before == renamed.after == T(40, 40)


def test_declared_rename_that_lost_rows_fails():
    after = snap(without("cases_appointment", agenda_appointment=T(39, 40)))
    result = mc.compare(snap(), after, renames={"cases_appointment": "agenda_appointment"})
    assert result.failures == ["cases_appointment -> agenda_appointment: renamed - rows 40 -> 39 (-1)"]


def test_declared_rename_of_a_table_that_stayed_or_never_was_fails():
    result = mc.compare(snap(), snap(), renames={"cases_appointment": "agenda_appointment", "nope": "x"})
    assert not result.ok
    assert "still exists" in line(result, "cases_appointment").note
    assert "the base lacks" in line(result, "nope").note


def test_undeclared_rename_is_inferred_when_unambiguous():
    after = snap(without("cases_appointment", agenda_appointment=T(40, 40)))
    result = mc.compare(snap(), after)
    assert result.ok
    assert line(result, "cases_appointment -> agenda_appointment").status == "renamed (inferred)"


def test_ambiguous_renames_are_not_inferred():
    before = snap(changed(cases_a=T(5, 5), cases_b=T(5, 5)))
    after = snap(changed(agenda_a=T(5, 5), agenda_b=T(5, 5)))
    result = mc.compare(before, after)
    assert {x.table: x.status for x in result.lines if not x.ok} == {
        "cases_a": "gone", "cases_b": "gone", "agenda_a": "new", "agenda_b": "new"
    }


def test_vanished_table_with_rows_fails_and_is_printed_with_its_count():
    after = snap(without("cases_appointment"))
    result = mc.compare(snap(), after)
    assert result.failures == ["cases_appointment: gone - 40 rows not accounted for (--rename?)"]
    assert "cases_appointment" in mc.format_report(result, snap(), after)


def test_empty_tables_may_come_and_go_but_new_rows_from_nowhere_fail():
    before = snap(changed(cases_empty=T(0, None)))
    after = snap(changed(agenda_new=T(0, None), vocab_term=T(12, 12)))
    result = mc.compare(before, after)
    assert line(result, "cases_empty").status == "dropped (empty)" and line(result, "cases_empty").ok
    assert line(result, "agenda_new").status == "new (empty)" and line(result, "agenda_new").ok
    assert result.failures == ["vocab_term: new - 12 rows from nowhere"]
    assert mc.compare(before, after, allowed=["vocab_term"]).ok


def test_merged_tables_must_add_up():
    before = snap(changed(cases_lifedomain=T(10, 10), signals_theme=T(7, 7)))
    after = snap(changed(vocab_term=T(17, 17)))
    renames = mc.parse_renames(["cases_lifedomain,signals_theme=vocab_term"])
    assert mc.compare(before, after, renames=renames).ok
    short = mc.compare(before, snap(changed(vocab_term=T(16, 17))), renames=renames)
    assert short.failures == ["cases_lifedomain,signals_theme -> vocab_term: merged - rows 17 -> 16 (-1)"]


def test_rows_moved_into_an_existing_table_are_counted_with_it():
    before = snap(changed(cases_extra=T(3, 3)))
    after = snap(changed(regions_region=T(5, 5)))
    assert mc.compare(before, after, renames={"cases_extra": "regions_region"}).ok


def test_a_sequence_behind_the_highest_id_fails():
    """A table rebuilt by copying restarts its sequence: the next record would reuse an id."""
    assert mc.compare(snap(), mc.Snapshot(TABLES, AUDIT_OK, frozenset({"cases.0001_initial"}),
                                          next_ids={"cases_case": 132})).ok
    after = mc.Snapshot(TABLES, AUDIT_OK, frozenset({"cases.0001_initial"}), next_ids={"cases_case": 1})
    result = mc.compare(snap(), after)
    assert result.failures == ["cases_case: sequence - next id 1 is not above the highest id 131"]
    already = mc.compare(after, after)  # not the migrations' doing: shown, not failed
    assert already.ok
    assert already.warnings == [
        "cases_case: next id 1 is not above the highest id 131 (so already before the migrations)"
    ]


def test_parse_renames_rejects_malformed_values():
    assert mc.parse_renames(["a=b", "c,d=e"]) == {"a": "b", "c": "e", "d": "e"}
    with pytest.raises(ValueError, match="OLD=NEW"):
        mc.parse_renames(["a"])
    with pytest.raises(ValueError, match="renamed twice"):
        mc.parse_renames(["a=b", "a=c"])


def test_audit_chain_must_verify_before_and_after_with_the_same_entries():
    broken = mc.AuditStat(False, "CommandError: Audit trail is broken after 3 intact entries: x.", 155, "ab" * 32)
    assert mc.compare(snap(), snap(audit=broken)).failures == [
        "audit chain does not verify AFTER the migrations: CommandError: Audit trail is broken after 3 intact "
        "entries: x."
    ]
    assert "BEFORE" in mc.compare(snap(audit=broken), snap()).failures[0]

    more = mc.AuditStat(True, "", 156, "cd" * 32)
    assert mc.compare(snap(), snap(audit=more)).failures == [
        "audit entries 155 -> 156 (+1)",
        f"hash of the last audit entry changed: {'ab' * 32} -> {'cd' * 32}",
    ]
    uncounted = mc.AuditStat(True, "", None, None)
    assert "audit entries not counted" in mc.compare(snap(audit=uncounted), snap(audit=uncounted)).failures[0]


def test_audit_entries_naming_a_moved_model_are_a_warning():
    audit = mc.AuditStat(True, "", 155, "ab" * 32, {"cases.appointment": 2, "cases.case": 20, "demo": 1})
    before = snap(audit=audit, models=("cases.appointment", "cases.case"))
    after = snap(audit=audit, models=("agenda.appointment", "cases.case"))
    result = mc.compare(before, after)
    assert result.ok
    assert result.warnings == [
        "2 audit entries name the record kind 'cases.appointment', a model that no longer exists"
    ]
    assert "Warning: 2 audit entries" in mc.format_report(result, before, after)


def test_catalog_snapshot_of_a_sqlite_database(tmp_path):
    """Tables come from the catalog (a table no model knows is counted too); max id only where there is one."""
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    for statement in [
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)",
        "INSERT INTO django_migrations (app, name) VALUES ('cases', '0001_initial'), ('audit', '0001_initial')",
        "CREATE TABLE django_session (session_key TEXT PRIMARY KEY)",
        "INSERT INTO django_session VALUES ('a'), ('b')",
        'CREATE TABLE "odd ""name""" (id INTEGER PRIMARY KEY)',
        "CREATE TABLE audit_auditentry"
        " (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER, hash TEXT, subject_type TEXT)",
        "INSERT INTO audit_auditentry VALUES (1, 1, 'h1', 'demo'), (7, 2, 'h2', 'cases.case')",
    ]:
        conn.execute(statement)
    conn.commit()
    conn.close()
    database = mc.Database(f"sqlite:///{path}", tmp_path)
    snapshot = database.snapshot()
    tables, migrations, audit = snapshot.tables, snapshot.migrations, snapshot.audit
    assert tables == {
        "django_migrations": T(2, 2),
        "django_session": T(2, None),
        'odd "name"': T(0, None),
        "audit_auditentry": T(2, 7),
    }
    assert migrations == {"cases.0001_initial", "audit.0001_initial"}
    assert (audit.entries, audit.last_hash, dict(audit.subject_types)) == (2, "h2", {"demo": 1, "cases.case": 1})
    assert snapshot.next_ids == {"audit_auditentry": 8}  # AUTOINCREMENT tables only


def test_steps_get_only_the_checks_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://somewhere/production")
    monkeypatch.setenv("BRUGWERK_AUDIT_KEY_FILE", "/etc/key")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "other.settings")
    env = mc.step_env(database_url="sqlite:////tmp/x.sqlite3", var_dir=tmp_path, audit_key="k" * 64)
    assert env["DATABASE_URL"] == "sqlite:////tmp/x.sqlite3"
    assert env["BRUGWERK_AUDIT_KEY"] == "k" * 64 and "BRUGWERK_AUDIT_KEY_FILE" not in env
    assert "DJANGO_SETTINGS_MODULE" not in env
    assert env["BRUGWERK_VAR_DIR"] == str(tmp_path)
    assert (env["BRUGWERK_DEMO_MODE"], env["BRUGWERK_REQUIRE_2FA"]) == ("true", "false")


def test_edited_migrations_of_the_base_are_listed(tmp_path):
    base = {"brugwerk/cases/migrations/0004_x.py": b"old", "brugwerk/cases/migrations/0003_y.py": b"same",
            "brugwerk/cases/migrations/0002_z.py": b"gone"}
    head = {"brugwerk/cases/migrations/0004_x.py": b"new", "brugwerk/cases/migrations/0003_y.py": b"same",
            "brugwerk/agenda/migrations/0001_initial.py": b"added"}
    edited = mc.edited_migrations(base, head)
    assert edited == ["brugwerk/cases/migrations/0004_x.py", "brugwerk/cases/migrations/0002_z.py (removed)"]
    report = mc.format_report(mc.compare(snap(), snap()), snap(), snap(), edited=edited)
    assert "Note: 2 migrations of the base were edited by the head" in report and "EQUAL" in report

    tree = tmp_path / "brugwerk" / "cases" / "migrations"
    tree.mkdir(parents=True)
    (tree / "0001_initial.py").write_bytes(b"x")
    (tree / "__init__.py").write_bytes(b"")
    assert mc.migration_files(tmp_path) == {"brugwerk/cases/migrations/0001_initial.py": b"x"}
