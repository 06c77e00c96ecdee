"""Every write to group offerings. Each service takes keyword arguments only, with the `actor` first;
asks the access policy (PermissionDenied when it says no); validates (ValidationError with
translatable messages, per field where there is one); writes; and records the audit entry in the
same transaction.

Attendance is taken in one go for a session (`attendance_record`): the linked participants' statuses
and the anonymous counts per category, as a phone page sends them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, scope
from brugwerk.access.checks import require
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import (
    Actor,
    audit_create,
    audit_update,
    locked_for,
    record,
    save_changed,
    save_created,
    snapshot,
)
from brugwerk.cases.models import Case
from brugwerk.core.services import check_region, check_regions, full_clean, raise_if, text
from brugwerk.groups.models import (
    MAX_COUNT,
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    Grade,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
)
from brugwerk.regions.models import Region

# The fields of an offering a form may give, and its lists.
OFFERING_FIELDS = ("kind", "title", "description", "target_group", "school", "place", "languages", "interpreter")
OFFERING_LISTS = ("life_domains", "partners", "organisers")
SESSION_FIELDS = ("date", "start_time", "duration_minutes", "place", "topic", "notes")
# Sessions are planned at most this far ahead (a typo in the year is the likelier explanation).
PLANNING_HORIZON = datetime.timedelta(days=2 * 366)


# --- Offerings --------------------------------------------------------------------------------------


def _check_offering(errors: dict[str, Any], offering: GroupOffering, lists: Mapping[str, list[Any]]) -> None:
    region_id = offering.region_id
    check_region(errors, "school", offering.school, region_id)
    if offering.school is None and not offering.place:
        errors["place"] = _("Choose a school or give the place where it takes place.")
    domains = lists["life_domains"]
    check_regions(errors, "life_domains", domains, region_id)
    if "life_domains" not in errors and any(not domain.active for domain in domains):
        errors["life_domains"] = _("Choose life domains that are in use.")
    check_regions(errors, "partners", lists["partners"], region_id)
    organisers = lists["organisers"]
    if not organisers:
        errors["organisers"] = _("Choose at least one organiser.")
    else:
        ids = {user.pk for user in organisers}
        brugfiguren = set(
            Membership.objects.filter(
                user_id__in=ids, user__is_active=True, region_id=region_id, role=Role.BRUGFIGUUR,
                revoked_at__isnull=True,
            ).values_list("user_id", flat=True)
        )
        if ids - brugfiguren:
            errors["organisers"] = _("Choose bridge figures of this region as organisers.")


def _lists(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {name: list(dict.fromkeys(values.get(name) or ())) for name in OFFERING_LISTS}


TEXT_FIELDS = {"kind", "title", "description", "target_group", "place", "languages"}


def _fill_offering(offering: GroupOffering, values: Mapping[str, Any]) -> None:
    for name in OFFERING_FIELDS:
        if name in values:
            value = values[name]
            setattr(offering, name, text(value) if name in TEXT_FIELDS else value)
    offering.interpreter = bool(offering.interpreter)


def _set_lists(offering: GroupOffering, lists: Mapping[str, list[Any]]) -> None:
    for name, items in lists.items():
        getattr(offering, name).set(items)


def offering_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> GroupOffering:
    """A new series in `region`. The organisers are brugfiguren of the region (the actor when a
    brugfiguur gives none)."""
    offering = GroupOffering(region=region, created_by=actor.user)
    _fill_offering(offering, values)
    require(actor, Action.CREATE, offering)
    lists = _lists(values)
    if not lists["organisers"] and actor.user is not None and actor.user.pk:
        lists["organisers"] = [actor.user]
    errors: dict[str, Any] = {}
    _check_offering(errors, offering, lists)
    full_clean(offering, errors)
    with transaction.atomic():
        offering.save()
        _set_lists(offering, lists)
        audit_create(actor, offering)
    return offering


def offering_update(*, actor: Actor, offering: GroupOffering, values: Mapping[str, Any]) -> GroupOffering:
    with transaction.atomic():
        offering = locked_for(actor, offering)
        before = snapshot(offering)
        _fill_offering(offering, values)
        lists = {name: list(getattr(offering, name).all()) for name in OFFERING_LISTS}
        lists.update({name: items for name, items in _lists(values).items() if name in values})
        errors: dict[str, Any] = {}
        _check_offering(errors, offering, lists)
        full_clean(offering, errors)
        offering.save()
        _set_lists(offering, lists)
        audit_update(actor, offering, before)
    return offering


# --- Sessions ---------------------------------------------------------------------------------------


def _fill_session(session: GroupSession, values: Mapping[str, Any]) -> None:
    for name in SESSION_FIELDS:
        if name in values:
            value = values[name]
            setattr(session, name, text(value) if name in {"place", "topic", "notes"} else value)


def _check_session(errors: dict[str, Any], session: GroupSession) -> None:
    if isinstance(session.date, datetime.date) and session.date > timezone.localdate() + PLANNING_HORIZON:
        errors["date"] = _("Plan sessions at most two years ahead.")
    minutes = session.duration_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["duration_minutes"] = _("Give the duration in whole minutes.")


def session_create(*, actor: Actor, offering: GroupOffering, values: Mapping[str, Any]) -> GroupSession:
    require(actor, Action.VIEW, offering)
    session = GroupSession(offering=offering)
    require(actor, Action.CREATE, session)
    _fill_session(session, values)
    errors: dict[str, Any] = {}
    _check_session(errors, session)
    save_created(actor, session, errors)
    return session


def session_update(*, actor: Actor, session: GroupSession, values: Mapping[str, Any]) -> GroupSession:
    with transaction.atomic():
        session = locked_for(actor, session)
        before = snapshot(session)
        _fill_session(session, values)
        errors: dict[str, Any] = {}
        _check_session(errors, session)
        if session.attendance_taken_at is not None and session.date > timezone.localdate():
            errors["date"] = _("Attendance was taken already: the session cannot move to the future.")
        save_changed(actor, session, before, errors)
    return session


# --- Participants linked to a case --------------------------------------------------------------------


def participants_add(*, actor: Actor, offering: GroupOffering, cases: Iterable[Case]) -> list[GroupParticipant]:
    """Link cases the actor sees to the series (a case already in it is left as it is)."""
    require(actor, Action.VIEW, offering)
    cases = list(dict.fromkeys(cases))
    if not cases:
        raise ValidationError({"cases": _("Choose at least one young person.")})
    already = set(GroupParticipant.objects.filter(offering=offering).values_list("case_id", flat=True))
    added = []
    with transaction.atomic():
        for case in cases:
            require(actor, Action.VIEW, case)  # a case one may not see is as if it did not exist
            if case.region_id != offering.region_id:
                raise ValidationError({"cases": _("Choose cases of this region.")})
            if case.pk in already:
                continue
            participant = GroupParticipant(offering=offering, case=case, added_by=actor.user)
            require(actor, Action.CREATE, participant)
            participant.save()
            audit_create(actor, participant)
            added.append(participant)
    return added


def participant_remove(*, actor: Actor, participant: GroupParticipant) -> None:
    """Take a linked participant out of the series, with their attendance (recorded in the trail)."""
    with transaction.atomic():
        participant = locked_for(actor, participant, Action.DELETE)
        before = snapshot(participant)
        before["attendance"] = dict(
            participant.attendances.order_by("session_id").values_list("session_id", "status")
        )
        label, pk, region_id = str(participant), participant.pk, participant.offering.region_id
        participant.delete()
        record(
            actor=actor, event=AuditEvent.DELETE, subject_type=GroupParticipant._meta.label_lower,
            subject_id=str(pk), subject_label=label, region_id=region_id, changes=before,
        )


# --- Attendance ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    """How many people of one category came (anonymous)."""

    role: str
    gender: str = Gender.UNKNOWN
    age_group: str = AgeGroup.UNKNOWN
    grade: int = Grade.UNKNOWN
    count: int = 0

    @property
    def category(self) -> tuple[str, str, str, int]:
        return (self.role, self.gender, self.age_group, self.grade)


def _merged_counts(counts: Iterable[CategoryCount], errors: dict[str, Any]) -> dict[tuple[str, str, str, int], int]:
    merged: dict[tuple[str, str, str, int], int] = {}
    for item in counts:
        if (
            item.role not in AttendeeRole.values
            or item.gender not in Gender.values
            or item.age_group not in AgeGroup.values
            or item.grade not in Grade.values
        ):
            errors["counts"] = _("Choose each category from the lists.")
            continue
        if isinstance(item.count, bool) or not isinstance(item.count, int) or item.count < 0:
            errors["counts"] = _("Give each number as a whole number, 0 or more.")
            continue
        merged[item.category] = merged.get(item.category, 0) + item.count
    if any(count > MAX_COUNT for count in merged.values()):
        errors["counts"] = _("At most %(max)s people per category.") % {"max": MAX_COUNT}
    return {category: count for category, count in merged.items() if count}


def _check_session_took_place(errors: dict[str, Any], session: GroupSession, field: str) -> None:
    if session.date > timezone.localdate():
        errors[field] = _("This session has not taken place yet.")


def attendance_record(
    *,
    actor: Actor,
    session: GroupSession,
    statuses: Mapping[int, str],
    counts: Iterable[CategoryCount],
) -> GroupSession:
    """Save the attendance of one session: `statuses` maps linked participants (their pk) to present,
    absent or excused ("" for not recorded); `counts` replaces the session's anonymous counts."""
    with transaction.atomic():
        session = locked_for(actor, session)
        errors: dict[str, Any] = {}
        _check_session_took_place(errors, session, "__all__")
        merged = _merged_counts(counts, errors)
        if any(status not in {"", *AttendanceStatus.values} for status in statuses.values()):
            errors["statuses"] = _("Choose present, absent or excused.")
        raise_if(errors)

        participants = {
            p.pk: p for p in GroupParticipant.objects.filter(offering_id=session.offering_id, pk__in=list(statuses))
        }
        if set(statuses) - set(participants):
            raise PermissionDenied
        existing = {a.participant_id: a for a in GroupAttendance.objects.filter(session=session)}
        changes: dict[str, Any] = {}
        for participant_id, status in statuses.items():
            current = existing.get(participant_id)
            old = current.status if current is not None else ""
            if old == status:
                continue
            if current is None:
                attendance = GroupAttendance(session=session, participant=participants[participant_id], status=status)
                require(actor, Action.CREATE, attendance)
                attendance.save()
            elif status:
                require(actor, Action.CHANGE, current)
                current.status = status
                current.save(update_fields=["status"])
            else:
                require(actor, Action.DELETE, current)
                current.delete()
            changes[f"participant {participant_id}"] = {"old": old, "new": status}

        before_counts = sorted(
            [*row[:4], row[4]] for row in
            session.anonymous_counts.values_list("role", "gender", "age_group", "grade", "count")
        )
        after_counts = sorted([*category, count] for category, count in merged.items())
        if before_counts != after_counts:
            session.anonymous_counts.all().delete()
            AnonymousAttendance.objects.bulk_create(
                AnonymousAttendance(
                    session=session, role=role, gender=gender, age_group=age_group, grade=grade, count=count
                )
                for (role, gender, age_group, grade), count in merged.items()
            )
            changes["anonymous"] = {"old": before_counts, "new": after_counts}
        session.attendance_taken_at = timezone.now()
        session.save(update_fields=["attendance_taken_at"])
        if changes:
            record(actor=actor, event=AuditEvent.UPDATE, subject=session, changes=changes)
    return session


