"""The pool: the brugfiguren of a region with their FTE, home base and the schools they serve."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PoolMember(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="pool_members", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pool_memberships", verbose_name=_("user")
    )
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    home_base = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("home base")
    )
    schools = models.ManyToManyField(
        "regions.School", related_name="pool_members", blank=True, verbose_name=_("schools served")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")
        constraints = [models.UniqueConstraint(fields=["region", "user"], name="pool_member_once_per_region")]

    def __str__(self) -> str:
        return str(self.user)
