"""Writing the case file: the young person and their family, help questions per life domain, goals
and agreed actions. Content is written by the case's guidance team, and only while the case is open.
The region's list of life domains is kept by `brugwerk.vocabularies.services`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor, audit_update, locked_for, save_changed, save_created, snapshot
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseStatus,
    FamilyMember,
    Goal,
    GoalStatus,
    HelpQuestion,
    HelpQuestionStatus,
    LifeDomain,
    YoungPerson,
)
from brugwerk.cases.services.checks import has_role_in, require_case_content_write
from brugwerk.core.services import check_region, locked, require_text, today
from brugwerk.regions.models import Region

YOUNG_PERSON_FIELDS = frozenset(
    {"first_name", "last_name", "birth_date", "school", "grade", "education_form", "languages", "phone",
     "email", "street", "municipality"}
)
FAMILY_FIELDS = frozenset({"relation", "name", "phone", "email", "languages", "needs_interpreter", "notes"})


def _unknown(values: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


def _strip(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _check_birth_date(errors: dict[str, str], birth_date: datetime.date | None) -> None:
    if birth_date is not None and birth_date > today():
        errors["birth_date"] = _("A date of birth cannot lie in the future.")


def _require_open_case(person: YoungPerson) -> None:
    """The family is part of the file of the young person's open case; with every case closed it is
    read-only like the rest."""
    if not person.cases.filter(status=CaseStatus.OPEN).exists():
        raise ValidationError(
            _("This case is closed and can no longer be changed. Reopen it first."), code="closed"
        )


# --- The young person -----------------------------------------------------------------------------


def young_person_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> YoungPerson:
    """A young person of the region. Look for `selectors.possible_duplicates` first."""
    _unknown(values, YOUNG_PERSON_FIELDS)
    person = YoungPerson(region=region, **_strip(values))
    require(actor, Action.CREATE, person)
    errors: dict[str, str] = {}
    check_region(errors, "school", person.school, region.pk)
    check_region(errors, "municipality", person.municipality, region.pk)
    _check_birth_date(errors, person.birth_date)
    save_created(actor, person, errors)
    return person


def young_person_update(*, actor: Actor, young_person: YoungPerson, values: Mapping[str, Any]) -> YoungPerson:
    _unknown(values, YOUNG_PERSON_FIELDS)
    with transaction.atomic():
        person = locked_for(actor, young_person)
        before = snapshot(person)
        for name, value in _strip(values).items():
            setattr(person, name, value)
        errors: dict[str, str] = {}
        check_region(errors, "school", person.school, person.region_id)
        check_region(errors, "municipality", person.municipality, person.region_id)
        _check_birth_date(errors, person.birth_date)
        save_changed(actor, person, before, errors)
    return person


def family_member_add(*, actor: Actor, young_person: YoungPerson, values: Mapping[str, Any]) -> FamilyMember:
    """A parent, guardian, sibling or other person of the young person's network. Written by the
    guidance team of one of the young person's open cases."""
    _unknown(values, FAMILY_FIELDS)
    member = FamilyMember(young_person=young_person, **_strip(values))
    require(actor, Action.VIEW, young_person)
    _require_open_case(young_person)
    require(actor, Action.CREATE, member)
    save_created(actor, member)
    return member


def family_member_update(*, actor: Actor, member: FamilyMember, values: Mapping[str, Any]) -> FamilyMember:
    _unknown(values, FAMILY_FIELDS)
    with transaction.atomic():
        member = locked(member)
        require(actor, Action.VIEW, member)
        _require_open_case(member.young_person)
        require(actor, Action.CHANGE, member)
        before = snapshot(member)
        for name, value in _strip(values).items():
            setattr(member, name, value)
        save_changed(actor, member, before)
    return member


# --- Help questions, goals, agreed actions -------------------------------------------------------


def _check_life_domain(errors: dict[str, str], domain: LifeDomain | None, case: Case) -> None:
    if domain is None or domain.region_id != case.region_id or not domain.active:
        errors["life_domain"] = _("Choose a life domain of this region that is in use.")


