"""factory_boy factories for the groups app: offerings, their sessions, participants and attendance."""

import datetime

import factory
from django.utils import timezone

from brugwerk.groups.models import (
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
    TargetGroup,
)
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory
from tests.regions.factories import RegionFactory, SchoolFactory


class GroupOfferingFactory(factory.django.DjangoModelFactory):
    """An offering written directly (no service, no audit). `organisers` and `partners` take lists."""

    class Meta:
        model = GroupOffering
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    kind = OfferingKind.PARENT_CAFE
    title = "Oudercafé Sint-Amands"
    target_group = TargetGroup.PARENTS
    school = factory.SubFactory(SchoolFactory, region=factory.SelfAttribute("..region"))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organisers(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.organisers.set(extracted)

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.partners.set(extracted)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    offering = factory.SubFactory(GroupOfferingFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    start_time = datetime.time(8, 30)
    duration_minutes = 90


class GroupParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupParticipant

    offering = factory.SubFactory(GroupOfferingFactory)
    case = factory.SubFactory(CaseFactory, region=factory.SelfAttribute("..offering.region"))
    added_by = factory.SelfAttribute("offering.created_by")


class GroupAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupAttendance

    session = factory.SubFactory(GroupSessionFactory)
    participant = factory.SubFactory(GroupParticipantFactory, offering=factory.SelfAttribute("..session.offering"))
    status = AttendanceStatus.PRESENT


class AnonymousAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnonymousAttendance

    session = factory.SubFactory(GroupSessionFactory)
    role = AttendeeRole.PARENT
    count = 1
