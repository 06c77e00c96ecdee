"""Forms of the region's directory: zones, municipalities, their dated zone membership and schools."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brugwerk.core.forms import DateInput, ModelChoiceField, ModelForm, choice_with_blank
from brugwerk.core.types import field_of
from brugwerk.regions.models import EducationForm, Municipality, School, SchoolNetwork, Zone, ZoneMembership
from brugwerk.regions.selectors import SchoolFilter

postal_code_validator = RegexValidator(r"^\d{4}$", _("A Belgian postal code has four digits."))


class ZoneForm(ModelForm):
    class Meta:
        model = Zone
        fields = ["name"]


class MunicipalityForm(ModelForm):
    class Meta:
        model = Municipality
        fields = ["name", "postal_code", "inhabitants"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].validators.append(postal_code_validator)


class ZoneMembershipForm(ModelForm):
    end_current = forms.BooleanField(
        label=_("End the municipality's current zone membership on the start date"),
        required=False,
        initial=True,
        help_text=_("Leave this on when the municipality moves from one zone to another."),
    )

    class Meta:
        model = ZoneMembership
        fields = ["municipality", "zone", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        help_texts = {
            "valid_until": _("The first day the municipality no longer belongs to the zone; empty if open.")
        }

    def __init__(
        self, *args: Any, zones: QuerySet[Zone], municipalities: QuerySet[Municipality], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The end date must come after the start date."))
        return data


class ZoneMembershipEndForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Ends on"),
        widget=DateInput(),
        help_text=_("The first day the municipality no longer belongs to the zone."),
    )

    def __init__(self, *args: Any, membership: ZoneMembership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_valid_until(self) -> Any:
        end = self.cleaned_data["valid_until"]
        if end <= self.membership.valid_from:
            raise ValidationError(_("The end date must come after the start date."))
        return end


class SchoolForm(ModelForm):
    education_forms = forms.MultipleChoiceField(
        label=_("Forms of education"),
        choices=EducationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = School
        fields = [
            "name",
            "institution_number",
            "street",
            "postal_code",
            "municipality",
            "network",
            "education_forms",
            "pupil_count",
            "phone",
            "email",
        ]

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        self.fields["postal_code"].validators.append(postal_code_validator)
        self.fields["institution_number"].validators.append(
            RegexValidator(r"^\d+$", _("An institution number has digits only."))
        )


class SchoolSearchForm(forms.Form):
    """The search and filters of the school list. Invalid values are ignored (and shown as errors),
    so a hand-made URL never breaks the page."""

    q = forms.CharField(
        label=_("Search by name or municipality"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    zone = ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=_("All zones")
    )
    network = forms.ChoiceField(
        label=_("School network"),
        required=False,
        choices=choice_with_blank(SchoolNetwork.choices, _("All networks")),
    )

    def __init__(self, *args: Any, zones: QuerySet[Zone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones

    def filters(self) -> SchoolFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SchoolFilter(
            query=data.get("q") or "", zone=data.get("zone"), network=data.get("network") or ""
        )
