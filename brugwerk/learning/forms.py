"""Forms of Learning: a session of one kind, the library and the social map with their searches, and
the list of themes. Search forms ignore invalid values (and show them as errors), so a hand-made URL
never breaks a page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain
from brugwerk.core.forms import DateInput, ModelChoiceField, ModelForm, ModelMultipleChoiceField, choice_with_blank
from brugwerk.core.types import field_of
from brugwerk.learning.models import (
    LearningKind,
    LearningSession,
    LearningTheme,
    LibraryItem,
    LibraryKind,
    SocialMapEntry,
)
from brugwerk.learning.services import FIELDS_OF_KIND
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import Municipality

DEFAULT_MINUTES: dict[str, int] = {
    LearningKind.INTERVISION: 120, LearningKind.COACHING: 60, LearningKind.LEARNING_NETWORK: 180
}


class SessionForm(ModelForm):
    """The fields of one kind of session. A coaching is with one bridge figure, chosen as such."""

    class Meta:
        model = LearningSession
        fields = [
            "date",
            "duration_minutes",
            "title",
            "participants",
            "facilitator",
            "facilitator_name",
            "others_present",
            "case_question",
            "learned",
            "private_note",
            "life_domain",
            "themes",
        ]
        widgets = {
            "date": DateInput(),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "max": 720, "step": 5}),
            "case_question": forms.Textarea(attrs={"rows": 5}),
            "learned": forms.Textarea(attrs={"rows": 5}),
            "private_note": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        kind: str,
        people: QuerySet[User],
        facilitators: QuerySet[User],
        themes: QuerySet[LearningTheme],
        life_domains: QuerySet[LifeDomain],
        private_note: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = FIELDS_OF_KIND[kind] - (set() if private_note else {"private_note"})
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("duration_minutes", DEFAULT_MINUTES[kind])
        facilitator_label = _("Coach") if kind == LearningKind.COACHING else _("Facilitator")
        self.fields["facilitator"] = ModelChoiceField(
            queryset=facilitators, required=False, label=facilitator_label, empty_label=_("Nobody from the list"),
        )
        if kind == LearningKind.COACHING:
            self.fields["facilitator_name"].label = _("Coach from outside")
            self.fields["participants"] = ModelChoiceField(
                queryset=people, label=_("Coached bridge figure"), empty_label=_("Choose a bridge figure")
            )
            if self.instance.pk:
                first = self.instance.participants.all()[:1]
                self.initial["participants"] = first[0].pk if first else None
        else:
            self.fields["participants"] = ModelMultipleChoiceField(
                queryset=people, label=_("Participants"), widget=forms.CheckboxSelectMultiple,
                help_text=_("Everyone from the pool who took part, yourself included if you did."),
            )
        field_of(self, "themes", forms.ModelChoiceField).queryset = themes
        self.fields["themes"].required = False
        if "life_domain" in self.fields:
            field_of(self, "life_domain", forms.ModelChoiceField).queryset = life_domains
        if kind == LearningKind.LEARNING_NETWORK:
            self.fields["title"].label = _("Name or theme of the meeting")
            self.fields["title"].help_text = _("For example: Learning network poverty and education.")
        else:
            self.fields["title"].help_text = _("Optional: a few words to find it back.")
        self.order_fields(
            ["date", "duration_minutes", "title", "participants", "facilitator", "facilitator_name", "others_present"]
        )

    def values(self) -> dict[str, Any]:
        """The cleaned values as the session services take them."""
        data = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
        people = data.get("participants")
        if isinstance(people, User):
            data["participants"] = [people]
        elif people is not None:
            data["participants"] = list(people)
        data["themes"] = list(data.get("themes") or [])
        return data


class SessionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=choice_with_blank(LearningKind.choices, _("All kinds"))
    )
    participant = ModelChoiceField(
        label=_("Participant"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "participant", forms.ModelChoiceField).queryset = people

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"kind": data.get("kind") or "", "participant": data.get("participant")}


# --- Library --------------------------------------------------------------------------------------


class LibraryItemForm(ModelForm):
    class Meta:
        model = LibraryItem
        fields = ["kind", "title", "summary", "body", "link", "themes"]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {"body": _("How it works, what you need, what to watch out for.")}

    def __init__(self, *args: Any, themes: QuerySet[LearningTheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "themes", forms.ModelChoiceField).queryset = themes


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the library"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=choice_with_blank(LibraryKind.choices, _("All kinds"))
    )
    theme = ModelChoiceField(
        label=_("Theme"), queryset=LearningTheme.objects.none(), required=False, empty_label=_("All themes")
    )

    def __init__(self, *args: Any, themes: QuerySet[LearningTheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "theme", forms.ModelChoiceField).queryset = themes

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"query": data.get("q") or "", "kind": data.get("kind") or "", "theme": data.get("theme")}


# --- Social map -----------------------------------------------------------------------------------


class SocialMapEntryForm(ModelForm):
    REACH = ("address", "phone", "email", "website", "opening_hours")

    class Meta:
        model = SocialMapEntry
        fields = [
            "service_name",
            "municipality",
            "partner",
            "provider",
            "offers",
            "for_whom",
            "life_domains",
            "languages",
            "cost",
            "address",
            "phone",
            "email",
            "website",
            "opening_hours",
        ]
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 4}),
            "life_domains": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Municipality],
        partners: QuerySet[PartnerOrganisation],
        life_domains: QuerySet[LifeDomain],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        field_of(self, "municipality", forms.ModelChoiceField).empty_label = _("The whole region")
        field_of(self, "partner", forms.ModelChoiceField).queryset = partners
        field_of(self, "partner", forms.ModelChoiceField).empty_label = _("Not a partner")
        field_of(self, "life_domains", forms.ModelChoiceField).queryset = life_domains


class SocialMapSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for a service"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("For example: food, homework, debts."),
    )
    municipality = ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False,
        empty_label=_("All municipalities"),
    )
    life_domain = ModelChoiceField(
        label=_("Life domain"), queryset=LifeDomain.objects.none(), required=False,
        empty_label=_("All life domains"),
    )

    def __init__(
        self, *args: Any, municipalities: QuerySet[Municipality], life_domains: QuerySet[LifeDomain], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        field_of(self, "life_domain", forms.ModelChoiceField).queryset = life_domains

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "municipality": data.get("municipality"),
            "life_domain": data.get("life_domain"),
        }


# --- Themes ---------------------------------------------------------------------------------------
