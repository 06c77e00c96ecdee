"""The network around the pool: partner organisations and their fixed contact points
(a person at an organisation who answers for a school, a municipality or a whole zone)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    CAW = "caw", _("CAW (general welfare centre)")
    JAC = "jac", _("JAC (youth advice centre)")
    CLB = "clb", _("CLB (pupil guidance centre)")
    OCMW = "ocmw", _("OCMW / social house")
    HUIS_VAN_HET_KIND = "huis_van_het_kind", _("Huis van het Kind")
    BRUGFIGUUR_LAGER = "brugfiguur_lager", _("Bridge figure in primary education")
    YOUTH_CARE = "youth_care", _("Youth care network (Konekti)")
    LOP = "lop", _("LOP (local consultation platform)")
    LEARNING_SUPPORT = "learning_support", _("Learning support centre")
    AGODI = "agodi", _("AGODI")
    EDUCATION_AMBASSADOR = "education_ambassador", _("Education ambassador")
    OTHER = "other", _("Other")


class PartnerOrganisation(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="partner_organisations", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=PartnerType.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("general phone"), max_length=40, blank=True)
    email = models.EmailField(_("general e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="partner_unique_name_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    """A fixed contact point: one person at an organisation, for exactly one school, municipality or zone."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("organisation")
    )
    person_name = models.CharField(_("name"), max_length=160)
    function = models.CharField(_("function"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    school = models.ForeignKey(
        "regions.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_points",
        verbose_name=_("school"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_points",
        verbose_name=_("municipality"),
    )
    zone = models.ForeignKey(
        "regions.Zone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_points",
        verbose_name=_("zone"),
    )
    notes = models.CharField(_("how to reach"), max_length=300, blank=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_change: bool
    can_delete: bool

    class Meta:
        ordering = ["organisation__name", "person_name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, municipality__isnull=True, zone__isnull=True)
                    | Q(school__isnull=True, municipality__isnull=False, zone__isnull=True)
                    | Q(school__isnull=True, municipality__isnull=True, zone__isnull=False)
                ),
                name="contact_point_exactly_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.organisation})"

    @property
    def scope_label(self) -> str:
        return str(self.school or self.municipality or self.zone)
