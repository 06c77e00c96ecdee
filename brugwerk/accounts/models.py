"""Users and their roles. A role is always held in one region (and, for a school contact or a
partner, for one school or one partner organisation); the access policy reads nothing else."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_unique_email_case_insensitive"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    BRUGFIGUUR = "brugfiguur", _("Bridge figure")
    SCHOOLCONTACT = "schoolcontact", _("School contact")
    PARTNER = "partner", _("Partner")
    BELEID = "beleid", _("Policy maker")


# Roles that see personal data, and so must log in with a second factor.
ROLES_WITH_PERSONAL_DATA = frozenset(
    {Role.BEHEERDER, Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}
)


class Membership(models.Model):
    """A role a user holds in a region. Revoked memberships stay, for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("region")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    organisation = models.ForeignKey(
        "network.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["region__name", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"],
                condition=Q(revoked_at__isnull=True),
                name="membership_one_active_role_per_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="schoolcontact") | Q(school__isnull=False),
                name="membership_schoolcontact_has_school",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner") | Q(organisation__isnull=False),
                name="membership_partner_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
