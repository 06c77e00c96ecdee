"""Forms of the case list: the search (a plain GET form; invalid values are ignored and shown as
errors, so a hand-made address never breaks the page) and the name a search is saved under."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models import CaseStatus
from brugwerk.cases.selectors.search import CaseFilter
from brugwerk.core.forms import ModelChoiceField, choice_with_blank
from brugwerk.core.types import field_of
from brugwerk.regions.models import School


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or school"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=choice_with_blank(CaseStatus.choices, _("Open and closed"))
    )
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools

    def filters(self) -> CaseFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilter(query=data.get("q") or "", status=data.get("status") or "", school=data.get("school"))

    def query(self) -> dict[str, str]:
        """The valid search parameters, as a saved filter keeps them."""
        filters = self.filters()
        school = filters.school.pk if filters.school else ""
        values = {"q": filters.query.strip(), "status": filters.status, "school": school}
        return {key: str(value) for key, value in values.items() if value}


class SavedFilterForm(forms.Form):
    """The name to save the current search under; the search itself travels along in hidden fields."""

    name = forms.CharField(
        label=_("Name of this search"),
        max_length=80,
        help_text=_("For example: my open cases at this school."),
    )
    q = forms.CharField(required=False, widget=forms.HiddenInput)
    status = forms.CharField(required=False, widget=forms.HiddenInput)
    school = forms.CharField(required=False, widget=forms.HiddenInput)
