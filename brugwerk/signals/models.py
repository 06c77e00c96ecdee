"""Signals to policy (knelpunten): structural bottlenecks the pool meets in its casework, backed by
several brugfiguren, with evidence counted without naming anyone, a dated status history from
"recorded" to "closed", and the answers and actions received from policy.

Every record reaches exactly one region (directly or through its signal); who may see or change what
is decided by `brugwerk.access` (docs/access.md); every write goes through `signals.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The default themes of a region (docs/domain.md#signals-to-policy-knelpunten). They are data: stored in
# Dutch, editable per region by its coordinator.
from brugwerk.vocabularies.models import RegionVocabulary, region_field, unique_name_per_region

# The default themes of a region (docs/domain.md#signals-to-policy-knelpunten). They are data: stored in
# Dutch, editable per region by its coordinator.
DEFAULT_SIGNAL_THEMES = (
    "schoolkosten",
    "vervoer en mobiliteit",
    "wachtlijsten in de jeugdhulp",
    "digitale uitsluiting",
    "wonen",
    "taalbarrières",
    "kinderopvang",
    "rechten en toelagen",
    "mentaal welzijn",
    "samenwerking onderwijs en welzijn",
)

MAX_MINUTES = 24 * 60  # one entry never counts more than a day


class SignalTheme(RegionVocabulary):
    DEFAULTS = DEFAULT_SIGNAL_THEMES

    region = region_field("signal_themes")

    class Meta(RegionVocabulary.Meta):
        verbose_name = _("signal theme")
        verbose_name_plural = _("signal themes")
        constraints = [unique_name_per_region("signal_theme_unique_name_per_region")]


class SignalLevel(models.TextChoices):
    """Where the bottleneck must be solved."""

    SCHOOL = "school", _("school")
    MUNICIPALITY = "municipality", _("municipality")
    ZONE = "zone", _("zone")
    REGION = "region", _("region")
    FLANDERS = "flanders", _("Flanders")


class SignalStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    DISCUSSED = "discussed", _("discussed in the pool")
    PASSED_ON = "passed_on", _("passed on to policy")
    ANSWERED = "answered", _("answered")
    ACTION_TAKEN = "action_taken", _("action taken")
    CLOSED = "closed", _("closed")


STATUS_ORDER = list(SignalStatus.values)
# The statuses in which policy (beleid) sees a signal, once it has been passed on to them.
POLICY_STATUSES = frozenset(
    {SignalStatus.PASSED_ON, SignalStatus.ANSWERED, SignalStatus.ACTION_TAKEN, SignalStatus.CLOSED}
)
# While a signal is in one of these, its author may still change what it says.
DRAFT_STATUSES = frozenset({SignalStatus.RECORDED, SignalStatus.DISCUSSED})


class Signal(models.Model):
    """A structural bottleneck, described without naming people, to be solved at one level."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="signals", verbose_name=_("region")
    )
    theme = models.ForeignKey(SignalTheme, on_delete=models.PROTECT, related_name="signals", verbose_name=_("theme"))
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(
        _("description"),
        help_text=_(
            "Describe the bottleneck and what it does to young people and families, without names of pupils, "
            "parents or staff. Nobody can check this for you: read it again before you save."
        ),
    )
    level = models.CharField(_("level where it must be solved"), max_length=20, choices=SignalLevel.choices)
    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    zone = models.ForeignKey(
        "regions.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("zone")
    )
    low_threshold_contacts = models.PositiveIntegerField(
        _("low-threshold contacts touched"),
        default=0,
        help_text=_("About how many contacts without a case ran into this bottleneck (a number, no names)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.RECORDED)
    passed_on_on = models.DateField(_("passed on to policy on"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    minutes = models.PositiveIntegerField(
        _("time spent (minutes)"), null=True, blank=True, validators=[MaxValueValidator(MAX_MINUTES)],
        help_text=_("Optional: the time it took to look into and write up this signal."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signals_created",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    backing_list: list[SignalBacking]
    history: list[SignalStatusChange]
    response_list: list[SignalResponse]
    my_evidence: list[SignalEvidence]

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["region", "recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="school", school__isnull=False) | ~Q(level="school") & Q(school__isnull=True),
                name="signal_school_only_at_school_level",
            ),
            models.CheckConstraint(
                condition=Q(level="municipality", municipality__isnull=False)
                | ~Q(level="municipality") & Q(municipality__isnull=True),
                name="signal_municipality_only_at_municipality_level",
            ),
            models.CheckConstraint(
                condition=Q(level="zone", zone__isnull=False) | ~Q(level="zone") & Q(zone__isnull=True),
                name="signal_zone_only_at_zone_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> models.Model | None:
        """The school, municipality or zone the level points to (None for region and Flanders)."""
        return self.school or self.municipality or self.zone

    @property
    def seen_by_policy(self) -> bool:
        return self.status in POLICY_STATUSES and self.passed_on_on is not None


class SignalBacking(models.Model):
    """A brugfiguur who meets the same bottleneck and stands behind the signal."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="backings", verbose_name=_("signal"))
    brugfiguur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signal_backings",
        verbose_name=_("bridge figure"),
    )
    backed_on = models.DateField(_("backed on"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("Optional: what you see of this bottleneck yourself, without names.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["backed_on", "pk"]
        verbose_name = _("backing of a signal")
        verbose_name_plural = _("backings of signals")
        constraints = [
            models.UniqueConstraint(fields=["signal", "brugfiguur"], name="signal_backing_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.brugfiguur}: {self.signal}"


class SignalEvidence(models.Model):
    """A case that runs into the bottleneck. Outside the case's own team only the number of such
    cases is ever shown; the link itself is for the team and the coordinator."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("signal"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="signal_evidence", verbose_name=_("case")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    can_remove: bool

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence of a signal")
        verbose_name_plural = _("evidence of signals")
        constraints = [models.UniqueConstraint(fields=["signal", "case"], name="signal_evidence_case_once")]

    def __str__(self) -> str:
        # Never the young person's name: entries of the audit trail carry this label.
        return _("Case %(case)s for signal %(signal)s") % {"case": self.case_id, "signal": self.signal_id}


class SignalStatusChange(models.Model):
    """One step of the signal's history, with when, who, a note and, optionally, the time it took
    (a discussion in the pool, a meeting with policy)."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("signal")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=SignalStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    minutes = models.PositiveIntegerField(
        _("time spent (minutes)"), null=True, blank=True, validators=[MaxValueValidator(MAX_MINUTES)],
        help_text=_("Optional: how long the discussion or meeting took."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "changed_at", "pk"]
        verbose_name = _("status change of a signal")
        verbose_name_plural = _("status changes of signals")

    def __str__(self) -> str:
        return f"{self.signal}: {self.get_to_status_display()}"


class ResponseKind(models.TextChoices):
    ANSWER = "answer", _("answer")
    ACTION_TAKEN = "action_taken", _("action taken")


class SignalResponse(models.Model):
    """What policy (a municipality, the zone, the school, Flanders ...) answered or did."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="responses", verbose_name=_("signal"))
    responder = models.CharField(
        _("from"), max_length=160, help_text=_("The organisation or body that answered, e.g. the city council.")
    )
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResponseKind.choices, default=ResponseKind.ANSWER)
    text = models.TextField(_("answer or action"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("response to a signal")
        verbose_name_plural = _("responses to signals")

    def __str__(self) -> str:
        return f"{self.responder}: {self.signal}"
