"""Demo records of the groups app: parent cafés, pupil workshops, group trajectories and information
sessions, with their sessions, who came and the evaluations.

Hand-made regions (W13 and the small second region) get, per brugfiguur: a monthly parent café at
two of their schools (the first one's sessions counted by gender, most evaluated, the next one
planned), a pupil workshop of weekly sessions at another school, a group trajectory with three to
five young people of their own open cases (attendance per session) and an information session; a
school nobody in the pool serves gets an information session given on its request. The school of
the demo school contact has a parent café co-organised with the demo partner (CAW), so both see it.
Generated Flanders regions get the bulk: `PER_BRUGFIGUUR_PER_YEAR` offerings per brugfiguur over
the last twelve months, each with `SESSIONS_PER_OFFERING` sessions.

Idempotent the coarse way: a region with any offering already is skipped. Dates are relative to
today, so the demo always looks current; quotes name nobody.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.cases.models import Case, CaseStatus, LifeDomain
from brugwerk.demo import flanders
from brugwerk.groups.models import (
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupOffering,
    GroupParticipant,
    GroupSession,
    OfferingKind,
    TargetGroup,
)
from brugwerk.network.models import PartnerOrganisation, PartnerType
from brugwerk.regions.models import School

if TYPE_CHECKING:
    from brugwerk.demo.build import Build

BULK_BATCH = 2000
PER_BRUGFIGUUR_PER_YEAR = (3, 6)  # Flanders: about 1,350 offerings over ~300 brugfiguren
SESSIONS_PER_OFFERING = (4, 10)

TOPICS = {
    OfferingKind.PARENT_CAFE: [
        "Kennismaking en koffie", "De schoolrekening en de schooltoelage", "Het rapport lezen",
        "Smartschool en berichten van de school", "Studiekeuze na het eerste jaar", "Vrije tijd en de UiTPAS",
        "Gezond ontbijt voor een schooldag", "Pesten: wat kan je als ouder doen?",
    ],
    OfferingKind.PUPIL_WORKSHOP: [
        "Leren plannen met een agenda", "Samenwerken in groep", "Omgaan met stress voor de examens",
        "Veilig online", "Wie ben ik, wat kan ik?", "Solliciteren voor een stageplaats",
    ],
    OfferingKind.GROUP_TRAJECTORY: [
        "Kennismaking en afspraken", "Gevoelens herkennen", "Grenzen aangeven", "Mijn netwerk",
        "Sterk in je vel: oefenen", "Terugblik en afsluiter",
    ],
    OfferingKind.INFORMATION_SESSION: [
        "Schooltoelage en studietoelage aanvragen", "De overstap naar het secundair", "Studiekeuze en het CLB",
    ],
}
QUOTES = [
    "Fijn om andere ouders te leren kennen.",
    "Eindelijk begrijp ik hoe de schooltoelage werkt.",
    "De tolk hielp veel, ik durfde iets te vragen.",
    "Graag nog eens over het rapport.",
    "Ik wist niet dat de school kon helpen met de rekening.",
    "Goed dat het bij koffie kon, niet in een klaslokaal.",
    "Ik heb nu een nummer om te bellen als het moeilijk gaat.",
    "Leuk atelier, ik plan nu met een agenda.",
    "Het was spannend, maar ik voelde me veilig in de groep.",
]
PLACES = ["refter", "ouderlokaal", "polyvalente zaal", "bibliotheek van de school"]
NEIGHBOURHOOD = "Buurthuis De Zwerm"


@dataclass
class _Plan:
    """One offering to write, with its sessions and who came."""

    offering: GroupOffering
    organisers: list[User]
    partners: list[PartnerOrganisation] = field(default_factory=list)
    domains: list[LifeDomain] = field(default_factory=list)
    sessions: list[GroupSession] = field(default_factory=list)
    counts: list[list[AnonymousAttendance]] = field(default_factory=list)  # per session
    cases: list[Case] = field(default_factory=list)  # linked participants
    participants: list[GroupParticipant] = field(default_factory=list)
    statuses: list[list[str]] = field(default_factory=list)  # per session, per case


def groups_step(build: Build) -> None:
    region = build.region
    assert region is not None
    if GroupOffering.objects.filter(region=region).exists():
        return
    staff = [
        (build.users[p.username], [build.schools[name] for name in p.schools]) for p in build.spec.pool if p.schools
    ]
    if not staff:
        return
    if build.spec.slug.startswith(flanders.SLUG_PREFIX):
        plans = _bulk(build, staff)
    else:
        plans = _rich(build, staff)
    _write(build, plans)


# --- writing ---------------------------------------------------------------------------------------


def _create(build: Build, model: type[models.Model], objs: list[Any]) -> None:
    model._default_manager.bulk_create(objs, batch_size=BULK_BATCH)
    build.created[model._meta.label_lower] += len(objs)


def _write(build: Build, plans: list[_Plan]) -> None:
    _create(build, GroupOffering, [plan.offering for plan in plans])
    Organisers, Partners, Domains = (
        GroupOffering.organisers.through, GroupOffering.partners.through, GroupOffering.life_domains.through,
    )
    _create(build, Organisers, [Organisers(groupoffering=p.offering, user=u) for p in plans for u in p.organisers])
    _create(build, Partners, [Partners(groupoffering=p.offering, partnerorganisation=o) for p in plans
                              for o in p.partners])
    _create(build, Domains, [Domains(groupoffering=p.offering, lifedomain=d) for p in plans for d in p.domains])
    for plan in plans:
        for session in plan.sessions:
            session.offering = plan.offering
    _create(build, GroupSession, [s for p in plans for s in p.sessions])
    counts = []
    for plan in plans:
        for session, rows in zip(plan.sessions, plan.counts, strict=True):
            for row in rows:
                row.session = session
                counts.append(row)
    _create(build, AnonymousAttendance, counts)
    participants = []
    for plan in plans:
        plan.participants = [
            GroupParticipant(offering=plan.offering, case=case, added_by=plan.organisers[0]) for case in plan.cases
        ]
        participants += plan.participants
    _create(build, GroupParticipant, participants)
    attendance = [
        GroupAttendance(session=session, participant=participant, status=status)
        for plan in plans
        for session, statuses in zip(plan.sessions, plan.statuses, strict=True)
        for participant, status in zip(plan.participants, statuses, strict=True)
        if status
    ]
    _create(build, GroupAttendance, attendance)


# --- what a session looks like -------------------------------------------------------------------------


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weekday(day: datetime.date) -> datetime.date:
    """The nearest working day on or before `day`."""
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _session(
    rng: random.Random, day: datetime.date, today: datetime.date, start: datetime.time, minutes: int,
    topic: str, evaluate: float,
) -> GroupSession:
    held = day <= today
    session = GroupSession(date=day, start_time=start, duration_minutes=minutes, topic=topic,
                           attendance_taken_at=_at(day, start.hour + 2) if held else None)
    if held and rng.random() < evaluate:
        session.evaluation_quotes = "\n".join(rng.sample(QUOTES, k=rng.randint(0, 2)))
        session.evaluation_score = Decimal(rng.randint(34, 49)) / 10
    return session


def _parents(rng: random.Random, low: int, high: int) -> list[AnonymousAttendance]:
    women = rng.randint(low, high)
    rows = [AnonymousAttendance(role=AttendeeRole.PARENT, gender=Gender.FEMALE, age_group=AgeGroup.ADULT,
                                count=women)]
    men = rng.randint(0, max(1, high // 3))
    if men:
        rows.append(AnonymousAttendance(role=AttendeeRole.PARENT, gender=Gender.MALE, age_group=AgeGroup.ADULT,
                                        count=men))
    if rng.random() < 0.2:
        rows.append(AnonymousAttendance(role=AttendeeRole.PARENT, gender=Gender.UNKNOWN, age_group=AgeGroup.ADULT,
                                        count=1))
    return rows


def _pupils(rng: random.Random, grades: tuple[int, ...], low: int, high: int) -> list[AnonymousAttendance]:
    rows = []
    age = {1: AgeGroup.AGE_12_14, 2: AgeGroup.AGE_12_14, 3: AgeGroup.AGE_15_16, 4: AgeGroup.AGE_15_16}
    for grade in grades:
        for gender in (Gender.FEMALE, Gender.MALE):
            count = rng.randint(low, high)
            if count:
                rows.append(AnonymousAttendance(role=AttendeeRole.PUPIL, gender=gender,
                                                age_group=age.get(grade, AgeGroup.AGE_17_18), grade=grade,
                                                count=count))
    if rng.random() < 0.15:
        rows.append(AnonymousAttendance(role=AttendeeRole.PUPIL, gender=Gender.X, grade=grades[0], count=1,
                                        age_group=age.get(grades[0], AgeGroup.UNKNOWN)))
    return rows


def _with_forms(session: GroupSession, rows: list[AnonymousAttendance], present_linked: int = 0) -> None:
    """Fewer evaluation forms than people present, when the session was evaluated."""
    if session.evaluation_score is not None:
        present = sum(row.count for row in rows) + present_linked
        session.evaluation_forms = max(1, present * 2 // 3)
        if present == 0:
            session.evaluation_score, session.evaluation_forms = None, None


def _status(rng: random.Random) -> str:
    return rng.choices([AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED],
                       [80, 10, 10])[0]


# --- hand-made regions: rich offerings -----------------------------------------------------------------


class _Region:
    """What the rich plans pick from: the region's partners and life domains, the open cases per lead."""

    def __init__(self, build: Build) -> None:
        region = build.region
        self.region = region
        self.domains = {d.name: d for d in LifeDomain.objects.filter(region=region)}
        organisations = list(PartnerOrganisation.objects.filter(region=region).order_by("name"))
        self.by_type: dict[str, list[PartnerOrganisation]] = defaultdict(list)
        for organisation in organisations:
            self.by_type[organisation.type].append(organisation)
        self.partner_orgs = {
            m.organisation_id
            for login in build.spec.logins if login.role == Role.PARTNER
            for m in build.users[login.username].memberships.filter(region=region, organisation__isnull=False)
        }
        self.contact_schools = {
            build.schools[login.school].pk for login in build.spec.logins
            if login.role == Role.SCHOOLCONTACT and login.school
        }
        self.open_cases: dict[int, list[Case]] = defaultdict(list)
        for case in Case.objects.filter(region=region, status=CaseStatus.OPEN).order_by("opened_on", "pk"):
            self.open_cases[case.lead_id].append(case)

    def domain_list(self, *names: str) -> list[LifeDomain]:
        return [self.domains[name] for name in names if name in self.domains]

    def local(self, kind: str, school: School | None) -> list[PartnerOrganisation]:
        """A partner of `kind`, the one of the school's municipality when there is one."""
        candidates = self.by_type.get(kind, [])
        if school is not None:
            here = [o for o in candidates if o.municipality_id == school.municipality_id]
            if here:
                return here[:1]
        return candidates[:1]

    def partners_for(self, school: School | None, rng: random.Random) -> list[PartnerOrganisation]:
        """Who co-organises a parent café: the demo partner at the demo school contact's school, else
        a Huis van het Kind, an OCMW or the CAW of the area."""
        if school is not None and school.pk in self.contact_schools and self.partner_orgs:
            caw = [o for orgs in self.by_type.values() for o in orgs if o.pk in self.partner_orgs]
            return caw[:1]
        kind = rng.choice([PartnerType.HUIS_VAN_HET_KIND, PartnerType.OCMW, PartnerType.CAW, None])
        return self.local(kind, school) if kind else []


