"""factory_boy factories for casework (and, until it has its own app, the agenda), and `casework_in`: one record of
every casework kind in a region, for the access matrix and the isolation tests."""

from __future__ import annotations

import datetime

import factory
from django.db import models
from django.utils import timezone

from brugwerk.agenda.models import Appointment, AppointmentKind, PresenceDay
from brugwerk.cases.models import (
    AgreedAction,
    Case,
    CaseShare,
    CaseTransfer,
    CaseworkSettings,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ContactMoment,
    ContactType,
    FamilyMember,
    FeedbackStatus,
    Goal,
    HelpQuestion,
    LifeDomain,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralSource,
    ReferralStatus,
    Relation,
    ShareKind,
    YoungPerson,
)
from tests.accounts.factories import UserFactory, user_with_role
from tests.network.factories import PartnerOrganisationFactory
from tests.regions.factories import RegionFactory, SchoolFactory


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


class LifeDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeDomain
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"levensdomein {n}")
    position = factory.Sequence(lambda n: n)


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    region = factory.SubFactory(RegionFactory)
    first_name = factory.Sequence(lambda n: f"Jongere{n}")
    last_name = "Peeters"
    birth_date = factory.LazyFunction(lambda: years_ago(15))
    grade = 3


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    region = factory.SubFactory(RegionFactory)
    young_person = factory.SubFactory(YoungPersonFactory, region=factory.SelfAttribute("..region"))
    lead = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    region = factory.SubFactory(RegionFactory)
    source = ReferralSource.SCHOOL
    pupil_first_name = factory.Sequence(lambda n: f"Leerling{n}")
    pupil_last_name = "Janssens"
    pupil_birth_date = factory.LazyFunction(lambda: years_ago(14))
    reason = "Vaak afwezig, thuis moeilijk bereikbaar."
    received_at = factory.LazyFunction(timezone.now)


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    young_person = factory.SubFactory(YoungPersonFactory)
    relation = Relation.MOTHER
    name = "Fatima Peeters"
    phone = "0470 00 00 00"
    languages = "Arabisch, Frans"
    needs_interpreter = True


class CaseShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    kind = ShareKind.CO_GUIDANCE
    starts_on = factory.LazyFunction(timezone.localdate)
    granted_by = factory.SelfAttribute("case.lead")


class HelpQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpQuestion

    case = factory.SubFactory(CaseFactory)
    life_domain = factory.SubFactory(LifeDomainFactory, region=factory.SelfAttribute("..case.region"))
    description = "Hulp bij de aanvraag van de schooltoeslag."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    case = factory.SubFactory(CaseFactory)
    description = "Elke dag op tijd op school."
    start_date = factory.LazyFunction(timezone.localdate)


class AgreedActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedAction

    case = factory.SubFactory(CaseFactory)
    description = "Afspraak maken bij het OCMW."
    owner_label = "moeder"


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    case = factory.SubFactory(CaseFactory)
    region = factory.LazyAttribute(lambda o: o.case.region if o.case else RegionFactory())
    brugfiguur = factory.LazyAttribute(lambda o: o.case.lead if o.case else UserFactory())
    contact_type = ContactType.HOME_VISIT
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    duration_minutes = 45
    with_whom = factory.LazyFunction(lambda: ["young_person", "parent"])
    note = "Gesprek met moeder over de schoolkosten."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory, region=factory.SelfAttribute("..case.region"))
    purpose = ConsentPurpose.REFERRAL
    shared_fields = factory.LazyFunction(lambda: ["first_name", "last_name", "school", "help_questions"])
    given_by = ConsentGiver.YOUNG_PERSON
    given_by_name = "de jongere"
    given_on = factory.LazyFunction(timezone.localdate)
    method = ConsentMethod.VERBAL
    recorded_by = factory.SelfAttribute("case.lead")


class ReferralOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralOut

    consent = factory.SubFactory(ConsentFactory)
    case = factory.SelfAttribute("consent.case")
    organisation = factory.SelfAttribute("consent.organisation")
    question = "Kan het JAC helpen met de woonsituatie?"
    shared_fields = factory.LazyFunction(lambda: ["first_name", "school"])
    shared_snapshot = factory.LazyAttribute(
        lambda o: {"first_name": o.case.young_person.first_name, "school": "Sint-Amandscollege"}
    )
    sent_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    sent_by = factory.SelfAttribute("case.lead")


class ReferralFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralFeedback

    referral_out = factory.SubFactory(ReferralOutFactory)
    status = FeedbackStatus.STARTED
    note = "Eerste gesprek gepland."
    given_by = factory.SelfAttribute("referral_out.sent_by")
    given_at = factory.LazyFunction(timezone.now)


class CaseTransferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseTransfer

    case = factory.SubFactory(CaseFactory)
    from_lead = factory.SelfAttribute("case.lead")
    to_lead = factory.SelfAttribute("case.lead")
    note = "Warme overdracht."
    transferred_by = factory.SelfAttribute("case.lead")
    transferred_at = factory.LazyFunction(timezone.now)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    region = factory.SubFactory(RegionFactory)
    brugfiguur = factory.SubFactory(UserFactory)
    kind = AppointmentKind.HOME_VISIT
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    location = "thuis"


class PresenceDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PresenceDay

    region = factory.SubFactory(RegionFactory)
    brugfiguur = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory, region=factory.SelfAttribute("..region"))
    weekday = 1
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


def casework_in(region, *, school, organisation, contact_point, lead, colleague, referrer) -> dict[
    type[models.Model], models.Model
]:
    """One record of every casework kind in `region`: a case led by `lead`, shared with `colleague`,
    referred by `referrer` for `school`, referred on to `organisation` under a standing consent."""
    domain = LifeDomainFactory(region=region, name="onderwijs")
    person = YoungPersonFactory(region=region, school=school, first_name="Yasmine", last_name=f"Case-{region.slug}")
    case = CaseFactory(region=region, young_person=person, school=school, lead=lead)
    referral = ReferralFactory(
        region=region, school=school, source=ReferralSource.SCHOOL, referred_by=referrer, young_person=person,
        case=case, status=ReferralStatus.ASSIGNED, pupil_first_name="Yasmine", pupil_last_name=person.last_name,
    )
    referral.life_domains.add(domain)
    consent = ConsentFactory(case=case, organisation=organisation)
    referral_out = ReferralOutFactory(consent=consent, contact_point=contact_point)
    return {
        LifeDomain: domain,
        YoungPerson: person,
        FamilyMember: FamilyMemberFactory(young_person=person),
        Referral: referral,
        Case: case,
        CaseShare: CaseShareFactory(case=case, user=colleague, granted_by=lead),
        HelpQuestion: HelpQuestionFactory(case=case, life_domain=domain),
        Goal: GoalFactory(case=case),
        AgreedAction: AgreedActionFactory(case=case),
        ContactMoment: ContactMomentFactory(case=case, school=school),
        Consent: consent,
        ReferralOut: referral_out,
        ReferralFeedback: ReferralFeedbackFactory(referral_out=referral_out),
        CaseTransfer: CaseTransferFactory(case=case, from_school=school, to_school=school, from_lead=colleague),
        Appointment: AppointmentFactory(region=region, brugfiguur=lead, case=case, school=school),
        PresenceDay: PresenceDayFactory(region=region, brugfiguur=lead, school=school),
    }


def pool_serves(world) -> None:
    """In the world of tests/conftest.py: brugfiguur serves the school, brugfiguur2 the other school."""
    from brugwerk.pool.models import PoolMember

    PoolMember.objects.get(user=world.brugfiguur).schools.add(world.school)
    PoolMember.objects.get(user=world.brugfiguur2).schools.add(world.other_school)


def full_case(world, *, lead=None) -> dict[type[models.Model], models.Model]:
    """`casework_in` region A of the world: a case of world.school led by the brugfiguur, shared with a
    colleague who is not a persona, referred by the school contact, referred on to the partner's CAW."""
    from brugwerk.access.roles import Role

    colleague = user_with_role(Role.BRUGFIGUUR, world.region)
    return casework_in(
        world.region, school=world.school, organisation=world.organisation, contact_point=world.contact_point,
        lead=lead or world.brugfiguur, colleague=colleague, referrer=world.schoolcontact,
    )


def set_casework_settings(region, **values) -> CaseworkSettings:
    """Give `region` these casework settings (no page edits them yet), also on the region object the
    test holds, where an earlier read may have kept the old ones."""
    settings, _ = CaseworkSettings.objects.update_or_create(region=region, defaults=values)
    region.casework_settings = settings
    return settings
