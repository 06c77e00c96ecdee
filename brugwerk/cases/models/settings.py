"""A region's settings for casework: data, not constants in code. One row per region (created with
the region by `region_create` and the demo); a region without one reads the defaults below
(`cases.selectors.casework_settings`). No page edits them yet."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseworkSettings(models.Model):
    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="casework_settings", verbose_name=_("region")
    )
    feedback_reminder_working_days = models.PositiveSmallIntegerField(
        _("reminder after how many working days without feedback on a referral"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    inactivity_reminder_days = models.PositiveSmallIntegerField(
        _("reminder after how many days without contact in an open case"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # The access policy reads this one in the database (cases/rules.py `_referral_triage`): a region
    # without a row is triaged by its coordinator only, which is this default.
    triage_by_brugfiguur = models.BooleanField(
        _("referrals are triaged by the bridge figure of the school"),
        default=False,
        help_text=_("If not, the coordinator triages every referral."),
    )

    class Meta:
        verbose_name = _("casework settings")
        verbose_name_plural = _("casework settings")

    def __str__(self) -> str:
        return str(_("casework settings"))
