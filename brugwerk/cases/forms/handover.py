"""Forms of the handover pages: recording consent, referring out under a consent, and choosing the
consent for a handover summary. The services decide what is allowed (who may consent, what a
consent covers); the forms only collect the input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models import CONSENT_AGE, Consent, ConsentGiver, ConsentMethod, ConsentPurpose, ShareableField
from brugwerk.core.forms import DateInput, ModelChoiceField
from brugwerk.core.types import field_of
from brugwerk.network.models import ContactPoint, PartnerOrganisation


class ConsentForm(forms.Form):
    organisation = ModelChoiceField(
        label=_("Recipient (partner organisation)"),
        queryset=PartnerOrganisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices, widget=forms.RadioSelect)
    shared_fields = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=ShareableField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what is strictly necessary for this purpose."),
    )
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
    )
    given_by_name = forms.CharField(
        label=_("Name of the parent or guardian"),
        max_length=160,
        required=False,
        help_text=_("Needed when a parent or guardian consents."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisations: QuerySet[PartnerOrganisation], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
        self.fields["given_by"].help_text = gettext(
            "From the age of %(age)d a young person is presumed able to consent for themselves."
        ) % {"age": CONSENT_AGE}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class CoveredFieldsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes for what to share; a field the consent does not cover is shown, disabled, with the
    reason in its label (a browser does not send a disabled box; the service refuses it anyway)."""

    def __init__(self, *args: Any, covered: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.covered = frozenset(covered)

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in self.covered:
            option["attrs"]["disabled"] = True
            option["label"] = _("%(field)s (not covered by the consent)") % {"field": label}
        return option


class ReferralOutForm(forms.Form):
    contact_point = forms.TypedChoiceField(label=_("Contact point"), coerce=int, empty_value=None)
    question = forms.CharField(
        label=_("What is asked"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What you ask of the partner, in a few sentences."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("What is shared"),
        choices=ShareableField.choices,
        required=False,
        help_text=_("Only what the consent covers can be shared. The partner sees these values as they are now."),
    )

    def __init__(
        self,
        *args: Any,
        consent: Consent,
        covered: Iterable[str],
        for_school: list[ContactPoint],
        others: list[ContactPoint],
        **kwargs: Any,
    ) -> None:
        covered = [field for field in ShareableField.values if field in set(covered)]
        kwargs.setdefault("initial", {"shared_fields": covered})
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.contact_points = {point.pk: point for point in [*for_school, *others]}
        field = field_of(self, "contact_point", forms.ChoiceField)
        if self.contact_points:
            choices: list[Any] = [("", _("Choose a contact point"))]
            if for_school:
                choices.append((_("Answers for the young person's school"), [_option(p) for p in for_school]))
            if others:
                choices.append((_("Other contact points"), [_option(p) for p in others]))
            field.choices = choices
        else:
            field.choices = [("", _("The organisation's general address (it has no fixed contact point)"))]
            field.required = False
        self.fields["shared_fields"].widget = CoveredFieldsWidget(covered=covered)
        self.fields["shared_fields"].widget.choices = field_of(self, "shared_fields", forms.ChoiceField).choices

    def clean_contact_point(self) -> ContactPoint | None:
        pk = self.cleaned_data.get("contact_point")
        return self.contact_points.get(pk) if pk is not None else None


def _option(point: ContactPoint) -> tuple[int, str]:
    detail = point.function or point.scope_label
    return point.pk, f"{point.person_name} ({detail})" if detail else point.person_name


class ConsentChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _consent_label(obj)


class HandoverExportForm(forms.Form):
    consent = ConsentChoiceField(
        label=_("Consent for the handover summary"),
        queryset=Consent.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, consents: QuerySet[Consent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "consent", forms.ModelChoiceField).queryset = consents


def _consent_label(consent: Consent) -> str:
    names = dict(ShareableField.choices)
    fields = ", ".join(str(names.get(name, name)) for name in consent.shared_fields)
    return _("%(organisation)s, given on %(date)s: %(fields)s") % {
        "organisation": consent.organisation.name,
        "date": date_format(consent.given_on, "SHORT_DATE_FORMAT"),
        "fields": fields,
    }
