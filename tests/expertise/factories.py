"""factory_boy factories for the expertise app: the region's topics and school-team activities."""

import datetime

import factory
from django.utils import timezone

from brugwerk.expertise.models import ActivityKind, ExpertiseTopic, SchoolTeamActivity
from tests.accounts.factories import UserFactory
from tests.regions.factories import RegionFactory, SchoolFactory


class ExpertiseTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseTopic

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"thema {n}")
    position = factory.Sequence(lambda n: n)


class SchoolTeamActivityFactory(factory.django.DjangoModelFactory):
    """An activity written directly (no service, no audit). `topics` and `co_facilitators` take lists."""

    class Meta:
        model = SchoolTeamActivity
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    school = factory.SubFactory(SchoolFactory, region=factory.SelfAttribute("..region"))
    kind = ActivityKind.COACHING_TEAM
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    duration_minutes = 60
    lead = factory.SubFactory(UserFactory)
    participant_count = 6
    description = "Teamcoaching rond schoolkosten."
    created_by = factory.SelfAttribute("lead")

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def co_facilitators(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.co_facilitators.set(extracted)
