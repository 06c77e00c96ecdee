"""Forms of the group offering pages. They parse; the checks that decide (school or place, organisers
of the region, attendance only after the session, no names in quotes, ...) are the services'.

Attendance is one form for a phone: a big present/absent/excused choice per linked participant and
a number per anonymous category, each with − and + buttons that work without JavaScript (they post
the form back with `step`, and the page returns with the number changed, nothing saved yet)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models import Case, LifeDomain
from brugwerk.core.forms import (
    BaseFormSet,
    CheckboxCards,
    ChoiceCards,
    DateInput,
    ModelChoiceField,
    ModelForm,
    ModelMultipleChoiceField,
    TimeInput,
    choice_with_blank,
)
from brugwerk.core.types import field_of
from brugwerk.groups.models import (
    MAX_COUNT,
    MAX_SESSION_MINUTES,
    AgeGroup,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    Grade,
    GroupOffering,
    GroupSession,
    OfferingKind,
    TargetGroup,
)
from brugwerk.groups.selectors import Category, OfferingFilter
from brugwerk.groups.services import CategoryCount
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import School

COUNT_PREFIX = "c"
NUMBER_ATTRS = {"inputmode": "numeric", "step": "1"}


class OfferingForm(ModelForm):
    class Meta:
        model = GroupOffering
        fields = [
            "kind", "title", "target_group", "school", "place", "organisers", "partners", "life_domains",
            "languages", "interpreter", "description",
        ]
        widgets = {
            "kind": ChoiceCards,
            "target_group": ChoiceCards,
            "organisers": CheckboxCards,
            "partners": forms.CheckboxSelectMultiple,
            "life_domains": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("For example: Parent café Leiespiegel, Workshop study skills."),
            "partners": _("The partner organisations that organise it with you: they see the offering and its counts."),
        }

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        organisers: QuerySet,
        partners: QuerySet[PartnerOrganisation],
        life_domains: QuerySet[LifeDomain],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = OfferingKind.choices  # no blank choice among the cards
        field_of(self, "target_group", forms.ChoiceField).choices = TargetGroup.choices  # the model's, no blank
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "school", forms.ModelChoiceField).empty_label = _("Not at a school")
        field_of(self, "organisers", forms.ModelChoiceField).queryset = organisers
        field_of(self, "partners", forms.ModelChoiceField).queryset = partners
        field_of(self, "life_domains", forms.ModelChoiceField).queryset = life_domains

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "school" in data and not data.get("school") and not (data.get("place") or "").strip():
            self.add_error("place", _("Choose a school or give the place where it takes place."))
        return data


class SessionForm(ModelForm):
    class Meta:
        model = GroupSession
        fields = ["date", "start_time", "duration_minutes", "place", "topic", "notes"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "duration_minutes": forms.NumberInput(attrs={**NUMBER_ATTRS, "min": 1, "max": MAX_SESSION_MINUTES}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"topic": _("For example: school costs, the report card, how to reach the teachers.")}


def next_session_initial(last: GroupSession | None, kind: str, today: datetime.date) -> dict[str, Any]:
    """A new session starts where the last one left off: the same time and duration, a week later
    (four weeks for a monthly parent café), and not before today."""
    if last is None:
        return {"date": today, "start_time": datetime.time(9, 0), "duration_minutes": 90}
    step = datetime.timedelta(weeks=4 if kind == OfferingKind.PARENT_CAFE else 1)
    date = last.date + step
    while date < today:
        date += step
    return {"date": date, "start_time": last.start_time, "duration_minutes": last.duration_minutes,
            "place": last.place}


class EvaluationForm(forms.Form):
    evaluation_forms = forms.IntegerField(
        label=_("Evaluation forms returned"), required=False, min_value=0, max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs=NUMBER_ATTRS),
    )
    evaluation_score = forms.DecimalField(
        label=_("Average score (1 to 5)"), required=False, min_value=1, max_value=5, max_digits=2,
        decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        help_text=_("The average of the scores on the forms, for example 4.2."),
    )
    evaluation_quotes = forms.CharField(
        label=_("Quotes"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One quote per line, without names."),
    )


class OfferingSearchForm(forms.Form):
    """The filters of the offering list (a GET form: invalid values are ignored and shown)."""

    q = forms.CharField(
        label=_("Search by title or place"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=choice_with_blank(OfferingKind.choices,
                                                                                         _("All kinds")))
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )
    start = forms.DateField(label=_("Sessions from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Sessions until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must come after the start date."))
        return data

    def filters(self) -> OfferingFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return OfferingFilter(
            kind=data.get("kind") or "", school=data.get("school"), start=data.get("start"),
            end=data.get("end") if "end" not in self.errors else None, query=(data.get("q") or "").strip(),
        )


class CaseChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        person = obj.young_person
        school = f" · {obj.school.name}" if obj.school is not None else ""
        return f"{person.first_name} {person.last_name}{school}"


class ParticipantAddForm(forms.Form):
    cases = CaseChoiceField(
        label=_("Young people to add"), queryset=Case.objects.none(), widget=CheckboxCards,
        error_messages={"required": _("Choose at least one young person.")},
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "cases", forms.ModelChoiceField).queryset = cases


# --- Attendance -------------------------------------------------------------------------------------------


def category_label(role: str, gender: str, age_group: str, grade: int | str) -> str:
    """A category in words, e.g. "parent · female" or "pupil · male · 3rd year"."""
    parts = [dict(AttendeeRole.choices).get(role, ""), dict(Gender.choices).get(gender, "")]
    obvious = role == AttendeeRole.PARENT and age_group == AgeGroup.ADULT
    if age_group and age_group != AgeGroup.UNKNOWN and not obvious:
        parts.append(dict(AgeGroup.choices).get(age_group, ""))
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        grade = Grade.UNKNOWN
    if grade != Grade.UNKNOWN:
        parts.append(dict(Grade.choices).get(grade, ""))
    return " · ".join(str(part) for part in parts if part)


class CountForm(forms.Form):
    """One anonymous category and how many came. A known category shows as a label with its number;
    an empty row lets the user choose another category."""

    role = forms.ChoiceField(label=_("Who"), required=False, choices=choice_with_blank(AttendeeRole.choices, "–"))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN)
    grade = forms.TypedChoiceField(label=_("Grade"), choices=Grade.choices, coerce=int, initial=Grade.UNKNOWN)
    count = forms.IntegerField(
        label=_("Number"), required=False, min_value=0, max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={**NUMBER_ATTRS, "min": 0, "max": MAX_COUNT}),
    )

    fixed = False  # a known category (set by the formset)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("count") or 0) > 0 and not data.get("role"):
            self.add_error("role", _("Choose who was counted."))
        return data

    def label(self) -> str:
        value = self.data if self.is_bound else {}
        if self.is_bound:
            get = lambda name: value.get(self.add_prefix(name), "")  # noqa: E731
        else:
            get = lambda name: self.initial.get(name, "")  # noqa: E731
        return category_label(get("role"), get("gender"), get("age_group"), get("grade"))


class BaseCountFormSet(BaseFormSet):
    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]  # Django has it, django-stubs lack it
        form.fixed = i < self.initial_form_count()
        if form.fixed:
            for name in ("role", "gender", "age_group", "grade"):
                form.fields[name].widget = forms.HiddenInput()
            form.fields["count"].label = form.label()
        return form

    def counts(self) -> list[CategoryCount]:
        return [
            CategoryCount(
                role=data["role"], gender=data["gender"], age_group=data["age_group"], grade=data["grade"],
                count=data.get("count") or 0,
            )
            for data in self.cleaned_data
            if data and data.get("role") and (data.get("count") or 0) > 0
        ]


# formset_factory makes a subclass of `formset` (django-stubs type it as a plain BaseFormSet).
CountFormSet = cast(
    "type[BaseCountFormSet]",
    formset_factory(CountForm, formset=BaseCountFormSet, extra=2, max_num=60, absolute_max=80),
)

# The categories a new series counts when nothing was counted yet, by target group.
DEFAULT_ROLES = {
    "parents": [AttendeeRole.PARENT],
    "pupils": [AttendeeRole.PUPIL],
    "pupils_and_parents": [AttendeeRole.PARENT, AttendeeRole.PUPIL],
    "other": [AttendeeRole.PARENT],
}


def count_rows(session: GroupSession) -> list[dict[str, Any]]:
    """The known categories of a session's attendance page: what was counted at this session, then
    what the series usually counts (at 0), or, the first time, the women and men of its target group."""
    rows: dict[tuple[str, str, str, int], int] = {}
    for row in session.count_rows:
        rows[(row.role, row.gender, row.age_group, row.grade)] = row.count
    usual: list[Category] = session.usual_categories
    if not usual and not rows:
        adult = {AttendeeRole.PARENT: AgeGroup.ADULT, AttendeeRole.PUPIL: AgeGroup.UNKNOWN}
        usual = [
            Category(role, gender, adult[role], Grade.UNKNOWN)
            for role in DEFAULT_ROLES.get(session.offering.target_group, [AttendeeRole.PARENT])
            for gender in (Gender.FEMALE, Gender.MALE)
        ]
    for category in usual:
        rows.setdefault((category.role, category.gender, category.age_group, category.grade), 0)
    return [
        {"role": role, "gender": gender, "age_group": age_group, "grade": grade, "count": count}
        for (role, gender, age_group, grade), count in rows.items()
    ]


STATUS_CHOICES = [(value, label) for value, label in AttendanceStatus.choices]


class AttendanceForm(forms.Form):
    """Per linked participant the user sees: present, absent or excused (none: not recorded)."""

    def __init__(self, *args: Any, participants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant_ids: dict[str, int] = {}
        for participant in participants:
            name = f"p{participant.pk}"
            person = participant.case.young_person
            self.fields[name] = forms.ChoiceField(
                label=f"{person.first_name} {person.last_name}", choices=STATUS_CHOICES, required=False,
                widget=ChoiceCards,
                initial=participant.status or None,
            )
            self.participant_ids[name] = participant.pk

    def statuses(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name) or "" for name, pk in self.participant_ids.items()}


def apply_step(data: QueryDict) -> QueryDict:
    """The posted form with the number a − or + button names changed by one (never below 0)."""
    data = data.copy()
    name, _sep, delta = (data.get("step") or "").rpartition(":")
    if not name.startswith(f"{COUNT_PREFIX}-") or not name.endswith("-count") or delta not in {"1", "-1"}:
        return data
    try:
        current = int(data.get(name) or 0)
    except ValueError:
        current = 0
    data[name] = str(min(MAX_COUNT, max(0, current + int(delta))))
    return data

