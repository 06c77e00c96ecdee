"""Users and their roles. A role is always held in one region (and, for a school contact or a
partner, for one school or one partner organisation); the access policy reads nothing else."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brugwerk.access.roles import Role


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


class RoleTarget(models.Model):
    """What a role is for, shared by a role held (`Membership`) and a role offered (`RoleInvitation`):
    the role and, for a school contact or a partner, its school or partner organisation."""

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

    class Meta:
        abstract = True


class Membership(RoleTarget):
    """A role a user holds in a region. Revoked memberships stay, for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("region")
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


INVITATION_VALID_DAYS = 14


class RoleInvitationQuerySet(models.QuerySet["RoleInvitation"]):
    def open(self, now: datetime | None = None) -> "RoleInvitationQuerySet":
        """Neither accepted nor declined, and not expired."""
        now = now or timezone.now()
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            created_at__gt=now - timedelta(days=INVITATION_VALID_DAYS),
        )


class RoleInvitation(RoleTarget):
    """An invitation to a role in a region for someone who already has an account (for example in
    another region): the role is granted only when they accept it.

    `login` is what the inviter typed. `user` is the account it was offered to, and stays empty when
    the login matched no account the inviter could give this role: the inviter is told the same in
    both cases and never sees `user` (their pages show the login as they typed it)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    login = models.CharField(_("username or e-mail address"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_invitations",
        verbose_name=_("invited account"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    objects = RoleInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(declined_at__isnull=True),
                name="roleinvitation_accepted_or_declined",
            ),
        ]

    def __str__(self) -> str:
        # Never the invitee's name: this label goes into the inviting region's audit trail.
        return f"{self.get_role_display()} · {self.login}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=INVITATION_VALID_DAYS)

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.declined_at is None and self.expires_at > now
