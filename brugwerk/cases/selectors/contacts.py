"""Reads of casework for the contacts pages: a brugfiguur's own low-threshold contacts, and what the
quick forms offer first (the schools they serve, the school of today's presence day, the kind of
contact they register most). Every read starts from `access.scope`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brugwerk.access import scope
from brugwerk.audit.reads import record_list_read
from brugwerk.cases.models import CaseStatus, ContactMoment, YoungPerson
from brugwerk.cases.selectors import contacts_visible_to
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def own_low_threshold_contacts(*, user: User, region: Region, first_name: str = "") -> QuerySet[ContactMoment]:
    """The user's own contacts without a case in `region`, newest first; only those with this first
    name (any case) when one is given. Private notes are the user's own, so `visible_note` holds them."""
    contacts = contacts_visible_to(user=user, region=region, without_case=True).filter(
        brugfiguur_id=user.pk
    )
    first_name = (first_name or "").strip()
    if first_name:
        contacts = contacts.filter(first_name__iexact=first_name)
    return contacts


def low_threshold_page(*, user: User, region: Region, first_name: str, number: Any, per_page: int) -> Page:
    """One page of `own_low_threshold_contacts`; its contacts are recorded as read."""
    page = Paginator(own_low_threshold_contacts(user=user, region=region, first_name=first_name), per_page).get_page(
        number
    )
    record_list_read(
        user=user, model=ContactMoment, region_id=region.pk, label=gettext("Contacts without a file"),
        details={"contacts": [contact.pk for contact in page], "first_name": first_name},
    )
    return page


@dataclass(frozen=True)
class ConvertChoices:
    contacts: QuerySet[ContactMoment]
    young_people: QuerySet[YoungPerson]
    contact_ids: list[int]
    young_person_ids: list[int]


def convert_choices(*, user: User, region: Region, first_name: str, recent: int) -> ConvertChoices:
    """What the form that turns contacts into a case offers, recorded as read: the user's contacts
    without a case (those with `first_name`, or else the `recent` latest) and the young people without
    an open case."""
    contacts = own_low_threshold_contacts(user=user, region=region, first_name=first_name)
    if not first_name:
        contacts = contacts.filter(pk__in=list(contacts.values_list("pk", flat=True)[:recent]))
    young_people = young_people_without_open_case(user=user, region=region)
    young_person_ids = list(young_people.values_list("pk", flat=True))
    contact_ids = list(contacts.values_list("pk", flat=True))
    record_list_read(
        user=user, model=ContactMoment, region_id=region.pk, label=gettext("Turn contacts into a case"),
        details={"contacts": contact_ids, "young_people": young_person_ids},
    )
    return ConvertChoices(contacts, young_people, contact_ids=contact_ids, young_person_ids=young_person_ids)


def last_contact_type(*, user: User, region: Region, with_case: bool) -> str:
    """The kind of contact the user registered last (on a case, or without one): the sensible
    default for the next one."""
    return (
        scope(user, ContactMoment)
        .filter(region=region, brugfiguur_id=user.pk, case__isnull=not with_case)
        .order_by("-created_at", "-pk")
        .values_list("contact_type", flat=True)
        .first()
        or ""
    )


# Where a user is at school today, if an app knows (the agenda's presence days: AgendaConfig
# registers its selector). Casework asks through this list so that it does not import the agenda,
# which is built on casework. A finder takes (user=, region=, today=) and returns a School or None.
SchoolOfTheDay = Callable[..., School | None]
_school_of_the_day: list[SchoolOfTheDay] = []


def register_school_of_the_day(finder: SchoolOfTheDay) -> None:
    if finder not in _school_of_the_day:
        _school_of_the_day.append(finder)


@dataclass(frozen=True)
class SchoolChoices:
    served: list[School]  # the schools the user serves in the pool, first in the list
    others: list[School]
    today: School | None  # where the user has a presence day today, else their only school

    def choices(self, blank: str | Promise) -> list[Any]:
        """The choices of a school field: `blank` first, then the schools the user serves, then the
        region's others, each in a group."""

        def options(items: list[School]) -> list[tuple[str, str]]:
            return [(str(school.pk), school.name) for school in items]

        choices: list[Any] = [("", blank)]
        if self.served:
            choices.append((_("Schools you serve"), options(self.served)))
        if self.others:
            label = _("Other schools of the region") if self.served else _("Schools of the region")
            choices.append((label, options(self.others)))
        return choices


def contact_school_choices(*, user: User, region: Region) -> SchoolChoices:
    """The schools of `region` for a contact, the ones the user serves first. Two queries."""
    user_id = user.pk
    serves = PoolMember.objects.filter(
        region=region, user_id=user_id, active=True, schools=OuterRef("pk")
    )
    schools = list(
        scope(user, School).filter(region=region).annotate(served=Exists(serves)).order_by("name", "pk")
    )
    served: list[School] = [school for school in schools if school.served]
    today = timezone.localdate()
    present = next(
        (school for finder in _school_of_the_day if (school := finder(user=user, region=region, today=today))),
        None,
    )
    by_pk = {school.pk: school for school in schools}
    default = by_pk.get(present.pk) if present else (served[0] if len(served) == 1 else None)
    return SchoolChoices(served=served, others=[s for s in schools if not s.served], today=default)


def young_people_without_open_case(*, user: User, region: Region) -> QuerySet[YoungPerson]:
    """Young people the user may see who have no open case: a low-threshold contact can become a new
    case of one of them (someone the user guided before)."""
    return (
        scope(user, YoungPerson)
        .filter(region=region)
        .exclude(cases__status=CaseStatus.OPEN)
        .order_by("first_name", "last_name", "pk")
    )


