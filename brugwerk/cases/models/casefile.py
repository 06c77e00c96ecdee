"""The case file: the young person and their family, the case (trajectory) with its help questions
per life domain, goals and agreed actions, sharing within the pool and transfers between leads."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brugwerk.regions.models import EducationForm
from brugwerk.vocabularies.models import RegionVocabulary, region_field, unique_name_per_region

# The default life domains (docs/domain.md#life-domains-levensdomeinen). They are data: stored in Dutch,
# editable per region.
DEFAULT_LIFE_DOMAINS = (
    "onderwijs",
    "financiën en inkomen",
    "administratie en juridisch",
    "wonen",
    "fysieke gezondheid",
    "mentaal welzijn",
    "gezin en opvoeding",
    "vrije tijd",
    "taal",
    "werk",
    "mobiliteit",
)


class LifeDomain(RegionVocabulary):
    DEFAULTS = DEFAULT_LIFE_DOMAINS

    region = region_field("life_domains")

    class Meta(RegionVocabulary.Meta):
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        constraints = [unique_name_per_region("life_domain_unique_name_per_region")]


class YoungPerson(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="young_people", verbose_name=_("region")
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("school"),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    education_form = models.CharField(
        _("form of education"), max_length=20, choices=EducationForm.choices, blank=True
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        indexes = [models.Index(fields=["region", "last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=7), name="young_person_grade_1_to_7"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relation(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    GUARDIAN = "guardian", _("guardian")
    SIBLING = "sibling", _("brother or sister")
    OTHER = "other", _("other")


class FamilyMember(models.Model):
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="family", verbose_name=_("young person")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=160)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["relation", "name"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("goals reached")
    STILL_IN_SCHOOL = "still_in_school", _("still in school")
    CHANGED_SCHOOL = "changed_school", _("changed school")
    QUALIFICATION = "qualification", _("obtained a qualification")
    DROPPED_OUT = "dropped_out", _("dropped out of school")
    REFERRED_ON = "referred_on", _("referred on")
    MOVED_AWAY = "moved_away", _("moved away")
    NO_LONGER_WANTED = "no_longer_wanted", _("help no longer wanted")


class Case(models.Model):
    """A trajectory with one young person, led by one brugfiguur."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="cases", verbose_name=_("region")
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="cases", verbose_name=_("young person")
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("current school"),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases",
        verbose_name=_("bridge figure"),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=30, choices=CloseReason.choices, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["lead", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True, close_reason="")
                | Q(status="closed", closed_on__isnull=False),
                name="case_closed_has_date_open_has_none",
            )
        ]

    def __str__(self) -> str:
        return _("Case of %(name)s") % {"name": self.young_person}

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class ShareKind(models.TextChoices):
    CO_GUIDANCE = "co_guidance", _("co-guidance")
    STAND_IN = "stand_in", _("stand-in during absence")


class CaseShareQuerySet(models.QuerySet["CaseShare"]):
    def active_on(self, day: datetime.date) -> CaseShareQuerySet:
        """Shares in force on `day`: started, not ended, not revoked."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day, revoked_at__isnull=True
        )

    def not_over(self, day: datetime.date) -> CaseShareQuerySet:
        """Shares in force on `day` or still to come: not revoked and not ended before `day`."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), revoked_at__isnull=True)


class CaseShare(models.Model):
    """Another brugfiguur guides the case too (co-guidance) or stands in, from `starts_on` to
    `ends_on` (inclusive, open if empty), until revoked."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_shares",
        verbose_name=_("bridge figure"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ShareKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CaseShareQuerySet.as_manager()

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_revoke: bool

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        indexes = [models.Index(fields=["user", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="case_share_period_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"

    def is_active_on(self, day: datetime.date) -> bool:
        return (
            self.revoked_at is None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
        )


class HelpQuestionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    NOT_ANSWERED = "not_answered", _("could not be answered")


class HelpQuestion(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="help_questions", verbose_name=_("case"))
    life_domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="help_questions", verbose_name=_("life domain")
    )
    description = models.TextField(_("help question"))
    status = models.CharField(
        _("status"), max_length=20, choices=HelpQuestionStatus.choices, default=HelpQuestionStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("help question")
        verbose_name_plural = _("help questions")

    def __str__(self) -> str:
        return f"{self.life_domain}: {self.description[:60]}"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    REACHED = "reached", _("reached")
    NOT_REACHED = "not_reached", _("not reached")


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals", verbose_name=_("case"))
    description = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED)
    start_date = models.DateField(_("start date"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    agreed_actions: list[AgreedAction]

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gte=F("start_date")),
                name="goal_target_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class AgreedAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions", verbose_name=_("case"))
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("goal")
    )
    description = models.TextField(_("agreed action"))
    owner_label = models.CharField(
        _("who does it"), max_length=120, blank=True, help_text=_("For example: the pupil, mother, the school.")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("who does it (user)"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    overdue: bool

    class Meta:
        ordering = ["done_at", "due_date", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")

    def __str__(self) -> str:
        return self.description[:60]


class CaseTransfer(models.Model):
    """The case moved to another lead: within a school, to a new school of the region (pupil
    mobility), or out of the region (`to_school` and `to_lead` empty)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case"))
    from_school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from school"),
    )
    to_school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("to school"),
    )
    from_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("to"),
    )
    note = models.TextField(_("handover note"), blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    transferred_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["transferred_at", "pk"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")

    def __str__(self) -> str:
        return _("Transfer of %(case)s") % {"case": self.case_id}
