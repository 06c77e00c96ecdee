"""Demo casework: cases with their young people, families, help questions, goals, agreed actions,
contact moments, referrals in and out, consents, sharing, a transfer, low-threshold contacts,
presence days and this week's appointments.

Hand-made regions (W13 and the small second region) get a rich, varied file per brugfiguur so that
every casework page shows something real. Generated Flanders regions get the bulk: about
`CASES_PER_BRUGFIGUUR` trajectories and `CONTACTS_PER_CASE` contact moments per case, times the
build's `casework_scale`, written with few Python objects per row.

Idempotent the coarse way: a region that has any case already is skipped. Dates are relative to
today, so the demo always looks current; names are invented (see `brugwerk.demo.names`).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.agenda.models import Appointment, AppointmentKind, PresenceDay
from brugwerk.cases.models import (
    CONSENT_AGE,
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    CloseReason,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ContactMoment,
    ContactType,
    ContactWith,
    FamilyMember,
    FeedbackStatus,
    Goal,
    GoalStatus,
    HelpQuestion,
    HelpQuestionStatus,
    LifeDomain,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
    ReferralSource,
    ReferralStatus,
    Relation,
    ShareableField,
    ShareKind,
    Urgency,
    YoungPerson,
    age_on,
)
from brugwerk.cases.services.handover import build_snapshot
from brugwerk.demo import flanders
from brugwerk.network.models import ContactPoint, PartnerType
from brugwerk.regions.models import School, ZoneMembership

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType

    from brugwerk.demo.build import Build

BULK_BATCH = 5000
CASES_PER_BRUGFIGUUR = 200  # Flanders: 60,000 trajectories over ~300 brugfiguren
CONTACTS_PER_CASE = 25  # Flanders: 1.5 million contact moments

# Young people: (first names, last names, languages spoken at home) per background, so that a name
# and its languages fit together. All invented combinations.
BACKGROUNDS: list[tuple[list[str], list[str], list[str]]] = [
    (
        [
            "Lars",
            "Mila",
            "Finn",
            "Noah",
            "Lotte",
            "Wout",
            "Fien",
            "Jelle",
            "Ella",
            "Seppe",
            "Lien",
            "Kobe",
            "Marthe",
            "Rune",
            "Jana",
            "Milan",
            "Nore",
            "Stan",
            "Febe",
            "Tuur",
        ],
        [
            "Vandenbroucke",
            "Deconinck",
            "Verstraete",
            "Maertens",
            "Vanhaecke",
            "Dewulf",
            "Lannoo",
            "Vanneste",
            "Goethals",
            "Declercq",
            "Debruyne",
            "Vermeulen",
            "Ghesquière",
            "Vandamme",
        ],
        ["Nederlands"],
    ),
    (
        ["Yassin", "Ilyas", "Nour", "Aya", "Hamza", "Salma", "Imane", "Bilal", "Soufiane", "Douae"],
        ["El Amrani", "Bouzid", "Haddouchi", "El Idrissi", "Benali", "Azzouzi", "Chaouki"],
        ["Nederlands", "Arabisch", "Berbers"],
    ),
    (
        ["Emre", "Elif", "Yusuf", "Zeynep", "Mert", "Esra", "Kerem", "Ayşe"],
        ["Yilmaz", "Aydin", "Ceylan", "Kaya", "Demir", "Öztürk"],
        ["Turks", "Nederlands"],
    ),
    (
        ["Oleksandr", "Sofiia", "Maksym", "Anastasiia", "Dmytro", "Yeva"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Melnyk"],
        ["Oekraïens", "Russisch"],
    ),
    (
        ["Ahmad", "Mariam", "Omar", "Fatema", "Mustafa", "Zahra"],
        ["Rahimi", "Hosseini", "Al Hassan", "Haidari"],
        ["Dari", "Arabisch"],
    ),
    (
        ["Kacper", "Zuzanna", "Jakub", "Wiktoria"],
        ["Kowalski", "Nowak", "Wiśniewska", "Zieliński"],
        ["Pools", "Nederlands"],
    ),
    (
        ["Grâce", "Elie", "Merveille", "Dieudonné", "Senait", "Yonas"],
        ["Mbuyi", "Kabongo", "Tesfaye", "Haile"],
        ["Frans", "Lingala", "Tigrinya"],
    ),
]
PARENT_FIRST_NAMES = {
    Relation.MOTHER: ["Sabine", "Nadia", "Hatice", "Olena", "Katrien", "Fatima", "Grace", "Anna"],
    Relation.FATHER: ["Johan", "Mohamed", "Mehmet", "Serhiy", "Kristof", "Ali", "Joseph", "Piotr"],
    Relation.GUARDIAN: ["Rita", "Marc", "Hilde"],
    Relation.SIBLING: ["Sara", "Adam", "Lina", "Jonas"],
}

# Help questions: (life domain, question, goal, agreed action) — stored in Dutch, like the domains.
HELP_QUESTIONS = [
    (
        "onderwijs",
        "Spijbelt vaak op maandag; dreigt de studiekeuze te missen.",
        "Minstens vier dagen per week op school",
        "Elke maandagochtend kort bellen met de leerling",
    ),
    (
        "onderwijs",
        "Wil van richting veranderen maar weet niet hoe.",
        "Een gedragen keuze voor een nieuwe studierichting",
        "Samen naar de infomarkt van het CLB",
    ),
    (
        "financiën en inkomen",
        "Het gezin kan de schoolrekening en de uitstappen niet betalen.",
        "Een afbetalingsplan met de school",
        "Afspraak met de boekhouding van de school",
    ),
    (
        "administratie en juridisch",
        "Brieven van de school en de gemeente blijven ongeopend liggen.",
        "Moeder opent en begrijpt de belangrijkste post",
        "Samen de brievenbus en de map overlopen",
    ),
    (
        "wonen",
        "Het gezin woont met zes in een te kleine, vochtige woning.",
        "Een aanvraag voor een sociale woning is ingediend",
        "Samen naar het woonloket",
    ),
    (
        "fysieke gezondheid",
        "Vaak moe en hoofdpijn; geen huisarts.",
        "Een vaste huisarts voor het gezin",
        "Inschrijving bij het wijkgezondheidscentrum",
    ),
    (
        "mentaal welzijn",
        "Trekt zich terug, somber sinds de scheiding van de ouders.",
        "Een vertrouwenspersoon buiten de school",
        "Kennismaking bij OverKop regelen",
    ),
    (
        "gezin en opvoeding",
        "Veel ruzie thuis over gsm-gebruik en uitgaan.",
        "Duidelijke afspraken thuis die iedereen kent",
        "Gezinsgesprek bij de leerling thuis",
    ),
    (
        "vrije tijd",
        "Zit na school alleen thuis, geen hobby's.",
        "Een wekelijkse vrijetijdsactiviteit",
        "Samen de UiTPAS en het sportaanbod bekijken",
    ),
    (
        "taal",
        "Ouders spreken weinig Nederlands; oudercontact loopt mis.",
        "Ouders volgen het oudercontact met een tolk",
        "Sociaal tolk aanvragen voor het oudercontact",
    ),
    (
        "werk",
        "Zoekt een stageplaats in duaal leren.",
        "Een stageplaats voor het volgende semester",
        "Cv opstellen en twee bedrijven bellen",
    ),
    (
        "mobiliteit",
        "Geraakt niet op school: geen fiets, bus te duur.",
        "Elke dag zelfstandig op school geraken",
        "Aanvraag voor een tweedehandsfiets",
    ),
]
NOTES = [
    "Kort gesprek aan de schoolpoort, loopt beter.",
    "Samen de agenda voor de komende week overlopen.",
    "Moeder gebeld: afspraak bevestigd.",
    "Huisbezoek: het gezin was open en betrokken.",
    "Mee naar het loket; aanvraag ingediend.",
    "Overleg met de leerlingbegeleider over de afwezigheden.",
    "Bericht gestuurd, nog geen antwoord.",
    "Gesprek over de studiekeuze, twijfelt nog.",
]
PRIVATE_NOTES = [
    "Vermoeden van spanningen tussen de ouders; verder opvolgen.",
    "Leerling vertelde in vertrouwen over schulden van de familie.",
]
OUTCOMES: dict[str, str] = {
    CloseReason.GOALS_REACHED: "Gaat weer elke dag naar school; de afspraken thuis lopen goed.",
    CloseReason.REFERRED_ON: "Verder begeleid door het CAW; de leerling kent de weg.",
    CloseReason.CHANGED_SCHOOL: "Ingeschreven in een school buiten de regio; overdracht met toestemming.",
    CloseReason.QUALIFICATION: "Behaalde het diploma en start in een job.",
    CloseReason.NO_LONGER_WANTED: "De leerling wilde geen verdere begeleiding; de deur blijft open.",
}
CONTACT_TYPES = list(ContactType.values)
# How often each type occurs: school-gate and conversations at school the most, home visits regularly.
CONTACT_WEIGHTS = [20, 25, 12, 6, 25, 6, 6]
PLACES: dict[str, str] = {
    ContactType.SCHOOL_GATE: "schoolpoort",
    ContactType.CONVERSATION_AT_SCHOOL: "lokaal leerlingbegeleiding",
    ContactType.HOME_VISIT: "bij het gezin thuis",
    ContactType.NEIGHBOURHOOD: "jeugdhuis",
    ContactType.PHONE_MESSAGE_EMAIL: "",
    ContactType.ACCOMPANY_TO_SERVICE: "sociaal huis",
    ContactType.GROUP_MOMENT: "refter",
}
LOW_THRESHOLD_NAMES = ["Yara", "Kenzo", "Lina", "Mats", "Amir", "Noa", "Jules", "Hiba", ""]


def casework_step(build: Build) -> None:
    region = build.region
    assert region is not None
    if Case.objects.filter(region=region).exists():
        return
    if build.spec.slug.startswith(flanders.SLUG_PREFIX):
        _bulk_casework(build)
    else:
        _rich_casework(build)


# --- helpers -----------------------------------------------------------------------------------


def _create(build: Build, model: type[models.Model], objs: list[Any]) -> list[Any]:
    model._default_manager.bulk_create(objs, batch_size=BULK_BATCH)
    build.created[model._meta.label_lower] += len(objs)
    return objs


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    """Someone between 12 and 18 years old today."""
    return today - datetime.timedelta(days=rng.randint(12 * 366, 18 * 365 + 360))


def _grade(birth_date: datetime.date, today: datetime.date) -> int:
    return max(1, min(7, age_on(birth_date, today) - 11))


def _brugfiguren(build: Build) -> list[tuple[User, list[School]]]:
    return [
        (build.users[p.username], [build.schools[name] for name in p.schools]) for p in build.spec.pool if p.schools
    ]


def _coordinator(build: Build) -> User | None:
    for login in build.spec.logins:
        if login.role == Role.COORDINATOR:
            return build.users[login.username]
    return None


def _presence_days(build: Build, rng: random.Random, today: datetime.date) -> None:
    """Each brugfiguur is at each served school on one weekday (Monday to Friday)."""
    region = build.region
    rows = []
    school_year = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    for user, schools in _brugfiguren(build):
        days = rng.sample(range(5), k=min(5, len(schools)))
        for i, school in enumerate(schools):
            rows.append(
                PresenceDay(
                    region=region,
                    brugfiguur=user,
                    school=school,
                    weekday=days[i % len(days)],
                    valid_from=school_year,
                )
            )
    _create(build, PresenceDay, rows)


# --- hand-made regions: rich casework -------------------------------------------------------------


class _Rich:
    """The context of one rich build: what is needed to pick partners and contact points."""

    def __init__(self, build: Build, rng: random.Random, today: datetime.date) -> None:
        self.build, self.rng, self.today = build, rng, today
        region = build.region
        self.domains = {d.name: d for d in LifeDomain.objects.filter(region=region)}
        self.points = list(ContactPoint.objects.filter(organisation__region=region).select_related("organisation"))
        self.zone_of = dict(
            ZoneMembership.objects.filter(zone__region=region, valid_until__isnull=True).values_list(
                "municipality_id", "zone_id"
            )
        )
        self.partner_user = {
            m.organisation_id: m.user
            for login in build.spec.logins
            if login.role == Role.PARTNER
            for m in build.users[login.username].memberships.filter(region=region, organisation__isnull=False)
        }

    def point(self, kind: str, school: School) -> ContactPoint | None:
        """The fixed contact of a partner of `kind` for this school: at the school, its municipality
        or its zone."""
        candidates = [p for p in self.points if p.organisation.type == kind]
        for match in (
            lambda p: p.school_id == school.pk,
            lambda p: p.municipality_id == school.municipality_id,
            lambda p: p.zone_id is not None and p.zone_id == self.zone_of.get(school.municipality_id),
        ):
            found = [p for p in candidates if match(p)]
            if found:
                return found[0]
        return candidates[0] if candidates else None


def _rich_casework(build: Build) -> None:
    rng = build.rng("casework")
    today = timezone.localdate()
    now = timezone.now()
    region = build.region
    ctx = _Rich(build, rng, today)
    coordinator = _coordinator(build)
    schoolcontacts: dict[int | None, User] = {
        build.schools[login.school].pk: build.users[login.username]
        for login in build.spec.logins
        if login.role == Role.SCHOOLCONTACT and login.school
    }
    staff = _brugfiguren(build)
    if not staff:
        return

    # Plan the cases: (lead, school, closed?) — 6 to 10 per brugfiguur, 2 or 3 of them closed.
    plans: list[tuple[User, School, bool]] = []
    for user, schools in staff:
        count = rng.randint(6, 10)
        closed = rng.randint(2, 3)
        plans += [(user, schools[i % len(schools)], i < closed) for i in range(count)]

    people, cases = [], []
    for user, school, closed in plans:
        first_names, last_names, languages = rng.choice(BACKGROUNDS)
        birth = _birth_date(rng, today)
        form = rng.choice(school.education_forms) if school.education_forms else ""
        people.append(
            YoungPerson(
                region=region,
                first_name=rng.choice(first_names),
                last_name=rng.choice(last_names),
                birth_date=birth,
                school=school,
                grade=_grade(birth, today),
                education_form=form,
                languages=", ".join(languages[: rng.randint(1, len(languages))]),
                phone=f"0470 00 {rng.randint(10, 99)} {rng.randint(10, 99)}",
                municipality_id=school.municipality_id,
            )
        )
        opened = today - datetime.timedelta(days=rng.randint(40, 240))
        reason = rng.choice(list(OUTCOMES)) if closed else ""
        cases.append(
            Case(
                region=region,
                school=school,
                lead=user,
                opened_on=opened,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                closed_on=today - datetime.timedelta(days=rng.randint(3, 30)) if closed else None,
                close_reason=reason,
                outcome=OUTCOMES.get(reason, ""),
            )
        )
    _create(build, YoungPerson, people)
    for case, person in zip(cases, people, strict=True):
        case.young_person = person
    _create(build, Case, cases)

    # Families, help questions, goals, actions, contacts.
    family, questions, goals, contacts = [], [], [], []
    for case in cases:
        case_domains: list[str] = []
        person = case.young_person
        first_names, last_names, languages = next(b for b in BACKGROUNDS if person.last_name in b[1])
        relations = [Relation.MOTHER, Relation.FATHER, Relation.SIBLING, Relation.GUARDIAN]
        for relation in relations[: rng.randint(1, 3)]:
            speaks_dutch = languages == ["Nederlands"] or ("Nederlands" in languages and rng.random() < 0.6)
            family.append(
                FamilyMember(
                    young_person=person,
                    relation=relation,
                    name=f"{rng.choice(PARENT_FIRST_NAMES[relation])} {person.last_name}",
                    phone=f"0470 00 {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    languages=", ".join(languages),
                    needs_interpreter=not speaks_dutch and relation != Relation.SIBLING,
                )
            )
        end = case.closed_on or today
        for domain, question, goal_text, _action in rng.sample(HELP_QUESTIONS, k=rng.randint(1, 3)):
            questions.append(
                HelpQuestion(
                    case=case,
                    life_domain=ctx.domains[domain],
                    description=question,
                    status=rng.choice([HelpQuestionStatus.ANSWERED, HelpQuestionStatus.NOT_ANSWERED])
                    if not case.is_open
                    else rng.choice([HelpQuestionStatus.OPEN, HelpQuestionStatus.IN_PROGRESS]),
                )
            )
            case_domains.append(domain)
            start = case.opened_on + datetime.timedelta(days=rng.randint(0, 14))
            goals.append(
                Goal(
                    case=case,
                    description=goal_text,
                    start_date=start,
                    target_date=start + datetime.timedelta(days=rng.randint(30, 150)),
                    status=rng.choice([GoalStatus.REACHED, GoalStatus.NOT_REACHED])
                    if not case.is_open
                    else rng.choice(
                        [GoalStatus.PLANNED, GoalStatus.IN_PROGRESS, GoalStatus.IN_PROGRESS, GoalStatus.REACHED]
                    ),
                )
            )
        span = max(1, (end - case.opened_on).days)
        for _ in range(rng.randint(3, 15)):
            kind = rng.choices(CONTACT_TYPES, CONTACT_WEIGHTS)[0]
            day = case.opened_on + datetime.timedelta(days=rng.randint(0, span))
            home = kind == ContactType.HOME_VISIT
            interpreter = (
                home and rng.random() < 0.6 and any(m.needs_interpreter for m in family if m.young_person is person)
            )
            private = rng.random() < 0.04
            contacts.append(
                ContactMoment(
                    region=region,
                    case=case,
                    school=case.school,
                    brugfiguur=case.lead,
                    contact_type=kind,
                    occurred_at=min(now, _at(day, rng.randint(8, 17), rng.choice([0, 15, 30, 45]))),
                    duration_minutes=rng.choice([10, 15, 30, 45, 60, 90]),
                    with_whom=[ContactWith.YOUNG_PERSON, ContactWith.PARENT]
                    if home
                    else [rng.choice([ContactWith.YOUNG_PERSON, ContactWith.SCHOOL_STAFF, ContactWith.PARENT])],
                    place=PLACES[kind],
                    language=languages[1] if interpreter and len(languages) > 1 else "Nederlands",
                    interpreter=interpreter,
                    note=rng.choice(PRIVATE_NOTES) if private else rng.choice(NOTES),
                    note_private=private,
                    life_domain=ctx.domains[rng.choice(case_domains)] if rng.random() < 0.5 else None,
                )
            )
    _create(build, FamilyMember, family)
    _create(build, HelpQuestion, questions)
    _create(build, Goal, goals)
    actions = []
    for goal in goals:
        if rng.random() < 0.6:
            action = next(a for d, q, g, a in HELP_QUESTIONS if g == goal.description)
            due = goal.start_date + datetime.timedelta(days=rng.randint(7, 40))
            done = goal.case.status == CaseStatus.CLOSED or (due < today and rng.random() < 0.6)
            actions.append(
                AgreedAction(
                    case=goal.case,
                    goal=goal,
                    description=action,
                    due_date=due,
                    owner_label=rng.choice(["de leerling", "moeder", "de school", ""]),
                    owner_user=goal.case.lead if rng.random() < 0.5 else None,
                    done_at=_at(min(due, today), 12) if done else None,
                )
            )
    _create(build, AgreedAction, actions)
    _create(build, ContactMoment, contacts)

    # Referrals in: one per case, from its school (by the school contact where there is one) or direct.
    referrals = []
    for case in cases:
        person = case.young_person
        contact = schoolcontacts.get(case.school_id)
        from_school = contact is not None or rng.random() < 0.7
        received = _at(case.opened_on - datetime.timedelta(days=rng.randint(2, 20)), 10)
        referrals.append(
            Referral(
                region=region,
                school=case.school if from_school else None,
                source=ReferralSource.SCHOOL if from_school else ReferralSource.DIRECT,
                referred_by=contact if from_school else None,
                pupil_first_name=person.first_name,
                pupil_last_name=person.last_name,
                pupil_birth_date=person.birth_date,
                young_person=person,
                reason=next(hq.description for hq in questions if hq.case is case),
                urgency=rng.choice(list(Urgency.values)),
                pupil_informed=True,
                parents_informed=rng.random() < 0.8,
                status=ReferralStatus.IN_PROGRESS if case.is_open else ReferralStatus.CLOSED,
                received_at=received,
                decided_at=received + datetime.timedelta(days=1),
                decided_by=coordinator or case.lead,
                case=case,
            )
        )
    # Referrals still waiting for triage (and, at the school contact's school, every other status).
    for _user, schools in staff:
        for n in range(rng.randint(1, 2)):
            school = schools[n % len(schools)]
            referrals.append(_waiting(rng, region, school, schoolcontacts.get(school.pk), now))
    for school_id, contact in schoolcontacts.items():
        school = next(s for s in build.schools.values() if s.pk == school_id)
        for waiting_status in (ReferralStatus.RECEIVED, ReferralStatus.WAITING, ReferralStatus.REFUSED):
            referral = _waiting(rng, region, school, contact, now, status=waiting_status)
            if waiting_status == ReferralStatus.REFUSED:
                referral.refusal_reason = "Valt buiten de opdracht: doorverwezen naar het CLB."
                referral.decided_at, referral.decided_by = now - datetime.timedelta(days=5), coordinator
            referrals.append(referral)
    _create(build, Referral, referrals)
    Through = Referral.life_domains.through
    _create(
        build,
        Through,
        [Through(referral_id=r.pk, lifedomain_id=ctx.domains[rng.choice(HELP_QUESTIONS)[0]].pk) for r in referrals],
    )

    # Consents and referrals out: CAW or CLB on about half the cases; feedback on some, overdue on others.
    consents, outs, snapshots = [], [], []
    for i, case in enumerate(cases):
        if i % 2:
            continue
        kind = PartnerType.CAW if i % 4 == 0 else PartnerType.CLB
        point = ctx.point(kind, case.school) if case.school is not None else None
        if point is None:
            continue
        person = case.young_person
        given_on = case.opened_on + datetime.timedelta(days=rng.randint(3, 20))
        born = person.birth_date
        own = born is not None and age_on(born, given_on) >= CONSENT_AGE and rng.random() < 0.7
        parent = next((m for m in family if m.young_person is person and m.relation != Relation.SIBLING), None)
        fields = [
            ShareableField.FIRST_NAME,
            ShareableField.LAST_NAME,
            ShareableField.BIRTH_DATE,
            ShareableField.SCHOOL,
            ShareableField.HELP_QUESTIONS,
        ]
        if rng.random() < 0.5:
            fields += [ShareableField.CONTACT_DETAILS, ShareableField.GOALS]
        consent = Consent(
            case=case,
            organisation=point.organisation,
            purpose=ConsentPurpose.REFERRAL,
            shared_fields=list(fields),
            given_by=ConsentGiver.YOUNG_PERSON if own or parent is None else ConsentGiver.PARENT,
            given_by_name=str(person) if own or parent is None else parent.name,
            given_on=given_on,
            method=rng.choice(list(ConsentMethod.values)),
            recorded_by=case.lead,
        )
        consents.append(consent)
        shared = fields[: rng.randint(4, len(fields))]
        sent = _at(given_on, 14)
        outs.append(
            ReferralOut(
                case=case,
                organisation=point.organisation,
                contact_point=point,
                consent=consent,
                question=_referral_question(case, shared, questions),
                shared_fields=[str(f) for f in shared],
                status=ReferralOutStatus.SENT,
                sent_at=sent,
                sent_by=case.lead,
            )
        )
        snapshots.append((case, shared))
    _create(build, Consent, consents)
    for out, (case, shared) in zip(outs, snapshots, strict=True):
        out.shared_snapshot = build_snapshot(case, shared)
    _create(build, ReferralOut, outs)
    feedback = []
    for n, out in enumerate(outs):
        partner = ctx.partner_user.get(out.organisation_id)
        if n % 3 == 2:
            continue  # no answer yet: overdue
        if partner is None:
            if n % 3 == 1:
                out.status = ReferralOutStatus.ACKNOWLEDGED
                out.acknowledged_at, out.acknowledged_by = out.sent_at + datetime.timedelta(days=2), out.sent_by
            continue
        out.acknowledged_at = out.sent_at + datetime.timedelta(days=2)
        out.acknowledged_by = partner
        status = rng.choice([FeedbackStatus.STARTED, FeedbackStatus.WAITING_LIST, FeedbackStatus.ENDED])
        given_at = min(now, out.sent_at + datetime.timedelta(days=rng.randint(5, 25)))
        feedback.append(
            ReferralFeedback(
                referral_out=out,
                status=status,
                given_by=partner,
                given_at=given_at,
                note="Eerste gesprek gehad; we houden jullie op de hoogte.",
            )
        )
        out.status, out.last_feedback_at = status, given_at
    ReferralOut.objects.bulk_update(outs, ["status", "acknowledged_at", "acknowledged_by", "last_feedback_at"])
    _create(build, ReferralFeedback, feedback)

    _shares_and_transfer(build, rng, cases, coordinator, today, now)
    _low_threshold(build, rng, staff, ctx, now)
    _presence_days(build, rng, today)
    _appointments(build, rng, staff, cases, today)


def _referral_question(case: Case, shared: Sequence[str], questions: list[HelpQuestion]) -> str:
    """What the demo asks a partner: the help question itself only when the help questions are
    shared with the referral; otherwise nothing of the young person (no name, no help question),
    as `services.disclosure` demands of a real referral."""
    if ShareableField.HELP_QUESTIONS in shared:
        return f"Graag begeleiding voor: {next(q.description for q in questions if q.case is case)}"
    return "Graag een eerste gesprek over verdere begeleiding; de brugfiguur licht de vraag toe."


def _waiting(
    rng: random.Random,
    region: Any,
    school: School,
    contact: User | None,
    now: datetime.datetime,
    status: str | None = None,
) -> Referral:
    """A referral not decided yet (received or waiting), unless `status` says otherwise."""
    first_names, last_names, _languages = rng.choice(BACKGROUNDS)
    return Referral(
        region=region,
        school=school,
        source=ReferralSource.SCHOOL,
        referred_by=contact,
        pupil_first_name=rng.choice(first_names),
        pupil_last_name=rng.choice(last_names),
        pupil_birth_date=_birth_date(rng, now.date()),
        reason=rng.choice(HELP_QUESTIONS)[1],
        urgency=rng.choice(list(Urgency.values)),
        pupil_informed=True,
        parents_informed=rng.random() < 0.5,
        status=status or rng.choice([ReferralStatus.RECEIVED, ReferralStatus.WAITING]),
        priority=rng.randint(0, 3),
        received_at=now - datetime.timedelta(days=rng.randint(1, 21)),
    )


def _shares_and_transfer(
    build: Build,
    rng: random.Random,
    cases: list[Case],
    coordinator: User | None,
    today: datetime.date,
    now: datetime.datetime,
) -> None:
    open_cases = [c for c in cases if c.is_open]
    leads = list(dict.fromkeys(c.lead for c in open_cases))
    if len(leads) < 2:
        return
    first = next(c for c in open_cases if c.lead == leads[0])
    second = next(c for c in open_cases if c.lead == leads[1])
    third = leads[2] if len(leads) > 2 else leads[0]
    _create(
        build,
        CaseShare,
        [
            CaseShare(
                case=first,
                user=leads[1],
                kind=ShareKind.CO_GUIDANCE,
                starts_on=first.opened_on + datetime.timedelta(days=7),
                granted_by=coordinator or first.lead,
            ),
            CaseShare(
                case=second,
                user=third,
                kind=ShareKind.STAND_IN,
                starts_on=today - datetime.timedelta(days=3),
                ends_on=today + datetime.timedelta(days=14),
                granted_by=coordinator or second.lead,
            ),
        ],
    )
    # The pupil of the last open case of the second brugfiguur came from a school of the first.
    moved = [c for c in open_cases if c.lead == leads[1]][-1]
    from_school = first.school
    _create(
        build,
        CaseTransfer,
        [
            CaseTransfer(
                case=moved,
                from_school=from_school,
                to_school=moved.school,
                from_lead=leads[0],
                to_lead=moved.lead,
                note="Van school veranderd na de kerstvakantie; de leerling en moeder zijn op de hoogte.",
                transferred_by=coordinator or leads[0],
                transferred_at=min(now, _at(moved.opened_on + datetime.timedelta(days=20), 11)),
            )
        ],
    )


def _low_threshold(
    build: Build, rng: random.Random, staff: list[tuple[User, list[School]]], ctx: _Rich, now: datetime.datetime
) -> None:
    rows = []
    for user, schools in staff:
        for n in range(rng.randint(4, 8)):
            kind = rng.choice(
                [ContactType.SCHOOL_GATE, ContactType.SCHOOL_GATE, ContactType.NEIGHBOURHOOD, ContactType.GROUP_MOMENT]
            )
            rows.append(
                ContactMoment(
                    region=build.region,
                    case=None,
                    school=rng.choice(schools),
                    brugfiguur=user,
                    contact_type=kind,
                    occurred_at=now - datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 6)),
                    duration_minutes=rng.choice([5, 10, 15]),
                    with_whom=[ContactWith.YOUNG_PERSON],
                    place=PLACES[kind],
                    language="Nederlands",
                    note=rng.choice(NOTES[:2]),
                    # Anonymous or a first name only; the first two of each brugfiguur show both.
                    first_name=("", "Yara")[n] if n < 2 else rng.choice(LOW_THRESHOLD_NAMES),
                    life_domain=ctx.domains[rng.choice(HELP_QUESTIONS)[0]] if rng.random() < 0.5 else None,
                )
            )
    _create(build, ContactMoment, rows)


def _appointments(
    build: Build,
    rng: random.Random,
    staff: list[tuple[User, list[School]]],
    cases: list[Case],
    today: datetime.date,
) -> None:
    monday = today - datetime.timedelta(days=today.weekday())
    open_by_lead: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        if case.is_open:
            open_by_lead[case.lead_id].append(case)
    rows = []
    for user, schools in staff:
        for day in range(5):
            date = monday + datetime.timedelta(days=day)
            school = schools[day % len(schools)]
            rows.append(
                Appointment(
                    region=build.region,
                    brugfiguur=user,
                    school=school,
                    kind=AppointmentKind.SCHOOL_PRESENCE,
                    starts_at=_at(date, 8, 30),
                    ends_at=_at(date, 12),
                    location=school.name,
                )
            )
            mine = open_by_lead[user.pk]
            if mine and day in (1, 3):
                case = rng.choice(mine)
                kind = AppointmentKind.HOME_VISIT if day == 1 else AppointmentKind.MEETING
                rows.append(
                    Appointment(
                        region=build.region,
                        brugfiguur=user,
                        case=case,
                        school=case.school,
                        kind=kind,
                        starts_at=_at(date, 14),
                        ends_at=_at(date, 15, 30),
                        location="bij het gezin thuis" if day == 1 else str(case.school),
                    )
                )
    _create(build, Appointment, rows)


# --- generated regions: the bulk ----------------------------------------------------------------


class _ContactWriter:
    """Writes contact moments given as tuples of `COLUMNS` (the other columns get their defaults)."""

    COLUMNS = (
        "region",
        "case",
        "school",
        "brugfiguur",
        "contact_type",
        "occurred_at",
        "duration_minutes",
        "place",
        "interpreter",
        "first_name",
        "created_at",
    )

    def __init__(self, build: Build) -> None:
        self.build = build
        meta = ContactMoment._meta

        def column(name: str) -> models.Field[Any, Any]:
            field = meta.get_field(name)
            assert isinstance(field, models.Field) and field.column  # a column of the table, not a relation
            return field

        fields = [column(name) for name in self.COLUMNS]
        defaults = {"with_whom": [], "language": "", "note": "", "note_private": False, "life_domain": None}
        fields += [column(name) for name in defaults]
        self.defaults = tuple(column(name).get_db_prep_save(value, connection) for name, value in defaults.items())
        quote = connection.ops.quote_name
        names = [f.column for f in fields if f.column]  # every one (see column)
        # Identifiers come from the model's metadata, quoted; the values are parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(meta.db_table), ", ".join(quote(name) for name in names), ", ".join(["%s"] * len(fields))
        )

    def __enter__(self) -> _ContactWriter:
        self.cursor = connection.cursor().__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cursor.__exit__(exc_type, exc, tb)

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        adapt = connection.ops.adapt_datetimefield_value
        when, made = self.COLUMNS.index("occurred_at"), self.COLUMNS.index("created_at")
        self.cursor.executemany(
            self.sql,
            [(*row[:when], adapt(row[when]), *row[when + 1 : made], adapt(row[made]), *self.defaults) for row in rows],
        )
        self.build.created[ContactMoment._meta.label_lower] += len(rows)


def _bulk_casework(build: Build) -> None:
    """Many plain trajectories: a young person, a case, a help question, a goal and about
    `CONTACTS_PER_CASE` contact moments each, plus low-threshold contacts and waiting referrals."""
    rng = build.rng("casework")
    scale = build.casework_scale
    per_lead = round(CASES_PER_BRUGFIGUUR * scale)
    staff = _brugfiguren(build)
    region = build.region
    assert region is not None
    today = timezone.localdate()
    midnight = _at(today, 0)
    domains = {d.name: d for d in LifeDomain.objects.filter(region=region)}
    if per_lead <= 0 or not staff:
        _presence_days(build, rng, today)
        return
    randint, choice, random_ = rng.randint, rng.choice, rng.random
    people, cases = [], []
    for user, schools in staff:
        for i in range(per_lead):
            first_names, last_names, languages = choice(BACKGROUNDS)
            school = schools[i % len(schools)]
            birth = today - datetime.timedelta(days=randint(12 * 366, 18 * 365 + 360))
            people.append(
                YoungPerson(
                    region=region,
                    first_name=choice(first_names),
                    last_name=choice(last_names),
                    birth_date=birth,
                    school=school,
                    grade=_grade(birth, today),
                    languages=languages[0],
                    municipality_id=school.municipality_id,
                )
            )
            closed = i % 5 == 0
            cases.append(
                Case(
                    region=region,
                    school=school,
                    lead=user,
                    opened_on=today - datetime.timedelta(days=randint(30, 700)),
                    status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                    closed_on=today - datetime.timedelta(days=randint(1, 29)) if closed else None,
                    close_reason=CloseReason.GOALS_REACHED if closed else "",
                )
            )
    _create(build, YoungPerson, people)
    for case, person in zip(cases, people, strict=True):
        case.young_person = person
    _create(build, Case, cases)
    questions, goals = [], []
    for case in cases:
        domain_i = randint(0, len(HELP_QUESTIONS) - 1)
        name, question, goal, _action = HELP_QUESTIONS[domain_i]
        questions.append(HelpQuestion(case=case, life_domain=domains[name], description=question))
        goals.append(
            Goal(
                case=case,
                description=goal,
                start_date=case.opened_on,
                status=GoalStatus.REACHED if case.closed_on else GoalStatus.IN_PROGRESS,
            )
        )
    _create(build, HelpQuestion, questions)
    _create(build, Goal, goals)

    # The contacts, 25 per case on average: a million and more rows, so they skip the model layer
    # (instances, field preparation) and go in as plain tuples with executemany, in batches.
    now = timezone.now()
    types = rng.choices(CONTACT_TYPES, CONTACT_WEIGHTS, k=997)
    rows: list[tuple[Any, ...]] = []
    count = 0
    with _ContactWriter(build) as write:
        for case in cases:
            end = case.closed_on or today
            span = max(0, (end - case.opened_on).days - 1)
            start = midnight - datetime.timedelta(days=(today - case.opened_on).days)
            for _ in range(randint(1, 2 * CONTACTS_PER_CASE - 1)):
                kind = types[count % 997]
                count += 1
                rows.append(
                    (
                        region.pk,
                        case.pk,
                        case.school_id,
                        case.lead_id,
                        kind,
                        start + datetime.timedelta(days=randint(0, span), seconds=randint(8 * 3600, 17 * 3600)),
                        15,
                        PLACES[kind],
                        kind == ContactType.HOME_VISIT and random_() < 0.2,
                        "",
                        now,
                    )
                )
                if len(rows) >= BULK_BATCH:
                    write(rows)
                    rows = []
        for user, schools in staff:
            for _ in range(max(1, per_lead // 10)):
                rows.append(
                    (
                        region.pk,
                        None,
                        choice(schools).pk,
                        user.pk,
                        ContactType.SCHOOL_GATE,
                        midnight - datetime.timedelta(days=randint(1, 90), seconds=-randint(8 * 3600, 9 * 3600)),
                        5,
                        PLACES[ContactType.SCHOOL_GATE],
                        False,
                        choice(LOW_THRESHOLD_NAMES),
                        now,
                    )
                )
        write(rows)
    referrals = []
    for _user, schools in staff:
        for n in range(2):
            referrals.append(_waiting(rng, region, schools[n % len(schools)], None, timezone.now()))
    _create(build, Referral, referrals)
    _presence_days(build, rng, today)
