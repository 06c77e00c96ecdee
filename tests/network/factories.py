"""factory_boy factories for the network app: partner organisations and their contact points."""

import factory

from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from tests.regions.factories import RegionFactory, SchoolFactory


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"CAW Test {n}")
    type = PartnerType.CAW


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    person_name = factory.Sequence(lambda n: f"Contact Persoon {n}")
    function = "Onthaalmedewerker"
    phone = "056 00 00 00"
    email = factory.Sequence(lambda n: f"contact{n}@partner.test")
    school = factory.SubFactory(SchoolFactory, region=factory.SelfAttribute("..organisation.region"))
