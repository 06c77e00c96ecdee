"""The one form of an entry of a region's list, made for each concrete list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from brugwerk.core.forms import ModelForm
from brugwerk.vocabularies.models import POSITION_MAX, RegionVocabulary

CREATE_FIELDS = ("name", "position")  # a new entry is in use
UPDATE_FIELDS = ("name", "position", "active")


class TermForm(ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        position.validators.append(MaxValueValidator(POSITION_MAX))
        position.widget.attrs["max"] = POSITION_MAX


def term_form_class(
    model: type[RegionVocabulary], *, create: bool, help_texts: dict[str, Any] | None = None
) -> type[forms.ModelForm]:
    """The form of `model`'s entries: name and position, and on change whether it is in use."""
    return forms.modelform_factory(
        model, form=TermForm, fields=CREATE_FIELDS if create else UPDATE_FIELDS, help_texts=help_texts or {}
    )
