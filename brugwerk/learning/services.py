"""Writes of Learning. Each asks the access policy, validates the whole record, writes and records
the audit entry in one transaction.

Learning sessions have their own service: what a session holds depends on its kind (an intervision
has an anonymised case question, a coaching a private note), and the private note stays out of the
audit trail, as a private contact note does. Library items and social-map entries are plain directory
records and go through the directory helper of `brugwerk.regions.services`; the themes are kept by
`brugwerk.vocabularies.services`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, may
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, diff, record, snapshot
from brugwerk.learning.models import LearningKind, LearningSession, LearningTheme, LibraryItem, SocialMapEntry
from brugwerk.regions.models import Region, School
from brugwerk.regions.services import directory_create, directory_update

# What a session of each kind holds; the other fields stay empty.
COMMON_FIELDS = frozenset({"date", "duration_minutes", "facilitator", "facilitator_name", "participants", "themes"})
FIELDS_OF_KIND: dict[str, frozenset[str]] = {
    LearningKind.INTERVISION: COMMON_FIELDS | {"title", "case_question", "learned", "life_domain"},
    LearningKind.COACHING: COMMON_FIELDS | {"title", "private_note"},
    LearningKind.LEARNING_NETWORK: COMMON_FIELDS | {"title", "others_present", "learned", "life_domain"},
}
SESSION_FIELDS = frozenset().union(*FIELDS_OF_KIND.values())
M2M_FIELDS = frozenset({"participants", "themes"})
PRIVATE_FIELDS = ("private_note",)
MIN_INTERVISION_PARTICIPANTS = 2


# --- Learning sessions ----------------------------------------------------------------------------


def _pool_ids(region_id: int, people: Iterable[Any], roles: Iterable[str]) -> set[int]:
    """The ids among `people` of active users holding one of `roles` in the region today."""
    return set(
        Membership.objects.filter(
            region_id=region_id,
            role__in=list(roles),
            revoked_at__isnull=True,
            user__in=[p.pk for p in people],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def schools_named_in(text: str, region_id: int) -> list[str]:
    """The names of the region's schools that appear in `text` (an anonymised case question must
    not tell which school it is about)."""
    lowered = text.casefold()
    if not lowered.strip():
        return []
    names = School.objects.filter(region_id=region_id).values_list("name", flat=True)
    return sorted(name for name in names if name.casefold() in lowered)


def _check_session(
    actor: Actor,
    session: LearningSession,
    participants: list[Any],
    themes: list[LearningTheme],
    *,
    note_changed: bool,
    people_changed: bool,
    had_note: bool,
) -> dict[str, Any]:
    """Every rule a session of its kind must follow, as errors per field."""
    errors: dict[str, Any] = {}
    kind, region_id = session.kind, session.region_id
    allowed = FIELDS_OF_KIND.get(kind)
    if allowed is None:
        return {"kind": _("Choose intervision, coaching or a learning-network meeting.")}
    for name in SESSION_FIELDS - allowed - M2M_FIELDS:
        if getattr(session, name if name not in {"facilitator", "life_domain"} else f"{name}_id"):
            errors[name] = _("A %(kind)s does not hold this.") % {"kind": session.get_kind_display()}
    if session.date and session.date > timezone.localdate():
        errors["date"] = _("Record a session once it has taken place.")
    if not participants:
        errors["participants"] = _("Choose who took part.")
    else:
        pool = _pool_ids(region_id, participants, [Role.BRUGFIGUUR])
        outside = [str(p) for p in participants if p.pk not in pool]
        if outside:
            errors["participants"] = _("Only bridge figures of this region's pool can take part, not: %(names)s.") % {
                "names": ", ".join(outside)
            }
    if session.facilitator_id and session.facilitator_name.strip():
        errors["facilitator_name"] = _("Choose the facilitator from the list or give a name from outside, not both.")
    if session.facilitator_id and not _pool_ids(region_id, [session.facilitator], [Role.BRUGFIGUUR, Role.COORDINATOR]):
        errors["facilitator"] = _("Choose a bridge figure or the coordinator of this region.")
    if (domain := session.life_domain) is not None and domain.region_id != region_id:
        errors["life_domain"] = _("Choose a life domain of this region.")
    if any(theme.region_id != region_id for theme in themes):
        errors["themes"] = _("Choose only themes of this region.")
    if kind == LearningKind.INTERVISION:
        if "participants" not in errors and len(participants) < MIN_INTERVISION_PARTICIPANTS:
            errors["participants"] = _("An intervision needs at least two participants from the pool.")
        if not session.case_question.strip():
            errors["case_question"] = _("Describe the case question, anonymised.")
        elif named := schools_named_in(session.case_question, region_id):
            errors["case_question"] = _(
                "Leave out the name of the school (%(names)s): nobody may recognise who the case is about."
            ) % {"names": ", ".join(named)}
    elif kind == LearningKind.COACHING:
        if "participants" not in errors and len(participants) != 1:
            errors["participants"] = _("An individual coaching is with one bridge figure.")
        if not session.facilitator_id and not session.facilitator_name.strip():
            errors["facilitator"] = _("Who coached? Choose them from the list or give their name.")
        elif session.facilitator_id and any(p.pk == session.facilitator_id for p in participants):
            errors["facilitator"] = _("The coach and the coached bridge figure are two people.")
        people = [p.pk for p in participants]
        reads_note = may(actor.user, "learning.read_coaching_note", obj=session, people=people)
        if note_changed and session.private_note and not reads_note:
            errors["private_note"] = _("Only the coached bridge figure and the coach can write the private note.")
        if had_note and session.private_note and people_changed:
            errors["participants"] = _(
                "This coaching has a private note, so who took part cannot change. Empty the note first."
            )
    elif kind == LearningKind.LEARNING_NETWORK and not session.title.strip():
        errors["title"] = _("Give the name or theme of the meeting.")
    return errors


def _validate(session: LearningSession, errors: dict[str, Any]) -> None:
    """The service's errors together with the model's own (lengths, validators), all at once."""
    try:
        session.full_clean(exclude=set(errors) | M2M_FIELDS, validate_unique=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _audited(session: LearningSession) -> dict[str, Any]:
    """A session's values for the audit trail: the private note stays out, only whether there is one."""
    values = {k: v for k, v in snapshot(session).items() if k not in PRIVATE_FIELDS}
    values["has_private_note"] = bool(session.private_note)
    return values


