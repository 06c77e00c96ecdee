"""The one form of an entry of a region's list, made for each concrete list."""

from __future__ import annotations

from typing import Any

from django import forms

from brugwerk.core.forms import ModelForm
from brugwerk.vocabularies.models import RegionVocabulary

CREATE_FIELDS = ("name", "position")  # a new entry is in use
UPDATE_FIELDS = ("name", "position", "active")


def term_form_class(
    model: type[RegionVocabulary], *, create: bool, help_texts: dict[str, Any] | None = None
) -> type[forms.ModelForm]:
    """The form of `model`'s entries: name and position, and on change whether it is in use."""
    return forms.modelform_factory(
        model, form=ModelForm, fields=CREATE_FIELDS if create else UPDATE_FIELDS, help_texts=help_texts or {}
    )
