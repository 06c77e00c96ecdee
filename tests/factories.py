"""Kept for the branches that still import it: the factories live per app now, in
tests/<app>/factories.py (accounts, regions, network, pool). Import from there."""

from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory, user_with_role
from tests.network.factories import ContactPointFactory, PartnerOrganisationFactory
from tests.pool.factories import PoolMemberFactory
from tests.regions.factories import (
    MunicipalityFactory,
    RegionFactory,
    SchoolFactory,
    ZoneFactory,
    ZoneMembershipFactory,
)

__all__ = [
    "PASSWORD",
    "ContactPointFactory",
    "MembershipFactory",
    "MunicipalityFactory",
    "PartnerOrganisationFactory",
    "PoolMemberFactory",
    "RegionFactory",
    "SchoolFactory",
    "UserFactory",
    "ZoneFactory",
    "ZoneMembershipFactory",
    "user_with_role",
]
