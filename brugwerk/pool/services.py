"""Writes to the pool, through the directory helper of `brugwerk.regions.services` (access check,
validation including "only schools and a home base of the member's region", audit entry)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership
from brugwerk.audit.services import Actor
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region
from brugwerk.regions.services import directory_create, directory_update


def _check_new_member(member: PoolMember) -> None:
    if member.user_id is None:
        return
    is_brugfiguur = Membership.objects.filter(
        user_id=member.user_id, region_id=member.region_id, role=Role.BRUGFIGUUR, revoked_at__isnull=True
    ).exists()
    if not is_brugfiguur:
        raise ValidationError(
            {"user": _("Only a person with the bridge figure role in this region can join its pool.")}
        )
    if PoolMember.objects.filter(user_id=member.user_id, region_id=member.region_id).exists():
        raise ValidationError({"user": _("This person is already in the pool.")})


def pool_member_create(*, actor: Actor, region: Region, values: Mapping[str, Any]) -> PoolMember:
    return directory_create(
        actor=actor, instance=PoolMember(region=region), values=values, check=_check_new_member
    )


def pool_member_update(*, actor: Actor, member: PoolMember, values: Mapping[str, Any]) -> PoolMember:
    values = {k: v for k, v in values.items() if k not in {"user", "region"}}  # who and where stay put
    return directory_update(actor=actor, instance=member, values=values)
