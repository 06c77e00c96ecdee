"""Reads of Learning: sessions as the user may see them, the library and the social map with their
search, the lists a form chooses from, and the time spent learning (brugwerk.core.timeuse).

Every selector starts from `access.scope`, so a list can only hold what the user may see; lists
fetch their related records up front, so their number of queries does not grow with the data."""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from brugwerk.access import Action, get_object_or_404, may, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.reads import record_list_read, record_read
from brugwerk.cases.models import LifeDomain
from brugwerk.cases.timescope import countable
from brugwerk.core.timeuse import Pillar, TimeSpent
from brugwerk.learning.models import LearningKind, LearningSession, LearningTheme, LibraryItem, SocialMapEntry
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region

MAX_SEARCH_WORDS = 5


def _words(query: str) -> list[str]:
    return (query or "").split()[:MAX_SEARCH_WORDS]


def _search(qs: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    """Records where every word of `query` occurs in one of `fields`."""
    for word in _words(query):
        qs = qs.filter(reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)))
    return qs


# --- Sessions -------------------------------------------------------------------------------------


def _people() -> QuerySet[User]:
    return User.objects.order_by("first_name", "last_name", "pk")


def sessions_for(
    *, user: User, region: Region, kind: str = "", participant: User | None = None
) -> QuerySet[LearningSession]:
    """The sessions of `region` the user sees (a bridge figure: their own; the coordinator: all),
    newest first, each with its facilitator, participants and themes."""
    qs = scope(user, LearningSession).filter(region=region)
    if kind:
        qs = qs.filter(kind=kind)
    if participant is not None:
        qs = qs.filter(pk__in=LearningSession.participants.through.objects.filter(user=participant).values(
            "learningsession_id"
        ))
    return qs.select_related("facilitator").prefetch_related(
        Prefetch("participants", queryset=_people()), "themes"
    ).order_by("-date", "-pk")


def session_page(
    *, user: User, region: Region, number: Any, per_page: int, kind: str = "", participant: User | None = None
) -> Page:
    """One page of `sessions_for`; its sessions and their participants are recorded as read."""
    page = Paginator(sessions_for(user=user, region=region, kind=kind, participant=participant), per_page).get_page(
        number
    )
    sessions = list(page.object_list)
    record_list_read(
        user=user, model=LearningSession, region_id=region.pk, label=_("Learning sessions"),
        details={
            "sessions": [s.pk for s in sessions],
            "participants": sorted({p.pk for s in sessions for p in s.participants.all()}),
        },
    )
    return page


def session_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> LearningSession:
    """One session, its read recorded (with its participants and whether the private note is shown)."""
    qs = LearningSession.objects.select_related("region", "facilitator", "recorded_by", "life_domain")
    session = get_object_or_404(
        user, qs.prefetch_related(Prefetch("participants", queryset=_people()), "themes"), action, pk=pk
    )
    record_read(
        user=user,
        subject=session,
        details={
            "participants": [p.pk for p in session.participants.all()],
            "private_note_shown": may(user, "learning.read_coaching_note", obj=session),
        },
    )
    return session


def recent_sessions(*, user: User, region: Region, limit: int = 3) -> list[LearningSession]:
    """The latest sessions the user sees (a bridge figure: their own), for a start page."""
    return list(sessions_for(user=user, region=region)[:limit])


def pool_brugfiguren(*, user: User, region: Region, include: list[int] | None = None) -> QuerySet[User]:
    """Who can take part in a session: the active bridge figures of the region's pool, by name (and
    the people in `include`, already on the session, so that editing never drops them unseen)."""
    pool = scope(user, PoolMember).filter(region=region, active=True).values("user_id")
    in_pool = Q(
        pk__in=pool,
        is_active=True,
        memberships__region=region,
        memberships__role=Role.BRUGFIGUUR,
        memberships__revoked_at__isnull=True,
    )
    if include:
        in_pool |= Q(pk__in=include)
    return _people().filter(in_pool).distinct()


def facilitator_choices(*, user: User, region: Region, include: list[int] | None = None) -> QuerySet[User]:
    """Who can facilitate or coach, from the list: the pool's bridge figures and the user themselves
    when they coordinate the region (an outsider is given by name)."""
    pool = pool_brugfiguren(user=user, region=region, include=include)
    if not may(user, "learning.coordinate_sessions", region=region):
        return pool
    return _people().filter(Q(pk__in=pool.values("pk")) | Q(pk=user.pk))


# --- Library --------------------------------------------------------------------------------------


def library_items_for(
    *, user: User, region: Region, query: str = "", kind: str = "", theme: LearningTheme | None = None
) -> QuerySet[LibraryItem]:
    """The library of `region`, searched in title, summary and description, with its themes."""
    qs = _search(scope(user, LibraryItem).filter(region=region), query, ("title", "summary", "body"))
    if kind:
        qs = qs.filter(kind=kind)
    if theme is not None:
        qs = qs.filter(themes=theme)
    return qs.select_related("author").prefetch_related("themes").order_by("title", "pk")


def library_item_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> LibraryItem:
    qs = LibraryItem.objects.select_related("region", "author").prefetch_related("themes")
    return get_object_or_404(user, qs, action, pk=pk)


# --- Social map -----------------------------------------------------------------------------------


def social_map_for(
    *,
    user: User,
    region: Region,
    query: str = "",
    municipality: Municipality | None = None,
    life_domain: LifeDomain | None = None,
) -> QuerySet[SocialMapEntry]:
    """The social map of `region`: for a municipality, its own services and those for the whole
    region; searched in the service's name, organisation, offer and audience."""
    qs = scope(user, SocialMapEntry).filter(region=region)
    if municipality is not None:
        qs = qs.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
    if life_domain is not None:
        qs = qs.filter(life_domains=life_domain)
    qs = _search(qs, query, ("service_name", "provider", "partner__name", "offers", "for_whom"))
    return (
        qs.select_related("municipality", "partner")
        .prefetch_related("life_domains")
        .order_by("municipality__name", "service_name", "pk")
    )


def social_map_entry_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> SocialMapEntry:
    qs = SocialMapEntry.objects.select_related("region", "municipality", "partner", "added_by")
    return get_object_or_404(user, qs.prefetch_related("life_domains"), action, pk=pk)


# --- Time -----------------------------------------------------------------------------------------


def time_spent(*, user: User, region: Region, start: datetime.date, end: datetime.date) -> list[TimeSpent]:
    """The time each participant spent in the sessions from `start` to `end` (both included) that
    `user` may see: one row per kind of session and person, summed in the database."""
    sessions = countable(user=user, region=region, model=LearningSession).filter(
        region=region, date__gte=start, date__lte=end
    )
    rows = (
        LearningSession.participants.through.objects.filter(learningsession__in=sessions.values("pk"))
        .values("learningsession__kind", "user_id")
        .annotate(minutes=Sum("learningsession__duration_minutes"), activities=Count("learningsession_id"))
        .order_by("learningsession__kind", "user_id")
    )
    labels = dict(LearningKind.choices)
    return [
        TimeSpent(
            pillar=Pillar.LEARNING,
            kind=str(labels[row["learningsession__kind"]]),
            school_id=None,
            person_id=row["user_id"],
            minutes=row["minutes"],
            activities=row["activities"],
        )
        for row in rows
    ]
