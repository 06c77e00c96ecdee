"""Access rule of the audit trail (see brugwerk/access for how rules work; docs/access.md): the
coordinator reads and exports the whole trail of their region, the administrator only its account
events. Nobody writes entries through the policy: only `audit.services.record` does."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from brugwerk.access.permissions import Permission
from brugwerk.access.policy import Action, Principal
from brugwerk.access.registry import register, register_permission
from brugwerk.access.roles import MANAGERS, Role
from brugwerk.access.rules import Rule
from brugwerk.audit.models import ACCOUNT_EVENTS, AuditEntry


class AuditRule(Rule):
    """The coordinator reads the whole trail of their region; the administrator only account events."""

    def __init__(self) -> None:
        super().__init__("region", {Action.VIEW: MANAGERS, Action.EXPORT: frozenset({Role.COORDINATOR})})

    def scope(self, principal: Principal, queryset: models.QuerySet, action: Action) -> models.QuerySet:
        coordinated = principal.regions_with({Role.COORDINATOR} & self.roles_for(action))
        administered = principal.regions_with({Role.BEHEERDER} & self.roles_for(action))
        return queryset.filter(
            Q(region__in=coordinated) | Q(region__in=administered, event__in=ACCOUNT_EVENTS)
        )

    def allows(self, principal: Principal, action: Action, obj: Any) -> bool:
        if principal.has_role(obj.region_id, {Role.COORDINATOR} & self.roles_for(action)):
            return True
        return obj.event in ACCOUNT_EVENTS and principal.has_role(
            obj.region_id, {Role.BEHEERDER} & self.roles_for(action)
        )

    def can_create_in(self, principal: Principal, region_id: int | None) -> bool:
        return False  # only the audit service writes entries


AUDIT_RULE = AuditRule()
register(AuditEntry, AUDIT_RULE)

register_permission(Permission(
    "audit.view_trail",
    "The audit trail of the region (the administrator: its account events only).",
    roles=AUDIT_RULE.roles_for(Action.VIEW),
    main_for=frozenset({Role.BEHEERDER}),
))
