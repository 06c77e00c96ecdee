"""factory_boy factories for the cooperation app: network meetings, their agreements and actions, and
the cooperation agreements with schools."""

import datetime

import factory
from django.utils import timezone

from brugwerk.cooperation.models import (
    CooperationAgreement,
    MeetingAction,
    MeetingAgreement,
    MeetingKind,
    NetworkMeeting,
    ReferralChannel,
)
from tests.regions.factories import RegionFactory, SchoolFactory


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class NetworkMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting written directly (no service, no audit). `pool_attendees`, `organisations` and
    `schools` take lists."""

    class Meta:
        model = NetworkMeeting
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    title = "Lokaal netwerk onderwijs-welzijn"
    kind = MeetingKind.LOCAL_NETWORK
    date = factory.LazyFunction(lambda: _days(-7))
    duration_minutes = 90
    place = "Stadhuis"

    @factory.post_generation
    def pool_attendees(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.pool_attendees.set(extracted)

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.organisations.set(extracted)

    @factory.post_generation
    def schools(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.schools.set(extracted)


class MeetingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAgreement

    meeting = factory.SubFactory(NetworkMeetingFactory)
    text = "Maandelijks overleg"


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(NetworkMeetingFactory)
    description = "Infomoment voor ouders plannen"
    owner_user = None
    owner_label = ""
    due_date = factory.LazyFunction(lambda: _days(14))


class CooperationAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    region = factory.SubFactory(RegionFactory)
    school = factory.SubFactory(SchoolFactory, region=factory.SelfAttribute("..region"))
    version = 1
    valid_from = factory.LazyFunction(lambda: _days(-200))
    agreed_days = "Elke dinsdag"
    referral_channel = ReferralChannel.CARE_TEAM
    contacts = factory.LazyFunction(lambda: [{"name": "Griet Vanneste", "function": "zorgcoördinator",
                                              "phone": "056 11 22 33", "email": "griet.vanneste@school.example"}])
    role_profile_accepted = True
    role_profile_accepted_on = factory.LazyFunction(lambda: _days(-190))
    last_evaluated_on = factory.LazyFunction(lambda: _days(-100))
    next_evaluation_on = factory.LazyFunction(lambda: _days(80))