def _short(school: School) -> str:
    for prefix in ("GO! Campus ", "Technisch Instituut ", "Stedelijk Instituut ", "Instituut ", "Middenschool ",
                   "Stedelijk Technicum ", "Provinciaal Instituut ", "Handelsschool "):
        if school.name.startswith(prefix):
            return school.name[len(prefix):]
    return school.name


def _rich(build: Build, staff: list[tuple[User, list[School]]]) -> list[_Plan]:
    rng = build.rng("groups")
    today = timezone.localdate()
    ctx = _Region(build)
    plans: list[_Plan] = []
    served: set[int] = set()
    for n, (user, schools) in enumerate(staff):
        served.update(school.pk for school in schools)
        cafe_schools = sorted(schools[:2], key=lambda s: s.pk not in ctx.contact_schools)
        for i, school in enumerate(cafe_schools):
            plans.append(_parent_cafe(rng, ctx, user, school, today, months=6 if i == 0 else 4,
                                      interpreter=rng.random() < 0.5))
        workshop_school = schools[2 % len(schools)]
        plans.append(_workshop(rng, ctx, user, workshop_school, today))
        plans.append(_trajectory(rng, ctx, user, schools[0], today))
        info_school = schools[3 % len(schools)]
        plans.append(_information(rng, ctx, [user], info_school, today, days_ago=rng.randint(20, 80)))
        if n == len(staff) - 1:  # a parent café in the neighbourhood, with the Huis van het Kind
            plans.append(_parent_cafe(rng, ctx, user, None, today, months=3, interpreter=True))
    # Schools nobody in the pool serves asked for an information session.
    unserved = [school for school in build.schools.values() if school.pk not in served]
    for i, school in enumerate(sorted(unserved, key=lambda s: s.name)):
        user = staff[i % len(staff)][0]
        plans.append(_information(rng, ctx, [user], school, today, days_ago=rng.randint(10, 200)))
    return plans


