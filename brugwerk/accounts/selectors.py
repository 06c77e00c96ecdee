"""Reads about users, their roles and the region they are working in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access import Action, can, get_object_or_404, region_ids_of, regions_where, scope
from brugwerk.access import roles_in as _roles_in
from brugwerk.access.roles import CASE_CONTENT_ROLES, Role
from brugwerk.accounts.models import INVITATION_VALID_DAYS, Membership, RoleInvitation, User
from brugwerk.regions.models import Region

SESSION_REGION_KEY = "brugwerk_region_id"


def second_factor_required(user: User) -> bool:
    if not settings.BRUGWERK_REQUIRE_2FA:
        return False
    return bool(regions_where(user, "accounts.handle_personal_data"))


def regions_of(*, user: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=region_ids_of(user)).order_by("name")


def current_region(request: HttpRequest) -> Region | None:
    """The region the user is working in: the one chosen in this session, else their first."""
    cached = getattr(request, "_brugwerk_region", None)
    if cached is not None:
        return cached
    region_ids = region_ids_of(request.user)
    if not region_ids:
        return None
    chosen = request.session.get(SESSION_REGION_KEY)
    region_id = chosen if chosen in region_ids else None
    region = (
        Region.objects.filter(pk=region_id).first()
        if region_id
        else Region.objects.filter(pk__in=region_ids).order_by("name").first()
    )
    request._brugwerk_region = region  # type: ignore[attr-defined]  # cached on the request for its other readers
    return region


def roles_in(*, user: User, region: Region | None) -> frozenset[str]:
    return _roles_in(user, region)


def users_visible_to(*, user: User, region: Region, query: str = "") -> QuerySet[User]:
    qs = scope(user, User, Action.VIEW).filter(memberships__region=region).distinct()
    if query:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    return qs.order_by("last_name", "first_name")


def memberships_visible_to(*, user: User, region: Region) -> QuerySet[Membership]:
    return (
        scope(user, Membership, Action.VIEW)
        .filter(region=region)
        .select_related("user", "school", "organisation")
    )


# --- User management (the pages for managers of a region) ---------------------------------------


def can_manage_users(*, user: User, region: Region | None) -> bool:
    """May `user` manage the people of `region` (see their roles, add and remove them)? Asked of the
    policy as "may they see the roles of this region", which only its managers may."""
    if region is None:
        return False
    return can(user, Action.VIEW, Membership(region=region))  # no user yet


def _has_second_factor() -> Exists:
    return Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))


def user_list_for(
    *, user: User, region: Region, query: str = "", second_factor: bool | None = None
) -> QuerySet[User]:
    """The people who hold or held a role in `region`, each with `region_roles` (their active roles
    there) and `has_second_factor`. Empty for anyone who may not manage the region's users."""
    if not can_manage_users(user=user, region=region):
        return User.objects.none()
    in_region = Membership.objects.filter(region=region).values("user_id")
    qs = (
        scope(user, User, Action.VIEW)
        .filter(pk__in=in_region)
        .annotate(has_second_factor=_has_second_factor())
    )
    query = query.strip()
    if query:
        condition = Q()
        for word in query.split()[:5]:
            condition &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        qs = qs.filter(condition)
    if second_factor is not None:
        qs = qs.filter(has_second_factor=second_factor)
    active_roles = Membership.objects.filter(region=region, revoked_at__isnull=True).select_related(
        "school", "organisation"
    )
    return qs.prefetch_related(
        Prefetch("memberships", queryset=active_roles, to_attr="region_roles")
    ).order_by("last_name", "first_name", "username")


def user_get_for_manager(*, user: User, region: Region, pk: Any, action: Action = Action.VIEW) -> User:
    """One person of `region` whom `user` manages and may `action`; 404 otherwise (also for people of
    another region and for anyone who does not manage this region)."""
    if not can_manage_users(user=user, region=region):
        raise Http404
    in_region = Membership.objects.filter(region=region).values("user_id")
    qs = User.objects.filter(pk__in=in_region).annotate(has_second_factor=_has_second_factor())
    return get_object_or_404(user, qs, action, pk=pk)


def user_roles_in_region(*, user: User, region: Region, subject: User) -> list[Membership]:
    """Every role `subject` holds or held in `region`, newest first, with who granted it."""
    return list(
        scope(user, Membership, Action.VIEW)
        .filter(region=region, user=subject)
        .select_related("school", "organisation", "granted_by")
        .order_by("revoked_at", "-granted_at")
    )


