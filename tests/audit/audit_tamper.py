"""What an attacker with write access to the database does to the audit trail, for the tests.

On PostgreSQL the audit tables refuse UPDATE and DELETE through triggers; an attacker who holds the
table owner's rights (the application's own database login) switches them off first, and so do these
helpers. On SQLite there is nothing to switch off."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator

from django.db import connection

from brugwerk.audit.models import GENESIS_HASH, AuditEntry, AuditHead


def table(model=AuditEntry) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _set_triggers(cursor, state: str) -> None:
    # ALTER TABLE waits for no deferred foreign-key check of this transaction: run those first.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for model in (AuditEntry, AuditHead):
        cursor.execute(f"ALTER TABLE {table(model)} {state} TRIGGER USER")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def triggers_off() -> Iterator[None]:
    """ALTER TABLE ... DISABLE TRIGGER USER on both audit tables (PostgreSQL), as the table owner can."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        _set_triggers(cursor, "DISABLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            _set_triggers(cursor, "ENABLE")


def raw_sql(sql: str, params: list, *, model=AuditEntry) -> None:
    """Run SQL on an audit table behind the model's back; `{table}` stands for its quoted name."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=table(model)), params)


def plain_sha256(entry: AuditEntry) -> str:
    """The hash as it was before the chain was keyed: what anyone reading the code can recompute."""
    return hashlib.sha256(entry.canonical().encode("utf-8")).hexdigest()


def wrong_key(entry: AuditEntry) -> str:
    return entry.compute_hash(key=b"a guess at the audit key, which is not in the database")


def real_key(entry: AuditEntry) -> str:
    """Only an attacker who also stole the audit key can do this."""
    return entry.compute_hash()


def rewrite_chain_without(event: str, *, hash_of: Callable[[AuditEntry], str]) -> int:
    """The attack of issue 8, finding 5: delete every entry of one kind, then renumber the rest and
    recompute each `prev_hash` and `hash` and the head row, so the chain is linked end to end again.
    Returns the number of entries left."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table()} WHERE event = %s", [event])
        prev = GENESIS_HASH
        # Ascending, each entry moves to a number that is free by then, so `seq` stays unique.
        remaining = list(AuditEntry.objects.order_by("seq"))
        for seq, entry in enumerate(remaining, start=1):
            entry.seq, entry.prev_hash = seq, prev
            entry.hash = prev = hash_of(entry)
            cursor.execute(
                f"UPDATE {table()} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.seq, entry.prev_hash, entry.hash, entry.pk],
            )
        cursor.execute(f"UPDATE {table(AuditHead)} SET seq = %s, hash = %s", [len(remaining), prev])
    return len(remaining)
