"""The audit trail is an append-only hash chain: each entry carries the previous entry's keyed hash, the
model refuses changes, and `manage.py audit_verify` notices any row altered or removed behind its
back (here: by raw SQL, which bypasses the model, with PostgreSQL's triggers switched off as the table's
owner could). The rewrite of the whole chain and the checkpoints are in test_audit_anchors.py."""

import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from brugwerk.accounts.backends import unknown_login_label
from brugwerk.audit.models import GENESIS_HASH, AuditEntry, AuditEvent, AuditHead
from brugwerk.audit.services import Actor, record, record_list_view, record_view, verify_chain
from tests.audit.audit_tamper import raw_sql
from tests.factories import PASSWORD

IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chain(world) -> list[AuditEntry]:
    """Five entries of different kinds, oldest first."""
    actor = Actor(user=world.coordinator, ip=IP)
    record(actor=actor, event=AuditEvent.LOGIN, subject=world.coordinator, region_id=world.region.pk)
    record_view(actor=actor, subject=world.contact_point)
    changes = {"name": {"old": "Oud", "new": "Sint-Amandscollege"}, "pupil_count": {"old": 1, "new": 600}}
    record(actor=actor, event=AuditEvent.UPDATE, subject=world.school, changes=changes)
    record_list_view(actor=actor, model=type(world.contact_point), region_id=world.region.pk,
                     label="Contact points", details={"query": "an", "count": 1})
    record(actor=actor, event=AuditEvent.LOGOUT, subject=world.coordinator, region_id=world.region.pk)
    return list(AuditEntry.objects.order_by("seq"))


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def assert_verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match) as excinfo:
        verify()
    assert excinfo.value.returncode != 0  # what `manage.py audit_verify` exits with


# --- The chain ------------------------------------------------------------------------------------


def test_each_entry_carries_the_hash_of_the_one_before(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    for before, entry in zip(chain, chain[1:], strict=False):
        assert entry.prev_hash == before.hash
    for entry in chain:
        assert entry.hash == entry.compute_hash() and len(entry.hash) == 64
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, chain[-1].hash)


def test_the_hash_is_keyed_so_the_database_alone_cannot_recompute_it(chain, settings):
    entry = chain[2]
    assert entry.hash != hashlib.sha256(entry.canonical().encode()).hexdigest()
    assert entry.hash != entry.compute_hash(key=b"another key")
    settings.BRUGWERK_AUDIT_KEY = "another key, as a copy of the database elsewhere would have"
    assert entry.compute_hash() != entry.hash
    assert_verify_fails("entry #1 was altered")


def test_verify_passes_on_an_intact_chain(chain):
    assert "intact: 5 entries" in verify()


def test_verify_passes_on_an_empty_trail(db):
    assert "intact: 0 entries" in verify()


@pytest.mark.parametrize(
    ("column", "value"),
    [("subject_label", "Someone else"), ("changes", '{"name": {"old": "Oud", "new": "Vervalst"}}'),
     ("actor_label", "nobody"), ("ip", "198.51.100.1"), ("event", "view")],
)
def test_verify_fails_after_a_row_is_altered(chain, column, value):
    raw_sql(f"UPDATE {{table}} SET {column} = %s WHERE seq = %s", [value, 3])
    assert_verify_fails("entry #3 was altered")


def test_verify_fails_after_a_row_is_altered_and_its_hash_recomputed(chain):
    """Rewriting one entry with a matching hash still breaks the link from the next entry."""
    raw_sql("UPDATE {table} SET subject_label = %s WHERE seq = %s", ["Someone else", 2])
    forged = AuditEntry.objects.get(seq=2)
    raw_sql("UPDATE {table} SET hash = %s WHERE seq = %s", [forged.compute_hash(), 2])
    assert_verify_fails("entry #3 does not follow the entry before it")


@pytest.mark.parametrize("seq", [1, 3])
def test_verify_fails_after_a_row_is_deleted(chain, seq):
    raw_sql("DELETE FROM {table} WHERE seq = %s", [seq])
    assert_verify_fails(f"entry #{seq} is missing")


def test_verify_fails_after_the_last_row_is_deleted(chain):
    raw_sql("DELETE FROM {table} WHERE seq = %s", [5])
    assert_verify_fails("the last entries were removed")


def test_verify_fails_after_every_row_is_deleted(chain):
    raw_sql("DELETE FROM {table}", [])
    assert_verify_fails("the last entries were removed")


def test_verify_fails_after_the_only_row_is_deleted(world):
    record(actor=Actor(user=world.coordinator), event=AuditEvent.LOGIN, subject=world.coordinator)
    raw_sql("DELETE FROM {table}", [])
    assert_verify_fails("the last entries were removed")


