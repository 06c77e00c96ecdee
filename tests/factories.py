"""factory_boy factories for Brugwerk's records. Every factory builds a valid record of one region."""

from decimal import Decimal

import factory
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, SchoolNetwork, Zone, ZoneMembership

PASSWORD = "Brugwerk-test-2026!"


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Test"
    email = factory.LazyAttribute(lambda u: f"{u.username}@brugwerk.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    role = Role.BRUGFIGUUR


class PoolMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoolMember

    region = factory.SubFactory(RegionFactory)
    user = factory.SubFactory(UserFactory)
    fte = Decimal("0.90")
    home_base = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))


def user_with_role(role: str, region: Region, *, school: School | None = None,
                   organisation: PartnerOrganisation | None = None, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, region=region, role=role, school=school, organisation=organisation)
    return user
