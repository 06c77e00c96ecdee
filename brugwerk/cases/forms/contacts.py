"""Forms of the contacts pages: a contact moment on a case, a low-threshold contact without a file,
and turning low-threshold contacts into a case. Made for a phone: big choices, defaults filled in
(now, the user's usual kind of contact, the school of today), few required fields. The checks that
decide (no contact in the future, no negative duration, ...) are the service's; the forms only parse."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models import ContactMoment, ContactType, ContactWith, LifeDomain, YoungPerson
from brugwerk.cases.selectors.contacts import SchoolChoices
from brugwerk.core.forms import (
    CheckboxCards,
    ChoiceCards,
    DateInput,
    ModelChoiceField,
    ModelMultipleChoiceField,
    TimeInput,
    add_service_errors,
)
from brugwerk.core.types import field_of
from brugwerk.regions.models import School

# The kinds of contact on a case (a group moment is not a contact with one young person).
CASE_CONTACT_TYPES = [choice for choice in ContactType.choices if choice[0] != ContactType.GROUP_MOMENT]

DURATION_CHOICES = [
    ("5", _("5 minutes")),
    ("15", _("15 minutes")),
    ("30", _("30 minutes")),
    ("60", _("1 hour")),
]

NOTE_SHARED, NOTE_PRIVATE = "shared", "private"

# A service names the moment of a contact `occurred_at`; the forms ask for it as a date and a time.
SERVICE_FIELD_NAMES = {"occurred_at": "occurred_on"}


def add_contact_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form, with its field names translated to the form's."""
    add_service_errors(form, error, field_names=SERVICE_FIELD_NAMES)


