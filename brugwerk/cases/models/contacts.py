"""Contact moments (with a case, or low-threshold without one) and the brugfiguur's agenda:
appointments and presence days at schools."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
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


class AppointmentKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("home visit")
    MEETING = "meeting", _("meeting")
    SCHOOL_PRESENCE = "school_presence", _("presence at school")
    OTHER = "other", _("other")


class Appointment(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="appointments", verbose_name=_("region")
    )
    brugfiguur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments",
        verbose_name=_("bridge figure"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments",
        verbose_name=_("case"),
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("school"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("where"), max_length=200, blank=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    visible_case: Case | None

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["brugfiguur", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class PresenceDay(models.Model):
    """A brugfiguur is at a school on this weekday, from `valid_from` until `valid_until` (inclusive)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="presence_days", verbose_name=_("region")
    )
    brugfiguur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="presence_days",
        verbose_name=_("bridge figure"),
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.CASCADE, related_name="presence_days", verbose_name=_("school")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "pk"]
        verbose_name = _("presence day")
        verbose_name_plural = _("presence days")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="presence_day_weekday_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="presence_day_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} · {self.school}"
