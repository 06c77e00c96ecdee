"""factory_boy factories for the regions app: regions, zones, municipalities, schools."""

import factory
from django.utils import timezone

from brugwerk.regions.models import Municipality, Region, School, SchoolNetwork, Zone, ZoneMembership


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Zone {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    postal_code = "8500"


class ZoneMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneMembership

    zone = factory.SubFactory(ZoneFactory)
    municipality = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..zone.region"))
    valid_from = factory.LazyFunction(lambda: timezone.localdate().replace(year=2020, month=1, day=1))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Sint-Testcollege {n}")
    municipality = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))
    network = SchoolNetwork.KATHOLIEK
    education_forms = factory.LazyFunction(lambda: ["a_stream", "transition"])
    pupil_count = 600
    street = "Schoolstraat 1"
    postal_code = "8500"
