"""Reads of casework for the referrals pages: who refers in which capacity, the referrals waiting
for the user's decision, the brugfiguren a case can go to, and the young people a referral may
be about. Each starts from `access.scope`, and the lists run a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.paginator import Page, Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, get_object_or_404, organisations_of, schools_of, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.reads import record_list_read, record_read
from brugwerk.cases.models import OPEN_REFERRAL_STATUSES, Case, CaseStatus, Referral, Urgency, YoungPerson
from brugwerk.cases.selectors import (
    ReferralStatusRow,
    WaitingItem,
    possible_duplicates,
    referrals_of_referrer,
    waiting_list,
)
from brugwerk.network.models import PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School, Zone
from brugwerk.regions.selectors import school_choices


@dataclass(frozen=True)
class Referrer:
    """In which capacity the user refers in a region, which decides the referral form.

    DIRECT: a brugfiguur or coordinator registering a pupil or parent who came directly (any school
    of the region, or none). SCHOOL: a school contact, for their own school (preset and fixed when
    they have one). PARTNER: a partner, for their own organisation (fixed when they have one), for a
    pupil of any school of the region."""

    DIRECT: ClassVar[str] = "direct"
    SCHOOL: ClassVar[str] = "school"
    PARTNER: ClassVar[str] = "partner"

    kind: str
    schools: QuerySet[School]
    organisations: QuerySet[PartnerOrganisation]
    school_fixed: School | None = None
    organisation_fixed: PartnerOrganisation | None = None

    @property
    def direct(self) -> bool:
        return self.kind == self.DIRECT


def _only(queryset: QuerySet) -> Any:
    """The one record of `queryset`, or None when it holds several."""
    first_two = list(queryset[:2])
    return first_two[0] if len(first_two) == 1 else None


def referrer_in(*, user: User, region: Region) -> Referrer | None:
    """How `user` refers in `region`, or None when they may not refer there at all."""
    if not can(user, Action.CREATE, Referral, region=region):
        return None
    schools = school_choices(user=user, region=region)
    none = PartnerOrganisation.objects.none()
    if can(user, Action.CREATE, Case, region=region):
        return Referrer(Referrer.DIRECT, schools, none)
    school_ids = schools_of(user, region)
    if school_ids:
        own = schools.filter(pk__in=school_ids)
        return Referrer(Referrer.SCHOOL, own, none, school_fixed=_only(own))
    organisation_ids = organisations_of(user, region)
    if organisation_ids:
        partners = scope(user, PartnerOrganisation).filter(region=region, pk__in=organisation_ids).order_by("name")
        return Referrer(Referrer.PARTNER, schools, partners, organisation_fixed=_only(partners))
    return None


def referrals_of_referrer_in(*, user: User, region: Region) -> list[ReferralStatusRow]:
    """`referrals_of_referrer`, for one region: the status rows only, never the case behind them."""
    rows = referrals_of_referrer(user=user)
    if not rows:
        return []
    here = set(Referral.objects.filter(region=region, pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
    return [row for row in rows if row.pk in here]


def my_referrals_page(*, user: User, region: Region, number: Any, per_page: int) -> Page:
    """One page of `referrals_of_referrer_in`; its referrals are recorded as read."""
    page = Paginator(referrals_of_referrer_in(user=user, region=region), per_page).get_page(number)
    record_list_read(
        user=user, model=Referral, region_id=region.pk, label=_("My referrals"),
        details={"referrals": [row.pk for row in page.object_list]},
    )
    return page


def _urgency_rank() -> CaseWhen:
    return CaseWhen(
        When(urgency=Urgency.HIGH, then=Value(0)),
        When(urgency=Urgency.NORMAL, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def referrals_to_triage(*, user: User, region: Region, today: datetime.date | None = None) -> list[WaitingItem]:
    """Referrals of `region` waiting for a decision that the user may take (accept, refuse,
    queue): urgent first, then by priority, then the longest waiting."""
    today = today or timezone.localdate()
    referrals = (
        scope(user, Referral, Action.CHANGE)
        .filter(region=region, status__in=OPEN_REFERRAL_STATUSES)
        .select_related("school", "organisation", "referred_by")
        .prefetch_related("life_domains")
        .annotate(urgency_rank=_urgency_rank())
        .order_by("urgency_rank", "-priority", "received_at", "pk")
    )
    return [
        WaitingItem(referral=r, waiting_days=(today - timezone.localdate(r.received_at)).days) for r in referrals
    ]


def triage_list(*, user: User, region: Region) -> list[WaitingItem]:
    """`referrals_to_triage`, recorded as read."""
    items = referrals_to_triage(user=user, region=region)
    record_list_read(
        user=user, model=Referral, region_id=region.pk, label=_("Referrals to decide on"),
        details={"referrals": [item.referral.pk for item in items]},
    )
    return items


def waiting_list_shown(
    *, user: User, region: Region, school: School | None = None, zone: Zone | None = None
) -> list[WaitingItem]:
    """`waiting_list` (for a school or a zone), recorded as read."""
    items = waiting_list(user=user, region=region, school=school, zone=zone)
    record_list_read(
        user=user, model=Referral, region_id=region.pk, label=_("Waiting list"),
        details={
            "referrals": [item.referral.pk for item in items],
            "school": school.pk if school else None,
            "zone": zone.pk if zone else None,
        },
    )
    return items


def referral_get(*, user: User, pk: Any) -> Referral:
    """One referral the user may see (all of it, or only its status), its read recorded."""
    referral = get_object_or_404(
        user,
        Referral.objects.select_related("region", "school", "organisation", "referred_by", "decided_by", "case"),
        Action.VIEW,
        pk=pk,
    )
    record_read(user=user, subject=referral)
    return referral


def triage_count(*, user: User, region: Region) -> int:
    """How many referrals of `region` wait for the user's decision."""
    return scope(user, Referral, Action.CHANGE).filter(region=region, status__in=OPEN_REFERRAL_STATUSES).count()


