"""What the pages of cooperation share: asking the policy about many records at once (so a list's
buttons cost one query, not one per row)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from brugwerk.access import Action, scope
from brugwerk.accounts.models import User


def permitted(user: User, model: type[models.Model], action: Action, objs: Iterable[models.Model]) -> set[int]:
    """The pks of `objs` on which `user` may do `action`, in one query."""
    pks = [obj.pk for obj in objs]
    if not pks:
        return set()
    return set(scope(user, model, action).filter(pk__in=pks).values_list("pk", flat=True))
