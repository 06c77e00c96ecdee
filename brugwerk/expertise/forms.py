"""Forms of the expertise pages. The activity form is made for a phone: big choices, today and the
user as lead filled in, the schools they serve first, the rarer fields folded away. The checks that
decide (region, pool, a month ahead at most, ...) are the service's; the forms only parse."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain
from brugwerk.cases.selectors.contacts import SchoolChoices
from brugwerk.core.forms import CheckboxCards, ChoiceCards, DateInput, ModelChoiceField, ModelMultipleChoiceField
from brugwerk.core.types import field_of
from brugwerk.expertise.models import (
    MAX_MINUTES,
    MAX_PARTICIPANTS,
    ActivityKind,
    ExpertiseTopic,
    ParticipantFunction,
    SchoolTeamActivity,
)
from brugwerk.expertise.selectors import ActivityFilter
from brugwerk.regions.models import School

DURATION_CHOICES = [
    ("30", _("30 minutes")),
    ("60", _("1 hour")),
    ("90", _("1.5 hours")),
    ("120", _("2 hours")),
    ("180", _("3 hours")),
    ("360", _("a day (6 hours)")),
]
SCORE_CHOICES = [
    ("1", _("1 · poor")),
    ("2", _("2 · meagre")),
    ("3", _("3 · fair")),
    ("4", _("4 · good")),
    ("5", _("5 · very good")),
]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was it?"), choices=ActivityKind.choices, widget=ChoiceCards)
    school = forms.ChoiceField(label=_("School"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    duration = forms.ChoiceField(label=_("Duration"), choices=DURATION_CHOICES, widget=ChoiceCards, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Or another duration, in minutes"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )
    topics = ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=ExpertiseTopic.objects.none(),
        widget=CheckboxCards,
        error_messages={"required": _("Choose at least one topic.")},
    )
    participant_count = forms.IntegerField(
        label=_("Number of participants"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        help_text=_("The members of the school team who took part, without yourself."),
    )
    participant_functions = forms.MultipleChoiceField(
        label=_("Their functions"), choices=ParticipantFunction.choices, widget=CheckboxCards, required=False
    )
    description = forms.CharField(
        label=_("What was done and agreed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Never write the name of a pupil or a family: this is about the school team."),
    )
    lead = ModelChoiceField(label=_("Led by"), queryset=User.objects.none(), empty_label=_("Choose a bridge figure"))
    co_facilitators = ModelMultipleChoiceField(
        label=_("Together with"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other bridge figures of the pool who led it with you."),
    )
    life_domains = ModelMultipleChoiceField(
        label=_("Life domains"),
        queryset=LifeDomain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the life domains the activity was about."),
    )

    MORE = ("lead", "co_facilitators", "life_domains")

    def __init__(
        self,
        *args: Any,
        schools: SchoolChoices,
        topics: QuerySet[ExpertiseTopic],
        facilitators: QuerySet[User],
        life_domains: QuerySet[LifeDomain],
        user: User,
        instance: SchoolTeamActivity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {str(school.pk): school for school in [*schools.served, *schools.others]}
        field_of(self, "school", forms.ChoiceField).choices = schools.choices(_("Choose a school"))
        field_of(self, "topics", forms.ModelChoiceField).queryset = topics
        field_of(self, "lead", forms.ModelChoiceField).queryset = facilitators
        field_of(self, "co_facilitators", forms.ModelChoiceField).queryset = facilitators
        field_of(self, "life_domains", forms.ModelChoiceField).queryset = life_domains
        if instance is None:
            self.fields["date"].initial = timezone.localdate()
            if schools.today is not None:
                self.fields["school"].initial = str(schools.today.pk)
            if facilitators.filter(pk=user.pk).exists():
                self.fields["lead"].initial = user.pk
        else:
            # An activity's chosen school and topics stay choosable when they are no longer offered.
            self.schools.setdefault(str(instance.school_id), instance.school)
            field_of(self, "topics", forms.ModelChoiceField).queryset = (
                topics | ExpertiseTopic.objects.filter(activities=instance)
            ).distinct()
            named = User.objects.filter(
                Q(pk=instance.lead_id) | Q(co_led_team_activities=instance)
            )
            people = (facilitators | named).distinct()
            field_of(self, "lead", forms.ModelChoiceField).queryset = people
            field_of(self, "co_facilitators", forms.ModelChoiceField).queryset = people
            minutes = instance.duration_minutes
            quick = str(minutes) in dict(DURATION_CHOICES)
            self.initial.update(
                {
                    "kind": instance.kind,
                    "school": str(instance.school_id),
                    "date": instance.date,
                    "duration": str(minutes) if quick else "",
                    "duration_minutes": None if quick else minutes,
                    "topics": list(instance.topics.all()),
                    "participant_count": instance.participant_count,
                    "participant_functions": instance.participant_functions,
                    "description": instance.description,
                    "lead": instance.lead_id,
                    "co_facilitators": list(instance.co_facilitators.all()),
                    "life_domains": list(instance.life_domains.all()),
                }
            )

    def clean_school(self) -> School:
        school = self.schools.get(self.cleaned_data.get("school") or "")
        if school is None:
            raise ValidationError(_("Choose a school."), code="required")
        return school

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors.get("duration_minutes") and not data.get("duration_minutes") and not data.get("duration"):
            self.add_error("duration", ValidationError(_("How long did it take?"), code="required"))
        return data

    def minutes(self) -> int | None:
        free = self.cleaned_data.get("duration_minutes")
        if free:
            return free
        quick = self.cleaned_data.get("duration")
        return int(quick) if quick else None

    def activity_values(self) -> dict[str, Any]:
        """The values `services.activity_create` / `activity_update` take."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "school": data["school"],
            "date": data["date"],
            "duration_minutes": self.minutes(),
            "topics": list(data["topics"]),
            "participant_count": data["participant_count"],
            "participant_functions": list(data.get("participant_functions") or []),
            "description": data.get("description") or "",
            "lead": data["lead"],
            "co_facilitators": list(data.get("co_facilitators") or []),
            "life_domains": list(data.get("life_domains") or []),
        }

    def more_has_errors(self) -> bool:
        return any(self.errors.get(name) for name in self.MORE)


