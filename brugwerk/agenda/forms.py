"""Forms of the agenda pages. An appointment is entered as a day with a start and an end time (quick
on a phone); the form turns them into moments in the Brussels time zone for the service."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.agenda.models import Appointment, AppointmentKind, Weekday
from brugwerk.cases.models import Case
from brugwerk.core.forms import DateInput, ModelChoiceField, TimeInput
from brugwerk.core.types import field_of
from brugwerk.regions.models import School


def _capitalised(choices: list[tuple[Any, Any]]) -> list[tuple[Any, str]]:
    return [(value, capfirst(label)) for value, label in choices]


class CaseChoiceField(ModelChoiceField):
    """A case by its young person's name and school (the cases to choose from are the user's own)."""

    def label_from_instance(self, obj: Case) -> str:
        person = f"{obj.young_person.first_name} {obj.young_person.last_name}".strip()
        return f"{person} · {obj.school.name}" if obj.school is not None else person


class AgendaNavigationForm(forms.Form):
    """Which week (any day of it) and, for the coordinator, whose agenda. Invalid values are shown
    as errors and ignored, so a hand-made address never breaks the page."""

    date = forms.DateField(label=_("Go to the week of"), required=False, widget=DateInput())
    brugfiguur = ModelChoiceField(
        label=_("Agenda of"), queryset=User.objects.none(), required=False, empty_label=_("The whole pool")
    )

    def __init__(self, *args: Any, owners: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_owners(self, owners)


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _offer_owners(form: forms.Form, owners: list[User] | None) -> None:
    """The bridge figure to plan for: a choice among `owners` (the coordinator's pool), or no field at
    all when one plans one's own agenda."""
    if owners is None:
        del form.fields["brugfiguur"]
        return
    field_of(form, "brugfiguur", forms.ModelChoiceField).queryset = User.objects.filter(
        pk__in=[o.pk for o in owners]
    ).order_by("first_name", "last_name", "username")


class AppointmentForm(forms.Form):
    """A new or changed appointment. `brugfiguur` is asked only of the coordinator, who plans for
    the pool; `case` offers only cases the user may see."""

    brugfiguur = ModelChoiceField(label=_("In the agenda of"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=lambda: _capitalised(AppointmentKind.choices))
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("No school")
    )
    case = CaseChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("No case"),
        help_text=_("Only you and those who may open the case see which case it is."),
    )
    location = forms.CharField(
        label=_("Where"),
        required=False,
        max_length=200,
        help_text=_("Not shown in the calendar feed."),
    )

    def __init__(
        self,
        *args: Any,
        cases: QuerySet[Case],
        schools: QuerySet[School],
        owners: list[User] | None = None,
        instance: Appointment | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            start, end = timezone.localtime(instance.starts_at), timezone.localtime(instance.ends_at)
            kwargs["initial"] = {
                "kind": instance.kind,
                "day": start.date(),
                "starts_at": start.time(),
                "ends_at": end.time(),
                "school": instance.school_id,
                "case": instance.case_id,
                "location": instance.location,
            } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        field_of(self, "case", forms.ModelChoiceField).queryset = cases
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        _offer_owners(self, owners)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("starts_at"), data.get("ends_at")
        if start is not None and end is not None and end <= start:
            self.add_error("ends_at", _("The end must come after the start."))
        return data

    def values(self) -> dict[str, Any]:
        """What the appointment services take."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": _aware(data["day"], data["starts_at"]),
            "ends_at": _aware(data["day"], data["ends_at"]),
            "location": data["location"],
            "case": data["case"],
            "school": data["school"],
        }


class PresenceDayForm(forms.Form):
    """A weekly presence day at a school the brugfiguur serves."""

    brugfiguur = ModelChoiceField(label=_("Bridge figure"), queryset=User.objects.none())
    school = ModelChoiceField(label=_("School"), queryset=School.objects.none())
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=lambda: _capitalised(Weekday.choices), coerce=int)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("The last day; leave empty while it holds."),
    )

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        serves: Any,
        owners: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.serves = serves  # serves(brugfiguur, school) -> bool
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        _offer_owners(self, owners)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The last day cannot lie before the first."))
        school, brugfiguur = data.get("school"), data.get("brugfiguur")
        if school is not None and "brugfiguur" in self.fields and brugfiguur is not None:
            if not self.serves(brugfiguur, school):
                self.add_error("school", _("This bridge figure does not serve this school in the pool."))
        return data


class PresenceDayEndForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        help_text=_("The last day the bridge figure is at this school on this weekday."),
    )

    def __init__(self, *args: Any, presence_day: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.presence_day = presence_day

    def clean_valid_until(self) -> datetime.date:
        end = self.cleaned_data["valid_until"]
        if end < self.presence_day.valid_from:
            raise ValidationError(_("The last day cannot lie before the first."))
        return end