def test_verify_fails_when_a_row_is_slipped_in_past_the_service(chain):
    last = chain[-1]
    AuditEntry.objects.bulk_create([AuditEntry(
        seq=6, at=last.at, event=AuditEvent.LOGIN, prev_hash=last.hash, hash="f" * 64,
    )])
    assert_verify_fails("entry #6 was altered")


# --- Append-only ----------------------------------------------------------------------------------


def test_the_model_refuses_to_change_or_delete_entries(chain):
    entry = AuditEntry.objects.get(seq=2)
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=2).update(subject_label="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.subject_label = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update breaks its own transaction
        AuditEntry.objects.bulk_update([entry], ["subject_label"])
    assert AuditEntry.objects.count() == 5
    assert AuditEntry.objects.get(seq=2).subject_label == chain[1].subject_label
    assert "intact: 5 entries" in verify()


# --- Many writers ---------------------------------------------------------------------------------


def test_many_writes_keep_the_chain_intact(world):
    actors = [Actor(user=u, ip=IP) for u in (world.coordinator, world.brugfiguur, world.beheerder)]
    for i in range(50):
        record_view(actor=actors[i % 3], subject=world.contact_point if i % 2 else world.school,
                    details={"i": i})
    ok, count, problem = verify_chain()
    assert (ok, count, problem) == (True, 50, "")
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 51))


def test_an_entry_rolled_back_with_its_change_leaves_no_gap(world):
    actor = Actor(user=world.coordinator)
    record(actor=actor, event=AuditEvent.LOGIN, subject=world.coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=actor, event=AuditEvent.UPDATE, subject=world.school, changes={"name": "x"})
        raise RuntimeError("the change failed after its entry was written")
    record(actor=actor, event=AuditEvent.LOGOUT, subject=world.coordinator)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "event")) == [
        (1, AuditEvent.LOGIN), (2, AuditEvent.LOGOUT)
    ]
    assert "intact: 2 entries" in verify()


@pytest.mark.parametrize(
    ("given", "stored"),
    [("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
     ("192.0.2.1", "192.0.2.1"), ("not an address", None), ("", None)],
)
def test_addresses_are_stored_as_the_database_returns_them_so_the_hash_holds(world, given, stored):
    record(actor=Actor(user=world.coordinator, ip=given), event=AuditEvent.LOGIN, subject=world.coordinator)
    assert AuditEntry.objects.get().ip == stored
    assert "intact: 1 entries" in verify()


def test_an_entry_about_a_contact_point_belongs_to_its_organisations_region(world):
    entry = record_view(actor=Actor(user=world.coordinator), subject=world.contact_point)
    assert entry.region_id == world.region.pk


# --- Account events -------------------------------------------------------------------------------


def login_client(client, ip=IP):
    client.defaults["REMOTE_ADDR"] = ip
    return client


def entries(event: AuditEvent) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("seq"))


def test_login_and_logout_are_recorded_with_the_address(world, client):
    client = login_client(client)
    response = client.post(reverse("accounts:login"), {"username": "coord", "password": PASSWORD})
    assert response.status_code == 302
    (login,) = entries(AuditEvent.LOGIN)
    assert (login.actor_id, login.ip, login.region_id) == (world.coordinator.pk, IP, world.region.pk)

    client.post(reverse("accounts:logout"))
    (logout,) = entries(AuditEvent.LOGOUT)
    assert (logout.actor_id, logout.ip) == (world.coordinator.pk, IP)
    assert logout.subject_id == str(world.coordinator.pk)
    assert "intact: 2 entries" in verify()


def test_failed_login_is_recorded_with_the_address_and_the_name_tried(world, client):
    client = login_client(client)
    client.post(reverse("accounts:login"), {"username": "Coord", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "nobody-here", "password": "wrong"})
    known, unknown = entries(AuditEvent.LOGIN_FAILED)
    assert (known.actor_id, known.actor_label, known.ip) == (None, "Coord", IP)
    assert (known.subject_id, known.region_id) == (str(world.coordinator.pk), world.region.pk)
    assert (unknown.actor_label, unknown.ip) == (unknown_login_label("nobody-here"), IP)  # never in clear
    assert (unknown.subject_id, unknown.region_id) == ("", None)
    assert not entries(AuditEvent.LOGIN)


def test_lockout_is_recorded_with_the_address(world, client):
    client = login_client(client)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "coord", "password": "wrong"})
    (locked,) = entries(AuditEvent.LOCKED_OUT)
    assert locked.ip == IP
    assert (locked.subject_id, locked.region_id) == (str(world.coordinator.pk), world.region.pk)
    assert len(entries(AuditEvent.LOGIN_FAILED)) == settings.AXES_FAILURE_LIMIT
    assert "intact" in verify()
