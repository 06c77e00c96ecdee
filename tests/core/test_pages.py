"""The one way a form runs through a service (`core.pages.run_form`) and the 404 for a refusal."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from brugwerk.core.http import refused_as_missing
from brugwerk.core.pages import run_form


class NameForm(forms.Form):
    name = forms.CharField()
    occurred_on = forms.DateField(required=False)


def post(data: dict[str, str]):
    return RequestFactory().post("/", data)


def test_a_get_or_an_invalid_form_does_not_call_the_service() -> None:
    called = []
    assert run_form(RequestFactory().get("/"), NameForm(), lambda: called.append(1)) is None
    form = NameForm({})
    assert run_form(post({}), form, lambda: called.append(1)) is None
    assert called == [] and "name" in form.errors


def test_a_valid_form_gives_the_services_result() -> None:
    form = NameForm({"name": "Ann"})
    assert run_form(post({"name": "Ann"}), form, lambda: "saved") == "saved"


def test_service_errors_land_on_their_field_or_above_the_form() -> None:
    def refuse():
        raise ValidationError({"name": "Taken.", "elsewhere": "Not on this form.", "occurred_at": "In the future."})

    form = NameForm({"name": "Ann"})
    assert run_form(post({"name": "Ann"}), form, refuse, field_names={"occurred_at": "occurred_on"}) is None
    assert form.errors["name"] == ["Taken."]
    assert form.errors["occurred_on"] == ["In the future."]
    assert form.non_field_errors() == ["Not on this form."]


def test_every_form_is_validated_and_also_valid_is_respected() -> None:
    first, second = NameForm({"name": "Ann"}), NameForm({})
    assert run_form(post({}), [first, second], lambda: "saved") is None
    assert "name" in second.errors
    assert run_form(post({}), NameForm({"name": "Ann"}), lambda: "saved", also_valid=False) is None


def test_a_refusal_of_the_policy_is_a_page_that_does_not_exist() -> None:
    def forbidden():
        raise PermissionDenied

    with pytest.raises(Http404):
        run_form(post({"name": "Ann"}), NameForm({"name": "Ann"}), forbidden)

    @refused_as_missing()
    def view():
        raise PermissionDenied

    with pytest.raises(Http404):
        view()
