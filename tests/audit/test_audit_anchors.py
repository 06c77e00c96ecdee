"""Issue 8, finding 5: someone with write access to the database deleted a batch of view entries,
recomputed `seq`, `prev_hash`, `hash` and the head row, and `audit_verify` still said "intact".

The chain is now anchored outside the database: the hash is keyed with a secret that is not in it,
checkpoints of the head are written to a file (and mailed to the data-protection officer), and on
PostgreSQL triggers refuse UPDATE and DELETE. These tests run on SQLite and, with DATABASE_URL set, on
PostgreSQL (the trigger tests only there)."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import stat
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from brugwerk.audit import keys
from brugwerk.audit.models import GENESIS_HASH, AuditEntry, AuditEvent, AuditHead
from brugwerk.audit.services import Actor, record, record_view
from tests.audit.audit_tamper import plain_sha256, raw_sql, real_key, rewrite_chain_without, triggers_off, wrong_key

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only")


def write_entries(world, *, views: int = 6) -> None:
    """A day in the trail: a login, pages viewed, a change, more pages, a logout."""
    actor = Actor(user=world.coordinator, ip="203.0.113.7")
    record(actor=actor, event=AuditEvent.LOGIN, subject=world.coordinator, region_id=world.region.pk)
    for i in range(views):
        record_view(actor=actor, subject=world.contact_point if i % 2 else world.school, details={"i": i})
    record(actor=actor, event=AuditEvent.UPDATE, subject=world.school, changes={"name": {"old": "a", "new": "b"}})
    record_view(actor=actor, subject=world.contact_point)
    record(actor=actor, event=AuditEvent.LOGOUT, subject=world.coordinator, region_id=world.region.pk)


@pytest.fixture
def trail(world):
    write_entries(world)
    return world


@pytest.fixture
def checkpoints(tmp_path, settings):
    path = tmp_path / "anchor" / "audit-checkpoints.jsonl"
    settings.BRUGWERK_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def checkpoint(*args: str) -> str:
    out = StringIO()
    call_command("audit_checkpoint", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        verify(*args)
    assert excinfo.value.returncode != 0  # what `manage.py audit_verify` exits with
    return str(excinfo.value)


# --- The attack of the finding, by someone without the key -------------------------------------------


@pytest.mark.parametrize("hash_of", [plain_sha256, wrong_key], ids=["plain-sha256", "hmac-with-a-guessed-key"])
def test_deleting_view_entries_and_recomputing_the_chain_without_the_key_is_detected(trail, hash_of):
    assert "intact: 10 entries" in verify()
    left = rewrite_chain_without(AuditEvent.VIEW, hash_of=hash_of)
    assert left == 3 and not AuditEntry.objects.filter(event=AuditEvent.VIEW).exists()
    assert AuditHead.objects.values_list("seq", flat=True).get() == 3  # the chain links up end to end again
    assert "entry #1 was altered" in verify_fails()


def test_the_rewrite_makes_a_plain_sha256_chain_that_the_old_verify_accepted(trail):
    """What made the finding possible: the old hash was plain SHA-256, which the rewrite reproduces. A
    chain rewritten that way is linked end to end; only the key tells it apart now."""
    rewrite_chain_without(AuditEvent.VIEW, hash_of=plain_sha256)
    expected_prev = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq"):
        assert entry.prev_hash == expected_prev and entry.hash == plain_sha256(entry)
        expected_prev = entry.hash
    assert "was altered" in verify_fails()


# --- The attack by someone who also has the key: the checkpoints ------------------------------------------


def test_with_the_key_a_rewrite_after_a_checkpoint_of_the_head_is_detected(trail, checkpoints):
    assert "checkpoint #10" in checkpoint()
    rewrite_chain_without(AuditEvent.VIEW, hash_of=real_key)
    message = verify_fails()
    assert "the chain ends at #3, before checkpoint #10" in message
    assert "verifies with the audit key" in message  # it says what that means: the key is out
    # Without the checkpoints, the key alone cannot tell: that is what they are for.
    assert "intact: 3 entries" in verify("--checkpoint-file", str(checkpoints.parent / "none.jsonl"))


def test_with_the_key_a_rewrite_of_entries_before_a_checkpoint_is_detected_after_new_entries(trail, checkpoints):
    checkpoint()  # at #10
    write_entries(trail, views=10)  # the chain grows to #24, past the checkpoint
    rewrite_chain_without(AuditEvent.VIEW, hash_of=real_key)  # 6 entries left
    assert "before checkpoint #10" in verify_fails()

    write_entries(trail, views=10)  # the attacker lets it grow past #10 again
    message = verify_fails()
    assert "entry #10 no longer has the hash of checkpoint #10" in message


def test_the_mailed_checkpoint_catches_a_rewrite_even_when_the_checkpoint_file_was_replaced(
    trail, checkpoints, settings, mailoutbox
):
    settings.BRUGWERK_DPO_EMAIL = "dpo@w13.example"
    checkpoint()
    (mail,) = mailoutbox
    rewrite_chain_without(AuditEvent.VIEW, hash_of=real_key)
    checkpoints.unlink()  # the attacker also holds the server's files
    checkpoint()
    assert "intact: 3 entries" in verify()
    # The data-protection officer's copy, saved from the mail, still holds the head as it was.
    kept = checkpoints.parent / "from-the-dpo.jsonl"
    kept.write_text(next(line for line in mail.body.splitlines() if line.startswith("{")) + "\n")
    assert "before checkpoint #10" in verify_fails("--checkpoint-file", str(kept))


def test_a_checkpoint_not_sealed_with_the_key_is_refused(trail, checkpoints):
    checkpoint()
    line = json.loads(checkpoints.read_text())
    forged = {**line, "seq": 3, "hash": AuditEntry.objects.get(seq=3).hash}  # the seal no longer fits
    with checkpoints.open("a") as handle:
        handle.write(json.dumps(forged) + "\n" + "not json\n")
    message = verify_fails()
    assert f"line 2 of {checkpoints}" in message and "not sealed with this audit key" in message
    assert f"line 3 of {checkpoints} is not a checkpoint" in message
    with pytest.raises(CommandError, match="No checkpoint written"):
        checkpoint()
    assert len(checkpoints.read_text().splitlines()) == 3


# --- Writing checkpoints ------------------------------------------------------------------------------------


def test_a_checkpoint_is_one_sealed_json_line_in_a_file_readable_by_its_owner_only(trail, checkpoints, mailoutbox):
    out = checkpoint()
    assert "checkpoint #10" in out and not mailoutbox  # no data-protection officer configured
    (line,) = checkpoints.read_text().splitlines()
    data = json.loads(line)
    head = AuditHead.objects.get(pk=1)
    assert (data["seq"], data["hash"]) == (head.seq, head.hash) and data["at"].endswith("+00:00")
    assert len(data["mac"]) == 64
    assert stat.S_IMODE(os.stat(checkpoints).st_mode) == 0o600
    record_view(actor=Actor(user=trail.coordinator), subject=trail.school)
    checkpoint()
    assert [json.loads(x)["seq"] for x in checkpoints.read_text().splitlines()] == [10, 11]
    assert "intact: 11 entries; 2 of 2 checkpoints" in verify("--require-checkpoints")


def test_a_checkpoint_is_mailed_to_the_data_protection_officer(trail, checkpoints, settings, mailoutbox):
    settings.BRUGWERK_DPO_EMAIL = "dpo@w13.example"
    with translation.override("en"):
        assert "dpo@w13.example" in checkpoint()
    (mail,) = mailoutbox
    assert mail.to == ["dpo@w13.example"] and "#10" in mail.subject
    assert checkpoints.read_text().strip() in mail.body
    checkpoint("--no-mail")
    assert len(mailoutbox) == 1


def test_both_commands_take_the_checkpoint_file_as_an_option(trail, tmp_path):
    elsewhere = tmp_path / "offsite" / "w13.jsonl"
    with pytest.raises(CommandError, match="No checkpoint file"):
        checkpoint()  # none configured in the tests
    checkpoint("--checkpoint-file", str(elsewhere))
    assert "1 of 1 checkpoints in" in verify("--checkpoint-file", str(elsewhere), "--require-checkpoints")
    assert "no checkpoint file is configured" in verify()


def test_verify_can_require_checkpoints(trail, checkpoints):
    assert "no checkpoints in" in verify()
    assert "there are none in" in verify_fails("--require-checkpoints")


def test_no_checkpoint_is_written_of_a_chain_that_does_not_verify(trail, checkpoints):
    raw_sql("UPDATE {table} SET subject_label = %s WHERE seq = %s", ["someone else", 4])
    with pytest.raises(CommandError, match="entry #4 was altered"):
        checkpoint()
    assert not checkpoints.exists()


def test_a_checkpoint_checks_only_the_entries_since_the_last_one(trail, checkpoints, django_assert_max_num_queries):
    checkpoint()
    write_entries(trail, views=2)
    # Reading the anchor entry, the new entries and the head: a handful of queries, however long the trail.
    with django_assert_max_num_queries(6):
        checkpoint()
    assert "intact: 16 entries; 2 of 2 checkpoints" in verify()


def test_a_task_writes_a_checkpoint_after_every_nth_entry(world, checkpoints, settings,
                                                          django_capture_on_commit_callbacks):
    settings.BRUGWERK_AUDIT_CHECKPOINT_EVERY = 4
    for _request in range(10):  # each its own transaction, whose commit runs the task
        with django_capture_on_commit_callbacks(execute=True):
            record_view(actor=Actor(user=world.coordinator), subject=world.school)
    assert [json.loads(x)["seq"] for x in checkpoints.read_text().splitlines()] == [4, 8]
    assert "2 of 2 checkpoints" in verify()


def test_a_failing_checkpoint_task_never_fails_the_write(world, checkpoints, settings,
                                                         django_capture_on_commit_callbacks, caplog):
    settings.BRUGWERK_AUDIT_CHECKPOINT_EVERY = 1
    checkpoints.parent.mkdir()
    checkpoints.write_text("garbage\n")
    with django_capture_on_commit_callbacks(execute=True):
        record(actor=Actor(user=world.coordinator), event=AuditEvent.LOGIN, subject=world.coordinator)
    assert AuditEntry.objects.count() == 1
    assert "Audit checkpoint not written" in caplog.text
    assert checkpoints.read_text() == "garbage\n"


# --- PostgreSQL refuses changes itself ------------------------------------------------------------------------


@postgresql_only
@pytest.mark.parametrize(
    ("sql", "params"),
    [("UPDATE {table} SET subject_label = %s WHERE seq = %s", ["someone else", 3]),
     ("DELETE FROM {table} WHERE seq = %s", [3]),
     ("DELETE FROM {table} WHERE event = %s", [AuditEvent.VIEW])],
)
def test_postgresql_refuses_to_change_or_delete_an_entry(trail, sql, params):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)
    assert AuditEntry.objects.count() == 10
    assert "intact: 10 entries" in verify()


@postgresql_only
@pytest.mark.parametrize(
    ("sql", "params"),
    [("UPDATE {table} SET seq = %s, hash = %s", [3, "0" * 64]), ("DELETE FROM {table}", [])],
)
def test_postgresql_refuses_to_delete_the_head_or_move_it_back(trail, sql, params):
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql.format(table=table), params)
    record_view(actor=Actor(user=trail.coordinator), subject=trail.school)  # writers still move it on
    assert "intact: 11 entries" in verify()


@postgresql_only
def test_the_attack_needs_the_triggers_switched_off_first(trail):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE event = %s", [AuditEvent.VIEW])
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW).count() == 7


# --- The key -------------------------------------------------------------------------------------------------------


def test_outside_production_without_a_key_one_is_made_in_var_on_first_use(tmp_path, settings):
    settings.BRUGWERK_AUDIT_KEY = None
    settings.BRUGWERK_AUDIT_KEY_PATH = tmp_path / "var" / "audit.key"
    keys._key_from_file.cache_clear()
    try:
        first = keys.audit_key()
        assert settings.BRUGWERK_AUDIT_KEY_PATH.read_text().strip().encode() == first and len(first) >= 48
        assert stat.S_IMODE(os.stat(settings.BRUGWERK_AUDIT_KEY_PATH).st_mode) == 0o600
        keys._key_from_file.cache_clear()
        assert keys.audit_key() == first  # kept, not made again
        assert list((tmp_path / "var").iterdir()) == [settings.BRUGWERK_AUDIT_KEY_PATH]
    finally:
        keys._key_from_file.cache_clear()


def test_the_tests_use_a_fixed_key_so_hashes_repeat():
    assert keys.audit_key() == b"brugwerk-test-audit-key-not-secret"


# --- Migrating an existing trail ------------------------------------------------------------------------------------


def reseal_migration():
    return importlib.import_module("brugwerk.audit.migrations.0002_reseal_chain_with_audit_key")


def apps_before_the_reseal():
    return MigrationLoader(connection).project_state(("audit", "0001_initial")).apps


# The re-seal only reads and writes rows; SQLite's real schema editor cannot open inside a test's transaction.
EDITOR = SimpleNamespace(connection=connection)


def make_unkeyed(world) -> list[tuple]:
    """Turn the trail into what the release before the keyed hash wrote: a plain SHA-256 chain, computed
    here by hand (the old `compute_hash`). Returns every row as it then is."""
    write_entries(world, views=20)
    prev = GENESIS_HASH
    with triggers_off(), connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        for entry in AuditEntry.objects.order_by("seq"):
            entry.prev_hash = prev
            entry.hash = prev = hashlib.sha256(entry.canonical().encode("utf-8")).hexdigest()
            cursor.execute(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",
                           [entry.prev_hash, entry.hash, entry.pk])
        cursor.execute(f"UPDATE {connection.ops.quote_name(AuditHead._meta.db_table)} SET hash = %s", [prev])
    return rows()


def rows() -> list[tuple]:
    return list(AuditEntry.objects.order_by("seq").values_list(
        "pk", "seq", "at", "actor_id", "actor_label", "region_id", "event", "subject_type", "subject_id",
        "subject_label", "ip", "changes", "prev_hash", "hash",
    ))


def test_the_migration_verifies_the_old_chain_then_reseals_it_with_the_key(world):
    before = make_unkeyed(world)
    assert "entry #1 was altered" in verify_fails()  # the old chain does not verify under the key
    with triggers_off():  # migration 0002 runs before the triggers exist
        reseal_migration().reseal_with_key(apps_before_the_reseal(), EDITOR)
    after = rows()
    assert len(after) == len(before) == 24
    assert [r[:-2] for r in after] == [r[:-2] for r in before]  # nothing but the hashes changed
    assert all(a[-1] != b[-1] for a, b in zip(after, before, strict=True))
    assert "intact: 24 entries" in verify()
    assert AuditHead.objects.values_list("seq", "hash").get() == (24, after[-1][-1])


def test_the_migration_refuses_to_reseal_an_old_chain_that_does_not_verify(world):
    make_unkeyed(world)
    raw_sql("DELETE FROM {table} WHERE seq = %s", [7])  # removed before the upgrade
    before = rows()
    with pytest.raises(RuntimeError, match=r"entry #7 is missing.*not re-sealed"), triggers_off():
        reseal_migration().reseal_with_key(apps_before_the_reseal(), EDITOR)
    assert rows() == before


def test_the_migration_goes_back_to_the_unkeyed_chain(world):
    before = make_unkeyed(world)
    apps = apps_before_the_reseal()
    with triggers_off():
        reseal_migration().reseal_with_key(apps, EDITOR)
        reseal_migration().reseal_without_key(apps, EDITOR)
    assert rows() == before
