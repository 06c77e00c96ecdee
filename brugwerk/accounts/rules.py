"""Access rules of accounts: people's roles, invitations to a role, accounts; and how the policy
reads a user's principal from their roles (see brugwerk/access for how rules work; docs/access.md).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal, set_principal_loader
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import ALL_ROLES, COORDINATOR_ROLE, MANAGERS, ROLE_GRANTERS, ROLES_WITH_PERSONAL_DATA, Role
from brugwerk.access.rules import Rule
from brugwerk.accounts.models import Membership, RoleInvitation, User


def load_principal(user_id: int) -> Principal:
    """The user's active roles per region, with the school or organisation each is for."""
    roles: dict[int, set[str]] = {}
    schools: dict[int, set[int]] = {}
    organisations: dict[int, set[int]] = {}
    rows = Membership.objects.filter(user_id=user_id, revoked_at__isnull=True).values_list(
        "region_id", "role", "school_id", "organisation_id"
    )
    for region_id, role, school_id, organisation_id in rows:
        roles.setdefault(region_id, set()).add(role)
        if role == Role.SCHOOLCONTACT and school_id:
            schools.setdefault(region_id, set()).add(school_id)
        if role == Role.PARTNER and organisation_id:
            organisations.setdefault(region_id, set()).add(organisation_id)
    return Principal(
        user_id=user_id,
        roles={k: frozenset(v) for k, v in roles.items()},
        schools={k: frozenset(v) for k, v in schools.items()},
        organisations={k: frozenset(v) for k, v in organisations.items()},
    )


set_principal_loader(load_principal)


class MembershipRule(Rule):
    """Roles. Managers of a region see and revoke its roles; everyone sees their own. Granting:

    - a role whose holders see case content (`CASE_CONTENT_ROLES`) only the region's coordinator
      grants; the administrator grants the administrator and policy-maker roles only;
    - nobody grants a role to themselves;
    - a user who already holds roles in another region is added to this one by its coordinator only.

    Asked of the record kind (`can(user, CREATE, Membership, region=...)`), CREATE means "may grant
    every role here", which only the coordinator may; ask it of an unsaved Membership with its role
    (`accounts.selectors.grantable_roles`) to know which roles someone may grant."""

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        condition = Q(region__in=regions)
        if action == Action.VIEW:
            condition |= Q(user_id=principal.user_id)
        return queryset.filter(condition)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.user_id == principal.user_id:
            return True
        if action == Action.CREATE:
            return self.may_grant(principal, obj.user_id, obj.region_id, obj.role)
        return super().allows(principal, action, obj)

    @staticmethod
    def may_grant(principal: Principal, user_id: int | None, region_id: int | None, role: str) -> bool:
        if user_id is not None and user_id == principal.user_id:
            # Nobody grants themselves a role: an administrator could otherwise make themselves coordinator.
            return False
        granters = ROLE_GRANTERS.get(role, COORDINATOR_ROLE)
        # Without a region nobody may grant (`has_role` below is False), so the query is asked only with one.
        if user_id is not None and region_id is not None and (
            Membership.objects.filter(user_id=user_id, revoked_at__isnull=True).exclude(region_id=region_id).exists()
        ):
            granters = granters & COORDINATOR_ROLE
        return principal.has_role(region_id, granters)


class RoleInvitationRule(Rule):
    """Invitations to a role, for people who already have an account. The invitee sees and answers
    (CHANGE: accepts or declines) their own; the region's managers see the region's invitations (the
    pages show them the login as it was typed, never the account). Inviting is asked like granting
    the role (`MembershipRule.may_grant`), and asked again when the invitee accepts."""

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        if action == Action.VIEW:
            regions = principal.regions_with(self.roles_for(action))
            return queryset.filter(Q(region__in=regions) | Q(user_id=principal.user_id))
        if action == Action.CHANGE:
            return queryset.filter(user_id=principal.user_id)
        return queryset.none()

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.CREATE:
            return MembershipRule.may_grant(principal, obj.user_id, obj.region_id, obj.role)
        if action in (Action.VIEW, Action.CHANGE) and obj.user_id is not None and obj.user_id == principal.user_id:
            return True
        return action == Action.VIEW and super().allows(principal, action, obj)


class UserRule(Rule):
    """People's accounts. Managers see the users who hold (or held) a role in their region; an
    administrator changes an account only when every region it belongs to is theirs."""

    def __init__(self) -> None:
        super().__init__(
            "memberships__region", {Action.VIEW: MANAGERS, Action.CHANGE: frozenset({Role.BEHEERDER})}
        )

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        regions = principal.regions_with(self.roles_for(action))
        in_regions = Membership.objects.filter(region__in=regions).values("user_id")
        if action == Action.CHANGE:
            outside = Membership.objects.exclude(region__in=regions).values("user_id")
            return queryset.filter(pk__in=in_regions).exclude(pk__in=outside)
        if action == Action.VIEW:
            return queryset.filter(Q(pk__in=in_regions) | Q(pk=principal.user_id))
        # Seeing one's own account is a VIEW right only: it must not make it deletable or exportable.
        return queryset.filter(pk__in=in_regions)

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if action == Action.VIEW and obj.pk == principal.user_id:
            return True
        return self.scope(principal, User.objects.filter(pk=obj.pk), action).exists()

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return principal.has_role(region_id, {Role.BEHEERDER, Role.COORDINATOR})


ROLE_GRANTS = {Action.VIEW: MANAGERS, Action.CREATE: COORDINATOR_ROLE, Action.DELETE: MANAGERS}

register(Membership, MembershipRule("region", ROLE_GRANTS))
register(RoleInvitation, RoleInvitationRule("region", {Action.VIEW: MANAGERS, Action.CREATE: COORDINATOR_ROLE}))
register(User, UserRule())


# --- Pages -------------------------------------------------------------------------------------------

register_permission(Permission(
    "accounts.manage_users",
    "The people of the region: their accounts and roles (who may see the region's roles).",
    roles=ROLE_GRANTS[Action.VIEW],
    main_for=frozenset({Role.BEHEERDER}),
))
register_permission(Permission(
    "accounts.view_my_account", "One's own account, roles and invitations.", roles=ALL_ROLES,
))
register_permission(Permission(
    "accounts.handle_personal_data",
    "Working with personal data, for which a second factor is required at login.",
    roles=ROLES_WITH_PERSONAL_DATA,
))
