import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from brugwerk.audit.selectors import AuditFilter, subject_kinds
from brugwerk.core.types import field_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2999, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Who"), required=False, max_length=150,
                          help_text=_("Username or name"))
    event = forms.ChoiceField(label=_("Action"), required=False)
    subject_type = forms.ChoiceField(label=_("Record kind"), required=False)
    subject_id = forms.CharField(label=_("Record number"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until (inclusive)"), required=False, widget=DateInput)

    def __init__(self, *args, events: "list[tuple[str, StrOrPromise]]", **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "event", forms.ChoiceField).choices = [("", _("Any action")), *events]
        field_of(self, "subject_type", forms.ChoiceField).choices = [("", _("Any kind")), *subject_kinds()]

    def _clean_date(self, name: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("Enter a date between 2000 and 2999."))
        return value

    def clean_date_from(self) -> dt.date | None:
        return self._clean_date("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._clean_date("date_to")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> AuditFilter:
        """The filter from the fields that are valid; a wrong field is reported and left out."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return AuditFilter(
            who=(data.get("who") or "").strip(),
            event=data.get("event") or "",
            subject_type=data.get("subject_type") or "",
            subject_id=(data.get("subject_id") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

