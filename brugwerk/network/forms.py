from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brugwerk.core.forms import ModelChoiceField, ModelForm, choice_with_blank
from brugwerk.core.types import field_of
from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from brugwerk.network.services import SCOPE_FIELDS, one_scope_error
from brugwerk.regions.models import Municipality, School, Zone


class OrganisationForm(ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "type", "street", "municipality", "phone", "email", "website"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities


class ContactPointForm(ModelForm):
    """A contact point answers for exactly one school, municipality or zone; the form says so in
    words instead of letting the database refuse it."""

    class Meta:
        model = ContactPoint
        fields = ["person_name", "function", "phone", "email", "notes", "school", "municipality", "zone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}
        help_texts = {"notes": _("For example: best reached on Tuesday mornings, or via the intake line.")}

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        municipalities: QuerySet[Municipality],
        zones: QuerySet[Zone],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones

    scope_fields = SCOPE_FIELDS

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        failed = any(name in self.errors for name in SCOPE_FIELDS)
        if not failed and sum(1 for name in SCOPE_FIELDS if data.get(name)) != 1:
            self.add_error(None, forms.ValidationError(one_scope_error(), code="scope"))
        return data

    def validate_constraints(self) -> None:
        # The check in clean() already explains a missing or double scope; the model's check
        # constraint would only repeat it in database terms.
        if not self.has_error(NON_FIELD_ERRORS, "scope"):
            super().validate_constraints()


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=choice_with_blank(PartnerType.choices, _("All types"))
    )

    def values(self) -> tuple[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("q") or "", data.get("type") or ""


class ContactFinderForm(forms.Form):
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), empty_label=_("Choose a school")
    )
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )
    type = forms.ChoiceField(
        label=_("Or a type of organisation"),
        required=False,
        choices=choice_with_blank(PartnerType.choices, _("Any type")),
    )

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        organisations: QuerySet[PartnerOrganisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
