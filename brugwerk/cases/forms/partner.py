"""Forms of the partner pages: the partner tells how a referral goes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models import FeedbackStatus


class FeedbackForm(forms.Form):
    status = forms.ChoiceField(label=_("How is it going?"), choices=FeedbackStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the brugfiguur: no more than needed. When it is not possible, say briefly why."
        ),
    )
