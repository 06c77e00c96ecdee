"""Demo records of network and cooperation: over the past year, network meetings per zone (local
networks every two months), the region's steering group every quarter, two consultations with every
school the pool serves, and consultations with partners; each with what was agreed and actions (most
done, some still open, a few overdue: every bridge figure has open and overdue ones). And for every
school the pool serves a cooperation agreement, some in a second version since this school year.

The same generator serves W13, the small second region and the generated Flanders regions (whose
numbers follow from their pool and schools). Idempotent the coarse way: a region with any meeting or
agreement is skipped. Dates are relative to today; people and phone numbers are invented."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.agenda.models import PresenceDay, Weekday
from brugwerk.cooperation.models import (
    CooperationAgreement,
    MeetingAction,
    MeetingAgreement,
    MeetingKind,
    NetworkMeeting,
    ReferralChannel,
)
from brugwerk.demo import names
from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from brugwerk.regions.models import School, Zone, ZoneMembership
from brugwerk.regions.selectors import valid_on

if TYPE_CHECKING:
    from collections.abc import Sequence

    from brugwerk.demo.build import Build

BATCH = 2000
LOCAL_NETWORKS_PER_YEAR = 6
STEERING_GROUPS_PER_YEAR = 4
PARTNER_CONSULTATIONS_PER_BRUGFIGUUR = 3
DONE_SHARE = 0.85  # of the actions whose due date has passed

OTHER_ATTENDEES = [
    "schepen van onderwijs", "schepen van welzijn", "directeur basisschool", "coördinator lokaal sociaal beleid",
    "wijkwerker", "opbouwwerker", "ervaringsdeskundige in armoede", "jeugdconsulent van de gemeente",
]
LOCAL_AGREEMENTS = [
    "Het CAW houdt elke maand een spreekuur in {school}.",
    "De scholen melden een schoolkostenprobleem voortaan meteen aan de brugfiguur.",
    "Het Sociaal Huis neemt de vragen over de schooltoelage op in het onthaal.",
    "We maken samen één overzicht van het vrijetijdsaanbod met korting voor gezinnen.",
    "De sociale kaart van de zone wordt per trimester bijgewerkt.",
    "Het Huis van het Kind nodigt de brugfiguur uit op het ouderplatform.",
    "Anderstalige nieuwkomers krijgen bij de inschrijving een warme doorverwijzing naar de brugfiguur.",
]
STEERING_AGREEMENTS = [
    "De pool rapporteert elk kwartaal het aantal ondersteunde jongeren per gemeente.",
    "De signalen over vervoerskosten gaan naar de conferentie van burgemeesters.",
    "De verdeling van de pool over de scholen wordt in juni herbekeken op basis van de noden.",
    "Het rolprofiel van de brugfiguur wordt voorgesteld op het directieoverleg van het LOP.",
    "Elke gemeente duidt één vast aanspreekpunt aan voor de pool.",
]
SCHOOL_AGREEMENTS = [
    "De brugfiguur schuift elke maand aan op het zorgoverleg.",
    "Leerlingen kunnen tijdens de middagpauze zonder afspraak langskomen.",
    "De school bezorgt de brugfiguur de lijst van leerlingen met een openstaande schoolrekening (met toestemming).",
    "Bij problematische afwezigheden wordt de brugfiguur betrokken vóór de tiende halve dag.",
    "De brugfiguur stelt zich voor op de personeelsvergadering van september.",
    "Oudercontacten voor anderstalige ouders worden samen met de brugfiguur voorbereid.",
]
PARTNER_AGREEMENTS = [
    "Doorverwijzingen gebeuren voortaan met een warme overdracht in een driegesprek.",
    "{organisation} laat binnen tien werkdagen weten of een jongere opgevolgd wordt.",
    "We bekijken samen de wachtlijst voor jongeren die dringend hulp nodig hebben.",
    "{organisation} komt het aanbod voorstellen op het zorgoverleg van de scholen.",
]
ACTIONS: dict[str, list[str]] = {
    MeetingKind.LOCAL_NETWORK: [
        "Verslag rondsturen naar alle partners",
        "Folder over de schooltoelage vertalen in het Arabisch en het Oekraïens",
        "Contactgegevens van de vaste aanspreekpunten bijwerken",
        "Infomoment voor zorgcoördinatoren plannen",
    ],
    MeetingKind.REGIONAL_STEERING: [
        "Cijfers van het kwartaal aan de stuurgroep bezorgen",
        "Nota over vervoerskosten voorbereiden",
        "Voorstel nieuwe verdeling van de pool uitwerken",
    ],
    MeetingKind.SCHOOL_CONSULTATION: [
        "Afspraken op papier zetten en aan de directie bezorgen",
        "Vaste plek voor de brugfiguur in de school regelen",
        "Affiche met het spreekuur ophangen in de leerlingenhoek",
        "Lijst met contactpersonen van de school bijwerken",
    ],
    MeetingKind.PARTNER_CONSULTATION: [
        "Driegesprek plannen voor de lopende doorverwijzingen",
        "Folder van de partner verspreiden op de scholen",
        "Contactpersoon voor dringende vragen doorgeven",
    ],
    MeetingKind.OTHER: ["Presentatie delen met de deelnemers"],
}
OUTSIDE_OWNERS = ["CAW", "CLB", "directie van de school", "Sociaal Huis", "zorgcoördinator", "LOP"]
DONE_NOTES = [
    "", "", "Gedaan.", "Besproken en verstuurd.", "Op het volgende overleg toegelicht.", "Afgerond met de school.",
]
CONTACT_FUNCTIONS = ["zorgcoördinator", "leerlingenbegeleider", "directeur", "adjunct-directeur", "graadcoördinator"]
CHANNEL_PROCEDURE = {
    ReferralChannel.CARE_TEAM: "Leerlingen worden besproken op het wekelijkse zorgoverleg; de zorgcoördinator "
    "brengt de brugfiguur dezelfde dag op de hoogte.",
    ReferralChannel.CARE_COORDINATOR: "De leerlingenbegeleider neemt contact op met de brugfiguur en vult samen "
    "met de leerling het aanmeldformulier in.",
    ReferralChannel.REFERRAL_FORM: "De school meldt aan met het aanmeldformulier in Brugwerk; de brugfiguur "
    "belt binnen twee werkdagen terug.",
    ReferralChannel.PHONE_EMAIL: "Leerkrachten mailen of bellen de brugfiguur rechtstreeks.",
    ReferralChannel.DIRECT: "Leerlingen en ouders komen langs tijdens het spreekuur op de vaste dag.",
}
CHANNEL_WEIGHTS = {
    ReferralChannel.CARE_TEAM: 40, ReferralChannel.CARE_COORDINATOR: 25, ReferralChannel.REFERRAL_FORM: 20,
    ReferralChannel.PHONE_EMAIL: 10, ReferralChannel.DIRECT: 5,
}
WEEKDAY_NAMES = dict(Weekday.choices)


def cooperation_step(build: Build) -> None:
    region = build.region
    assert region is not None
    if (
        NetworkMeeting.objects.filter(region=region).exists()
        or CooperationAgreement.objects.filter(region=region).exists()
    ):
        return
    context = _Context.load(build)
    if not context.staff:
        return
    evaluations = _agreements(context)
    _meetings(context, evaluations)


# --- What the generator reads ------------------------------------------------------------------------


@dataclass
class _Context:
    build: Build
    rng: random.Random
    today: datetime.date
    coordinator: User | None
    staff: list[tuple[User, list[School], datetime.date | None]]  # brugfiguur, schools served, started on
    zone_of: dict[int, Zone]  # school pk -> zone today
    organisations: dict[str, list[PartnerOrganisation]]  # by partner type
    clb_of: dict[int, PartnerOrganisation]  # school pk -> its CLB
    ocmw_of: dict[int, PartnerOrganisation]  # municipality pk -> its OCMW / social house
    weekdays: dict[int, list[int]]  # school pk -> weekdays the pool is there
    area: str
    served_by: dict[int, User] = field(default_factory=dict)  # school pk -> its (first) brugfiguur

    @classmethod
    def load(cls, build: Build) -> _Context:
        region, today = build.region, timezone.localdate()
        coordinator = next(
            (build.users[login.username] for login in build.spec.logins if login.role == Role.COORDINATOR), None
        )
        staff = [
            (build.users[p.username], [build.schools[name] for name in p.schools], p.started_on)
            for p in build.spec.pool
            if p.schools
        ]
        zone_of = {}
        memberships = ZoneMembership.objects.filter(valid_on(today), zone__region=region).select_related("zone")
        zone_by_municipality = {m.municipality_id: m.zone for m in memberships}
        for school in build.schools.values():
            if school.municipality_id in zone_by_municipality:
                zone_of[school.pk] = zone_by_municipality[school.municipality_id]
        organisations: dict[str, list[PartnerOrganisation]] = defaultdict(list)
        for organisation in PartnerOrganisation.objects.filter(region=region).order_by("name"):
            organisations[organisation.type].append(organisation)
        clb_of = {
            cp.school_id: cp.organisation
            for cp in ContactPoint.objects.filter(
                organisation__region=region, organisation__type=PartnerType.CLB, school__isnull=False
            ).select_related("organisation")
            if cp.school_id is not None
        }
        ocmw_of = {o.municipality_id: o for o in organisations[PartnerType.OCMW] if o.municipality_id}
        weekdays: dict[int, list[int]] = defaultdict(list)
        for school_id, weekday in PresenceDay.objects.filter(region=region, valid_until__isnull=True).values_list(
            "school_id", "weekday"
        ):
            weekdays[school_id].append(weekday)
        area = (build.spec.contact_points[0].phone.split(" ")[0] if build.spec.contact_points else "") or "056"
        context = cls(
            build=build, rng=build.rng("cooperation"), today=today, coordinator=coordinator, staff=staff,
            zone_of=zone_of, organisations=organisations, clb_of=clb_of, ocmw_of=ocmw_of, weekdays=weekdays,
            area=area,
        )
        for user, schools, _started in staff:
            for school in schools:
                context.served_by.setdefault(school.pk, user)
        return context

    def first(self, type_: str) -> PartnerOrganisation | None:
        found = self.organisations.get(type_)
        return found[0] if found else None

    def weekday(self, day: datetime.date) -> datetime.date:
        """The working day nearest to `day` (meetings are not held at the weekend)."""
        return day - datetime.timedelta(days=day.weekday() - 4) if day.weekday() > 4 else day


# --- Cooperation agreements ------------------------------------------------------------------------


def _contacts(context: _Context, school: School) -> list[dict[str, str]]:
    rng = context.rng
    domain = names.ascii_slug(school.name)[:30] or "school"
    people = []
    for function in rng.sample(CONTACT_FUNCTIONS, k=rng.randint(2, 3)):
        first, last = names.person(rng)
        people.append({"name": f"{first} {last}", "function": function, "phone": names.phone(rng, context.area),
                       "email": names.email(first, last, domain)})
    return people


def _agreed_days(context: _Context, school: School) -> str:
    days = sorted(set(context.weekdays.get(school.pk, [])))
    if not days:
        return "Op afspraak, minstens om de twee weken"
    named = " en ".join(str(WEEKDAY_NAMES[d]) for d in days)
    return context.rng.choice([f"Elke {named}", f"Elke {named}, en op afspraak", f"{named.capitalize()} (hele dag)"])


def _agreements(context: _Context) -> dict[int, datetime.date]:
    """A cooperation agreement for every school the pool serves; returns the date of each school's
    last evaluation in the past year, to hold its evaluation meeting on."""
    rng, today, region = context.rng, context.today, context.build.region
    school_year = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    started: dict[int, datetime.date] = {}  # school pk -> the earliest start of its brugfiguren
    for _user, schools, started_on in context.staff:
        for school in schools:
            begun = started_on or datetime.date(2023, 1, 9)
            started[school.pk] = min(started.get(school.pk, begun), begun)
    rows: list[CooperationAgreement] = []
    evaluations: dict[int, datetime.date] = {}
    school_by_pk = {s.pk: s for s in context.build.schools.values()}
    for i, (school_pk, start) in enumerate(sorted(started.items())):
        school = school_by_pk[school_pk]
        overdue = i % 5 == 2  # one school in five waits for its evaluation for more than a year
        author = context.served_by[school_pk]
        valid_from = start + datetime.timedelta(days=rng.randint(7, 50))
        accepted = rng.random() < 0.85
        ago = rng.randint(380, 430) if overdue else rng.randint(30, 330)
        earliest = min(today, valid_from + datetime.timedelta(days=30))
        last = context.weekday(max(today - datetime.timedelta(days=ago), earliest))
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        first = CooperationAgreement(
            region=region, school=school, version=1, valid_from=valid_from,
            agreed_days=_agreed_days(context, school), contacts=_contacts(context, school),
            referral_channel=channel, referral_procedure=CHANNEL_PROCEDURE[channel],
            role_profile_accepted=accepted,
            role_profile_accepted_on=(
                min(today, valid_from + datetime.timedelta(days=rng.randint(5, 40))) if accepted else None
            ),
            role_profile_document="Getekend door de directie; kopie in de gedeelde map van de pool" if accepted else "",
            last_evaluated_on=last, next_evaluation_on=last + datetime.timedelta(days=365),
            created_by=author,
        )
        rows.append(first)
        if not overdue and school_year > valid_from + datetime.timedelta(days=60) and rng.random() < 0.4:
            # A second version since this school year: new presence, a new contact person.
            until = context.weekday(min(school_year + datetime.timedelta(days=rng.randint(0, 20)), today))
            first.valid_until = until
            first.last_evaluated_on = min(last, until)
            first.next_evaluation_on = first.last_evaluated_on + datetime.timedelta(days=365)
            second_last = until
            rows.append(CooperationAgreement(
                region=region, school=school, version=2, valid_from=first.valid_until,
                agreed_days=_agreed_days(context, school), contacts=_contacts(context, school),
                referral_channel=channel, referral_procedure=CHANNEL_PROCEDURE[channel],
                role_profile_accepted=True, role_profile_accepted_on=first.role_profile_accepted_on or second_last,
                role_profile_document="Getekend door de directie; kopie in de gedeelde map van de pool",
                last_evaluated_on=second_last, next_evaluation_on=second_last + datetime.timedelta(days=365),
                remarks="Nieuwe afspraken na de evaluatie bij de start van het schooljaar.", created_by=author,
            ))
            last = second_last
        if last >= today - datetime.timedelta(days=365):
            evaluations[school_pk] = last
    CooperationAgreement.objects.bulk_create(rows, batch_size=BATCH)
    context.build.created[CooperationAgreement._meta.label_lower] += len(rows)
    return evaluations


# --- Meetings ----------------------------------------------------------------------------------------


@dataclass
class _Planned:
    meeting: NetworkMeeting
    attendees: list[User]
    organisations: list[PartnerOrganisation]
    schools: list[School]
    agreements: list[str]
    owners: list[User]  # the bridge figures who may own its actions


class _Writer:
    def __init__(self, context: _Context) -> None:
        self.context = context
        self.planned: list[_Planned] = []

    def add(self, *, title: str, kind: str, date: datetime.date, minutes: int, place: str = "",
            school: School | None = None, zone: Zone | None = None, attendees: Sequence[User] = (),
            organisations: Sequence[PartnerOrganisation | None] = (), schools: Sequence[School] = (),
            others: str = "", agreements: Sequence[str] = (), notes: str = "") -> None:
        context = self.context
        meeting = NetworkMeeting(
            region=context.build.region, title=title[:200], kind=kind, date=context.weekday(date),
            duration_minutes=minutes, place=place, school=school, zone=zone, other_attendees=others, notes=notes,
            created_by=(attendees[0] if attendees else context.coordinator),
        )
        unique_orgs = list({o.pk: o for o in organisations if o is not None}.values())
        self.planned.append(_Planned(meeting, list(dict.fromkeys(attendees)), unique_orgs,
                                     list({s.pk: s for s in schools}.values()), list(agreements), list(attendees)))

    def flush(self) -> None:
        context = self.context
        rng, today, build = context.rng, context.today, context.build
        meetings = [p.meeting for p in self.planned]
        NetworkMeeting.objects.bulk_create(meetings, batch_size=BATCH)
        build.created[NetworkMeeting._meta.label_lower] += len(meetings)
        through = (NetworkMeeting.pool_attendees.through, NetworkMeeting.organisations.through,
                   NetworkMeeting.schools.through)
        rows: dict[Any, list[Any]] = {model: [] for model in through}
        agreements, actions = [], []
        for plan in self.planned:
            m = plan.meeting
            rows[through[0]] += [through[0](networkmeeting_id=m.pk, user_id=u.pk) for u in plan.attendees]
            rows[through[1]] += [through[1](networkmeeting_id=m.pk, partnerorganisation_id=o.pk)
                                 for o in plan.organisations]
            rows[through[2]] += [through[2](networkmeeting_id=m.pk, school_id=s.pk) for s in plan.schools]
            created = timezone.make_aware(datetime.datetime.combine(m.date, datetime.time(17, 0)))
            agreements += [MeetingAgreement(meeting=m, text=text, created_at=created) for text in plan.agreements]
            for description in rng.sample(ACTIONS[m.kind], k=min(len(ACTIONS[m.kind]), rng.randint(1, 2))):
                actions.append(self._action(m, description, plan.owners, created))
        for model, objs in rows.items():
            model.objects.bulk_create(objs, batch_size=BATCH)
        MeetingAgreement.objects.bulk_create(agreements, batch_size=BATCH)
        build.created[MeetingAgreement._meta.label_lower] += len(agreements)
        actions += self._for_every_brugfiguur(today)
        MeetingAction.objects.bulk_create(actions, batch_size=BATCH)
        build.created[MeetingAction._meta.label_lower] += len(actions)

    def _action(self, meeting: NetworkMeeting, description: str, owners: list[User], created) -> MeetingAction:
        rng, today = self.context.rng, self.context.today
        owner = rng.choice(owners) if owners and rng.random() < 0.7 else None
        if owner is None and meeting.kind == MeetingKind.REGIONAL_STEERING and self.context.coordinator:
            owner = self.context.coordinator
        due = meeting.date + datetime.timedelta(days=rng.randint(10, 60))
        done = due < today - datetime.timedelta(days=7) and rng.random() < DONE_SHARE
        done_on = min(today, due + datetime.timedelta(days=rng.randint(-8, 5)))
        return MeetingAction(
            meeting=meeting, description=description, owner_user=owner,
            owner_label="" if owner else rng.choice(OUTSIDE_OWNERS), due_date=due, created_at=created,
            done_at=timezone.make_aware(datetime.datetime.combine(done_on, datetime.time(16, 30))) if done else None,
            done_by=(owner or self.context.coordinator) if done else None,
            done_note=rng.choice(DONE_NOTES) if done else "",
        )

    def _for_every_brugfiguur(self, today: datetime.date) -> list[MeetingAction]:
        """Every bridge figure has an open action due soon and an overdue one, on their latest
        school consultation (what the open-actions list is for)."""
        latest: dict[int, NetworkMeeting] = {}
        for plan in self.planned:
            if plan.meeting.kind == MeetingKind.SCHOOL_CONSULTATION:
                for user in plan.attendees:
                    if user.pk not in latest or plan.meeting.date > latest[user.pk].date:
                        latest[user.pk] = plan.meeting
        extra = []
        for user, _schools, _started in self.context.staff:
            meeting = latest.get(user.pk)
            if meeting is None:
                continue
            school = meeting.school.name if meeting.school else ""
            extra.append(MeetingAction(
                meeting=meeting, owner_user=user, due_date=max(meeting.date, today + datetime.timedelta(days=9)),
                description=f"Spreekuur op {school} bekendmaken bij de leerlingen"[:300],
            ))
            extra.append(MeetingAction(
                meeting=meeting, owner_user=user,
                due_date=max(meeting.date, today - datetime.timedelta(days=self.context.rng.randint(2, 12))),
                description=f"Verslag van het overleg bezorgen aan {school}"[:300],
            ))
        return extra


def _meetings(context: _Context, evaluations: dict[int, datetime.date]) -> None:
    rng, today = context.rng, context.today
    year_ago = today - datetime.timedelta(days=365)
    writer = _Writer(context)
    schools = {s.pk: s for s in context.build.schools.values()}
    caw, jac = context.first(PartnerType.CAW), context.first(PartnerType.JAC)
    youth_care = context.first(PartnerType.YOUTH_CARE)
    lop, agodi = context.first(PartnerType.LOP), context.first(PartnerType.AGODI)

    # Local networks per zone, every two months.
    by_zone: dict[int, list[School]] = defaultdict(list)
    for school_pk in context.served_by:
        zone = context.zone_of.get(school_pk)
        if zone is not None:
            by_zone[zone.pk].append(schools[school_pk])
    zones = {z.pk: z for z in context.zone_of.values()}
    for zone_pk, zone_schools in sorted(by_zone.items()):
        zone = zones[zone_pk]
        staff = list({context.served_by[s.pk].pk: context.served_by[s.pk] for s in zone_schools}.values())
        ocmws = [context.ocmw_of[s.municipality_id] for s in zone_schools if s.municipality_id in context.ocmw_of]
        municipalities = {s.municipality_id for s in zone_schools}
        # The Huis van het Kind of one of the zone's municipalities, if there is one.
        kind_of_kid = next((o for o in context.organisations.get(PartnerType.HUIS_VAN_HET_KIND, [])
                            if o.municipality_id in municipalities), None)
        for k in range(LOCAL_NETWORKS_PER_YEAR):
            date = year_ago + datetime.timedelta(days=20 + k * 60 + rng.randint(0, 14))
            if date >= today:
                continue
            present = rng.sample(zone_schools, k=min(len(zone_schools), rng.randint(2, 4)))
            writer.add(
                title=f"Lokaal netwerk onderwijs-welzijn {zone.name}", kind=MeetingKind.LOCAL_NETWORK, date=date,
                minutes=120, place=rng.choice(["Sociaal Huis", "Huis van het Kind", "stadhuis", "CAW-onthaal"]),
                zone=zone, attendees=rng.sample(staff, k=min(len(staff), rng.randint(1, 3))),
                organisations=[caw, jac, kind_of_kid, *ocmws[:2], *[context.clb_of.get(s.pk) for s in present[:2]]],
                schools=present, others=", ".join(rng.sample(OTHER_ATTENDEES, k=rng.randint(1, 2))),
                agreements=[
                    t.format(school=present[0].name) for t in rng.sample(LOCAL_AGREEMENTS, k=rng.randint(1, 3))
                ],
                notes="Goede opkomst. Schoolkosten en vervoer kwamen het meest terug.",
            )

    # The region's steering group, every quarter.
    everyone = [user for user, _schools, _started in context.staff]
    for k in range(STEERING_GROUPS_PER_YEAR):
        date = year_ago + datetime.timedelta(days=45 + k * 91 + rng.randint(0, 10))
        if date >= today:
            continue
        writer.add(
            title="Stuurgroep brugfiguren secundair onderwijs", kind=MeetingKind.REGIONAL_STEERING, date=date,
            minutes=150, place="Welzijnsvereniging", attendees=rng.sample(everyone, k=min(len(everyone), 2)),
            organisations=[caw, youth_care, lop, agodi, *list(context.ocmw_of.values())[:3]],
            others="voorzitter van de welzijnsvereniging, afgevaardigden van de gemeenten",
            agreements=rng.sample(STEERING_AGREEMENTS, k=rng.randint(2, 3)),
            notes="Kwartaalcijfers besproken; de stuurgroep vraagt meer zicht op de wachttijden.",
        )

    # Two consultations with every school served: at the start of the school year and the evaluation.
    for school_pk in sorted(context.served_by):
        school = schools[school_pk]
        serving = [u for u, served, _started in context.staff if any(s.pk == school_pk for s in served)]
        clb = context.clb_of.get(school_pk)
        start = year_ago + datetime.timedelta(days=rng.randint(0, 60))
        evaluation = evaluations.get(school_pk, today - datetime.timedelta(days=rng.randint(20, 120)))
        for title, date in ((f"Schooloverleg {school.name}", start),
                            (f"Evaluatie samenwerkingsafspraken {school.name}", evaluation)):
            writer.add(
                title=title, kind=MeetingKind.SCHOOL_CONSULTATION, date=date, minutes=rng.choice([60, 75, 90]),
                place=school.name, school=school, attendees=serving, organisations=[clb], schools=[school],
                others="directie en zorgcoördinator", agreements=rng.sample(SCHOOL_AGREEMENTS, k=rng.randint(1, 3)),
                notes="De school is tevreden over de aanwezigheid; vraag naar meer ondersteuning bij oudercontacten.",
            )

    # Consultations of each bridge figure with partners.
    regional = [o for t in (PartnerType.CAW, PartnerType.JAC, PartnerType.YOUTH_CARE)
                for o in context.organisations.get(t, [])]
    local = context.organisations.get(PartnerType.HUIS_VAN_HET_KIND, []) + context.organisations.get(
        PartnerType.OCMW, []
    )
    for user, served, _started in context.staff:
        # The regional partners, and the local ones of the municipalities of their own schools.
        municipalities = {s.municipality_id for s in served}
        partners = regional + [o for o in local if o.municipality_id in municipalities]
        for _ in range(PARTNER_CONSULTATIONS_PER_BRUGFIGUUR if partners else 0):
            organisation = rng.choice(partners)
            writer.add(
                title=f"Afstemming met {organisation.name}", kind=MeetingKind.PARTNER_CONSULTATION,
                date=today - datetime.timedelta(days=rng.randint(5, 350)), minutes=60, place=organisation.name,
                school=rng.choice(served) if rng.random() < 0.3 else None, attendees=[user],
                organisations=[organisation],
                agreements=[t.format(organisation=organisation.name) for t in rng.sample(PARTNER_AGREEMENTS, k=1)],
            )
    writer.flush()