# --- Evaluation ---------------------------------------------------------------------------------------


def _names_in(quotes: str, names: Iterable[str]) -> bool:
    words = {word.casefold() for word in re.findall(r"\w+", quotes)}
    return any(name.casefold() in words for name in names if len(name) >= 3)


def evaluation_record(
    *,
    actor: Actor,
    session: GroupSession,
    forms: int | None,
    score: Decimal | float | str | None,
    quotes: str = "",
) -> GroupSession:
    """The participants' evaluation of a session: how many forms came back, their average score (1
    to 5) and quotes, one per line, without names."""
    with transaction.atomic():
        session = locked_for(actor, session)
        before = snapshot(session)
        errors: dict[str, Any] = {}
        _check_session_took_place(errors, session, "__all__")
        if score in ("", None):
            score = None
        else:
            try:
                score = Decimal(str(score)).quantize(Decimal("0.1"))
            except InvalidOperation:
                errors["evaluation_score"] = _("Give the average score as a number from 1 to 5.")
                score = None
        if score is not None and not forms:
            errors["evaluation_forms"] = _("An average score needs the number of forms it comes from.")
        present = _present_total(session)
        if forms and session.attendance_taken_at is not None and forms > present:
            errors["evaluation_forms"] = _(
                "More forms than people present (%(present)s): check the number or the attendance."
            ) % {"present": present}
        quotes = "\n".join(line.strip() for line in (quotes or "").splitlines() if line.strip())
        visible = scope(actor.user, GroupParticipant).filter(offering_id=session.offering_id)
        names = [
            name
            for pair in visible.values_list("case__young_person__first_name", "case__young_person__last_name")
            for name in pair
        ]
        if _names_in(quotes, names):
            errors["evaluation_quotes"] = _("A quote names a participant: leave names out.")
        session.evaluation_forms, session.evaluation_score, session.evaluation_quotes = forms, score, quotes
        full_clean(session, errors)
        session.save(update_fields=["evaluation_forms", "evaluation_score", "evaluation_quotes"])
        audit_update(actor, session, before)
    return session


def _present_total(session: GroupSession) -> int:
    """Everyone counted present at the session: linked participants and anonymous counts."""
    linked = session.attendances.filter(status=AttendanceStatus.PRESENT).count()
    anonymous = session.anonymous_counts.aggregate(total=Sum("count"))["total"] or 0
    return linked + anonymous
