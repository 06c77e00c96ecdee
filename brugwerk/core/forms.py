"""What the forms of every app share: widgets (a date, a time, big choice cards), the values a form
gives to a service and the service's errors shown on the form, and choices of records whose keys are
checked before any query.

A key posted from outside (a choice list, checkboxes, a hidden id) can be any number. Django looks
it up as it is, and an integer no key column can hold then fails in the database (`OverflowError`
on SQLite for the `pk__in` of a multiple choice) instead of being a wrong choice. These fields
refuse such a value with the field's own "Select a valid choice" error, before any query.

Every form uses them: fields declared by name (`ModelChoiceField`, `ModelMultipleChoiceField`),
and the key fields a model form makes from its model's foreign keys and many-to-many fields, through
`ModelForm` below. `BaseFormSet` refuses a negative number of forms, which Django reads as "none".
The access policy keeps ids in URLs in range the same way (`access.get_object_or_404`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import QuerySet
from django.db.models.fields.related import RelatedField
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT


def _key_field(model: type[models.Model], to_field_name: str | None) -> models.Field | ForeignObjectRel:
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    while isinstance(field, RelatedField):  # a key that is itself a foreign key: the column it points at
        field = field.target_field
    return field


def key_in_range(queryset: QuerySet, value: Any, to_field_name: str | None = None) -> bool:
    """Whether `value` could be a key of `queryset`'s records as far as its size goes: False only for
    a whole number the key column cannot hold. Anything else (a key in range, a record, text) is
    left to the usual checks."""
    field = _key_field(queryset.model, to_field_name)
    if not isinstance(field, models.IntegerField) or isinstance(value, models.Model):
        return True
    try:
        number = int(str(value).strip())
    except ValueError:
        return True  # not a whole number: Django's own check refuses it
    low, high = connections[queryset.db].ops.integer_field_range(field.get_internal_type())
    return (low is None or number >= low) and (high is None or number <= high)


class ModelChoiceField(forms.ModelChoiceField):
    """One record out of a queryset; a key out of the column's range is not a valid choice."""

    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and self.queryset is not None
            and not key_in_range(self.queryset, value, self.to_field_name)
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records out of a queryset; a key out of the column's range is not a valid choice."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, Iterable) and not isinstance(value, str | bytes):
            for item in value:
                if self.queryset is not None and not key_in_range(self.queryset, item, self.to_field_name):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super().clean(value)


def formfield_for(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field of a model field, with the fields above for foreign keys and many-to-many."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """A model form whose fields made from the model's keys are the ones above (its `Meta` gets
    `formfield_callback = formfield_for` unless it names its own)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Runs before Django's metaclass reads Meta and makes the fields.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield_for)
        super().__init_subclass__(**kwargs)


class BaseFormSet(forms.BaseFormSet):
    """A formset that refuses a negative number of forms (no browser sends one; Django would read it
    as no forms at all, and the view would save an empty list)."""

    error_messages: dict[str, str]  # set by Django's __init__; missing from django-stubs

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return
        negative = [
            self.management_form.add_prefix(name)
            for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT)
            if (self.management_form.cleaned_data[name] or 0) < 0
        ]
        if negative:
            self.non_form_errors().append(ValidationError(
                self.error_messages["missing_management_form"], code="missing_management_form",
                params={"field_names": ", ".join(negative)},
            ))


# --- Widgets ------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


if TYPE_CHECKING:
    from django.forms.widgets import ChoiceWidget as _ChoiceWidget  # what the mixin is mixed into
else:
    _ChoiceWidget = object


class CardsMixin(_ChoiceWidget):
    """Choices shown as big tap targets: the class `choice-cards` (app.css) on the group only, not
    on every input."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"class": "choice-cards", **(attrs or {})}, choices=choices)

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"].pop("class", None)
        return option


class ChoiceCards(CardsMixin, forms.RadioSelect):
    pass


class CheckboxCards(CardsMixin, forms.CheckboxSelectMultiple):
    pass


def choice_with_blank(choices: list[tuple[str, Any]], blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *choices]


# --- Between a form and a service ---------------------------------------------------------------


def model_values(form: forms.ModelForm) -> dict[str, Any]:
    """The cleaned values of the model fields a form edits, as a service takes them (the form names
    them in its `Meta.fields`)."""
    fields = form._meta.fields
    if fields is None:  # `fields = "__all__"` or only `exclude`: no list to take the values by
        raise TypeError(f"{type(form).__name__} names no fields in its Meta.fields.")
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Show a service's validation errors on the form: on their field when the form has it (under
    the form's name for it, `field_names` maps service -> form), above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = (field_names or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
