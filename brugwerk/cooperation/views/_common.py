"""What the pages of network and cooperation share: running a service from a form, and asking the
policy about many records at once (so a list's buttons cost one query, not one per row)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from brugwerk.access import Action, scope
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.forms import add_service_errors

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def save_with(request: AuthenticatedHttpRequest, forms: Iterable[Any], save: Callable[[], Any]) -> Any:
    """On a POST where every form is valid, call the service in `save` and return its result. Its
    validation errors go on the first form; a refusal of the policy is a page that does not exist."""
    forms = list(forms)
    if request.method != "POST" or not all([form.is_valid() for form in forms]):
        return None
    try:
        return save()
    except ValidationError as error:
        add_service_errors(forms[0], error)
    except PermissionDenied as error:
        raise Http404 from error
    return None


def permitted(user: User, model: type[models.Model], action: Action, objs: Iterable[models.Model]) -> set[int]:
    """The pks of `objs` on which `user` may do `action`, in one query."""
    pks = [obj.pk for obj in objs]
    if not pks:
        return set()
    return set(scope(user, model, action).filter(pk__in=pks).values_list("pk", flat=True))
