"""What a user keeps for themselves in casework: saved search filters and the secret address of
their iCalendar feed. Neither holds case content."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class SavedFilter(models.Model):
    """A named case search (its query string parameters) of one user in one region."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("owner")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.JSONField(_("filter"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    url: str

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(fields=["owner", "region", "name"], name="saved_filter_name_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """The secret address under which a calendar app reads a brugfiguur's own appointments (no
    personal data in it). Making a new one replaces the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
