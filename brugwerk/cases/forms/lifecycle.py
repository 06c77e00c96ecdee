"""Forms of the lifecycle pages: another lead, a change of school within the region, sharing the
case, closing it (with its closing contact) and reopening it. The services decide; these parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import User
from brugwerk.cases.forms.contacts import CASE_CONTACT_TYPES, ContactMomentFields, NoteVisibilityMixin
from brugwerk.cases.models import CloseReason, ShareKind
from brugwerk.core.forms import ChoiceCards, DateInput, ModelChoiceField
from brugwerk.core.types import field_of
from brugwerk.regions.models import School


class SchoolWithPoolChoiceField(ModelChoiceField):
    """A school, with the brugfiguren who serve it (prefetched as `pool_members`)."""

    def label_from_instance(self, obj: School) -> str:
        serving = ", ".join(str(member.user) for member in obj.pool_members.all())
        nobody = _("no bridge figure yet")
        return f"{obj.name} ({serving or nobody})"


class AssignLeadForm(forms.Form):
    lead = ModelChoiceField(label=_("New lead bridge figure"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Note for the new bridge figure"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, brugfiguren: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "lead", forms.ModelChoiceField).queryset = brugfiguren


class TransferForm(forms.Form):
    to_school = SchoolWithPoolChoiceField(label=_("New school"), queryset=School.objects.none())
    to_lead = ModelChoiceField(
        label=_("Who leads the case from now on"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The bridge figure who serves the new school"),
        help_text=_("Choose someone only when no one, or more than one bridge figure, serves the new school."),
    )
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the new bridge figure needs to know to continue: the warm handover."),
    )

    def __init__(self, *args: Any, schools: QuerySet[School], brugfiguren: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_school", forms.ModelChoiceField).queryset = schools
        field_of(self, "to_lead", forms.ModelChoiceField).queryset = brugfiguren


class ShareForm(forms.Form):
    user = ModelChoiceField(label=_("Bridge figure"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Kind of sharing"), choices=ShareKind.choices, widget=ChoiceCards)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until (inclusive)"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for a stand-in; leave empty for co-guidance without an end date."),
    )

    def __init__(self, *args: Any, brugfiguren: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "user", forms.ModelChoiceField).queryset = brugfiguren
        self.fields["kind"].initial = ShareKind.CO_GUIDANCE
        self.fields["starts_on"].initial = timezone.localdate()


class CloseForm(NoteVisibilityMixin, ContactMomentFields):
    """Closing: why, the outcome, and the closing contact moment registered in the same step."""

    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CloseReason.choices, widget=ChoiceCards)
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the trajectory brought, in a few sentences."),
    )

    CONTACT = (
        "contact_type", "occurred_on", "occurred_time", "duration", "duration_minutes", "with_whom", "note",
        "note_visibility",
    )
    field_order = ["reason", "outcome", *CONTACT]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("contact_types", CASE_CONTACT_TYPES)
        super().__init__(*args, **kwargs)
        self.fields["contact_type"].label = _("Type of the closing contact")
        self.fields["note"].label = _("Note on the closing contact")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: a new question of the young person or a parent."),
    )
