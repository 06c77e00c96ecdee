"""Forms of the signals pages. They parse; the services decide (region, status rules, rights)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.core.forms import DateInput, ModelChoiceField, ModelForm, choice_with_blank
from brugwerk.core.types import field_of
from brugwerk.regions.models import Municipality, School, Zone
from brugwerk.signals.models import MAX_MINUTES, Signal, SignalLevel, SignalResponse, SignalStatus, SignalTheme
from brugwerk.signals.selectors import SignalFilter
from brugwerk.signals.services import PLACE_FIELDS, PLACE_OF_LEVEL, place_missing


def _minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Time spent (minutes)"),
        required=False,
        min_value=0,
        max_value=MAX_MINUTES,
        help_text=_("Optional: how long the discussion or meeting took."),
    )


class SignalForm(ModelForm):
    class Meta:
        model = Signal
        fields = [
            "theme", "title", "description", "level", "school", "municipality", "zone", "low_threshold_contacts",
            "minutes",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": _("In a few words, e.g. 'Bus pass too expensive for pupils from Wervik'."),
            "school": _("Only when it must be solved at school level."),
            "municipality": _("Only when it must be solved at municipal level."),
            "zone": _("Only when it must be solved at zone level."),
        }

    def __init__(
        self,
        *args: Any,
        themes: QuerySet[SignalTheme],
        schools: QuerySet[School],
        municipalities: QuerySet[Municipality],
        zones: QuerySet[Zone],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "theme", forms.ModelChoiceField).queryset = themes
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones

    def clean(self) -> dict[str, Any]:
        """Keep only the place the level needs (as the service does), and ask for it when missing."""
        super().clean()
        data = self.cleaned_data
        needed = PLACE_OF_LEVEL.get(data.get("level") or "")
        for field in PLACE_FIELDS:
            if field != needed:
                data[field] = None
        if needed is not None and data.get(needed) is None and needed not in self.errors:
            self.add_error(needed, place_missing(needed))
        return data


class SignalFilterForm(forms.Form):
    """The list's filters (a plain GET form: invalid values are ignored, never an error page)."""

    q = forms.CharField(
        label=_("Search in title and description"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = ModelChoiceField(
        label=_("Theme"), queryset=SignalTheme.objects.none(), required=False, empty_label=_("All themes")
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=choice_with_blank(SignalLevel.choices, _("All levels"))
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=choice_with_blank(SignalStatus.choices, _("All statuses"))
    )

    def __init__(self, *args: Any, themes: QuerySet[SignalTheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "theme", forms.ModelChoiceField).queryset = themes

    def filters(self) -> SignalFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SignalFilter(
            query=data.get("q") or "",
            theme=data.get("theme"),
            level=data.get("level") or "",
            status=data.get("status") or "",
        )


class BackingForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what you see of this bottleneck yourself, without names."),
    )


class EvidenceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search your cases by name or school"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EvidenceAddForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    changed_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided, or to whom it was passed on. Required when the signal goes back a step."),
    )
    minutes = _minutes_field()

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"changed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field_of(self, "to_status", forms.ChoiceField).choices = [
            (value, label) for value, label in SignalStatus.choices if value != signal.status
        ]


class ResponseForm(ModelForm):
    class Meta:
        model = SignalResponse
        fields = ["responder", "received_on", "kind", "text"]
        widgets = {"received_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
