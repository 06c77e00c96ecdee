"""The brugfiguur's agenda: appointments (home visits, meetings, presence at school), the weekdays
they are at each school, and the secret address of their iCalendar feed.

These models were part of `cases` until the agenda became its own app; their tables kept their
names (`cases_appointment`, `cases_presenceday`, `cases_calendarfeed`), so no row moved (see
migrations/0001). Audit entries written before the move name them `cases.<model>`: `former_labels`
lets the audit trail's filter find those too."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from brugwerk.cases.models import Case


class AppointmentKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("home visit")
    MEETING = "meeting", _("meeting")
    SCHOOL_PRESENCE = "school_presence", _("presence at school")
    OTHER = "other", _("other")


class Appointment(models.Model):
    former_labels: ClassVar[tuple[str, ...]] = ("cases.appointment",)

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="appointments", verbose_name=_("region")
    )
    brugfiguur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments",
        verbose_name=_("bridge figure"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments",
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
        db_table = "cases_appointment"
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["brugfiguur", "starts_at"], name="cases_appoi_brugfig_fe1c61_idx")]
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

    former_labels: ClassVar[tuple[str, ...]] = ("cases.presenceday",)

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
        db_table = "cases_presenceday"
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


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address under which a calendar app reads a brugfiguur's own appointments (no
    personal data in it). Making a new one replaces the old address."""

    former_labels: ClassVar[tuple[str, ...]] = ("cases.calendarfeed",)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        db_table = "cases_calendarfeed"
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
