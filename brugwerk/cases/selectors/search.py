"""Reads of casework for the case list: the search over the cases a user may see, and the user's own
saved filters. Both start from the access policy, so a search can never reach a case the user may
not see, and a saved filter is only ever its owner's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from brugwerk.access import scope
from brugwerk.audit.reads import record_list_read
from brugwerk.cases.models import Case, ContactMoment, SavedFilter
from brugwerk.cases.selectors import cases_visible_to
from brugwerk.regions.models import Region, School

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


@dataclass(frozen=True)
class CaseFilter:
    query: str = ""
    status: str = ""
    school: School | None = None


def case_search(*, user: User, region: Region, filters: CaseFilter) -> QuerySet[Case]:
    """The cases of `region` the user may see that match the filter (name or school in `query`, a
    status, a school), by name, each with `last_contact_at`. Two queries per page, whatever the data."""
    cases = cases_visible_to(user=user, region=region, status=filters.status or None, query=filters.query)
    if filters.school is not None:
        cases = cases.filter(school=filters.school)
    last_contact = (
        ContactMoment.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    )
    return cases.annotate(last_contact_at=Subquery(last_contact))


def case_search_page(
    *, user: User, region: Region, filters: CaseFilter, query: dict[str, str], number: Any, per_page: int
) -> Page:
    """One page of `case_search`; its cases are recorded as read (with the search as asked, `query`)."""
    page = Paginator(case_search(user=user, region=region, filters=filters), per_page).get_page(number)
    record_list_read(
        user=user, model=Case, region_id=region.pk, label=_("Case list"),
        details={"search": query, "page": page.number, "cases": [case.pk for case in page.object_list]},
    )
    return page


def saved_filters_of(*, user: User, region: Region) -> QuerySet[SavedFilter]:
    """The user's own saved filters in `region` (nobody sees another's)."""
    return scope(user, SavedFilter).filter(region=region, owner_id=user.pk).order_by("name", "pk")
