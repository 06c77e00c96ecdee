"""Where the policy finds its rules and its named permissions.

The policy's mechanism (this package) knows no domain app. Each app declares the rules of its own
record kinds, and its named page permissions, in `brugwerk/<app>/rules.py`:

    from brugwerk.access.registry import register, register_permission

    register(Zone, Rule("region", DIRECTORY))
    register_permission(Permission("regions.view_overview", roles=ALL_ROLES))

Those modules are imported once, at startup, by `AccessConfig.ready` (as Django's admin discovers
`admin.py`), so the registry is complete wherever the policy is asked. A record kind without a rule
and an unknown permission name fail loudly (LookupError), for every user.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from brugwerk.access.permissions import Permission
    from brugwerk.access.rules import Rule

RULES: dict[type[models.Model], Rule] = {}
PERMISSIONS: dict[str, Permission] = {}
# The module that registered each record kind's rule (brugwerk.<app>.rules), for the checks in tests.
REGISTERED_BY: dict[type[models.Model], str] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    """Declare the rule of one record kind (once)."""
    if model in RULES:
        raise ImproperlyConfigured(f"{model._meta.label} has an access rule already ({REGISTERED_BY[model]}).")
    RULES[model] = rule
    REGISTERED_BY[model] = sys._getframe(1).f_globals.get("__name__", "")


def register_rules(rules: dict[type[models.Model], Rule]) -> None:
    """Declare the rules of several record kinds at once: `register_rules({Model: Rule(...), ...})`."""
    caller = sys._getframe(1).f_globals.get("__name__", "")
    for model, rule in rules.items():
        register(model, rule)
        REGISTERED_BY[model] = caller


def register_permission(permission: Permission) -> Permission:
    """Declare a named permission (once); returns it, so a module may keep it under a name."""
    if permission.name in PERMISSIONS:
        raise ImproperlyConfigured(f"The permission {permission.name!r} is declared twice.")
    PERMISSIONS[permission.name] = permission
    return permission


def rule_for(model: type[models.Model]) -> Rule:
    rule = RULES.get(model._meta.concrete_model or model)
    if rule is None:
        raise LookupError(
            f"No access rule for {model._meta.label}: register one in brugwerk/{model._meta.app_label}/rules.py."
        )
    return rule


def permission_for(name: str) -> Permission:
    permission = PERMISSIONS.get(name)
    if permission is None:
        raise LookupError(f"No permission named {name!r}: declare it in its app's rules.py.")
    return permission


def region_id_of(obj: Any) -> int | None:
    """The region a record belongs to, found the way its rule finds it (a contact point belongs to its
    organisation's region); None for a record kind without a rule that has no `region_id` either."""
    rule = RULES.get(type(obj)._meta.concrete_model or type(obj))
    if rule is not None:
        return rule.region_id_of(obj)
    return getattr(obj, "region_id", None)


def autodiscover() -> None:
    """Import every installed app's `rules` module (each registers its rules when imported)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("rules")
