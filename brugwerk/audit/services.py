"""Writing the audit trail. Services call `record` in the same transaction as the change they make;
the selectors of personal data record what a page shows through `reads.record_read` (which writes
with `record_view`). `check_chain` verifies the keyed
chain and its checkpoints; `checkpoint_write` and `checkpoint_mail` anchor its head outside the database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from brugwerk.access.checks import require
from brugwerk.access.policy import Action
from brugwerk.audit import context
from brugwerk.audit.checkpoints import Checkpoint, append_checkpoint, read_checkpoints
from brugwerk.audit.keys import audit_key
from brugwerk.audit.models import GENESIS_HASH, AuditEntry, AuditEvent, AuditHead
from brugwerk.core.services import full_clean, locked

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """Who does something, and from where."""

    user: User | None
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request))

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else ""

    @property
    def required_user(self) -> User:
        """The signed-in user acting, for what only a user can do (their own filter, feed or signal);
        PermissionDenied for an actor without one (the policy denies such an actor everything)."""
        if self.user is None:
            raise PermissionDenied
        return self.user


def client_ip(request: HttpRequest) -> str | None:
    # Axes (through django-ipware) already resolves the client address behind the configured
    # number of proxies; reuse it so both logs agree.
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def _clean_ip(ip: str | None) -> str | None:
    """The address exactly as the database will give it back (IPv6 in its short form), so the hash
    taken now recomputes identically; anything that is not an address is not stored."""
    if not ip:
        return None
    try:
        validate_ipv46_address(ip)
    except ValidationError:
        return None
    return clean_ipv6_address(ip) if ":" in ip else ip


def _normalise(changes: dict[str, Any] | None) -> dict[str, Any]:
    """Store exactly what reading it back will give, so the hash recomputes identically."""
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def _region_id(subject: models.Model | None) -> int | None:
    """The region a record belongs to, found the way the access policy finds it (a contact point
    belongs to its organisation's region), so the region's coordinator sees the entry."""
    if subject is None:
        return None
    from brugwerk.access.registry import RULES

    rule = RULES.get(subject._meta.concrete_model or type(subject))
    if rule is not None:
        return rule.region_id_of(subject)
    return getattr(subject, "region_id", None)


def record(
    *,
    actor: Actor,
    event: AuditEvent,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    subject_label: str = "",
    region_id: int | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain."""
    if subject is not None:
        subject_type = subject_type or subject._meta.label_lower
        subject_id = subject_id or str(subject.pk)
        subject_label = subject_label or str(subject)
        region_id = region_id if region_id is not None else _region_id(subject)
    with transaction.atomic():
        # The UPDATE takes the lock (row lock on PostgreSQL, write lock on SQLite) before the head
        # is read, so two writers can never chain onto the same previous entry.
        if not AuditHead.objects.filter(pk=1).update(seq=F("seq") + 1):
            AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
            AuditHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        head = AuditHead.objects.select_for_update().get(pk=1)
        entry = AuditEntry(
            seq=head.seq,
            at=timezone.now(),
            actor=actor.user,
            actor_label=(actor_label if actor_label is not None else actor.label)[:160],
            region_id=region_id,
            event=event,
            subject_type=subject_type,
            subject_id=str(subject_id)[:40],
            subject_label=str(subject_label)[:200],
            ip=_clean_ip(actor.ip),
            changes=_normalise(changes),
            prev_hash=head.hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        AuditHead.objects.filter(pk=1).update(hash=entry.hash)
        context.note_written(entry)
        every = settings.BRUGWERK_AUDIT_CHECKPOINT_EVERY
        if every > 0 and entry.seq % every == 0 and settings.BRUGWERK_AUDIT_CHECKPOINT_FILE:
            from brugwerk.audit.tasks import write_checkpoint

            # Once this entry is committed; a failing checkpoint is logged and never fails the request.
            transaction.on_commit(write_checkpoint.enqueue, robust=True)
    return entry


def record_view(*, actor: Actor, subject: models.Model, details: dict[str, Any] | None = None) -> AuditEntry:
    """A page that shows this record's personal data was shown to `actor`."""
    return record(actor=actor, event=AuditEvent.VIEW, subject=subject, changes=details)


def record_list_view(
    *, actor: Actor, model: type[models.Model], region_id: int | None, label: str, details: dict[str, Any]
) -> AuditEntry:
    """A list or search page that shows personal data of several records was shown to `actor`."""
    return record(
        actor=actor,
        event=AuditEvent.VIEW,
        subject_type=model._meta.label_lower,
        subject_label=label,
        region_id=region_id,
        changes=details,
    )


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of a record's concrete fields, for an audit diff."""
    values: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        values[f.name] = f.value_from_object(instance)
    for f in instance._meta.many_to_many:
        if (fields is None or f.name in fields) and instance.pk:
            values[f.name] = sorted(o.pk for o in f.value_from_object(instance))
    return _normalise(values)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: {"old": before.get(k), "new": v} for k, v in after.items() if before.get(k) != v}


def audit_create(
    actor: Actor, obj: models.Model, *, hide: Iterable[str] = (), extra: Mapping[str, Any] | None = None
) -> None:
    """Record the creation of `obj` with its values (without the fields in `hide`, plus `extra`)."""
    values = {k: v for k, v in snapshot(obj).items() if k not in set(hide)}
    record(actor=actor, event=AuditEvent.CREATE, subject=obj, changes=values | dict(extra or {}))


def audit_update(
    actor: Actor,
    obj: models.Model,
    before: Mapping[str, Any],
    *,
    hide: Iterable[str] = (),
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Record what changed in `obj` since `before` (its `snapshot` taken before the change); nothing
    when nothing changed."""
    changes = {k: v for k, v in diff(dict(before), snapshot(obj)).items() if k not in set(hide)}
    changes |= dict(extra or {})
    if changes:
        record(actor=actor, event=AuditEvent.UPDATE, subject=obj, changes=changes)


def locked_for[M: models.Model](actor: Actor, obj: M, action: Action = Action.CHANGE, *, view: bool = True) -> M:
    """The stored record locked for this transaction, once the policy lets `actor` see it (unless not
    `view`) and do `action` on it (call it inside `transaction.atomic()`)."""
    obj = locked(obj)
    if view:
        require(actor, Action.VIEW, obj)
    require(actor, action, obj)
    return obj


def save_created(actor: Actor, obj: models.Model, errors: Mapping[str, Any] | None = None) -> None:
    """Validate a new record (the model's rules with the service's `errors`), store it and record its
    creation, in one transaction."""
    full_clean(obj, errors)
    with transaction.atomic():
        obj.save()
        audit_create(actor, obj)


def save_changed(
    actor: Actor, obj: models.Model, before: Mapping[str, Any], errors: Mapping[str, Any] | None = None
) -> None:
    """Validate a changed record, store it and record what changed since `before` (its `snapshot`)."""
    full_clean(obj, errors)
    obj.save()
    audit_update(actor, obj, before)


def delete_audited(actor: Actor, obj: models.Model, *, region_id: int | None) -> None:
    """Delete a record the policy lets `actor` see and delete, recording its last values, in one
    transaction."""
    with transaction.atomic():
        delete_recorded(actor, locked_for(actor, obj, Action.DELETE), region_id=region_id)


def delete_recorded(actor: Actor, obj: models.Model, *, region_id: int | None) -> None:
    """Delete a record (already locked and allowed) and record its last values."""
    before = snapshot(obj)
    label, pk, subject_type = str(obj), obj.pk, obj._meta.label_lower
    obj.delete()
    record(
        actor=actor, event=AuditEvent.DELETE, subject_type=subject_type, subject_id=str(pk),
        subject_label=label, region_id=region_id, changes=before,
    )


class AuditChainBroken(Exception):
    """The chain does not verify, so no checkpoint of it may be taken."""


@dataclass
class ChainCheck:
    """What `check_chain` found: `count` entries intact up to the first break (`problem`), and whether
    the checkpoints hold (`checkpoint_problems`)."""

    count: int = 0
    last_hash: str = GENESIS_HASH
    problem: str = ""
    checkpoint_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem and not self.checkpoint_problems


def check_chain(*, checkpoints: Sequence[Checkpoint] = (), since: Checkpoint | None = None) -> ChainCheck:
    """Walk the chain in order and recompute every keyed hash; check that each checkpoint's entry still
    has the checkpointed hash and that the chain reaches the last checkpoint. With `since` (a checkpoint
    already trusted), walk only the entries after it."""
    result = ChainCheck()
    expected_prev, expected_seq = GENESIS_HASH, 1
    if since is not None and since.seq > 0:
        anchor = AuditEntry.objects.filter(seq=since.seq).values_list("hash", flat=True).first()
        if anchor != since.hash:
            result.problem = f"entry #{since.seq} no longer has the hash of {since.describe()}"
            return result
        expected_prev, expected_seq, result.count = since.hash, since.seq + 1, since.seq
        result.last_hash = since.hash
    by_seq: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
    key = audit_key()
    head = None

    # Entries written while the walk runs are walked too, until the head row agrees with the walk.
    for _attempt in range(5):
        entries = AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")
        for entry in entries.iterator(chunk_size=2000):
            if entry.seq != expected_seq:
                result.problem = f"entry #{expected_seq} is missing (found #{entry.seq})"
                return result
            if entry.prev_hash != expected_prev:
                result.problem = f"entry #{entry.seq} does not follow the entry before it"
                return result
            if entry.compute_hash(key=key) != entry.hash:
                result.problem = f"entry #{entry.seq} was altered"
                return result
            for checkpoint in by_seq.get(entry.seq, ()):
                if checkpoint.hash != entry.hash:
                    result.checkpoint_problems.append(
                        f"entry #{entry.seq} no longer has the hash of {checkpoint.describe()}"
                    )
            expected_prev = result.last_hash = entry.hash
            expected_seq += 1
            result.count += 1
        head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
        if head is None or head[0] <= result.count:
            break
    # The head remembers how long the chain was, so removing the last entries (or all of them) shows.
    if head is not None and (head[0] != result.count or head[1] != expected_prev):
        result.problem = "the last entries were removed" if head[0] > result.count else "the head row was altered"
    for checkpoint in checkpoints:
        if checkpoint.seq > result.count:
            result.checkpoint_problems.append(
                f"the chain ends at #{result.count}, before {checkpoint.describe()}: entries were removed"
            )
    return result


def verify_chain() -> tuple[bool, int, str]:
    """Walk the chain in order. Returns (ok, entries checked, description of the first break)."""
    result = check_chain()
    return result.ok, result.count, result.problem


def checkpoint_write(*, path: Path) -> Checkpoint:
    """Seal the head of the chain and append it to the checkpoint file at `path`, after checking that
    the file's checkpoints are sealed with our key and the chain verifies from the last of them on (the
    whole chain when there is none), so a rewritten chain is never blessed. Raises AuditChainBroken."""
    checkpoints, problems = read_checkpoints(path)
    if problems:
        raise AuditChainBroken("; ".join(problems))
    last = max(checkpoints, key=lambda c: c.seq, default=None)
    result = check_chain(checkpoints=[last] if last else [], since=last)
    if not result.ok:
        raise AuditChainBroken("; ".join(p for p in [result.problem, *result.checkpoint_problems] if p))
    checkpoint = Checkpoint.seal(seq=result.count, hash=result.last_hash, at=timezone.now().astimezone(UTC))
    append_checkpoint(path, checkpoint)
    return checkpoint


def checkpoint_mail(*, checkpoint: Checkpoint, to: str) -> int:
    """Mail a checkpoint to the data-protection officer, who keeps it where the server cannot reach."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Brugwerk audit checkpoint #%(seq)s") % {"seq": checkpoint.seq}
        body = _(
            "The audit trail of Brugwerk ended at entry #%(seq)s at %(at)s. Please keep this mail: the "
            "line below lets anyone holding the audit key prove later that the trail before it was not "
            "rewritten (manage.py audit_verify --checkpoint-file).\n\n%(line)s\n"
        ) % {"seq": checkpoint.seq, "at": checkpoint.at, "line": checkpoint.to_json()}
    return EmailMessage(subject=subject, body=body, to=[to]).send()
