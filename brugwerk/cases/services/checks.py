"""What casework services check beyond what every service does (`brugwerk.core.services`): no
writes to a closed case, the guidance team for case content, and who holds a role in a region."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from brugwerk.access import Action, may, region_ids_of
from brugwerk.access.checks import require
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case, CaseStatus


def require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is closed and can no longer be changed. Reopen it first."), code="closed")


def require_case_content_write(actor: Actor, obj: models.Model, case: Case) -> None:
    """Before adding to or changing a case's content: the actor must see the case (otherwise it is
    as if it did not exist), it must be open, and the actor must be in its guidance team."""
    require(actor, Action.VIEW, case)
    require_open(case)
    require(actor, Action.CREATE if obj.pk is None else Action.CHANGE, obj)


def is_brugfiguur_of(user: User | None, region_id: int) -> bool:
    """Whether `user` (an active account) guides young people as a bridge figure of the region, so
    may lead a case, hold an agenda or be given a share."""
    return user is not None and may(user, "cases.guide_cases", region=region_id)


def has_role_in(user: User | None, region_id: int) -> bool:
    """Whether `user` (an active account) works in the region (holds a role there)."""
    return user is not None and region_id in region_ids_of(user)