def grantable_roles(*, user: User, region: Region | None, subject: User | None = None) -> list[str]:
    """The roles `user` may grant in `region` (to `subject`, or to a new or not yet known person), in
    the order of `Role`: what the role forms offer. Asked of the policy role by role."""
    if region is None:
        return []

    def candidate(role: str) -> Membership:
        membership = Membership(region=region, role=role)
        if subject is not None:
            membership.user_id = subject.pk
        return membership

    return [role for role in Role.values if can(user, Action.CREATE, candidate(role))]


def email_change_locked(*, subject: User) -> bool:
    """May only the owner change this account's e-mail address? So for every account that holds, or
    ever held, a role that sees case content: whoever controls the address can reset the password
    (and the second factor) through a link, so a manager who could change it could take the account
    over. A role revoked and granted again must not open that door in between."""
    return Membership.objects.filter(user_id=subject.pk, role__in=CASE_CONTENT_ROLES).exists()


def invitations_open_for(*, user: User) -> list[RoleInvitation]:
    """The invitations `user` may still accept or decline, for their own account page."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        scope(user, RoleInvitation.objects.all(), Action.CHANGE)
        .open()
        .filter(user_id=user.pk)
        .select_related("region", "school", "organisation")
        .order_by("created_at")
    )


def invitation_get_for_invitee(*, user: User, pk: Any) -> RoleInvitation:
    """One invitation `user` may answer; 404 for someone else's (missing and forbidden alike)."""
    return get_object_or_404(user, RoleInvitation.objects.select_related("region", "invited_by"), Action.CHANGE,
                             pk=pk)


def invitations_sent_in(*, user: User, region: Region) -> list[RoleInvitation]:
    """The region's invitations that were not accepted and have not expired, for its managers: the
    login as the inviter typed it, the role, who sent it and when. Never the account it went to, nor
    whether it was declined or went to any account at all (that would tell which logins exist)."""
    if not can_manage_users(user=user, region=region):
        return []
    return list(
        scope(user, RoleInvitation, Action.VIEW)
        .filter(region=region, accepted_at__isnull=True,
                created_at__gt=timezone.now() - timedelta(days=INVITATION_VALID_DAYS))
        .select_related("invited_by", "school", "organisation")
        .order_by("-created_at")
    )


def users_without_second_factor_count(*, user: User, region: Region) -> int:
    """How many active people with an active role in `region` have not set up two-factor yet."""
    if not can_manage_users(user=user, region=region):
        return 0
    active = Membership.objects.filter(region=region, revoked_at__isnull=True).values("user_id")
    return (
        scope(user, User, Action.VIEW)
        .filter(pk__in=active, is_active=True)
        .exclude(_has_second_factor())
        .count()
    )


def user_count_in_region(*, user: User, region: Region) -> int:
    """How many active people hold an active role in `region`."""
    if not can_manage_users(user=user, region=region):
        return 0
    active = Membership.objects.filter(region=region, revoked_at__isnull=True).values("user_id")
    return scope(user, User, Action.VIEW).filter(pk__in=active, is_active=True).count()


def has_second_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def own_roles(*, user: User) -> list[Membership]:
    """The active roles of `user` in every region, for their own account page."""
    return list(
        scope(user, Membership, Action.VIEW)
        .filter(user_id=user.pk, revoked_at__isnull=True)
        .select_related("region", "school", "organisation")
        .order_by("region__name", "role")
    )


def role_targets(*, user: User, region: Region) -> tuple[QuerySet, QuerySet]:
    """The schools and partner organisations of `region` a role can be linked to."""
    from brugwerk.network.models import PartnerOrganisation
    from brugwerk.regions.models import School

    schools = scope(user, School, Action.VIEW).filter(region=region).order_by("name")
    organisations = scope(user, PartnerOrganisation, Action.VIEW).filter(region=region).order_by("name")
    return schools, organisations


def membership_get_for_revoke(*, user: User, region: Region, subject_pk: Any, pk: Any) -> Membership:
    """An active role in `region` that `user` may revoke; 404 otherwise."""
    qs = Membership.objects.filter(region=region, user_id=subject_pk, revoked_at__isnull=True).select_related(
        "user", "school", "organisation"
    )
    return get_object_or_404(user, qs, Action.DELETE, pk=pk)
