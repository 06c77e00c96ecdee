"""Demo records of the expertise app: the region's topics and activities with school teams.

Hand-made regions (W13 and the small second region) get, for every school a brugfiguur serves,
several activities in this school year and more in the last one: coaching, trainings (some led by
two brugfiguren), care team meetings and consultations, most of the past ones evaluated, and one
planned activity per brugfiguur. Generated Flanders regions get the bulk: `PER_BRUGFIGUUR_PER_YEAR`
activities per brugfiguur over the last twelve months. Descriptions are about school teams, never
about a pupil by name, as the form asks.

Idempotent the coarse way: a region that has any activity already is skipped (its topics are
completed on every run). Dates are relative to today, so the demo always looks current.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain
from brugwerk.demo import flanders
from brugwerk.expertise.models import (
    DEFAULT_TOPICS,
    ActivityKind,
    ExpertiseTopic,
    ParticipantFunction,
    SchoolTeamActivity,
    school_year_of,
)
from brugwerk.regions.models import School

if TYPE_CHECKING:
    from brugwerk.demo.build import Build

BULK_BATCH = 2000
PER_BRUGFIGUUR_PER_YEAR = (20, 40)  # Flanders: about 9,000 activities over ~300 brugfiguren
THIS_YEAR_PER_SCHOOL = (3, 6)  # hand-made regions: per served school, this school year so far
LAST_YEAR_PER_SCHOOL = (5, 9)  # ... and in the whole previous school year

F = ParticipantFunction
# kind: (weight, minutes to choose from, participants (min, max), functions to draw from)
KINDS: dict[str, tuple[int, tuple[int, ...], tuple[int, int], tuple[str, ...]]] = {
    ActivityKind.COACHING_TEACHER: (25, (30, 45, 60, 60), (1, 2), (F.TEACHERS,)),
    ActivityKind.COACHING_TEAM: (15, (60, 90, 90, 120), (4, 12), (F.TEACHERS, F.CARE_COORDINATORS, F.EDUCATORS)),
    ActivityKind.TRAINING: (
        15, (90, 120, 120, 180, 360), (8, 40), (F.TEACHERS, F.CARE_COORDINATORS, F.DIRECTORS, F.EDUCATORS),
    ),
    ActivityKind.CARE_TEAM: (30, (60, 90, 90, 120), (4, 9), (F.CARE_COORDINATORS, F.CLB_STAFF, F.DIRECTORS)),
    ActivityKind.CONSULTATION: (15, (30, 30, 45, 60), (1, 3), (F.CARE_COORDINATORS, F.DIRECTORS, F.CLB_STAFF)),
}
KIND_NAMES = list(KINDS)
KIND_WEIGHTS = [KINDS[k][0] for k in KIND_NAMES]

# What a training on a topic was about (stored in Dutch, like the topics).
TRAININGS = {
    "armoede en kansarmoede": "Vorming ‘Armoede door de ogen van een leerling’: signalen herkennen, verborgen "
    "schoolkosten, een gesprek met ouders zonder schaamte.",
    "anderstaligheid": "Vorming over communicatie met anderstalige ouders: tolken, pictogrammen in de "
    "schoolagenda en korte, heldere berichten.",
    "complexe gezinssituaties": "Vorming over complexe gezinssituaties (scheiding, nieuw samengestelde gezinnen, "
    "jonge mantelzorgers) en wat een leerkracht in de klas kan doen.",
    "schoolkosten": "Toelichting bij de maximumfactuur, de schooltoeslag en afbetalingsplannen; afspraken over "
    "een discrete opvolging van openstaande rekeningen.",
    "welbevinden": "Vorming welbevinden: signalen van somberheid en terugtrekking, een eerste gesprek, en wanneer "
    "doorverwijzen naar OverKop, het JAC of het CLB.",
    "spijbelen en schoolafwezigheid": "Vorming over problematische afwezigheden: van de eerste halve dag tot de "
    "melding aan het CLB, en hoe een huisbezoek kan helpen.",
    "ouderbetrokkenheid": "Vorming over laagdrempelig contact met ouders: het oudercontact anders organiseren, "
    "de schoolpoort als ontmoetingsplek.",
    "samenwerking met welzijnspartners": "Voorstelling van de sociale kaart: wie is wie bij CAW, OCMW en Huis van "
    "het Kind, en hoe warm doorverwijzen.",
    "de rol van de brugfiguur": "Voorstelling van de brugfiguur aan het (nieuwe) personeel: wat we wel en niet "
    "doen en hoe een leerling of gezin bij ons terechtkomt.",
}
OTHER_KINDS: dict[str, list[str]] = {
    ActivityKind.COACHING_TEACHER: [
        "Coachinggesprek met een klastitularis over {topic}; samen een aanpak voor de klas uitgewerkt.",
        "Tweede coachingsmoment met een leerkracht rond {topic}: wat werkte sinds de vorige keer en wat nog niet.",
        "Leerkracht gecoacht bij de voorbereiding van een oudergesprek over {topic}.",
    ],
    ActivityKind.COACHING_TEAM: [
        "Coaching van het team van de tweede graad rond {topic}; afspraken over wie wat opvolgt.",
        "Teamoverleg met de leerlingenbegeleiders over {topic}: situaties zonder namen besproken, werkwijze "
        "afgesproken.",
        "Intervisie met het klassenteam over {topic}; een gedeelde houding tegenover ouders afgesproken.",
    ],
    ActivityKind.CARE_TEAM: [
        "Deelname aan het zorgteam (MDO): inbreng vanuit het gezinsperspectief rond {topic}.",
        "Zorgteam: overzicht van de lopende vragen rond {topic}; twee nieuwe aanmeldingen bij de brugfiguur "
        "afgesproken.",
        "MDO met zorgcoördinator en CLB: afstemming over {topic} en over wie het contact met de ouders opneemt.",
    ],
    ActivityKind.CONSULTATION: [
        "Consult met de zorgcoördinator over {topic}: mogelijke doorverwijzingen en wie wat opneemt.",
        "Kort overleg met de directie over {topic} en de ondersteuning die de school zelf kan bieden.",
        "Consult met het CLB over {topic}; afspraak om samen een infomoment voor ouders te plannen.",
    ],
}
EVALUATIONS = {
    5: ["Zeer positief onthaald; het team vraagt een vervolg.", "Concreet en bruikbaar, meteen toegepast in de klas."],
    4: ["Goed ontvangen; de voorbeelden uit de praktijk werkten.", "Nuttig, al was er te weinig tijd voor vragen."],
    3: ["Gemengde reacties: een deel van het team herkende de situaties niet.", "Interessant, maar nog te algemeen."],
    2: ["Moeizaam: het moment viel tijdens de examenperiode.", "Weinig betrokkenheid van het team deze keer."],
}
SCORE_WEIGHTS = {5: 30, 4: 45, 3: 20, 2: 5}
# A topic's life domain (casework), for some of the activities.
LIFE_DOMAIN_OF = {
    "armoede en kansarmoede": "financiën en inkomen",
    "schoolkosten": "financiën en inkomen",
    "anderstaligheid": "taal",
    "complexe gezinssituaties": "gezin en opvoeding",
    "welbevinden": "mentaal welzijn",
    "spijbelen en schoolafwezigheid": "onderwijs",
    "ouderbetrokkenheid": "gezin en opvoeding",
}


def expertise_step(build: Build) -> None:
    region = build.region
    assert region is not None
    topics = _topics(build)
    if SchoolTeamActivity.objects.filter(region=region).exists():
        return
    staff = _staff(build)
    if not staff:
        return
    rng = build.rng("expertise")
    generated = build.spec.slug.startswith(flanders.SLUG_PREFIX)
    Writer(build, rng, topics, staff, rich=not generated).write()


def _topics(build: Build) -> list[ExpertiseTopic]:
    """The default, editable list of topics."""
    region = build.region
    found = build.ensure(
        ExpertiseTopic,
        [ExpertiseTopic(region=region, name=name, position=i) for i, name in enumerate(DEFAULT_TOPICS, 1)],
        lambda t: t.name,
        ExpertiseTopic.objects.filter(region=region),
    )
    return sorted(found.values(), key=lambda t: (t.position, t.name))


def _staff(build: Build) -> list[tuple[User, list[School]]]:
    return [
        (build.users[p.username], [build.schools[name] for name in p.schools]) for p in build.spec.pool if p.schools
    ]


def _school_day(day: datetime.date) -> datetime.date:
    """Schools are closed at the weekend: the Friday before, unless that is in another school year
    (then the Monday after)."""
    if day.weekday() < 5:
        return day
    friday = day - datetime.timedelta(days=day.weekday() - 4)
    if school_year_of(friday) == school_year_of(day):
        return friday
    return day + datetime.timedelta(days=7 - day.weekday())


class Writer:
    """Makes the activities with their topics, co-facilitators and life domains, and bulk-creates
    them (the many-to-many rows too)."""

    def __init__(
        self, build: Build, rng: random.Random, topics: list[ExpertiseTopic],
        staff: list[tuple[User, list[School]]], *, rich: bool,
    ) -> None:
        self.build, self.rng, self.topics, self.staff, self.rich = build, rng, topics, staff, rich
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.domains = {d.name: d for d in LifeDomain.objects.filter(region=build.region)}
        self.rows: list[tuple[SchoolTeamActivity, list[ExpertiseTopic], list[User], list[LifeDomain]]] = []

    def write(self) -> None:
        if self.rich:
            self._rich()
        else:
            self._bulk()
        self._save()

    def _rich(self) -> None:
        start, _end = school_year_of(self.today)
        last_start = datetime.date(start.year - 1, 9, 1)
        so_far = max((self.today - start).days, 0)
        for user, schools in self.staff:
            colleagues = [other for other, _ in self.staff if other != user]
            for school in schools:
                for _ in range(self.rng.randint(*THIS_YEAR_PER_SCHOOL)):
                    self._add(user, school, start + datetime.timedelta(days=self.rng.randint(0, so_far)), colleagues)
                for _ in range(self.rng.randint(*LAST_YEAR_PER_SCHOOL)):
                    day = last_start + datetime.timedelta(days=self.rng.randint(0, 300))  # September to June
                    self._add(user, school, day, colleagues)
            # One planned activity: a training in the coming weeks, to evaluate later.
            planned = self.today + datetime.timedelta(days=self.rng.randint(3, 20))
            self._add(user, self.rng.choice(schools), planned, colleagues, kind=ActivityKind.TRAINING)

    def _bulk(self) -> None:
        for user, schools in self.staff:
            colleagues = [other for other, _ in self.staff if other != user]
            for _ in range(self.rng.randint(*PER_BRUGFIGUUR_PER_YEAR)):
                day = self.today - datetime.timedelta(days=self.rng.randint(0, 364))
                self._add(user, self.rng.choice(schools), day, colleagues)

    def _add(
        self, lead: User, school: School, day: datetime.date, colleagues: list[User], kind: str | None = None
    ) -> None:
        rng = self.rng
        day = _school_day(day)
        kind = kind or rng.choices(KIND_NAMES, KIND_WEIGHTS)[0]
        _weight, minutes, (low, high), functions = KINDS[kind]
        topics = rng.sample(self.topics, k=1 if rng.random() < 0.7 else 2)
        main = topics[0].name
        if kind == ActivityKind.TRAINING:
            description = TRAININGS.get(main, f"Vorming voor het schoolteam over {main}.")
        else:
            description = rng.choice(OTHER_KINDS[kind]).format(topic=main)
        shared = colleagues and kind == ActivityKind.TRAINING and rng.random() < 0.4
        together = [rng.choice(colleagues)] if shared else []
        count = rng.randint(low, high)
        chosen = sorted(set(rng.sample(functions, k=rng.randint(1, len(functions)))), key=list(F.values).index)
        activity = SchoolTeamActivity(
            region=self.build.region, school=school, kind=kind, date=day, duration_minutes=rng.choice(minutes),
            lead=lead, participant_count=count, participant_functions=chosen, description=description,
            created_by=lead,
        )
        if day <= self.today and rng.random() < (0.75 if self.rich else 0.5):
            score = rng.choices(list(SCORE_WEIGHTS), list(SCORE_WEIGHTS.values()))[0]
            activity.evaluation_score = score
            activity.evaluation_text = rng.choice(EVALUATIONS[score]) if self.rich or rng.random() < 0.3 else ""
            activity.evaluated_at = self.now
        domain = self.domains.get(LIFE_DOMAIN_OF.get(main, ""))
        domains = [domain] if domain is not None and rng.random() < 0.5 else []
        self.rows.append((activity, topics, together, domains))

    def _save(self) -> None:
        activities = [row[0] for row in self.rows]
        SchoolTeamActivity.objects.bulk_create(activities, batch_size=BULK_BATCH)
        self.build.created[SchoolTeamActivity._meta.label_lower] += len(activities)
        topic_rows, co_rows, domain_rows = [], [], []
        Topics = SchoolTeamActivity.topics.through
        CoFacilitators = SchoolTeamActivity.co_facilitators.through
        Domains = SchoolTeamActivity.life_domains.through
        for activity, topics, together, domains in self.rows:
            topic_rows += [Topics(schoolteamactivity_id=activity.pk, expertisetopic_id=t.pk) for t in topics]
            co_rows += [CoFacilitators(schoolteamactivity_id=activity.pk, user_id=u.pk) for u in together]
            domain_rows += [Domains(schoolteamactivity_id=activity.pk, lifedomain_id=d.pk) for d in domains]
        Topics.objects.bulk_create(topic_rows, batch_size=BULK_BATCH)
        CoFacilitators.objects.bulk_create(co_rows, batch_size=BULK_BATCH)
        Domains.objects.bulk_create(domain_rows, batch_size=BULK_BATCH)