def _offering(ctx: _Region, kind: str, title: str, school: School | None, user: User, **values: Any) -> GroupOffering:
    return GroupOffering(region=ctx.region, kind=kind, title=title, school=school, created_by=user, **values)


def _parent_cafe(
    rng: random.Random, ctx: _Region, user: User, school: School | None, today: datetime.date, *, months: int,
    interpreter: bool,
) -> _Plan:
    languages = "Nederlands, Arabisch, Turks" if interpreter else "Nederlands"
    if school is None:
        offering = _offering(
            ctx, OfferingKind.PARENT_CAFE, f"Oudercafé {NEIGHBOURHOOD}", None, user, place=NEIGHBOURHOOD,
            target_group=TargetGroup.PARENTS, languages=languages, interpreter=interpreter,
            description="Een maandelijkse koffie voor ouders uit de buurt, met vragen over school en opvoeding.",
        )
        partners = ctx.local(PartnerType.HUIS_VAN_HET_KIND, None)
    else:
        offering = _offering(
            ctx, OfferingKind.PARENT_CAFE, f"Oudercafé {_short(school)}", school, user,
            place=rng.choice(PLACES), target_group=TargetGroup.PARENTS, languages=languages,
            interpreter=interpreter,
            description="Elke maand een koffiemoment voor ouders op school: even bijpraten, vragen stellen, "
                        "andere ouders leren kennen. Telkens één thema.",
        )
        partners = ctx.partners_for(school, rng)
    plan = _Plan(offering, [user], partners, ctx.domain_list("onderwijs", "financiën en inkomen", "taal"))
    # Monthly, four weeks apart, the last one held within the last four weeks and the next one planned.
    last = _weekday(today - datetime.timedelta(days=rng.randint(0, 20)))
    days = [last - datetime.timedelta(weeks=4 * k) for k in range(months - 1, -1, -1)]
    days.append(last + datetime.timedelta(weeks=4))
    topics = rng.sample(TOPICS[OfferingKind.PARENT_CAFE], k=min(len(days), len(TOPICS[OfferingKind.PARENT_CAFE])))
    for i, day in enumerate(days):
        session = _session(rng, day, today, datetime.time(8, 30), 90,
                           topics[i % len(topics)], evaluate=0.7)
        rows = _parents(rng, 3, 9) if day <= today else []
        _with_forms(session, rows)
        plan.sessions.append(session)
        plan.counts.append(rows)
        plan.statuses.append([])
    return plan


