"""School-team expertise (pillar 2): what the pool does with the teams of the schools it serves.

A `SchoolTeamActivity` is one moment with (part of) a school team: coaching a teacher or a team, a
training (vorming), taking part in the care team (zorgteam / MDO), a consultation. It carries its
time (date, minutes), school, region, topics and, where it applies, life domains, so that time per
pillar, school and brugfiguur and the figures per topic can be counted without naming anyone.
Activities are about school staff, never about pupils: the description must not name a pupil.

The topics are an editable list per region (`ExpertiseTopic`), kept by the coordinator, like the
life domains of casework. Who may see or change what is decided by `brugwerk.access`
(expertise/rules.py); every write goes through `expertise.services`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brugwerk.vocabularies.models import RegionVocabulary, region_field, unique_name_per_region

# The default list a region starts with (stored in Dutch, like the life domains: it is data the
# coordinator renames, reorders or takes out of use).
DEFAULT_TOPICS = (
    "armoede en kansarmoede",
    "anderstaligheid",
    "complexe gezinssituaties",
    "schoolkosten",
    "welbevinden",
    "spijbelen en schoolafwezigheid",
    "ouderbetrokkenheid",
    "samenwerking met welzijnspartners",
    "de rol van de brugfiguur",
)

MAX_MINUTES = 12 * 60  # one activity lasts at most a (long) working day
MAX_PARTICIPANTS = 500


class ExpertiseTopic(RegionVocabulary):
    DEFAULTS = DEFAULT_TOPICS

    region = region_field("expertise_topics")

    class Meta(RegionVocabulary.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [unique_name_per_region("expertise_topic_unique_name_per_region")]


class ActivityKind(models.TextChoices):
    COACHING_TEACHER = "coaching_teacher", _("coaching a teacher")
    COACHING_TEAM = "coaching_team", _("coaching a team")
    TRAINING = "training", _("training")
    CARE_TEAM = "care_team", _("care team (zorgteam, MDO)")
    CONSULTATION = "consultation", _("consultation")


class ParticipantFunction(models.TextChoices):
    TEACHERS = "teachers", _("teachers")
    CARE_COORDINATORS = "care_coordinators", _("care coordinators and pupil counsellors")
    DIRECTORS = "directors", _("directors")
    CLB_STAFF = "clb_staff", _("CLB staff")
    EDUCATORS = "educators", _("educators and support staff")
    OTHER = "other", _("others")


def school_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school year `day` falls in: 1 September to 31 August."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


class SchoolTeamActivity(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="school_team_activities", verbose_name=_("region")
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, related_name="team_activities", verbose_name=_("school")
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    topics = models.ManyToManyField(ExpertiseTopic, related_name="activities", verbose_name=_("topics"))
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_team_activities",
        verbose_name=_("led by"),
    )
    co_facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_led_team_activities",
        verbose_name=_("together with"),
    )
    participant_count = models.PositiveSmallIntegerField(
        _("number of participants"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)]
    )
    participant_functions = models.JSONField(_("functions of the participants"), default=list, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What was done and agreed. Never write the name of a pupil or a family."),
    )
    life_domains = models.ManyToManyField(
        "cases.LifeDomain", blank=True, related_name="+", verbose_name=_("life domains")
    )
    evaluation_score = models.PositiveSmallIntegerField(
        _("evaluation score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evaluation_text = models.CharField(_("evaluation"), max_length=600, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("school-team activity")
        verbose_name_plural = _("school-team activities")
        indexes = [models.Index(fields=["region", "date"]), models.Index(fields=["school", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="school_team_activity_has_a_duration"
            ),
            models.CheckConstraint(
                condition=Q(evaluation_score__isnull=True) | Q(evaluation_score__gte=1, evaluation_score__lte=5),
                name="school_team_activity_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.school} · {self.date:%d/%m/%Y}" if self.school_id else str(
            self.get_kind_display()
        )

    @property
    def is_evaluated(self) -> bool:
        return self.evaluation_score is not None or bool(self.evaluation_text)

    def get_participant_functions_display(self) -> list[str]:
        labels = dict(ParticipantFunction.choices)
        return [str(labels.get(value, value)) for value in self.participant_functions]
