from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.core.forms import DateInput, ModelForm, ModelMultipleChoiceField
from brugwerk.core.types import field_of
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, School


class PoolMemberForm(ModelForm):
    fte = forms.DecimalField(
        label=_("FTE"),
        min_value=Decimal("0.05"),
        max_value=Decimal("1.00"),
        max_digits=3,
        decimal_places=2,
        help_text=_("Between 0.05 and 1.00, for example 0.8 for four days a week."),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    schools = ModelMultipleChoiceField(
        label=_("Schools served"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only schools of this region can be served; %(value)s is not one of them."),
            "invalid_pk_value": _("%(pk)s is not a school of this region."),
        },
    )

    class Meta:
        model = PoolMember
        fields = ["fte", "home_base", "schools", "started_on", "active"]
        widgets = {"started_on": DateInput()}

    def __init__(
        self, *args: Any, schools: QuerySet[School], municipalities: QuerySet[Municipality], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "schools", forms.ModelChoiceField).queryset = schools
        field_of(self, "home_base", forms.ModelChoiceField).queryset = municipalities
        self.fields["home_base"].error_messages["invalid_choice"] = _("Choose a municipality of this region.")


class PoolMemberCreateForm(PoolMemberForm):
    class Meta(PoolMemberForm.Meta):
        fields = ["user", *PoolMemberForm.Meta.fields]

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "user", forms.ModelChoiceField).queryset = candidates
        self.fields["user"].label = _("Bridge figure")
        self.fields["user"].help_text = _(
            "People with the bridge figure role in this region who are not in the pool yet."
        )