def now_rounded() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactMomentFields(forms.Form):
    """What every contact asks: its kind, when, how long, with whom and a short note."""

    contact_type = forms.ChoiceField(label=_("Type of contact"), choices=ContactType.choices, widget=ChoiceCards)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    occurred_time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration = forms.ChoiceField(
        label=_("Duration"), choices=DURATION_CHOICES, widget=ChoiceCards, required=False
    )
    duration_minutes = forms.IntegerField(
        label=_("Or another duration, in minutes"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )
    with_whom = forms.MultipleChoiceField(
        label=_("With whom"), choices=ContactWith.choices, widget=CheckboxCards, required=False
    )
    note = forms.CharField(
        label=_("Short note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, default_type: str = "", contact_types: list | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if contact_types is not None:
            field_of(self, "contact_type", forms.ChoiceField).choices = contact_types
        now = now_rounded()
        self.fields["occurred_on"].initial = now.date()
        self.fields["occurred_time"].initial = now.time()
        self.fields["with_whom"].initial = [ContactWith.YOUNG_PERSON]
        if default_type in dict(ContactType.choices if contact_types is None else contact_types):  # the field's
            self.fields["contact_type"].initial = default_type

    def occurred_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("occurred_on"), self.cleaned_data.get("occurred_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def minutes(self) -> int:
        """The free number when given, else the quick choice, else 0 (unknown)."""
        free = self.cleaned_data.get("duration_minutes")
        if free is not None:
            return free
        quick = self.cleaned_data.get("duration")
        return int(quick) if quick else 0

    def private_note(self) -> bool:
        return False

    def contact_values(self) -> dict[str, Any]:
        """The arguments of `services.contact_register` this form gives."""
        data = self.cleaned_data
        return {
            "contact_type": data["contact_type"],
            "occurred_at": self.occurred_at(),
            "duration_minutes": self.minutes(),
            "with_whom": data.get("with_whom") or [],
            "note": data.get("note") or "",
            "note_private": self.private_note(),
        }

    def more_has_errors(self, names: tuple[str, ...]) -> bool:
        """Whether a folded group of fields must open to show its errors."""
        return any(self.errors.get(name) for name in names)


class NoteVisibilityMixin(forms.Form):
    note_visibility = forms.ChoiceField(
        label=_("Who may read the note?"),
        choices=[
            (NOTE_SHARED, _("The guidance team of the case")),
            (NOTE_PRIVATE, _("Only me (a private note)")),
        ],
        initial=NOTE_SHARED,
        required=False,  # shared with the team unless the author says otherwise
        widget=ChoiceCards,
    )

    def private_note(self) -> bool:
        return self.cleaned_data.get("note_visibility") == NOTE_PRIVATE


class CaseContactForm(NoteVisibilityMixin, ContactMomentFields):
    """A contact moment on a case."""

    place = forms.CharField(label=_("Where"), max_length=120, required=False)
    language = forms.CharField(
        label=_("Language used"), max_length=60, required=False,
        help_text=_("For example: Dutch, French, Arabic."),
    )
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)

    MORE = ("place", "language", "interpreter")
    field_order = [
        "contact_type", "occurred_on", "occurred_time", "duration", "duration_minutes", "with_whom",
        "note", "note_visibility", "place", "language", "interpreter",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("contact_types", CASE_CONTACT_TYPES)
        super().__init__(*args, **kwargs)

    def contact_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return super().contact_values() | {
            "place": data.get("place") or "",
            "language": data.get("language") or "",
            "interpreter": bool(data.get("interpreter")),
        }


class LowThresholdContactForm(ContactMomentFields):
    """A contact without a file, registered in seconds: anonymous or with a first name only."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for an anonymous contact. Never a last name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    school = forms.ChoiceField(label=_("School"), required=False)
    life_domain = ModelChoiceField(
        label=_("Life domain"), queryset=LifeDomain.objects.none(), required=False, empty_label=_("Not known")
    )
    place = forms.CharField(
        label=_("Where"), max_length=120, required=False, help_text=_("For example: the school gate, the square.")
    )
    note_private = forms.BooleanField(
        label=_("Only I can read the note"), required=False,
        help_text=_("Otherwise the coordinator can read it too."),
    )

    field_order = [
        "contact_type", "first_name", "school", "occurred_on", "occurred_time", "duration", "duration_minutes",
        "life_domain", "with_whom", "place", "note", "note_private",
    ]

    def __init__(
        self, *args: Any, schools: SchoolChoices, life_domains: QuerySet[LifeDomain], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {str(school.pk): school for school in [*schools.served, *schools.others]}
        field_of(self, "school", forms.ChoiceField).choices = schools.choices(_("No school"))
        if schools.today is not None:
            self.fields["school"].initial = str(schools.today.pk)
        field_of(self, "life_domain", forms.ModelChoiceField).queryset = life_domains

    def clean_first_name(self) -> str:
        name = " ".join((self.cleaned_data.get("first_name") or "").split())
        if " " in name:
            raise ValidationError(
                _("Give a first name only, in one word (join a double first name with a hyphen); never a last name."),
                code="first_name_only",
            )
        return name

    def clean_school(self) -> School | None:
        return self.schools.get(self.cleaned_data.get("school") or "")

    def private_note(self) -> bool:
        return bool(self.cleaned_data.get("note_private"))

    def contact_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return super().contact_values() | {
            "first_name": data.get("first_name") or "",
            "school": data.get("school"),
            "life_domain": data.get("life_domain"),
            "place": data.get("place") or "",
        }


class ContactChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: ContactMoment) -> str:
        parts = [
            date_format(timezone.localtime(obj.occurred_at), "SHORT_DATETIME_FORMAT"),
            str(obj.get_contact_type_display()),
            obj.first_name or str(_("anonymous")),
        ]
        if obj.school is not None:
            parts.append(obj.school.name)
        return " · ".join(parts)


class YoungPersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: YoungPerson) -> str:
        if obj.birth_date:
            return f"{obj.first_name} {obj.last_name} ({date_format(obj.birth_date, 'SHORT_DATE_FORMAT')})"
        return f"{obj.first_name} {obj.last_name}"


class ConvertToCaseForm(forms.Form):
    """Low-threshold contacts of one young person become a case (with their history), for a young
    person the user guided before or a new one, when the young person or a parent agreed."""

    contacts = ContactChoiceField(
        label=_("Contacts with this young person"),
        queryset=ContactMoment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the contacts to turn into a case.")},
    )
    young_person = YoungPersonChoiceField(
        label=_("A young person you guided before"),
        queryset=YoungPerson.objects.none(),
        required=False,
        empty_label=_("No, someone new"),
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("No school")
    )
    consent_recorded = forms.BooleanField(
        label=_("The young person or a parent agrees that a case is opened"),
        required=False,
        help_text=_("Without this agreement no case is opened."),
    )
    confirm_new = forms.BooleanField(
        label=_("This is someone else: add a new young person anyway"), required=False
    )

    NEW_PERSON = ("first_name", "last_name", "birth_date")

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[ContactMoment],
        young_people: QuerySet[YoungPerson],
        schools: QuerySet[School],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "contacts", forms.ModelChoiceField).queryset = contacts
        field_of(self, "young_person", forms.ModelChoiceField).queryset = young_people
        field_of(self, "school", forms.ModelChoiceField).queryset = schools

    def clean_contacts(self) -> list[ContactMoment]:
        contacts = list(self.cleaned_data["contacts"])
        names = {contact.first_name.casefold() for contact in contacts if contact.first_name}
        if len(names) > 1:
            raise ValidationError(
                _("These contacts have different first names: choose the contacts of one young person."),
                code="several_people",
            )
        return contacts

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("young_person") is None:
            for name in ("first_name", "last_name"):
                if name in data and not (data.get(name) or "").strip():
                    self.add_error(name, ValidationError(self.fields[name].error_messages["required"], "required"))
        return data

    def young_person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.NEW_PERSON if data.get(name) not in (None, "")}
        if data.get("school") is not None:
            values["school"] = data["school"]
        return values