def _workshop(rng: random.Random, ctx: _Region, user: User, school: School, today: datetime.date) -> _Plan:
    offering = _offering(
        ctx, OfferingKind.PUPIL_WORKSHOP, f"Leerlingenatelier {_short(school)}", school, user,
        place="klaslokaal", target_group=TargetGroup.PUPILS, languages="Nederlands",
        description="Vijf weken na elkaar een atelier voor leerlingen van de eerste graad, tijdens de middag.",
    )
    plan = _Plan(offering, [user], [], ctx.domain_list("onderwijs", "mentaal welzijn"))
    first = _weekday(today - datetime.timedelta(days=rng.randint(40, 90)))
    grades = rng.choice([(1,), (1, 2), (2,)])
    topics = TOPICS[OfferingKind.PUPIL_WORKSHOP]
    for week in range(5):
        day = first + datetime.timedelta(weeks=week)
        session = _session(rng, day, today, datetime.time(12, 30), 50,
                           topics[week % len(topics)], evaluate=0.5 if week < 4 else 1.0)
        rows = _pupils(rng, grades, 2, 6) if day <= today else []
        _with_forms(session, rows)
        plan.sessions.append(session)
        plan.counts.append(rows)
        plan.statuses.append([])
    return plan


def _trajectory(rng: random.Random, ctx: _Region, user: User, school: School, today: datetime.date) -> _Plan:
    offering = _offering(
        ctx, OfferingKind.GROUP_TRAJECTORY, "Groepstraject Sterk in je vel", school, user,
        place="lokaal leerlingbegeleiding", target_group=TargetGroup.PUPILS, languages="Nederlands",
        description="Zes bijeenkomsten om de twee weken voor jongeren die het even moeilijk hebben: "
                    "gevoelens, grenzen en wie je kan helpen.",
    )
    partners = ctx.local(PartnerType.JAC, school) or ctx.local(PartnerType.CAW, school)
    plan = _Plan(offering, [user], partners, ctx.domain_list("mentaal welzijn"))
    mine = ctx.open_cases.get(user.pk, [])
    plan.cases = mine[: rng.randint(3, 5)]
    first = _weekday(today - datetime.timedelta(weeks=8))
    for i, topic in enumerate(TOPICS[OfferingKind.GROUP_TRAJECTORY]):
        day = first + datetime.timedelta(weeks=2 * i)
        session = _session(rng, day, today, datetime.time(15, 30), 75, topic,
                           evaluate=0.5)
        statuses = [_status(rng) if day <= today else "" for _ in plan.cases]
        rows = []
        if day <= today and rng.random() < 0.5:  # a friend who came along, counted without a name
            rows = [AnonymousAttendance(role=AttendeeRole.PUPIL, gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                                        age_group=AgeGroup.AGE_15_16, grade=3, count=1)]
        _with_forms(session, rows, statuses.count(AttendanceStatus.PRESENT))
        if not plan.cases and not rows:
            session.attendance_taken_at = None  # nobody to count
        plan.sessions.append(session)
        plan.counts.append(rows)
        plan.statuses.append(statuses)
    return plan


