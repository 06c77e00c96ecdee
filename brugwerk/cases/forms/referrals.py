"""Forms of the referrals pages: referring a pupil, the three triage decisions (accept, refuse,
queue) and the filter of the waiting list. Field names follow the services' keywords, so a
service's validation error lands on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain, Referral, Urgency, YoungPerson
from brugwerk.cases.selectors.referrals import Referrer
from brugwerk.cases.services.referrals import MAX_PRIORITY
from brugwerk.core.forms import DateInput, ModelChoiceField, ModelMultipleChoiceField
from brugwerk.core.types import field_of
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import School, Zone

NEW_YOUNG_PERSON = "new"


class ReferralForm(forms.Form):
    """A referral in. A school contact refers for their own school (preset when they have one), a
    partner for their own organisation; a brugfiguur or coordinator registers a pupil or parent who
    came directly, for any school of the region or none."""

    pupil_first_name = forms.CharField(label=_("First name of the young person"), max_length=80)
    pupil_last_name = forms.CharField(label=_("Last name of the young person"), max_length=80)
    pupil_birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Helps to recognise a young person who is already known."),
    )
    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("No school or not known")
    )
    organisation = ModelChoiceField(
        label=_("Your organisation"), queryset=PartnerOrganisation.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is going on, and what help is asked for?"),
    )
    life_domains = ModelMultipleChoiceField(
        label=_("Life domains"),
        queryset=LifeDomain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every life domain the question touches."),
    )
    already_tried = forms.CharField(
        label=_("What has already been tried?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    pupil_informed = forms.BooleanField(label=_("The young person knows about this referral"), required=False)
    parents_informed = forms.BooleanField(label=_("The parents know about this referral"), required=False)

    def __init__(self, *args: Any, referrer: Referrer, life_domains: QuerySet[LifeDomain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrer = referrer
        field_of(self, "life_domains", forms.ModelChoiceField).queryset = life_domains
        if referrer.school_fixed is not None:
            del self.fields["school"]
        else:
            field_of(self, "school", forms.ModelChoiceField).queryset = referrer.schools
        if referrer.kind == Referrer.SCHOOL:
            self.fields["already_tried"].label = _("What has the school already tried?")
            if "school" in self.fields:  # a school contact of several schools chooses one of them
                self.fields["school"].required = True
                field_of(self, "school", forms.ModelChoiceField).empty_label = None
        if referrer.kind == Referrer.PARTNER and referrer.organisation_fixed is None:
            field_of(self, "organisation", forms.ModelChoiceField).queryset = referrer.organisations.order_by("name")
        else:
            del self.fields["organisation"]

    def service_values(self) -> dict[str, Any]:
        """The keywords for `services.referral_create`."""
        data = self.cleaned_data
        return {
            "pupil_first_name": data["pupil_first_name"],
            "pupil_last_name": data["pupil_last_name"],
            "pupil_birth_date": data.get("pupil_birth_date"),
            "school": self.referrer.school_fixed or data.get("school"),
            "organisation": self.referrer.organisation_fixed or data.get("organisation"),
            "reason": data["reason"],
            "life_domains": list(data.get("life_domains") or []),
            "already_tried": data.get("already_tried", ""),
            "urgency": data["urgency"],
            "pupil_informed": data["pupil_informed"],
            "parents_informed": data["parents_informed"],
        }


def _person_label(person: YoungPerson) -> str:
    parts = [str(person)]
    if person.birth_date:
        parts.append(_("born %(date)s") % {"date": date_format(person.birth_date, "SHORT_DATE_FORMAT")})
    if person.school is not None:
        parts.append(person.school.name)
    label = ", ".join(parts)
    if getattr(person, "has_open_case", False):
        label = _("%(person)s (already has an open case)") % {"person": label}
    return _("Young person already known: %(person)s") % {"person": label}


class AcceptForm(forms.Form):
    """Accept a referral: the brugfiguur who takes on the case and, when the region already knows a
    young person with the same name and date of birth, whether it is them or somebody new."""

    lead = ModelChoiceField(
        label=_("Bridge figure who takes on the case"), queryset=User.objects.none(), empty_label=None
    )
    young_person = forms.ChoiceField(
        label=_("Who is this referral about?"),
        widget=forms.RadioSelect,
        help_text=_("A young person with the same name and date of birth is already known in the region."),
    )

    def __init__(
        self, *args: Any, referral: Referral, leads: QuerySet[User], duplicates: list[YoungPerson], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        field_of(self, "lead", forms.ModelChoiceField).queryset = leads
        self.duplicates = {str(person.pk): person for person in duplicates}
        if not duplicates:
            del self.fields["young_person"]
        else:
            name = f"{referral.pupil_first_name} {referral.pupil_last_name}"
            field_of(self, "young_person", forms.ChoiceField).choices = [
                (NEW_YOUNG_PERSON, _("A new young person: create %(name)s") % {"name": name}),
                *[(pk, _person_label(person)) for pk, person in self.duplicates.items()],
            ]

    def chosen_young_person(self) -> YoungPerson | None:
        """The known young person chosen, or None for a new one."""
        return self.duplicates.get(self.cleaned_data.get("young_person") or NEW_YOUNG_PERSON)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The referrer sees this reason."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "refuse")
        super().__init__(*args, **kwargs)


class QueueForm(forms.Form):
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=MAX_PRIORITY,
        initial=0,
        help_text=_("From 0 to 100: higher comes first on the waiting list."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "queue")
        super().__init__(*args, **kwargs)


class WaitingListFilterForm(forms.Form):
    """The filter of the waiting list. Invalid values are ignored, so a hand-made URL never breaks
    the page."""

    school = ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )
    zone = ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=_("All zones")
    )

    def __init__(self, *args: Any, schools: QuerySet[School], zones: QuerySet[Zone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        field_of(self, "zone", forms.ModelChoiceField).queryset = zones

    def values(self) -> tuple[School | None, Zone | None]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("school"), data.get("zone")
