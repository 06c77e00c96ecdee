"""Reads of casework for the lifecycle pages (assigning a lead, changing school, sharing, closing,
reopening): the case itself, who can lead or share it, the schools it can move to and its shares."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.reads import on_page, record_read
from brugwerk.cases.models import Case, CaseShare
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region, School


def case_for_page(*, user: User, pk: Any) -> Case:
    """A case the user sees, with what its lifecycle pages show; 404 when missing or not theirs to
    see. The read is recorded for the page (written only if the page is shown)."""
    case = get_object_or_404(
        user, Case.objects.select_related("region", "young_person", "school", "lead"), Action.VIEW, pk=pk
    )
    record_read(user=user, subject=case, details=on_page())
    return case


def share_for_page(*, user: User, pk: Any) -> CaseShare:
    """A share the user may end (404 otherwise), with its case: the page shows the case, so its read
    is recorded for the page."""
    share = get_object_or_404(
        user, CaseShare.objects.select_related("case__young_person", "user"), Action.CHANGE, pk=pk
    )
    record_read(user=user, subject=share.case, details=on_page())
    return share


def brugfiguren_of(*, user: User, region: Region) -> QuerySet[User]:
    """The active brugfiguren of the region's pool (who can lead a case or have it shared with
    them), by name. Starts from the pool as the user may see it."""
    pool = scope(user, PoolMember).filter(region=region, active=True).values("user_id")
    return (
        User.objects.filter(
            pk__in=pool,
            is_active=True,
            memberships__region=region,
            memberships__role=Role.BRUGFIGUUR,
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def transfer_schools(*, user: User, case: Case) -> QuerySet[School]:
    """The other schools of the case's region, each with the active pool members serving it
    (`pool_members`), to show who would take the case over. Two queries."""
    serving = scope(user, PoolMember).filter(active=True).select_related("user").order_by("user__first_name")
    schools = scope(user, School).filter(region_id=case.region_id)
    if case.school_id is not None:
        schools = schools.exclude(pk=case.school_id)
    return schools.prefetch_related(Prefetch("pool_members", queryset=serving)).order_by("name", "pk")


def current_shares(*, user: User, case: Case) -> list[CaseShare]:
    """The case's shares that are in force or still to come (not revoked, not ended), with
    `can_revoke` left to the page."""
    return list(
        scope(user, CaseShare.objects.all())
        .filter(case=case)
        .not_over(timezone.localdate())
        .select_related("user", "granted_by")
        .order_by("starts_on", "pk")
    )