def _information(
    rng: random.Random, ctx: _Region, organisers: list[User], school: School, today: datetime.date, *, days_ago: int,
) -> _Plan:
    topic = rng.choice(TOPICS[OfferingKind.INFORMATION_SESSION])
    offering = _offering(
        ctx, OfferingKind.INFORMATION_SESSION, f"Infoavond {_short(school)}: {topic.lower()}", school, organisers[0],
        place="refter", target_group=TargetGroup.PUPILS_AND_PARENTS, languages="Nederlands, Frans",
        interpreter=rng.random() < 0.4,
        description="Een avond voor ouders en leerlingen, op vraag van de school.",
    )
    partners = ctx.local(PartnerType.CLB, school) or ctx.local(PartnerType.OCMW, school)
    plan = _Plan(offering, organisers, partners, ctx.domain_list("onderwijs", "financiën en inkomen"))
    day = _weekday(today - datetime.timedelta(days=days_ago))
    session = _session(rng, day, today, datetime.time(19, 0), 120, topic,
                       evaluate=0.8)
    rows = _parents(rng, 6, 18) + _pupils(rng, (1,), 1, 5)
    _with_forms(session, rows)
    plan.sessions.append(session)
    plan.counts.append(rows)
    plan.statuses.append([])
    return plan


# --- generated regions: the bulk ---------------------------------------------------------------------------


