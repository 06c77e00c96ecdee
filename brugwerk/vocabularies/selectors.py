"""Reads of a region's editable lists, for each of the lists (`model` is the concrete list). Every
read starts from the access policy's `scope`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.regions.models import Region
from brugwerk.vocabularies.models import RegionVocabulary


def terms_for[T: RegionVocabulary](*, user: Any, model: type[T], region: Region | int) -> QuerySet[T]:
    """The region's whole list as `user` may see it, in use or not (a filter of existing records)."""
    return scope(user, model).filter(region=region).order_by("position", "name")


def terms_in_use[T: RegionVocabulary](
    *, user: Any, model: type[T], region: Region | int, include: Iterable[Any] = ()
) -> QuerySet[T]:
    """What can be chosen on a form: the entries in use, and those in `include` (ids of entries a
    record already has, so that editing it never drops them unseen)."""
    keep = [pk for pk in include if pk is not None]
    return terms_for(user=user, model=model, region=region).filter(Q(active=True) | Q(pk__in=keep))


def term_get[T: RegionVocabulary](*, user: Any, model: type[T], pk: Any, action: Action = Action.VIEW) -> T:
    """One entry `user` may `action`; 404 when it is missing or not theirs."""
    return get_object_or_404(user, model._default_manager.select_related("region"), action, pk=pk)


def terms_to_manage[T: RegionVocabulary](
    *, user: Any, model: type[T], region: Region | int, usage: str = ""
) -> list[T]:
    """The list as its keeper sees it: each entry with `can_change`, and with `usage` (a relation of
    the records that name it) its `usage_count`."""
    # A queryset of `model` (the annotation below adds a column the abstract model does not know of).
    terms: QuerySet[Any] = terms_for(user=user, model=model, region=region)
    if usage:
        terms = terms.annotate(usage_count=Count(usage, distinct=True))
    changeable = set(scope(user, model, Action.CHANGE).filter(region=region).values_list("pk", flat=True))
    rows: list[T] = list(terms)
    for term in rows:
        term.can_change = term.pk in changeable
    return rows
