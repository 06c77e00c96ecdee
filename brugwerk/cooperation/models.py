"""Network and cooperation: the meetings of the pool with partners and schools (who attended, what
was agreed, which actions follow, with an owner and a due date, until they are done), and per
school the cooperation agreement (samenwerkingsafspraken) with its history of versions.

Every record reaches one region (a meeting's own, or through it); who may see or change what is
decided by `brugwerk.access` (rules in `brugwerk/cooperation/rules.py`), and every write goes
through `cooperation.services`, which records it in the audit trail.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MEETING_MINUTES = 12 * 60


class MeetingKind(models.TextChoices):
    LOCAL_NETWORK = "local_network", _("local network meeting")
    SCHOOL_CONSULTATION = "school_consultation", _("school consultation")
    PARTNER_CONSULTATION = "partner_consultation", _("partner consultation")
    REGIONAL_STEERING = "regional_steering", _("regional steering group")
    OTHER = "other", _("other meeting")


class NetworkMeeting(models.Model):
    """A meeting of the pool with its network. Its time (date, duration) counts for each pool
    member who attended (pillar 3, networking); partners, schools and others are listed, others by
    their function only, never as private persons."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="network_meetings", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of meeting"), max_length=30, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(MAX_MEETING_MINUTES)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="network_meetings",
        verbose_name=_("about school"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    zone = models.ForeignKey(
        "regions.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("primary-care zone"),
    )
    pool_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="network_meetings",
        verbose_name=_("bridge figures who attended"),
    )
    organisations = models.ManyToManyField(
        "network.PartnerOrganisation", blank=True, related_name="network_meetings",
        verbose_name=_("partner organisations who attended"),
    )
    schools = models.ManyToManyField(
        "regions.School", blank=True, related_name="attended_network_meetings",
        verbose_name=_("schools who attended"),
    )
    other_attendees = models.TextField(_("other attendees (functions)"), blank=True, max_length=1000)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        indexes = [models.Index(fields=["region", "date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})" if isinstance(self.date, datetime.date) else self.title


class MeetingAgreement(models.Model):
    """One agreement made at a meeting, in a sentence or two."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("meeting")
    )
    text = models.TextField(_("agreement"), max_length=2000)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting agreement")
        verbose_name_plural = _("meeting agreements")

    def __str__(self) -> str:
        return self.text[:80]


class MeetingAction(models.Model):
    """An action decided at a meeting, followed up until it is done. Its owner is a user of the
    region (a bridge figure or the coordinator), who marks it done, or someone outside Brugwerk named
    by a label ("CAW", "school management"), whose follow-up the meeting's organisers mark."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    description = models.CharField(_("action"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_actions",
        verbose_name=_("owner"),
    )
    owner_label = models.CharField(_("owner outside Brugwerk"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("marked done by"),
    )
    done_note = models.TextField(_("how it was done"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_mark: bool

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False) & Q(owner_label=""))
                | (Q(owner_user__isnull=True) & ~Q(owner_label="")),
                name="meeting_action_exactly_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["owner_user", "done_at"])]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_display(self) -> str:
        return str(self.owner_user) if self.owner_user_id else self.owner_label

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_at is None and self.due_date < (today or timezone.localdate())


class ReferralChannel(models.TextChoices):
    CARE_TEAM = "care_team", _("through the school's care team")
    CARE_COORDINATOR = "care_coordinator", _("through the care coordinator or pupil counsellor")
    REFERRAL_FORM = "referral_form", _("with the referral form in Brugwerk")
    PHONE_EMAIL = "phone_email", _("by phone or e-mail to the bridge figure")
    CLB = "clb", _("through the CLB")
    DIRECT = "direct", _("pupils and parents come directly")
    OTHER = "other", _("another way")


class CooperationAgreement(models.Model):
    """The cooperation agreement with one school (samenwerkingsafspraken), as versions: changing it
    makes a new version and closes the one before (`valid_until` is the day the next one took over),
    so one version per school is current (without `valid_until`) and the history stays readable.

    `contacts` are the school's professional contact persons, as a list of
    {"name", "function", "phone", "email"}."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="cooperation_agreements", verbose_name=_("region")
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, related_name="cooperation_agreements", verbose_name=_("school")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("replaced on"), null=True, blank=True)
    agreed_days = models.CharField(
        _("agreed presence at school"), max_length=300, blank=True,
        help_text=_("For example: every Tuesday, and Thursday morning during the exam periods."),
    )
    contacts = models.JSONField(_("contact persons at the school"), default=list, blank=True)
    referral_channel = models.CharField(
        _("how referrals mostly come in"), max_length=30, choices=ReferralChannel.choices, blank=True
    )
    referral_procedure = models.TextField(_("how referrals come in"), blank=True, max_length=2000)
    role_profile_accepted = models.BooleanField(_("the school accepted the role profile"), default=False)
    role_profile_accepted_on = models.DateField(_("role profile accepted on"), null=True, blank=True)
    role_profile_document = models.CharField(
        _("where the signed role profile is kept"), max_length=300, blank=True
    )
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True)
    next_evaluation_on = models.DateField(_("next evaluation"), null=True, blank=True)
    remarks = models.TextField(_("other agreements"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["school__name", "-version"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.UniqueConstraint(fields=["school", "version"], name="cooperation_agreement_version_unique"),
            models.UniqueConstraint(
                fields=["school"], condition=Q(valid_until__isnull=True), name="cooperation_agreement_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="cooperation_agreement_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} (v{self.version})" if self.school_id else f"v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    def evaluation_overdue(self, today: datetime.date | None = None) -> bool:
        return self.next_evaluation_on is not None and self.next_evaluation_on < (today or timezone.localdate())
