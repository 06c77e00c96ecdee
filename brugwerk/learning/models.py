"""Learning: the room for intervision, coaching and learning networks the practice asks for, a small
shared library of practices and methods, and the social map (sociale kaart) of services per
municipality.

Every record belongs to one region; who may see or change what is decided by `brugwerk.access`
(see docs/access.md and brugwerk/learning/rules.py). Intervision is about a case, but told
anonymously: the case question names no young person, family or school. A coaching note is personal:
only the coached bridge figure and their coach read it, not the coordinator.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from brugwerk.vocabularies.models import RegionVocabulary, region_field, unique_name_per_region

# The default themes of a region (stored in Dutch, like the life domains; editable per region).
DEFAULT_LEARNING_THEMES = (
    "armoede en schoolkosten",
    "anderstaligheid",
    "complexe gezinssituaties",
    "gespreksvoering met jongeren en ouders",
    "samenwerking met de school",
    "netwerk en doorverwijzing",
    "beroepsgeheim en privacy",
    "schoolverzuim",
    "welbevinden en veerkracht",
    "grenzen en zelfzorg",
)
MAX_SESSION_MINUTES = 12 * 60


class LearningTheme(RegionVocabulary):
    """A theme of the region's learning (intervision, coaching, learning networks, the library),
    managed by the coordinator like the life domains."""

    DEFAULTS = DEFAULT_LEARNING_THEMES

    region = region_field("learning_themes")

    class Meta(RegionVocabulary.Meta):
        verbose_name = _("learning theme")
        verbose_name_plural = _("learning themes")
        constraints = [unique_name_per_region("learning_theme_unique_name_per_region")]


class LearningKind(models.TextChoices):
    INTERVISION = "intervision", _("intervision")
    COACHING = "coaching", _("individual coaching")
    LEARNING_NETWORK = "learning_network", _("learning-network meeting")


class LearningSession(models.Model):
    """An intervision, a coaching moment or a learning-network meeting: its time (date, minutes) is
    each participant's time, in the pillar of learning."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="learning_sessions", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LearningKind.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    title = models.CharField(_("title or theme"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("facilitator"),
    )
    facilitator_name = models.CharField(
        _("facilitator from outside"), max_length=120, blank=True,
        help_text=_("An external coach or facilitator, who does not use Brugwerk."),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="learning_sessions", verbose_name=_("participants")
    )
    others_present = models.CharField(
        _("others present"), max_length=300, blank=True,
        help_text=_("Organisations or teams that took part, for example bridge figures of other regions."),
    )
    case_question = models.TextField(
        _("case question (anonymised)"), blank=True,
        help_text=_(
            "No names, no school, no recognisable details: describe the situation so that nobody can tell "
            "who it is about."
        ),
    )
    learned = models.TextField(_("what we learned"), blank=True)
    private_note = models.TextField(
        _("private coaching note"), blank=True,
        help_text=_("Only the coached bridge figure and the coach can read this note, not the coordinator."),
    )
    life_domain = models.ForeignKey(
        "cases.LifeDomain", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("life domain"),
    )
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="sessions", verbose_name=_("themes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("learning session")
        verbose_name_plural = _("learning sessions")
        indexes = [models.Index(fields=["region", "date"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {self.title} ({self.date:%Y-%m-%d})" if self.title else f"{label} ({self.date:%Y-%m-%d})"

    @property
    def facilitator_label(self) -> str:
        return str(self.facilitator) if self.facilitator_id else self.facilitator_name


class LibraryKind(models.TextChoices):
    PRACTICE = "practice", _("practice")
    METHOD = "method", _("method")
    TOOL = "tool", _("tool")
    READING = "reading", _("reading")


class LibraryItem(models.Model):
    """A practice, method, tool or reading the pool shares: what works, told so others can use it."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="library_items", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LibraryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences."))
    body = models.TextField(_("description"), blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("A web page or document, if there is one."))
    themes = models.ManyToManyField(
        LearningTheme, blank=True, related_name="library_items", verbose_name=_("themes")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")

    def __str__(self) -> str:
        return self.title


class ServiceCost(models.TextChoices):
    FREE = "free", _("free")
    INCOME_RELATED = "income_related", _("depends on income")
    PAID = "paid", _("paid")


class SocialMapEntry(models.Model):
    """A service on the social map: what it offers, for whom and how to reach it. It may be one of
    the region's partner organisations, but most services are not (a food bank, a homework class)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="social_map_entries", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"), help_text=_("Leave empty for a service for the whole region."),
    )
    service_name = models.CharField(_("service"), max_length=200)
    provider = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("Who offers it, if it is not a partner below.")
    )
    partner = models.ForeignKey(
        "network.PartnerOrganisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("partner organisation"),
    )
    offers = models.TextField(_("what it offers"))
    for_whom = models.CharField(_("for whom"), max_length=300)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    life_domains = models.ManyToManyField(
        "cases.LifeDomain", blank=True, related_name="+", verbose_name=_("life domains")
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: Dutch, French, Arabic.")
    )
    cost = models.CharField(_("cost"), max_length=20, choices=ServiceCost.choices, default=ServiceCost.FREE)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["service_name", "pk"]
        verbose_name = _("social map entry")
        verbose_name_plural = _("social map entries")
        indexes = [models.Index(fields=["region", "municipality"])]

    def __str__(self) -> str:
        return self.service_name

    @property
    def provider_label(self) -> str:
        return self.partner.name if self.partner is not None else self.provider
