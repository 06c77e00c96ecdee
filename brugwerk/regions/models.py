"""The region a pool works in and its geography: zones, municipalities (with dated zone
membership, since zones were redrawn on 1 January 2025) and secondary schools.

Every record of Brugwerk belongs to exactly one region; the access policy scopes by it.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Read by the coming data-protection work. Casework's settings are `cases.CaseworkSettings`.
    retention_years = models.PositiveSmallIntegerField(_("retention period (years)"), default=10)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """An eerstelijnszone (primary-care zone) within a region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="zones", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=120)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_change: bool

    class Meta:
        ordering = ["name"]
        verbose_name = _("primary-care zone")
        verbose_name_plural = _("primary-care zones")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="zone_unique_name_per_region")]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=120)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_change: bool

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class ZoneMembership(models.Model):
    """A municipality belongs to a zone from `valid_from` until `valid_until` (exclusive, open if empty)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("zone"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="zone_memberships", verbose_name=_("municipality")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    status: str
    status_label: "StrOrPromise"
    can_end: bool

    class Meta:
        ordering = ["municipality__name", "valid_from"]
        verbose_name = _("zone membership")
        verbose_name_plural = _("zone memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="zone_membership_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.zone} ({self.valid_from}–{self.valid_until or '…'})"

    @property
    def region_id(self) -> int:
        return self.zone.region_id


class SchoolNetwork(models.TextChoices):
    GO = "go", _("GO! (community education)")
    KATHOLIEK = "katholiek", _("Catholic Education Flanders")
    OVSG = "ovsg", _("OVSG (municipal education)")
    POV = "pov", _("POV (provincial education)")
    OTHER = "other", _("Other / independent")


class EducationForm(models.TextChoices):
    FIRST_GRADE_A = "a_stream", _("First grade A stream")
    FIRST_GRADE_B = "b_stream", _("First grade B stream")
    TRANSITION = "transition", _("Transition to higher education (ASO/TSO/KSO)")
    DUAL = "dual", _("Double finality")
    LABOUR_MARKET = "labour_market", _("Labour market finality (BSO)")
    SPECIAL = "special", _("Special secondary education (BuSO)")
    DUAL_LEARNING = "dual_learning", _("Dual learning / part-time")


class School(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    institution_number = models.CharField(_("institution number"), max_length=12, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="schools", verbose_name=_("municipality")
    )
    network = models.CharField(_("school network"), max_length=20, choices=SchoolNetwork.choices)
    education_forms = models.JSONField(_("forms of education"), default=list, blank=True)
    pupil_count = models.PositiveIntegerField(_("number of pupils"), default=0)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="school_unique_name_per_region")]
        indexes = [models.Index(fields=["region", "municipality"])]

    def __str__(self) -> str:
        return self.name

    def get_education_forms_display(self) -> list[str]:
        labels = dict(EducationForm.choices)
        return [str(labels.get(code, code)) for code in self.education_forms]
