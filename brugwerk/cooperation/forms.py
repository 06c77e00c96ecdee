"""Forms of network and cooperation. They collect values; the services check access and the rules
that span several fields (one owner per action, dates in order) and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cooperation.models import CooperationAgreement, MeetingKind, NetworkMeeting, ReferralChannel
from brugwerk.cooperation.selectors import MeetingFilter
from brugwerk.cooperation.services import MAX_CONTACTS
from brugwerk.core.forms import (
    BaseFormSet,
    CardsMixin,
    CheckboxCards,
    ChoiceCards,
    DateInput,
    ModelChoiceField,
    ModelForm,
    ModelMultipleChoiceField,
    choice_with_blank,
)
from brugwerk.core.types import field_of
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import Municipality, School, Zone


def _capitalised(choices: list[tuple[Any, Any]]) -> list[tuple[Any, str]]:
    return [(value, capfirst(label)) for value, label in choices]


class CheckboxColumns(CardsMixin, forms.CheckboxSelectMultiple):
    """A long list of checkboxes (partners, schools) in columns on a wide screen: the class
    `checkbox-columns` on the group."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"class": "checkbox-columns", **(attrs or {})}, choices=choices)


# --- Meetings ----------------------------------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    """The filters of the meeting list. Invalid values are shown as errors and ignored, so a
    hand-made address never breaks the page."""

    q = forms.CharField(
        label=_("Search by title or place"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), required=False,
        choices=lambda: choice_with_blank(_capitalised(MeetingKind.choices), _("All kinds")),
    )
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )
    organisation = ModelChoiceField(
        label=_("Partner"), queryset=PartnerOrganisation.objects.none(), required=False,
        empty_label=_("All partners"),
    )
    zone = ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=_("All zones")
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Only meetings I attended"), required=False)

    def __init__(
        self, *args: Any, schools: QuerySet[School], organisations: QuerySet[PartnerOrganisation],
        zones: QuerySet[Zone], can_attend: bool, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones
        if not can_attend:
            del self.fields["mine"]

    def filters(self, user: User) -> MeetingFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return MeetingFilter(
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            school=data.get("school"),
            organisation=data.get("organisation"),
            zone=data.get("zone"),
            start=data.get("start"),
            end=data.get("end"),
            attended_by=user if data.get("mine") else None,
        )


class MeetingForm(ModelForm):
    ATTENDANCE = ("pool_attendees", "organisations", "schools")

    class Meta:
        model = NetworkMeeting
        fields = [
            "title", "kind", "date", "duration_minutes", "place", "school", "municipality", "zone",
            "pool_attendees", "organisations", "schools", "other_attendees", "notes",
        ]
        widgets = {
            "kind": ChoiceCards(),
            "date": DateInput(),
            "duration_minutes": forms.NumberInput(attrs={"min": 5, "step": 5, "inputmode": "numeric"}),
            "pool_attendees": CheckboxCards(),
            "organisations": CheckboxColumns(),
            "schools": CheckboxColumns(),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "school": _("The school the meeting is about, if it is about one."),
            "other_attendees": _(
                "Others who took part, by their function (for example: alderman for education, "
                "principal of a primary school). No names of private persons."
            ),
            "notes": _("Working notes for the pool. Only bridge figures and the coordinator read them."),
            "duration_minutes": _("Counts as time spent for every bridge figure who attended."),
        }

    def __init__(
        self, *args: Any, schools: QuerySet[School], municipalities: QuerySet[Municipality], zones: QuerySet[Zone],
        organisations: QuerySet[PartnerOrganisation], attendees: QuerySet[User], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = _capitalised(MeetingKind.choices)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "school", forms.ModelChoiceField).empty_label = _("Not about one school")
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        field_of(self, "municipality", forms.ModelChoiceField).empty_label = _("No municipality in particular")
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones
        field_of(self, "zone", forms.ModelChoiceField).empty_label = _("No zone in particular")
        field_of(self, "organisations", forms.ModelChoiceField).queryset = organisations
        field_of(self, "schools", forms.ModelChoiceField).queryset = schools
        self.fields["pool_attendees"] = ModelMultipleChoiceField(
            label=_("Bridge figures who attended"), queryset=attendees, required=False, widget=CheckboxCards(),
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or () if name not in self.ATTENDANCE}

    def attendance(self) -> dict[str, Any]:
        return {name: list(self.cleaned_data[name]) for name in self.ATTENDANCE}


class MeetingAgreementForm(forms.Form):
    text = forms.CharField(
        label=_("What was agreed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One agreement, in a sentence or two: who does what, with whom."),
    )


class MeetingActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner_user = ModelChoiceField(
        label=_("Who does it (in the pool)"), queryset=User.objects.none(), required=False,
        empty_label=_("Someone outside the pool"),
    )
    owner_label = forms.CharField(
        label=_("Or who else does it"), max_length=120, required=False,
        help_text=_("An organisation or a function, for example: CAW, the school's management."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner_user", forms.ModelChoiceField).queryset = owners


class ActionDoneForm(forms.Form):
    note = forms.CharField(
        label=_("How was it done? (optional)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Cooperation agreements ------------------------------------------------------------------------


class AgreementStatus:
    ALL = ""
    MISSING = "missing"
    OVERDUE = "overdue"
    NO_ROLE_PROFILE = "no_role_profile"


class AgreementOverviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (AgreementStatus.ALL, _("All schools")),
            (AgreementStatus.MISSING, _("Schools without an agreement")),
            (AgreementStatus.OVERDUE, _("Evaluation overdue")),
            (AgreementStatus.NO_ROLE_PROFILE, _("Role profile not accepted yet")),
        ],
    )

    def chosen(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160, required=False)
    function = forms.CharField(label=_("Function"), max_length=160, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), max_length=160, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(data.get(k) for k in ("function", "phone", "email")) and not data.get("name"):
            self.add_error("name", _("Give the name of this contact person."))
        return data


ContactPersonFormSet = forms.formset_factory(
    ContactPersonForm, formset=BaseFormSet, extra=2, max_num=MAX_CONTACTS, validate_max=True
)


class CooperationAgreementForm(ModelForm):
    class Meta:
        model = CooperationAgreement
        fields = [
            "valid_from", "agreed_days", "referral_channel", "referral_procedure", "role_profile_accepted",
            "role_profile_accepted_on", "role_profile_document", "last_evaluated_on", "next_evaluation_on",
            "remarks",
        ]
        widgets = {
            "valid_from": DateInput(),
            "referral_channel": ChoiceCards(),
            "referral_procedure": forms.Textarea(attrs={"rows": 3}),
            "role_profile_accepted_on": DateInput(),
            "last_evaluated_on": DateInput(),
            "next_evaluation_on": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "valid_from": _("From this day the new version replaces the current one."),
            "referral_procedure": _("Who at school sees a pupil's question first, and how it reaches the pool."),
            "role_profile_document": _("For example: signed by the principal, kept in the pool's shared folder."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "referral_channel", forms.ChoiceField).choices = _capitalised(ReferralChannel.choices)
        self.fields["referral_channel"].required = True
        self.fields["valid_from"].required = True

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}
