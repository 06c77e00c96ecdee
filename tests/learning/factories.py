"""factory_boy factories for the learning app: themes, sessions, the library and the social map."""

import datetime

import factory
from django.utils import timezone

from brugwerk.learning.models import (
    LearningKind,
    LearningSession,
    LearningTheme,
    LibraryItem,
    LibraryKind,
    SocialMapEntry,
)
from tests.accounts.factories import UserFactory
from tests.regions.factories import RegionFactory


class LearningThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningTheme

    region = factory.SubFactory(RegionFactory)
    name = "armoede en schoolkosten"


class LearningSessionFactory(factory.django.DjangoModelFactory):
    """A session written directly (no service, no audit). `participants` and `themes` take lists."""

    class Meta:
        model = LearningSession
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    kind = LearningKind.INTERVISION
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 120
    case_question = factory.LazyAttribute(
        lambda o: "Een leerling uit het vierde jaar komt vaak te laat; thuis is er veel zorg."
        if o.kind == LearningKind.INTERVISION else ""
    )
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def participants(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.participants.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.themes.set(extracted)


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryItem
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    kind = LibraryKind.PRACTICE
    title = "Oudercafé aan de schoolpoort"
    summary = "Een laagdrempelig moment voor ouders."

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.themes.set(extracted)


class SocialMapEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialMapEntry
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    service_name = "Huiswerkklas De Brug"
    offers = "Huiswerkbegeleiding na school."
    for_whom = "Leerlingen secundair"
    phone = "056 11 22 33"

    @factory.post_generation
    def life_domains(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not None:
            obj.life_domains.set(extracted)
