"""Every write of signals to policy. Keyword-only, the actor first; each asks the access policy,
validates, writes and records the audit entry in one transaction.

A signal starts as "recorded" with its author as first backer; other brugfiguren back it and link
cases as evidence (only the count leaves the pool); the coordinator moves it through the pool and on
to policy; whoever answers for policy records the answer, which moves the signal along by itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.access.checks import require
from brugwerk.audit.services import (
    Actor,
    audit_create,
    audit_update,
    delete_recorded,
    locked_for,
    save_changed,
    snapshot,
)
from brugwerk.cases.models import Case
from brugwerk.core.services import check_region, full_clean, locked, raise_if, require_text, today
from brugwerk.regions.models import Region
from brugwerk.signals.models import (
    POLICY_STATUSES,
    STATUS_ORDER,
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
)

SIGNAL_FIELDS = frozenset(
    {"theme", "title", "description", "level", "school", "municipality", "zone", "low_threshold_contacts", "minutes"}
)
RESPONSE_FIELDS = frozenset({"responder", "received_on", "kind", "text"})
# The place field each level needs; the others are cleared.
PLACE_OF_LEVEL: dict[str, str] = {
    SignalLevel.SCHOOL: "school",
    SignalLevel.MUNICIPALITY: "municipality",
    SignalLevel.ZONE: "zone",
}
PLACE_FIELDS = ("school", "municipality", "zone")


def _unknown(values: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _strip(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _check_date(errors: dict[str, str], field: str, day: datetime.date | None, *, not_before: datetime.date) -> None:
    if day is None:
        errors[field] = _("This field is required.")
    elif day > today():
        errors[field] = _("This date lies in the future.")
    elif day < not_before:
        errors[field] = _("This date lies before the signal was recorded.")


def _require_not_closed(signal: Signal) -> None:
    if signal.status == SignalStatus.CLOSED:
        raise ValidationError(_("This signal is closed. Ask the coordinator to reopen it first."), code="closed")


# --- Signals ----------------------------------------------------------------------------------------


def place_missing(field: str) -> str:
    """The error when the level needs a school, municipality or zone and none was chosen."""
    return {
        "school": _("Choose the school where it must be solved."),
        "municipality": _("Choose the municipality where it must be solved."),
        "zone": _("Choose the zone where it must be solved."),
    }[field]


def _apply_signal_values(signal: Signal, values: Mapping[str, Any], *, new: bool) -> dict[str, str]:
    """Set the values, keep only the place the level needs, and collect what is wrong."""
    for name, value in _strip(values).items():
        setattr(signal, name, value)
    errors: dict[str, str] = {}
    signal.title = require_text(errors, "title", signal.title)
    signal.description = require_text(errors, "description", signal.description)
    theme = signal.theme if signal.theme_id else None
    if theme is None:
        errors["theme"] = _("This field is required.")
    else:
        check_region(errors, "theme", theme, signal.region_id)
        if new and not theme.active and "theme" not in errors:
            errors["theme"] = _("This theme is no longer in use. Choose another one.")
    needed = PLACE_OF_LEVEL.get(signal.level)
    for field in PLACE_FIELDS:
        if field != needed:
            setattr(signal, field, None)
    if needed is not None:
        place = getattr(signal, needed)
        if place is None:
            errors[needed] = place_missing(needed)
        else:
            check_region(errors, needed, place, signal.region_id)
    return errors


def signal_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> Signal:
    """A new signal by the actor, who becomes its first backer; its history starts at "recorded"."""
    _unknown(values, SIGNAL_FIELDS)
    signal = Signal(region=region, created_by=actor.user, recorded_on=today(), status=SignalStatus.RECORDED)
    require(actor, Action.CREATE, signal)
    errors = _apply_signal_values(signal, values, new=True)
    full_clean(signal, errors)
    with transaction.atomic():
        signal.save()
        audit_create(actor, signal)
        first = SignalStatusChange.objects.create(
            signal=signal, from_status="", to_status=SignalStatus.RECORDED, changed_on=signal.recorded_on,
            changed_by=actor.required_user,
        )
        audit_create(actor, first)
        # A brugfiguur stands behind what they record (a coordinator records for the pool).
        backing = SignalBacking(signal=signal, brugfiguur=actor.user, backed_on=signal.recorded_on)
        if can(actor.user, Action.CREATE, backing):
            backing.save()
            audit_create(actor, backing)
    return signal


def signal_update(*, actor: Actor, signal: Signal, values: Mapping[str, Any]) -> Signal:
    _unknown(values, SIGNAL_FIELDS)
    with transaction.atomic():
        signal = locked_for(actor, signal)
        before = snapshot(signal)
        errors = _apply_signal_values(signal, values, new=False)
        save_changed(actor, signal, before, errors)
    return signal


# --- Backing ----------------------------------------------------------------------------------------


def signal_back(*, actor: Actor, signal: Signal, note: str = "") -> SignalBacking:
    """The actor meets this bottleneck too and stands behind the signal (once)."""
    backing = SignalBacking(signal=signal, brugfiguur=actor.user, backed_on=today(), note=(note or "").strip())
    require(actor, Action.VIEW, signal)
    require(actor, Action.CREATE, backing)
    with transaction.atomic():
        signal = locked(signal)
        _require_not_closed(signal)
        if SignalBacking.objects.filter(signal=signal, brugfiguur=actor.user).exists():
            raise ValidationError(_("You already back this signal."), code="duplicate")
        backing.signal = signal
        full_clean(backing)
        backing.save()
        audit_create(actor, backing)
    return backing


def signal_backing_withdraw(*, actor: Actor, backing: SignalBacking) -> None:
    with transaction.atomic():
        backing = locked(backing)
        require(actor, Action.DELETE, backing)
        _delete(actor, backing)


def _delete(actor: Actor, obj: SignalBacking | SignalEvidence) -> None:
    delete_recorded(actor, obj, region_id=obj.signal.region_id)


# --- Evidence ---------------------------------------------------------------------------------------


def signal_evidence_add(*, actor: Actor, signal: Signal, case: Case) -> SignalEvidence:
    """Link a case the actor sees to the signal: it counts as evidence, nobody is named."""
    evidence = SignalEvidence(signal=signal, case=case, added_by=actor.user)
    require(actor, Action.VIEW, signal)
    require(actor, Action.CREATE, evidence)
    with transaction.atomic():
        signal = locked(signal)
        _require_not_closed(signal)
        if SignalEvidence.objects.filter(signal=signal, case=case).exists():
            raise ValidationError({"case": _("This case already counts as evidence for this signal.")})
        evidence.signal = signal
        evidence.save()
        audit_create(actor, evidence)
    return evidence


def signal_evidence_remove(*, actor: Actor, evidence: SignalEvidence) -> None:
    with transaction.atomic():
        evidence = locked(evidence)
        require(actor, Action.DELETE, evidence)
        _delete(actor, evidence)


# --- Status -----------------------------------------------------------------------------------------


def _move(actor: Actor, signal: Signal, to_status: str, *, changed_on: datetime.date, note: str = "",
          minutes: int | None = None) -> SignalStatusChange:
    """Write one step of the history on a locked signal and move the signal along."""
    before = snapshot(signal)
    change = SignalStatusChange(
        signal=signal, from_status=signal.status, to_status=to_status, changed_on=changed_on, note=note,
        minutes=minutes, changed_by=actor.user,
    )
    signal.status = to_status
    if to_status in POLICY_STATUSES and to_status != SignalStatus.CLOSED and signal.passed_on_on is None:
        signal.passed_on_on = changed_on
    full_clean(change)
    change.save()
    signal.save(update_fields=["status", "passed_on_on", "updated_at"])
    audit_create(actor, change)
    audit_update(actor, signal, before)
    return change


def signal_status_change(
    *,
    actor: Actor,
    signal: Signal,
    to_status: str,
    note: str = "",
    changed_on: datetime.date | None = None,
    minutes: int | None = None,
) -> SignalStatusChange:
    """The coordinator moves the signal to another status (also back, with a note saying why)."""
    require(actor, Action.VIEW, signal)
    require(actor, Action.CREATE, SignalStatusChange(signal=signal))
    note = (note or "").strip()
    changed_on = changed_on or today()
    with transaction.atomic():
        signal = locked(signal)
        errors: dict[str, str] = {}
        if to_status not in SignalStatus.values:
            errors["to_status"] = _("Choose one of the statuses.")
        elif to_status == signal.status:
            errors["to_status"] = _("The signal already has this status.")
        elif (
            STATUS_ORDER.index(to_status) < STATUS_ORDER.index(signal.status)
            and signal.status != SignalStatus.CLOSED
            and not note
        ):
            errors["note"] = _("Say why the signal goes back a step.")
        _check_date(errors, "changed_on", changed_on, not_before=signal.recorded_on)
        if minutes is not None and minutes < 0:
            errors["minutes"] = _("Give a number of minutes of zero or more.")
        raise_if(errors)
        return _move(actor, signal, to_status, changed_on=changed_on, note=note, minutes=minutes)


# --- Responses from policy --------------------------------------------------------------------------

# What a response does to the signal's status: an answer to a signal passed on makes it "answered",
# an action taken makes it "action taken" unless it is closed already.
AFTER_RESPONSE: dict[str, tuple[set[str], str]] = {
    ResponseKind.ANSWER: ({SignalStatus.PASSED_ON}, SignalStatus.ANSWERED),
    ResponseKind.ACTION_TAKEN: ({SignalStatus.PASSED_ON, SignalStatus.ANSWERED}, SignalStatus.ACTION_TAKEN),
}


def signal_response_add(*, actor: Actor, signal: Signal, values: Mapping[str, Any]) -> SignalResponse:
    """Record what policy answered or did. Only for a signal that was passed on to policy."""
    _unknown(values, RESPONSE_FIELDS)
    response = SignalResponse(signal=signal, recorded_by=actor.user, **_strip(values))
    require(actor, Action.VIEW, signal)
    require(actor, Action.CREATE, response)
    with transaction.atomic():
        signal = locked(signal)
        response.signal = signal
        if not signal.seen_by_policy:
            raise ValidationError(_("This signal has not been passed on to policy yet."), code="not_passed_on")
        errors: dict[str, str] = {}
        response.responder = require_text(errors, "responder", response.responder)
        response.text = require_text(errors, "text", response.text)
        _check_date(errors, "received_on", response.received_on, not_before=signal.recorded_on)
        full_clean(response, errors)
        response.save()
        audit_create(actor, response)
        after = AFTER_RESPONSE.get(response.kind)
        if after is not None and signal.status in after[0]:
            _move(actor, signal, after[1], changed_on=response.received_on)
    return response
