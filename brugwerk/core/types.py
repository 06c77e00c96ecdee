"""Types for annotations, and the one checked narrowing they need in forms.

`AuthenticatedHttpRequest` is the request of a page behind Django's `LoginRequiredMiddleware` (every
page but those marked `login_not_required`): its `user` is a `User`, never the anonymous user, so a
view can hand `request.user` to a service or selector that takes `user: User`. At run time it is
`HttpRequest` itself. The import of `User` is for the type checker only, so this bottom layer does
not depend on `accounts` when the code runs.

`field_of(form, name, kind)` is `form.fields[name]` known to be a `kind` (a `ModelChoiceField` has a
`queryset`, a `ChoiceField` has `choices`), checked when it runs; `queryset_of(form, name)` is the
queryset of such a model choice field, which a form has set (it is None only before that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.urls import ResolverMatch
    from django_htmx.middleware import HtmxDetails

    from brugwerk.accounts.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        user: User
        htmx: HtmxDetails  # set by django_htmx's HtmxMiddleware
        resolver_match: ResolverMatch  # set before the view is called

else:
    AuthenticatedHttpRequest = HttpRequest


def field_of[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, which must be a `kind`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def queryset_of(form: forms.BaseForm, name: str) -> QuerySet[Any]:
    """The queryset the form's model choice field `name` chooses from."""
    queryset = field_of(form, name, forms.ModelChoiceField).queryset
    if queryset is None:
        raise TypeError(f"{type(form).__name__}.{name} has no queryset.")
    return queryset


__all__ = ["AuthenticatedHttpRequest", "field_of", "queryset_of"]
