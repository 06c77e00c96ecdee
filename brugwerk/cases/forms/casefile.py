"""Forms of the case file's edit pages: the young person, a family member, a help question, a goal
and an agreed action. They check the input's shape; the services check the rest (and their errors
are shown on the same form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cases.models import AgreedAction, FamilyMember, Goal, HelpQuestion, LifeDomain, YoungPerson
from brugwerk.core.forms import DateInput, ModelForm
from brugwerk.core.types import field_of
from brugwerk.regions.models import Municipality, School


class YoungPersonForm(ModelForm):
    class Meta:
        model = YoungPerson
        fields = [
            "first_name", "last_name", "birth_date", "school", "grade", "education_form", "languages",
            "phone", "email", "street", "municipality",
        ]
        widgets = {"birth_date": DateInput(), "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}
        help_texts = {"languages": _("For example: Dutch, Arabic.")}

    def __init__(
        self, *args: Any, schools: QuerySet[School], municipalities: QuerySet[Municipality], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities


class FamilyMemberForm(ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "phone", "email", "languages", "needs_interpreter", "notes"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class HelpQuestionForm(ModelForm):
    class Meta:
        model = HelpQuestion
        fields = ["life_domain", "description", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, life_domains: QuerySet[LifeDomain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "life_domain", forms.ModelChoiceField).queryset = life_domains


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "status", "start_date", "target_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "target_date": DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", _("The target date cannot lie before the start date."))
        return data


class AgreedActionForm(ModelForm):
    class Meta:
        model = AgreedAction
        fields = ["description", "goal", "owner_label", "owner_user", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}
        labels = {"owner_user": _("Or: who of the pool does it"), "goal": _("For the goal")}

    def __init__(self, *args: Any, goals: QuerySet[Goal], team: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "goal", forms.ModelChoiceField).queryset = goals
        field_of(self, "goal", forms.ModelChoiceField).empty_label = _("(no particular goal)")
        field_of(self, "owner_user", forms.ModelChoiceField).queryset = team
        field_of(self, "owner_user", forms.ModelChoiceField).empty_label = "–"