def _split(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any], list[LearningTheme]]:
    unknown = set(values) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"Not fields of a learning session: {sorted(unknown)}")
    plain = {k: v for k, v in values.items() if k not in M2M_FIELDS}
    for name in ("title", "facilitator_name", "others_present", "case_question", "learned", "private_note"):
        if name in plain:
            plain[name] = str(plain[name] or "").strip()
    return plain, list(values.get("participants") or []), list(values.get("themes") or [])


def session_create(*, actor: Actor, region: Region, kind: str, values: Mapping[str, Any]) -> LearningSession:
    """Record a session of `kind` in `region`; the actor is its recorder."""
    session = LearningSession(region=region, kind=kind, recorded_by=actor.user)
    if not can(actor.user, Action.CREATE, session):
        raise PermissionDenied
    plain, participants, themes = _split(values)
    for name, value in plain.items():
        setattr(session, name, value)
    errors = _check_session(
        actor, session, participants, themes,
        note_changed=bool(session.private_note), people_changed=False, had_note=False,
    )
    _validate(session, errors)
    with transaction.atomic():
        session.save()
        session.participants.set(participants)
        session.themes.set(themes)
        record(actor=actor, event=AuditEvent.CREATE, subject=session, changes=_audited(session))
    return session


def session_update(*, actor: Actor, session: LearningSession, values: Mapping[str, Any]) -> LearningSession:
    """Change a session. Its kind stays what it was recorded as; the private note of a coaching is
    only changed by those who may read it."""
    with transaction.atomic():
        stored = LearningSession.objects.select_for_update().select_related("region").get(pk=session.pk)
        if not can(actor.user, Action.CHANGE, stored):
            raise PermissionDenied
        before = _audited(stored)
        old_people = sorted(stored.participants.values_list("pk", flat=True))
        old_facilitator, old_note = stored.facilitator_id, stored.private_note
        plain, participants, themes = _split(values)
        if "participants" not in values:
            participants = list(stored.participants.all())
        if "themes" not in values:
            themes = list(stored.themes.all())
        for name, value in plain.items():
            setattr(stored, name, value)
        people_changed = sorted(p.pk for p in participants) != old_people or stored.facilitator_id != old_facilitator
        errors = _check_session(
            actor, stored, participants, themes,
            note_changed=stored.private_note != old_note, people_changed=people_changed, had_note=bool(old_note),
        )
        _validate(stored, errors)
        stored.save()
        stored.participants.set(participants)
        stored.themes.set(themes)
        changes = diff(before, _audited(stored))
        if stored.private_note != old_note:
            changes["private_note"] = {"changed": True}
        if changes:
            record(actor=actor, event=AuditEvent.UPDATE, subject=stored, changes=changes)
    return stored


# --- Library and social map -----------------------------------------------------------------------


def library_item_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> LibraryItem:
    return directory_create(actor=actor, instance=LibraryItem(region=region, author=actor.user), values=values)


def library_item_update(*, actor: Actor, item: LibraryItem, values: Mapping[str, Any]) -> LibraryItem:
    return directory_update(actor=actor, instance=item, values=values)


REACH_FIELDS = ("address", "phone", "email", "website")


def _check_entry(entry: SocialMapEntry) -> None:
    if not any(str(getattr(entry, name) or "").strip() for name in REACH_FIELDS):
        message = _("Give at least one way to reach the service: an address, a phone number, an e-mail or a website.")
        raise ValidationError({"phone": message})


def social_map_entry_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> SocialMapEntry:
    return directory_create(
        actor=actor, instance=SocialMapEntry(region=region, added_by=actor.user), values=values, check=_check_entry
    )


def social_map_entry_update(*, actor: Actor, entry: SocialMapEntry, values: Mapping[str, Any]) -> SocialMapEntry:
    return directory_update(actor=actor, instance=entry, values=values, check=_check_entry)
