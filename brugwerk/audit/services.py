"""Writing the audit trail. Services call `record` in the same transaction as the change they make;
views call `record_view` when they show a page with personal data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from brugwerk.audit.models import GENESIS_HASH, AuditEntry, AuditEvent, AuditHead


@dataclass(frozen=True)
class Actor:
    """Who does something, and from where."""

    user: Any
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request))

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else ""


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
    from brugwerk.access.rules import RULES

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


def verify_chain() -> tuple[bool, int, str]:
    """Walk the chain in order. Returns (ok, entries checked, description of the first break)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return False, count, f"entry #{expected_seq} is missing (found #{entry.seq})"
        if entry.prev_hash != expected_prev:
            return False, count, f"entry #{entry.seq} does not follow the entry before it"
        if entry.compute_hash() != entry.hash:
            return False, count, f"entry #{entry.seq} was altered"
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    # The head remembers how long the chain was, so removing the last entries (or all of them) shows.
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return False, count, "the last entries were removed"
    return True, count, ""
