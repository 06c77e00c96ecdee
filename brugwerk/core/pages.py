"""Running a form through a service, and the form page: the one way every app does it.

    saved = run_form(request, form, lambda: services.thing_create(actor=..., values=model_values(form)))

On a POST where the form (or every one of several forms) is valid, `run_form` calls the service and
returns its result. Otherwise it returns None, with the errors on the form: the form's own, and the
service's `ValidationError` on the field it names (or above the form when the form has no such field).
A refusal of the policy (`PermissionDenied`) is a page that does not exist (404), as everywhere.

`form_page` adds what most pages do with that result: say `done`, go to `success_url`, or show the
form page (`core/form_page.html`) again with its errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from brugwerk.core.forms import add_service_errors
from brugwerk.core.http import refused_as_missing

FORM_PAGE = "core/form_page.html"

Forms = forms.BaseForm | list[Any] | tuple[Any, ...]  # one form, or several forms and formsets


def run_form(
    request: HttpRequest,
    form: Forms,
    save: Callable[[], Any],
    *,
    also_valid: bool = True,
    field_names: Mapping[str, str] | None = None,
) -> Any:
    """On a POST where every form is valid (and `also_valid`), the result of `save()`; None otherwise.

    - `form`: one form, or several (all are validated, so each shows its errors; a service's errors go
      on the first);
    - `also_valid`: a further condition the view checked itself (e.g. a formset beside the form);
    - `field_names`: the service's field names that the form calls differently (service -> form).
    """
    all_forms = list(form) if isinstance(form, list | tuple) else [form]
    if request.method != "POST" or not all([each.is_valid() for each in all_forms]) or not also_valid:
        return None
    with refused_as_missing():
        try:
            return save()
        except ValidationError as error:
            add_service_errors(all_forms[0], error, field_names=field_names)
    return None


def run_action(request: HttpRequest, act: Callable[[], Any], done: str) -> bool:
    """Call a service that takes no form (mark done, confirm, end): its `ValidationError` is an
    error message above the next page, success is `done`. True when it succeeded."""
    error = service_error(act)
    if error:
        messages.error(request, error)
        return False
    messages.success(request, done)
    return True


def service_error(act: Callable[[], Any]) -> str:
    """Call a service; its `ValidationError` as one message to show on the page, "" when it succeeded."""
    try:
        act()
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def render_form(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
    intro: str = "",
    submit_label: str = "",
    template: str = FORM_PAGE,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The form page: breadcrumbs, a title, an optional intro, the form, save and cancel."""
    page = {
        "form": form,
        "title": title,
        "intro": intro,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
        "submit_label": submit_label or _("Save"),
    }
    return render(request, template, page | dict(context or {}))


def form_page(
    request: HttpRequest,
    *,
    form: Forms,
    save: Callable[[], Any],
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    title: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
    intro: str = "",
    submit_label: str = "",
    template: str = FORM_PAGE,
    context: Mapping[str, Any] | None = None,
    on_show: Callable[[], Any] | None = None,
) -> HttpResponse:
    """Run the form through the service (`run_form`); once saved, say `done` and go to `success_url`
    (either may be made from the saved result); otherwise call `on_show` (e.g. to record the read of
    what the page shows) and show the form page with its errors."""
    saved = run_form(request, form, save)
    if saved is not None:
        messages.success(request, done(saved) if callable(done) else done)
        return redirect(success_url(saved) if callable(success_url) else success_url)
    if on_show is not None:
        on_show()
    shown = form[0] if isinstance(form, list | tuple) else form
    return render_form(
        request, form=shown, title=title, cancel_url=cancel_url, breadcrumbs=breadcrumbs, intro=intro,
        submit_label=submit_label, template=template, context=context,
    )
