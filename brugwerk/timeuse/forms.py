"""The period of the time overview, from the query string: a preset (this school year by default,
this month, the last 30 days) or two dates. Wrong input gets a Dutch error on the form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brugwerk.timeuse.periods import CUSTOM, PRESETS, SCHOOL_YEAR, Period, preset

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2999, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """Dates, when given, choose the period; otherwise the preset in `period` does."""

    period = forms.ChoiceField(
        label=_("Period"), required=False, choices=[*PRESETS.items(), (CUSTOM, _("Other dates"))]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until (inclusive)"), required=False, widget=DateInput())

    def _clean_date(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("Enter a date between 2000 and 2999."))
        return value

    def clean_date_from(self) -> datetime.date | None:
        return self._clean_date("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._clean_date("date_to")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        given = {name for name in ("date_from", "date_to") if self.data.get(name)}
        if given or cleaned.get("period") == CUSTOM:
            for name in ("date_from", "date_to"):
                if name not in given:
                    self.add_error(name, _("Fill in both dates for a period of your own."))
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return cleaned

    def period_for(self, today: datetime.date) -> Period | None:
        """The chosen period; None when the input is wrong (the errors are on the form)."""
        if not self.is_bound:
            return preset(SCHOOL_YEAR, today)
        if not self.is_valid():
            return None
        data = self.cleaned_data
        if data["date_from"] and data["date_to"]:
            return Period(data["date_from"], data["date_to"])
        return preset(data["period"] or SCHOOL_YEAR, today)