BULK_KINDS = [OfferingKind.PARENT_CAFE, OfferingKind.PUPIL_WORKSHOP, OfferingKind.GROUP_TRAJECTORY,
              OfferingKind.INFORMATION_SESSION, OfferingKind.OTHER]
BULK_WEIGHTS = [40, 25, 15, 15, 5]
BULK_TITLES = {
    OfferingKind.PARENT_CAFE: "Oudercafé",
    OfferingKind.PUPIL_WORKSHOP: "Leerlingenatelier",
    OfferingKind.GROUP_TRAJECTORY: "Groepstraject",
    OfferingKind.INFORMATION_SESSION: "Infomoment",
    OfferingKind.OTHER: "Groepsactiviteit",
}


def _bulk(build: Build, staff: list[tuple[User, list[School]]]) -> list[_Plan]:
    """Plain offerings over the last twelve months: few Python objects per row."""
    rng = build.rng("groups")
    randint, choice = rng.randint, rng.choice
    today = timezone.localdate()
    region = build.region
    open_cases: dict[int, list[Case]] = defaultdict(list)
    for case in Case.objects.filter(region=region, status=CaseStatus.OPEN).only("pk", "lead_id"):
        open_cases[case.lead_id].append(case)
    plans = []
    for user, schools in staff:
        for n in range(randint(*PER_BRUGFIGUUR_PER_YEAR)):
            kind = rng.choices(BULK_KINDS, BULK_WEIGHTS)[0]
            school = schools[n % len(schools)]
            parents = kind in (OfferingKind.PARENT_CAFE, OfferingKind.INFORMATION_SESSION)
            offering = GroupOffering(
                region=region, kind=kind, title=f"{BULK_TITLES[kind]} {_short(school)}", school=school,
                target_group=TargetGroup.PARENTS if parents else TargetGroup.PUPILS, languages="Nederlands",
                created_by=user,
            )
            plan = _Plan(offering, [user])
            sessions = 1 if kind == OfferingKind.INFORMATION_SESSION else randint(*SESSIONS_PER_OFFERING)
            step = 28 if kind == OfferingKind.PARENT_CAFE else 7
            first = today - datetime.timedelta(days=randint(step * sessions - step, 365))
            if kind == OfferingKind.GROUP_TRAJECTORY:
                mine = open_cases.get(user.pk, [])
                start = randint(0, max(0, len(mine) - 6))
                plan.cases = mine[start:start + randint(3, 6)]
            for i in range(sessions):
                day = _weekday(first + datetime.timedelta(days=step * i))
                held = day <= today
                session = GroupSession(date=day, start_time=datetime.time(choice((9, 13, 15, 19))),
                                       duration_minutes=choice((50, 60, 90, 120)), topic="",
                                       attendance_taken_at=_at(day, 21) if held else None)
                if not held:
                    rows: list[AnonymousAttendance] = []
                elif parents:
                    rows = [AnonymousAttendance(role=AttendeeRole.PARENT, gender=Gender.FEMALE,
                                                age_group=AgeGroup.ADULT, count=randint(3, 10)),
                            AnonymousAttendance(role=AttendeeRole.PARENT, gender=Gender.MALE,
                                                age_group=AgeGroup.ADULT, count=randint(1, 4))]
                elif kind == OfferingKind.GROUP_TRAJECTORY:
                    rows = []
                else:
                    grade = randint(1, 6)
                    rows = [AnonymousAttendance(role=AttendeeRole.PUPIL, gender=gender, grade=grade,
                                                age_group=AgeGroup.AGE_12_14 if grade < 3 else AgeGroup.AGE_15_16,
                                                count=randint(2, 8)) for gender in (Gender.FEMALE, Gender.MALE)]
                plan.sessions.append(session)
                plan.counts.append(rows)
                plan.statuses.append([_status(rng) if held else "" for _ in plan.cases])
            plans.append(plan)
    return plans
