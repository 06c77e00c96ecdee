"""Re-seal the audit chain with the keyed hash.

Until now each entry's hash was a plain SHA-256 of its content, which anyone who can write the table can
recompute. From now on it is an HMAC-SHA256 under the audit key (settings.BRUGWERK_AUDIT_KEY), which is not
in the database. This migration first verifies the chain as it stands with the old, unkeyed scheme and
refuses to go on when it does not verify; then it recomputes every entry's prev_hash and hash with the key,
and the head row's hash, in one transaction. Row counts and every other column stay as they are.

The re-seal trusts the chain at this moment: a rewrite done before it, that still verified under the old
scheme, cannot be told apart afterwards. Compare with a backup taken before the upgrade if in doubt.
"""

import hashlib
import json

from django.db import migrations

GENESIS_HASH = "0" * 64
BATCH = 2000


def canonical(entry) -> str:
    """The text the hash is taken over, as `AuditEntry.canonical` had it at this migration."""
    return json.dumps(
        [
            entry.seq,
            entry.at.isoformat(timespec="microseconds"),
            entry.actor_id,
            entry.actor_label,
            entry.region_id,
            entry.event,
            entry.subject_type,
            entry.subject_id,
            entry.subject_label,
            entry.ip,
            entry.changes,
            entry.prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def unkeyed_hash(entry) -> str:
    return hashlib.sha256(canonical(entry).encode("utf-8")).hexdigest()


def batches(AuditEntry):
    """Every entry in order, a batch at a time, without holding a cursor open across the writes."""
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].seq


def verify(AuditEntry, AuditHead, hash_of) -> int:
    """The old `verify_chain` with the given hash: the number of entries, or an error naming the first break."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    for batch in batches(AuditEntry):
        for entry in batch:
            if entry.seq != expected_seq:
                problem = f"entry #{expected_seq} is missing (found #{entry.seq})"
            elif entry.prev_hash != expected_prev:
                problem = f"entry #{entry.seq} does not follow the entry before it"
            elif hash_of(entry) != entry.hash:
                problem = f"entry #{entry.seq} was altered"
            else:
                expected_prev = entry.hash
                expected_seq += 1
                continue
            raise RuntimeError(
                f"The audit trail does not verify ({problem}), so it is not re-sealed: that would make the break "
                "undetectable. Investigate it and restore the audit table from a backup that verifies "
                "(manage.py audit_verify on the release that wrote it) before migrating."
            )
    count = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or head.hash != expected_prev):
        raise RuntimeError(
            "The audit trail does not verify (the last entries were removed), so it is not re-sealed. "
            "Investigate it before migrating."
        )
    return count


def reseal(apps, hash_before, hash_after):
    """Verify the chain with `hash_before`, then recompute every link and hash with `hash_after`."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    if not AuditEntry.objects.exists():
        return
    count = verify(AuditEntry, AuditHead, hash_before)
    prev = GENESIS_HASH
    for batch in batches(AuditEntry):
        for entry in batch:
            entry.prev_hash = prev
            entry.hash = prev = hash_after(entry)
        AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": count, "hash": prev})


def keyed(entry) -> str:
    from brugwerk.audit.keys import keyed_hash

    return keyed_hash(canonical(entry))


def reseal_with_key(apps, schema_editor):
    reseal(apps, unkeyed_hash, keyed)


def reseal_without_key(apps, schema_editor):
    reseal(apps, keyed, unkeyed_hash)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(reseal_with_key, reseal_without_key, elidable=False),
    ]
