"""Every write of school-team expertise: the activities with school teams (the region's topics are kept
by `brugwerk.vocabularies.services`).

Each service takes the actor first (keyword-only), asks the access policy, validates the whole
record (all errors at once, in Dutch on the form) and writes it together with its audit entry in
one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, may
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, diff, record, snapshot
from brugwerk.expertise.models import ExpertiseTopic, ParticipantFunction, SchoolTeamActivity
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region

ACTIVITY_FIELDS = frozenset(
    {
        "school", "kind", "topics", "date", "duration_minutes", "lead", "co_facilitators", "participant_count",
        "participant_functions", "description", "life_domains",
    }
)
M2M_FIELDS = ("topics", "co_facilitators", "life_domains")
# How far ahead an activity may be recorded: a training planned for tomorrow can be put in today.
DAYS_AHEAD = 31


def _require(actor: Actor, action: Action, obj: Any, *, region: Any = None) -> None:
    if not can(actor.user, action, obj, region=region):
        raise PermissionDenied


def _unknown(values: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _full_clean(instance: Any, errors: dict[str, Any]) -> None:
    """The model's own validation together with the service's errors, all at once."""
    try:
        instance.full_clean(exclude=set(errors), validate_unique=False, validate_constraints=not errors)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _audit_values(activity: SchoolTeamActivity) -> dict[str, Any]:
    return snapshot(activity)


# --- Activities ----------------------------------------------------------------------------------


def _pool_user_ids(region_id: int) -> set[int]:
    return set(PoolMember.objects.filter(region_id=region_id, active=True).values_list("user_id", flat=True))


def _check_activity(
    actor: Actor,
    activity: SchoolTeamActivity,
    m2m: Mapping[str, list[Any]],
    *,
    topics_before: set[int],
    people_before: set[int],
) -> dict[str, Any]:
    """What makes an activity sound, beyond the model's own checks: everything it points to is of
    its region (and in use, for what was newly chosen), the people who led it are of the pool (or
    were named before: someone who left the pool stays on their activities), and a brugfiguur who is
    not the coordinator keeps themselves among them."""
    errors: dict[str, Any] = {}
    region_id = activity.region_id
    if activity.school_id is not None and activity.school.region_id != region_id:
        errors["school"] = _("Choose a school of this region.")
    topics = m2m["topics"]
    if not topics:
        errors["topics"] = _("Choose at least one topic.")
    else:
        choosable = ExpertiseTopic.objects.filter(region_id=region_id).filter(
            Q(active=True) | Q(pk__in=topics_before)
        )
        if set(choosable.filter(pk__in=[t.pk for t in topics]).values_list("pk", flat=True)) != {t.pk for t in topics}:
            errors["topics"] = _("Choose topics of this region that are in use.")
    if any(d.region_id != region_id for d in m2m["life_domains"]):
        errors["life_domains"] = _("Choose life domains of this region.")
    pool = _pool_user_ids(region_id) | people_before
    if activity.lead_id is not None and activity.lead_id not in pool:
        errors["lead"] = _("Choose a bridge figure of the pool of this region.")
    others = m2m["co_facilitators"]
    if any(user.pk not in pool for user in others):
        errors["co_facilitators"] = _("Choose bridge figures of the pool of this region.")
    elif any(user.pk == activity.lead_id for user in others):
        errors["co_facilitators"] = _("The lead is already named; choose only the others here.")
    facilitators = {activity.lead_id, *(user.pk for user in others)}
    actor_id = getattr(actor.user, "pk", None)
    for_others = may(actor.user, "expertise.record_for_others", region=region_id)
    if not for_others and actor_id not in facilitators and "lead" not in errors:
        errors["lead"] = _(
            "You record the activities you led or helped to lead: name yourself as the lead or among "
            "the others. The coordinator records the others."
        )
    functions = activity.participant_functions
    if not isinstance(functions, list) or any(f not in ParticipantFunction.values for f in functions):
        errors["participant_functions"] = _("Choose functions from the list.")
    if activity.date is not None and (activity.date - timezone.localdate()).days > DAYS_AHEAD:
        errors["date"] = _("An activity can be recorded at most a month ahead.")
    return errors


def _set_values(activity: SchoolTeamActivity, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    m2m: dict[str, list[Any]] = {}
    for name, value in values.items():
        if name in M2M_FIELDS:
            m2m[name] = list(value or [])
        elif name == "participant_functions":
            activity.participant_functions = sorted(set(value or []), key=_function_order)
        elif isinstance(value, str):
            setattr(activity, name, value.strip())
        else:
            setattr(activity, name, value)
    return m2m


def _function_order(value: str) -> int:
    values = list(ParticipantFunction.values)
    return values.index(value) if value in values else len(values)


def _save_m2m(activity: SchoolTeamActivity, m2m: Mapping[str, list[Any]]) -> None:
    for name, objs in m2m.items():
        getattr(activity, name).set(objs)


def activity_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> SchoolTeamActivity:
    """Record an activity with a school team of `region`."""
    _unknown(values, ACTIVITY_FIELDS)
    activity = SchoolTeamActivity(region=region, created_by=actor.user)
    m2m = {"topics": [], "co_facilitators": [], "life_domains": []} | _set_values(activity, values)
    _require(actor, Action.CREATE, activity)
    errors = _check_activity(actor, activity, m2m, topics_before=set(), people_before=set())
    _full_clean(activity, errors)
    with transaction.atomic():
        activity.save()
        _save_m2m(activity, m2m)
        record(actor=actor, event=AuditEvent.CREATE, subject=activity, changes=_audit_values(activity))
    return activity


def activity_update(
    *, actor: Actor, activity: SchoolTeamActivity, values: Mapping[str, Any]
) -> SchoolTeamActivity:
    """Change what was recorded (not the evaluation: `activity_evaluate`)."""
    _unknown(values, ACTIVITY_FIELDS)
    with transaction.atomic():
        activity = SchoolTeamActivity.objects.select_for_update().get(pk=activity.pk)
        _require(actor, Action.CHANGE, activity)
        before = _audit_values(activity)
        activity_before_lead = activity.lead_id
        current = {name: list(getattr(activity, name).all()) for name in M2M_FIELDS}
        m2m = current | _set_values(activity, values)
        topics_before = {t.pk for t in current["topics"]}
        people_before = {activity_before_lead, *(u.pk for u in current["co_facilitators"])}
        errors = _check_activity(actor, activity, m2m, topics_before=topics_before, people_before=people_before)
        _full_clean(activity, errors)
        activity.save()
        _save_m2m(activity, {name: objs for name, objs in m2m.items() if name in values})
        changes = diff(before, _audit_values(activity))
        if changes:
            record(actor=actor, event=AuditEvent.UPDATE, subject=activity, changes=changes)
    return activity


def activity_evaluate(
    *, actor: Actor, activity: SchoolTeamActivity, score: int | None, text: str
) -> SchoolTeamActivity:
    """Add or change the evaluation (a score of 1 to 5 and a short text), also long after the
    activity: the school team's feedback often comes later."""
    with transaction.atomic():
        activity = SchoolTeamActivity.objects.select_for_update().get(pk=activity.pk)
        _require(actor, Action.CHANGE, activity)
        before = snapshot(activity, ["evaluation_score", "evaluation_text", "evaluated_at"])
        activity.evaluation_score = score
        activity.evaluation_text = (text or "").strip()
        errors: dict[str, Any] = {}
        if score is None and not activity.evaluation_text:
            errors["evaluation_score"] = _("Give a score, a short text or both.")
        if activity.date is not None and activity.date > timezone.localdate():
            errors["evaluation_score"] = _("An activity can be evaluated once it has taken place.")
        _full_clean(activity, errors)
        activity.evaluated_at = timezone.now()
        activity.save(update_fields=["evaluation_score", "evaluation_text", "evaluated_at", "updated_at"])
        changes = diff(before, snapshot(activity, ["evaluation_score", "evaluation_text", "evaluated_at"]))
        record(actor=actor, event=AuditEvent.UPDATE, subject=activity, changes=changes)
    return activity


def activity_delete(*, actor: Actor, activity: SchoolTeamActivity) -> None:
    """Remove an activity recorded by mistake (the audit trail keeps what it was)."""
    with transaction.atomic():
        activity = SchoolTeamActivity.objects.select_for_update().get(pk=activity.pk)
        _require(actor, Action.DELETE, activity)
        values = _audit_values(activity)
        record(actor=actor, event=AuditEvent.DELETE, subject=activity, changes=values)
        activity.delete()
