"""What comes in and what goes out: referrals in (aanmeldingen), consent per recipient and purpose,
referrals out to partners (doorverwijzingen) and the partners' feedback."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brugwerk.cases.models.casefile import Case, LifeDomain, YoungPerson

# From this age a young person is presumed able to consent for themselves (Decreet Rechtspositie
# Minderjarige); below it a parent or guardian consents.
CONSENT_AGE = 12


class ShareableField(models.TextChoices):
    """What a consent may cover and a referral out may share: a fixed vocabulary."""

    FIRST_NAME = "first_name", _("first name")
    LAST_NAME = "last_name", _("last name")
    BIRTH_DATE = "birth_date", _("date of birth")
    SCHOOL = "school", _("school")
    GRADE = "grade", _("grade and form of education")
    CONTACT_DETAILS = "contact_details", _("contact details")
    FAMILY = "family", _("family and network")
    HELP_QUESTIONS = "help_questions", _("help questions")
    GOALS = "goals", _("goals")
    SUMMARY = "summary", _("summary of the trajectory")


SHAREABLE_FIELDS = tuple(ShareableField.values)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class ReferralSource(models.TextChoices):
    SCHOOL = "school", _("school")
    DIRECT = "direct", _("directly (pupil or parent)")
    PARTNER = "partner", _("partner organisation")


class Urgency(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    WAITING = "waiting", _("on the waiting list")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")
    REFUSED = "refused", _("refused")


OPEN_REFERRAL_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.WAITING)


class Referral(models.Model):
    """A referral in (aanmelding): a school, a partner or the pupil or parent themselves asks the pool
    for help. The referrer later sees its status only, never the case behind it."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("region")
    )
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals",
        verbose_name=_("school"),
    )
    source = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("referrer"),
    )
    organisation = models.ForeignKey(
        "network.PartnerOrganisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("partner organisation"),
    )
    pupil_first_name = models.CharField(_("first name of the pupil"), max_length=80)
    pupil_last_name = models.CharField(_("last name of the pupil"), max_length=80)
    pupil_birth_date = models.DateField(_("date of birth of the pupil"), null=True, blank=True)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals",
        verbose_name=_("young person"),
    )
    reason = models.TextField(_("reason for the referral"))
    life_domains = models.ManyToManyField(
        LifeDomain, blank=True, related_name="referrals", verbose_name=_("life domains")
    )
    already_tried = models.TextField(_("what has already been tried"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    pupil_informed = models.BooleanField(_("the pupil knows about this referral"), default=False)
    parents_informed = models.BooleanField(_("the parents know about this referral"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0, help_text=_("Higher comes first."))
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="referral",
        verbose_name=_("case"),
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return _("Referral of %(name)s") % {"name": f"{self.pupil_first_name} {self.pupil_last_name}"}


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("referral out")
    INFORMATION_EXCHANGE = "information_exchange", _("exchange of information")
    HANDOVER_SUMMARY = "handover_summary", _("handover summary")
    FEEDBACK = "feedback", _("feedback")


class ConsentGiver(models.TextChoices):
    YOUNG_PERSON = "young_person", _("the young person")
    PARENT = "parent", _("a parent")
    GUARDIAN = "guardian", _("a guardian")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("verbally")
    WRITTEN = "written", _("in writing")
    DIGITAL = "digital", _("digitally")


class Consent(models.Model):
    """Consent to share given fields of a case with one organisation for one purpose."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents", verbose_name=_("case"))
    organisation = models.ForeignKey(
        "network.PartnerOrganisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("partner organisation"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    shared_fields = models.JSONField(_("what may be shared"), default=list)
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    given_by_name = models.CharField(_("name of the person who consented"), max_length=160, blank=True)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ReferralOutStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    STARTED = "started", _("started")
    WAITING_LIST = "waiting_list", _("on a waiting list")
    NOT_POSSIBLE = "not_possible", _("not possible")
    ENDED = "ended", _("ended")


class FeedbackStatus(models.TextChoices):
    STARTED = "started", _("started")
    WAITING_LIST = "waiting_list", _("on a waiting list")
    NOT_POSSIBLE = "not_possible", _("not possible")
    ENDED = "ended", _("ended")


class ReferralOut(models.Model):
    """A referral out (doorverwijzing) to a partner: the partner only ever sees `shared_snapshot`,
    the values of the consented fields when it was sent, and only while that consent stands."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals_out", verbose_name=_("case"))
    organisation = models.ForeignKey(
        "network.PartnerOrganisation", on_delete=models.PROTECT, related_name="referrals_in",
        verbose_name=_("partner organisation"),
    )
    contact_point = models.ForeignKey(
        "network.ContactPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("contact point"),
    )
    question = models.TextField(_("what is asked"))
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="referrals_out", verbose_name=_("consent")
    )
    shared_fields = models.JSONField(_("what is shared"), default=list, blank=True)
    shared_snapshot = models.JSONField(_("shared information"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralOutStatus.choices, default=ReferralOutStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("acknowledged by"),
    )
    last_feedback_at = models.DateTimeField(_("last feedback at"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral out")
        verbose_name_plural = _("referrals out")
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return _("Referral to %(organisation)s") % {"organisation": self.organisation}


class ReferralFeedback(models.Model):
    referral_out = models.ForeignKey(
        ReferralOut, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("referral out")
    )
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices)
    note = models.TextField(_("note"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("feedback on a referral")
        verbose_name_plural = _("feedback on referrals")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.given_at:%Y-%m-%d})"