def brugfiguren_for_lead(*, user: User, region: Region) -> QuerySet[User]:
    """Who can take on a case: the active members of the region's pool who hold the brugfiguur
    role there (the service refuses anyone else)."""
    in_pool = scope(user, PoolMember).filter(region=region, active=True).values("user_id")
    holds_role = Membership.objects.filter(
        user_id=OuterRef("pk"), region=region, role=Role.BRUGFIGUUR, revoked_at__isnull=True
    )
    return (
        User.objects.filter(pk__in=in_pool, is_active=True)
        .filter(Exists(holds_role))
        .order_by("first_name", "last_name", "username")
    )


def lead_suggestion(*, user: User, referral: Referral, leads: QuerySet[User]) -> User | None:
    """The brugfiguur who serves the referral's school, as the first choice for the case."""
    if referral.school_id is None:
        return None
    serving = scope(user, PoolMember).filter(region_id=referral.region_id, active=True, schools=referral.school_id)
    return leads.filter(pk__in=serving.values("user_id")).first()


def duplicates_for_new(
    *, user: User, region: Region, first_name: str, last_name: str, birth_date: datetime.date | None
) -> list[YoungPerson]:
    """The young people `user` may see who look the same as a new referral (same name and date of
    birth), each with `open_case_id` (their open case, if the user sees it) and `has_open_case`
    (such a young person cannot get a second open case)."""
    open_case = (
        scope(user, Case).filter(young_person_id=OuterRef("pk"), status=CaseStatus.OPEN).order_by("-pk").values("pk")
    )
    has_open_case = Case.objects.filter(young_person_id=OuterRef("pk"), status=CaseStatus.OPEN)
    return list(
        possible_duplicates(
            user=user, region=region, first_name=first_name, last_name=last_name, birth_date=birth_date
        ).annotate(open_case_id=Subquery(open_case[:1]), has_open_case=Exists(has_open_case))
    )


def duplicates_of_new_referral(
    *, user: User, region: Region, first_name: str, last_name: str, birth_date: datetime.date | None
) -> list[YoungPerson]:
    """`duplicates_for_new`, for the referral form: the young people shown are recorded as read."""
    duplicates = duplicates_for_new(
        user=user, region=region, first_name=first_name, last_name=last_name, birth_date=birth_date
    )
    if duplicates:
        record_list_read(
            user=user, model=YoungPerson, region_id=region.pk, label=_("Possible duplicates of a new referral"),
            details={"young_people": [person.pk for person in duplicates]},
        )
    return duplicates


def duplicates_of(*, user: User, referral: Referral) -> list[YoungPerson]:
    """For the triager: the young people the referral may be about, to link instead of creating one
    (recorded with the read of the referral)."""
    duplicates = duplicates_for_new(
        user=user,
        region=referral.region,
        first_name=referral.pupil_first_name,
        last_name=referral.pupil_last_name,
        birth_date=referral.pupil_birth_date,
    )
    if duplicates:
        record_read(user=user, subject=referral, details={"duplicates": [person.pk for person in duplicates]})
    return duplicates
