"""factory_boy factories for the pool app: the brugfiguren of a region."""

from decimal import Decimal

import factory

from brugwerk.pool.models import PoolMember
from tests.accounts.factories import UserFactory
from tests.regions.factories import MunicipalityFactory, RegionFactory


class PoolMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoolMember

    region = factory.SubFactory(RegionFactory)
    user = factory.SubFactory(UserFactory)
    fte = Decimal("0.90")
    home_base = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))
