"""Contact moments: with a case, or low-threshold without one."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models.casefile import Case, LifeDomain


class ContactType(models.TextChoices):
    SCHOOL_GATE = "school_gate", _("school-gate contact")
    CONVERSATION_AT_SCHOOL = "conversation_at_school", _("conversation at school")
    HOME_VISIT = "home_visit", _("home visit")
    NEIGHBOURHOOD = "neighbourhood", _("in the neighbourhood")
    PHONE_MESSAGE_EMAIL = "phone_message_email", _("phone, message or e-mail")
    ACCOMPANY_TO_SERVICE = "accompany_to_service", _("going along to a service")
    GROUP_MOMENT = "group_moment", _("group moment")


class ContactWith(models.TextChoices):
    YOUNG_PERSON = "young_person", _("the young person")
    PARENT = "parent", _("parent")
    FAMILY = "family", _("family")
    SCHOOL_STAFF = "school_staff", _("school staff")
    PARTNER = "partner", _("partner")
    OTHER = "other", _("other")


class ContactMoment(models.Model):
    """A contact. Without a case it is a low-threshold contact: anonymous, or with a first name only;
    turning such contacts into a case sets their case and keeps them as its history."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="contact_moments", verbose_name=_("region")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("case")
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("school"),
    )
    brugfiguur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_moments",
        verbose_name=_("bridge figure"),
    )
    contact_type = models.CharField(_("type of contact"), max_length=30, choices=ContactType.choices)
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    with_whom = models.JSONField(_("with whom"), default=list, blank=True)
    place = models.CharField(_("where"), max_length=120, blank=True)
    language = models.CharField(_("language used"), max_length=60, blank=True)
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    note = models.TextField(_("note"), blank=True)
    note_private = models.BooleanField(
        _("private note"), default=False, help_text=_("Only you can read a private note.")
    )
    life_domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("life domain"),
    )
    first_name = models.CharField(
        _("first name"), max_length=40, blank=True,
        help_text=_("Only for a contact without a case, and never a last name."),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        indexes = [
            models.Index(fields=["case", "occurred_at"]),
            models.Index(fields=["region", "occurred_at"]),
            models.Index(fields=["brugfiguur", "occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(first_name=""), name="contact_first_name_only_without_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} {self.occurred_at:%Y-%m-%d}"
