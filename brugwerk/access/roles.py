"""The roles the policy knows. A role is always held in one region (and, for a school contact or a
partner, for one school or partner organisation); `accounts.models.Membership` stores them, the
policy reads them (see docs/access.md).

They live here, below every domain app, so that the policy and each app's rules can name roles
without importing `accounts`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    BRUGFIGUUR = "brugfiguur", _("Bridge figure")
    SCHOOLCONTACT = "schoolcontact", _("School contact")
    PARTNER = "partner", _("Partner")
    BELEID = "beleid", _("Policy maker")


ALL_ROLES = frozenset(Role.values)
# The managers of a region: they keep its directory and its people.
MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})
COORDINATOR_ROLE = frozenset({Role.COORDINATOR})
BRUGFIGUUR_ROLE = frozenset({Role.BRUGFIGUUR})
BELEID_ROLE = frozenset({Role.BELEID})
# The pool of a region: its bridge figures and their coordinator (who open cases).
POOL = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR})
CASE_CREATORS = POOL
POOL_AND_POLICY = frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.BELEID})
# Who sees the region's figures that name nobody: its policy makers and its coordinator.
FIGURES_ROLES = frozenset({Role.BELEID, Role.COORDINATOR})

# Roles that see personal data, and so must log in with a second factor.
ROLES_WITH_PERSONAL_DATA = frozenset(
    {Role.BEHEERDER, Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER}
)
# Roles whose holders see case content (cases, referrals, referrals out). Only the region's coordinator
# grants them, and a manager never takes over (password, 2FA, e-mail address) an account that holds
# or held one: no single account can obtain access to case content it did not already have.
CASE_CONTENT_ROLES = frozenset({Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER})

# Who grants which role in a region: a role that sees case content only the coordinator, the others
# (administrator, policy maker) the managers. A role not named here: the coordinator.
ROLE_GRANTERS: dict[str, frozenset[str]] = {
    role: COORDINATOR_ROLE if role in CASE_CONTENT_ROLES else MANAGERS for role in Role.values
}
