"""factory_boy factories for the accounts app: users and their roles in a region."""

import factory

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import Region, School
from tests.regions.factories import RegionFactory

PASSWORD = "Brugwerk-test-2026!"


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


def user_with_role(role: str, region: Region, *, school: School | None = None,
                   organisation: PartnerOrganisation | None = None, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, region=region, role=role, school=school, organisation=organisation)
    return user
