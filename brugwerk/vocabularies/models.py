"""The abstract model of a region's editable list (a vocabulary). It has no table of its own: each
concrete list (`cases.LifeDomain`, `expertise.ExpertiseTopic`, `signals.SignalTheme`,
`learning.LearningTheme`) is a table in its own app with these columns."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
POSITION_MAX = 32767  # the column is a small integer on every database (SQLite would not refuse more)


def region_field(related_name: str) -> Any:
    """The region a list belongs to, with the name the region uses for the list
    (`region.life_domains`, `region.expertise_topics`, ...)."""
    return models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name=related_name, verbose_name=_("region")
    )


def unique_name_per_region(name: str) -> models.UniqueConstraint:
    """A name occurs once in a region's list (the service also refuses names that differ only in
    capitals)."""
    return models.UniqueConstraint(fields=["region", "name"], name=name)


class RegionVocabulary(models.Model):
    """One entry of a region's editable list. Concrete lists declare `region = region_field(...)`,
    their `DEFAULTS` (the list a new region starts with) and a unique constraint in their Meta."""

    DEFAULTS: ClassVar[tuple[str, ...]] = ()

    region: Any  # declared by each concrete list with `region_field`
    region_id: int  # the column of that foreign key
    can_change: bool  # not a column: set on each entry of the list page by `selectors.terms_to_manage`
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def vocabulary_models() -> list[type[RegionVocabulary]]:
    """Every concrete list of the installation (each app that has one)."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, RegionVocabulary)]
