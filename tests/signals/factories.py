"""factory_boy factories for the signals app: themes, signals and what hangs off a signal."""

import factory
from django.utils import timezone

from brugwerk.signals.models import (
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
    SignalTheme,
)
from tests.accounts.factories import UserFactory
from tests.cases.factories import CaseFactory
from tests.regions.factories import RegionFactory


class SignalThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalTheme
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = "schoolkosten"


class SignalFactory(factory.django.DjangoModelFactory):
    """A signal written directly (no service, no audit)."""

    class Meta:
        model = Signal

    region = factory.SubFactory(RegionFactory)
    theme = factory.SubFactory(SignalThemeFactory, region=factory.SelfAttribute("..region"))
    title = "Schoolrekeningen te hoog"
    description = "Een knelpunt zonder namen."
    level = SignalLevel.REGION
    status = SignalStatus.RECORDED
    recorded_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory)


class SignalBackingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalBacking

    signal = factory.SubFactory(SignalFactory)
    brugfiguur = factory.SelfAttribute("signal.created_by")
    backed_on = factory.LazyFunction(timezone.localdate)


class SignalEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalEvidence

    signal = factory.SubFactory(SignalFactory)
    case = factory.SubFactory(CaseFactory, region=factory.SelfAttribute("..signal.region"))
    added_by = factory.SelfAttribute("signal.created_by")


class SignalStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalStatusChange

    signal = factory.SubFactory(SignalFactory)
    to_status = SignalStatus.RECORDED
    changed_on = factory.LazyFunction(timezone.localdate)
    changed_by = factory.SelfAttribute("signal.created_by")


class SignalResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignalResponse

    signal = factory.SubFactory(SignalFactory)
    responder = "Stadsbestuur"
    received_on = factory.LazyFunction(timezone.localdate)
    kind = ResponseKind.ANSWER
    text = "De stad onderzoekt het."
    recorded_by = factory.SelfAttribute("signal.created_by")
