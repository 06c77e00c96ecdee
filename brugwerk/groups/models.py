"""Group offerings (pillar 3): parent cafés, pupil workshops, group trajectories, information sessions.

An offering is a series (`GroupOffering`) with its sessions (`GroupSession`). Who came is recorded in
one of two ways: a participant linked to a case (`GroupParticipant`, with their attendance per
session in `GroupAttendance`), whose name only those who see the case ever read; or counted
anonymously per session by role, gender, age group and grade (`AnonymousAttendance`). Each session
carries its evaluation by the participants: how many forms, the average score, quotes without names.

Every record reaches exactly one region through its offering; who may see or change what is decided
by `brugwerk.access` (brugwerk/groups/rules.py), and every write goes through `groups.services`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from brugwerk.groups.selectors import Category, OfferingTotals, ParticipantCounts, SessionCounts

MAX_SESSION_MINUTES = 12 * 60
MAX_COUNT = 500  # people counted in one category of one session


class OfferingKind(models.TextChoices):
    PARENT_CAFE = "parent_cafe", _("parent café")
    PUPIL_WORKSHOP = "pupil_workshop", _("pupil workshop")
    GROUP_TRAJECTORY = "group_trajectory", _("group trajectory")
    INFORMATION_SESSION = "information_session", _("information session")
    OTHER = "other", _("other group offering")


class TargetGroup(models.TextChoices):
    PARENTS = "parents", _("parents")
    PUPILS = "pupils", _("pupils")
    PUPILS_AND_PARENTS = "pupils_and_parents", _("pupils and parents")
    OTHER = "other", _("others")


class GroupOffering(models.Model):
    """A series of group sessions, organised by one or more brugfiguren of the pool, at a school or
    at another place, possibly together with partner organisations."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="group_offerings", verbose_name=_("region")
    )
    kind = models.CharField(_("kind of offering"), max_length=30, choices=OfferingKind.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="group_offerings",
        verbose_name=_("school"),
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True,
        help_text=_("Where it takes place when not at a school, or the room at the school."),
    )
    life_domains = models.ManyToManyField(
        "cases.LifeDomain", blank=True, related_name="group_offerings", verbose_name=_("life domains")
    )
    partners = models.ManyToManyField(
        "network.PartnerOrganisation", blank=True, related_name="group_offerings",
        verbose_name=_("co-organising partners"),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: Dutch, Arabic, Turkish.")
    )
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_group_offerings", verbose_name=_("organisers")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    session_list: list[WithAnnotations[GroupSession, SessionCounts]]
    participant_list: list[WithAnnotations[GroupParticipant, ParticipantCounts]]
    hidden_participants: int
    totals: OfferingTotals
    counts_in_full: bool

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("group offering")
        verbose_name_plural = _("group offerings")
        indexes = [models.Index(fields=["region", "kind"]), models.Index(fields=["region", "school"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) | ~Q(place=""), name="group_offering_school_or_place"
            )
        ]

    def __str__(self) -> str:
        return self.title


class GroupSession(models.Model):
    """One meeting of a series, with its evaluation by the participants (anonymous: a number of
    forms, their average score from 1 to 5, and quotes without names)."""

    offering = models.ForeignKey(
        GroupOffering, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group offering")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Leave empty when it is the offering's usual place.")
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    evaluation_forms = models.PositiveSmallIntegerField(
        _("evaluation forms returned"), null=True, blank=True, validators=[MaxValueValidator(MAX_COUNT)]
    )
    evaluation_score = models.DecimalField(
        _("average score (1 to 5)"), max_digits=2, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )
    evaluation_quotes = models.TextField(
        _("quotes"), blank=True, help_text=_("One quote per line, without names.")
    )

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    present_shown: int | None
    forms_shown: int | None
    participant_rows: list[GroupParticipant]
    hidden_participants: int
    count_rows: list[AnonymousAttendance]
    usual_categories: list[Category]

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        indexes = [models.Index(fields=["offering", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_SESSION_MINUTES),
                name="group_session_duration_valid",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_score__isnull=True)
                | Q(evaluation_score__gte=1, evaluation_score__lte=5, evaluation_forms__gte=1),
                name="group_session_score_1_to_5_with_forms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} {self.date:%Y-%m-%d}"

    def quotes(self) -> list[str]:
        return [line.strip() for line in self.evaluation_quotes.splitlines() if line.strip()]


class GroupParticipant(models.Model):
    """A participant of the series linked to a case: their name is the case's, shown only to whoever
    may see that case; everyone else who sees the offering counts them."""

    offering = models.ForeignKey(
        GroupOffering, on_delete=models.CASCADE, related_name="participants", verbose_name=_("group offering")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="group_participations", verbose_name=_("case")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("group participant")
        verbose_name_plural = _("group participants")
        constraints = [
            models.UniqueConstraint(fields=["offering", "case"], name="group_participant_once_per_offering")
        ]

    def __str__(self) -> str:
        return _("Participant %(number)s") % {"number": self.pk}


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class GroupAttendance(models.Model):
    """Whether a linked participant came to one session (no row: not recorded)."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("group session")
    )
    participant = models.ForeignKey(
        GroupParticipant, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("participant")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("group attendance")
        verbose_name_plural = _("group attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="group_attendance_once_per_session")
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class AttendeeRole(models.TextChoices):
    PARENT = "parent", _("parent")
    PUPIL = "pupil", _("pupil")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    X = "x", _("x")
    UNKNOWN = "unknown", _("unknown")


class AgeGroup(models.TextChoices):
    UNDER_12 = "under_12", _("younger than 12")
    AGE_12_14 = "12_14", _("12 to 14")
    AGE_15_16 = "15_16", _("15 to 16")
    AGE_17_18 = "17_18", _("17 to 18")
    ADULT = "adult", _("adult")
    UNKNOWN = "unknown", _("age unknown")


class Grade(models.IntegerChoices):
    UNKNOWN = 0, _("grade unknown")
    FIRST = 1, _("1st year")
    SECOND = 2, _("2nd year")
    THIRD = 3, _("3rd year")
    FOURTH = 4, _("4th year")
    FIFTH = 5, _("5th year")
    SIXTH = 6, _("6th year")
    SEVENTH = 7, _("7th year")


class AnonymousAttendance(models.Model):
    """How many people of one category came to a session, without naming anyone."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="anonymous_counts", verbose_name=_("group session")
    )
    role = models.CharField(_("role"), max_length=10, choices=AttendeeRole.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices, default=Grade.UNKNOWN)
    count = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)]
    )

    class Meta:
        ordering = ["session", "role", "gender", "age_group", "grade", "pk"]
        verbose_name = _("anonymous attendance")
        verbose_name_plural = _("anonymous attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "role", "gender", "age_group", "grade"],
                name="anonymous_attendance_one_row_per_category",
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=MAX_COUNT), name="anonymous_attendance_count_valid"
            ),
            models.CheckConstraint(condition=Q(grade__gte=0, grade__lte=7), name="anonymous_attendance_grade_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_gender_display()}: {self.count}"