class EvaluationForm(forms.Form):
    evaluation_score = forms.ChoiceField(
        label=_("How did it go?"), choices=SCORE_CHOICES, widget=ChoiceCards, required=False
    )
    evaluation_text = forms.CharField(
        label=_("Short evaluation"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the school team said, what worked, what to do differently. No names of pupils."),
    )

    def score(self) -> int | None:
        value = self.cleaned_data.get("evaluation_score")
        return int(value) if value else None


class ActivityFilterForm(forms.Form):
    """The filters of the activity list. Invalid values are ignored (and shown as errors), so a
    hand-made URL never breaks the page."""

    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )
    topic = ModelChoiceField(
        label=_("Topic"), queryset=ExpertiseTopic.objects.none(), required=False, empty_label=_("All topics")
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"), required=False, choices=[("", _("All kinds")), *ActivityKind.choices]
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Only the ones I led"), required=False)

    def __init__(
        self, *args: Any, schools: QuerySet[School], topics: QuerySet[ExpertiseTopic], show_mine: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "topic", forms.ModelChoiceField).queryset = topics
        if not show_mine:
            del self.fields["mine"]

    def filters(self) -> ActivityFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ActivityFilter(
            school=data.get("school"),
            topic=data.get("topic"),
            kind=data.get("kind") or "",
            start=data.get("start"),
            end=data.get("end"),
            mine=bool(data.get("mine")),
        )

    def query(self) -> dict[str, str]:
        """The filters as given, for the audit trail."""
        return {name: str(value) for name, value in self.data.items() if name in self.fields and value}


def school_year_start(value: str | None) -> datetime.date | None:
    """`?jaar=2024` → 1 September 2024; anything else → None (this school year)."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return datetime.date(year, 9, 1) if 2000 <= year <= 2100 else None