def help_question_add(
    *, actor: Actor, case: Case, life_domain: LifeDomain, description: str,
    status: str = HelpQuestionStatus.OPEN,
) -> HelpQuestion:
    question = HelpQuestion(case=case, life_domain=life_domain, status=status)
    require_case_content_write(actor, question, case)
    errors: dict[str, str] = {}
    _check_life_domain(errors, life_domain, case)
    question.description = require_text(errors, "description", description)
    save_created(actor, question, errors)
    return question


def _update_content[M: (HelpQuestion, Goal)](
    actor: Actor, obj: M, values: Mapping[str, Any], allowed: frozenset[str], check: Any = None
) -> M:
    """Change `values` of a record of a case's content, with the case open and the actor in its team."""
    _unknown(values, allowed)
    with transaction.atomic():
        obj = locked(obj)
        case = obj.case
        require_case_content_write(actor, obj, case)
        before = snapshot(obj)
        for name, value in _strip(values).items():
            setattr(obj, name, value)
        errors: dict[str, str] = {}
        if check is not None:
            check(errors, obj, case)
        save_changed(actor, obj, before, errors)
    return obj


def help_question_update(*, actor: Actor, help_question: HelpQuestion, values: Mapping[str, Any]) -> HelpQuestion:
    """Change `description`, `status` or `life_domain`."""

    def check(errors: dict[str, str], question: HelpQuestion, case: Case) -> None:
        if "life_domain" in values:
            _check_life_domain(errors, question.life_domain, case)
        if not question.description:
            errors["description"] = _("This field is required.")

    return _update_content(actor, help_question, values, frozenset({"description", "status", "life_domain"}), check)


def _check_goal_dates(errors: dict[str, str], goal: Goal, case: Case) -> None:
    if not goal.description:
        errors["description"] = _("This field is required.")
    if goal.target_date is not None and goal.start_date is not None and goal.target_date < goal.start_date:
        errors["target_date"] = _("The target date cannot lie before the start date.")


def goal_add(
    *, actor: Actor, case: Case, description: str, start_date: datetime.date | None = None,
    target_date: datetime.date | None = None, status: str = GoalStatus.PLANNED,
) -> Goal:
    goal = Goal(case=case, description=(description or "").strip(), start_date=start_date or today(),
                target_date=target_date, status=status)
    require_case_content_write(actor, goal, case)
    errors: dict[str, str] = {}
    _check_goal_dates(errors, goal, case)
    save_created(actor, goal, errors)
    return goal


def goal_update(*, actor: Actor, goal: Goal, values: Mapping[str, Any]) -> Goal:
    """Change `description`, `status`, `start_date` or `target_date`."""
    return _update_content(
        actor, goal, values, frozenset({"description", "status", "start_date", "target_date"}), _check_goal_dates
    )


def action_add(
    *, actor: Actor, case: Case, description: str, owner_label: str = "", owner_user: User | None = None,
    goal: Goal | None = None, due_date: datetime.date | None = None,
) -> AgreedAction:
    action = AgreedAction(case=case, goal=goal, description=(description or "").strip(),
                          owner_label=(owner_label or "").strip(), owner_user=owner_user, due_date=due_date)
    require_case_content_write(actor, action, case)
    errors: dict[str, str] = {}
    if not action.description:
        errors["description"] = _("This field is required.")
    if goal is not None and goal.case_id != case.pk:
        errors["goal"] = _("Choose a goal of this case.")
    if owner_user is not None and not has_role_in(owner_user, case.region_id):
        errors["owner_user"] = _("Choose a person who works in this region.")
    if owner_user is None and not action.owner_label:
        errors["owner_label"] = _("Say who does it.")
    save_created(actor, action, errors)
    return action


def action_complete(*, actor: Actor, action: AgreedAction, done_at: datetime.datetime | None = None) -> AgreedAction:
    with transaction.atomic():
        action = locked(action)
        require_case_content_write(actor, action, action.case)
        if action.done_at is not None:
            raise ValidationError(_("This action is already done."), code="done")
        done_at = done_at or timezone.now()
        if done_at > timezone.now():
            raise ValidationError({"done_at": _("An action cannot be done in the future.")})
        before = snapshot(action)
        action.done_at = done_at
        action.save(update_fields=["done_at"])
        audit_update(actor, action, before)
    return action
