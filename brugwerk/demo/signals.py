"""Demo signals to policy: the region's default themes, and signals in every status with their
backers, evidence (cases of the backers), dated history and the answers of policy.

Hand-made regions (W13 and the small second region) get `SIGNALS`: fourteen believable bottlenecks,
each recorded by one brugfiguur and backed by others, with evidence from cases at every school the
pool serves; one of them, at the school contact's school, was answered by that school. Generated
Flanders regions get `FLANDERS_SIGNALS_MIN` to `FLANDERS_SIGNALS_MAX` plain signals each, in bulk.

Idempotent the coarse way: a region that has any signal already is skipped (its themes are still
completed). Dates are relative to today; no text names a young person or family.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.cases.models import Case
from brugwerk.demo import flanders
from brugwerk.signals.models import (
    DEFAULT_SIGNAL_THEMES,
    STATUS_ORDER,
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

if TYPE_CHECKING:
    from collections.abc import Mapping

    from brugwerk.demo.build import Build

FLANDERS_SIGNALS_MIN, FLANDERS_SIGNALS_MAX = 5, 10
S = SignalStatus


@dataclass(frozen=True)
class SignalSpec:
    theme: str
    title: str
    description: str
    level: str
    place: str  # a school, municipality or zone name of W13 ("" for region and Flanders)
    status: str
    responder: str = ""  # who answered (for answered and later)
    answer: str = ""
    action: str = ""  # the action taken, for "action taken" (and closed after it)
    low_threshold: int = 0


SIGNALS = [
    SignalSpec(
        "schoolkosten", "Werkkledij en gereedschap in het eerste jaar te duur",
        "In de technische richtingen krijgen gezinnen in september een rekening van 250 tot 400 euro voor "
        "werkkledij, veiligheidsschoenen en gereedschap. Wie dat niet kan betalen, staat de eerste weken aan de "
        "kant in de werkplaats. Een afbetalingsplan is er enkel na een gesprek met de directie.",
        SignalLevel.SCHOOL, "Stedelijk Instituut Overleie", S.ANSWERED,
        responder="Directie Stedelijk Instituut Overleie",
        answer="We starten een uitleendienst voor werkkledij en spreiden de rekening vanaf volgend schooljaar "
        "automatisch over drie maanden.", low_threshold=6,
    ),
    SignalSpec(
        "vervoer en mobiliteit", "Geen bus die op tijd is voor de eerste les vanuit Spiere-Helkijn",
        "De eerste bus komt tien minuten na het begin van de les aan. Leerlingen krijgen telkens een laatkomst "
        "en missen de start van de dag; ouders zonder auto kunnen niets anders.",
        SignalLevel.MUNICIPALITY, "Spiere-Helkijn", S.ACTION_TAKEN,
        responder="Vervoerregio Kortrijk", answer="De dienstregeling wordt herbekeken bij de volgende aanpassing.",
        action="Vanaf 1 september rijdt er een extra schoolbus om 7.20 uur.", low_threshold=3,
    ),
    SignalSpec(
        "wachtlijsten in de jeugdhulp", "Maanden wachten op een eerste gesprek in de jeugdhulp",
        "Jongeren die we doorverwijzen, wachten vier tot zes maanden op een eerste gesprek. In die tijd blijft "
        "de brugfiguur de enige hulpverlener, ook waar dat niet past.",
        SignalLevel.FLANDERS, "", S.PASSED_ON, low_threshold=2,
    ),
    SignalSpec(
        "digitale uitsluiting", "Schoolplatform alleen bruikbaar met een computer thuis",
        "Taken en berichten staan enkel op het schoolplatform. Gezinnen met één smartphone voor iedereen missen "
        "mededelingen en leerlingen dienen taken te laat in.",
        SignalLevel.ZONE, "Regio Menen", S.DISCUSSED, low_threshold=5,
    ),
    SignalSpec(
        "wonen", "Grote gezinnen in te kleine, vochtige huurwoningen",
        "Gezinnen met vier of meer kinderen vinden geen betaalbare woning van de juiste grootte. Kinderen hebben "
        "geen plek om te studeren en zijn vaker ziek.",
        SignalLevel.MUNICIPALITY, "Kortrijk", S.ANSWERED,
        responder="Schepen van Wonen Kortrijk",
        answer="Het woonloket krijgt een vaste contactpersoon voor de brugfiguren; grote woningen van de sociale "
        "huisvestingsmaatschappij gaan voorrang krijgen voor gezinnen met schoolgaande kinderen.",
    ),
    SignalSpec(
        "taalbarrières", "Geen tolk op het oudercontact",
        "Ouders die weinig Nederlands spreken, komen niet naar het oudercontact of verstaan het niet. Scholen "
        "vragen zelden een sociaal tolk aan omdat ze niet weten hoe of wie betaalt.",
        SignalLevel.REGION, "", S.RECORDED, low_threshold=8,
    ),
    SignalSpec(
        "kinderopvang", "Oudere kinderen blijven thuis om op broers en zussen te passen",
        "Als er geen opvang is voor de jongste kinderen, blijft een tiener thuis. Dat geeft problematische "
        "afwezigheden die de school als spijbelen ziet.",
        SignalLevel.MUNICIPALITY, "Menen", S.PASSED_ON, low_threshold=4,
    ),
    SignalSpec(
        "rechten en toelagen", "Schooltoeslag niet aangevraagd door onduidelijke brieven",
        "Gezinnen die recht hebben op een schooltoeslag krijgen hem niet, omdat de brieven te moeilijk zijn of "
        "in de verkeerde taal toekomen.",
        SignalLevel.FLANDERS, "", S.CLOSED,
        responder="Agentschap Opgroeien",
        answer="De brieven worden herschreven in eenvoudige taal.",
        action="Sinds januari wordt de schooltoeslag automatisch toegekend aan wie een verhoogde tegemoetkoming heeft.",
    ),
    SignalSpec(
        "mentaal welzijn", "Geen laagdrempelig aanbod voor sombere tieners in het zuiden van de regio",
        "Voor jongeren met somberheid is er in het zuiden van de regio geen plek zonder wachtlijst of verwijzing. "
        "OverKop zit enkel in Kortrijk en is voor velen niet bereikbaar.",
        SignalLevel.ZONE, "Regio Waregem", S.ACTION_TAKEN,
        responder="Eerstelijnszone Regio Waregem",
        answer="We onderzoeken een antenne van OverKop in Waregem.",
        action="Elke woensdagnamiddag is er een OverKop-antenne in het jeugdhuis van Waregem.",
    ),
    SignalSpec(
        "samenwerking onderwijs en welzijn", "Geen vast aanspreekpunt van het sociaal huis voor de scholen",
        "Scholen weten niet wie ze bij het sociaal huis moeten bellen. Vragen blijven liggen of komen bij de "
        "brugfiguur terecht.",
        SignalLevel.MUNICIPALITY, "Wevelgem", S.DISCUSSED,
    ),
    SignalSpec(
        "vervoer en mobiliteit", "Leerlingen zonder fiets geraken niet op stage",
        "Stageplaatsen in bedrijventerreinen zijn niet bereikbaar met het openbaar vervoer. Leerlingen zonder "
        "fiets haken af of krijgen geen stageplaats.",
        SignalLevel.REGION, "", S.RECORDED, low_threshold=2,
    ),
    SignalSpec(
        "schoolkosten", "Uitstappen en sportdagen die niet betaald raken",
        "Leerlingen blijven thuis op dagen met een uitstap die niet betaald is. De school merkt het als "
        "afwezigheid, niet als een kostenprobleem.",
        SignalLevel.SCHOOL, "Technisch Instituut Sint-Elooi", S.CLOSED,
        low_threshold=1,
    ),
    SignalSpec(
        "digitale uitsluiting", "Geen wifi in de noodwoningen en de nachtopvang",
        "Jongeren in noodwoningen en de nachtopvang hebben geen internet om taken te maken of hun rapport te "
        "bekijken.",
        SignalLevel.MUNICIPALITY, "Waregem", S.PASSED_ON,
    ),
    SignalSpec(
        "wachtlijsten in de jeugdhulp", "Lange wachttijd voor een eerste gesprek in het CGG",
        "Tieners die een eerste gesprek nodig hebben in het centrum voor geestelijke gezondheidszorg, wachten "
        "meer dan een half jaar.",
        SignalLevel.ZONE, "Regio Kortrijk", S.ANSWERED,
        responder="Eerstelijnszone Regio Kortrijk",
        answer="De zone bundelt de vraag met die van de huisartsen en legt ze voor aan het CGG en de provincie.",
    ),
]
# Where a status comes in the path, and the steps taken to get there; a signal closed before it
# was passed on (the first closed one in SIGNALS is closed after an action, the second before).
PATH: list[str] = [S.RECORDED, S.DISCUSSED, S.PASSED_ON, S.ANSWERED, S.ACTION_TAKEN, S.CLOSED]
POOL_NOTES: dict[str, str] = {
    S.DISCUSSED: "Besproken op het pooloverleg: herkend door meerdere brugfiguren.",
    S.PASSED_ON: "Bezorgd aan de bevoegde dienst, met het aantal dossiers als cijfer.",
    S.CLOSED: "Afgesloten: opgevolgd op het pooloverleg.",
}
CLOSED_IN_POOL = "Afgesloten in de pool: geen structureel knelpunt, opgelost met de school zelf."
BACKING_NOTES = [
    "Zie ik ook op mijn scholen.",
    "Herkenbaar: twee gezinnen in mijn begeleiding.",
    "",
    "Ook gemeld door de leerlingbegeleiding.",
    "",
]


def signals_step(build: Build) -> None:
    region = build.region
    assert region is not None
    themes = build.ensure(
        SignalTheme,
        [SignalTheme(region=region, name=name, position=i) for i, name in enumerate(DEFAULT_SIGNAL_THEMES, 1)],
        lambda t: t.name,
        SignalTheme.objects.filter(region=region),
    )
    if Signal.objects.filter(region=region).exists():
        return
    writer = _Writer(build, themes)
    if not writer.brugfiguren:
        return
    if build.spec.slug.startswith(flanders.SLUG_PREFIX):
        writer.bulk()
    else:
        writer.rich()
    writer.save()


class _Writer:
    """Plans signals with their backers, evidence, history and responses, then bulk-creates them."""

    def __init__(self, build: Build, themes: dict[str, SignalTheme]) -> None:
        self.build, self.themes = build, themes
        self.rng = build.rng("signals")
        self.today = timezone.localdate()
        self.region = build.region
        logins = build.spec.logins
        self.brugfiguren: list[User] = [build.users[p.username] for p in build.spec.pool if p.username in build.users]
        by_role = {login.role: build.users[login.username] for login in logins}
        self.coordinator: User | None = by_role.get(Role.COORDINATOR)
        self.beleid: User | None = by_role.get(Role.BELEID)
        self.school_contacts = {
            build.schools[login.school].pk: build.users[login.username]
            for login in logins
            if login.role == Role.SCHOOLCONTACT and login.school
        }
        self.served: dict[int, list[int]] = {
            build.users[p.username].pk: [build.schools[name].pk for name in p.schools] for p in build.spec.pool
        }
        # The cases of each brugfiguur per school: evidence comes from the backers' own cases.
        self.cases: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
        for pk, lead_id, school_id in Case.objects.filter(region=self.region).values_list("pk", "lead_id", "school_id"):
            self.cases[lead_id][school_id].append(pk)
        self.signals: list[Signal] = []
        self.backings: list[tuple[int, SignalBacking]] = []
        self.evidence: list[tuple[int, SignalEvidence]] = []
        self.linked: set[tuple[int, int]] = set()  # (signal index, case id)
        self.changes: list[tuple[int, SignalStatusChange]] = []
        self.responses: list[tuple[int, SignalResponse]] = []

    # --- places and people ---------------------------------------------------------------------

    def _place(self, level: str, name: str) -> dict[str, Any]:
        """The school, municipality or zone of the level, by name, or the first there is."""
        pools: dict[str, tuple[str, Mapping[str, models.Model]]] = {
            SignalLevel.SCHOOL: ("school", self.build.schools),
            SignalLevel.MUNICIPALITY: ("municipality", self.build.municipalities),
            SignalLevel.ZONE: ("zone", self.build.zones),
        }
        if level not in pools:
            return {}
        field, records = pools[level]
        if not records:
            return {}
        return {field: records.get(name) or records[sorted(records)[0]]}

    def _author_for(self, place: dict[str, Any], n: int) -> User:
        school = place.get("school")
        if school is not None:
            for user in self.brugfiguren:
                if school.pk in self.served.get(user.pk, []):
                    return user
        return self.brugfiguren[n % len(self.brugfiguren)]

    def _coordinator(self, fallback: User) -> User:
        return self.coordinator or fallback

    # --- one signal ----------------------------------------------------------------------------

    def _signal(self, *, theme: str, title: str, description: str, level: str, place: dict[str, Any],
                status: str, author: User, recorded_on: datetime.date, low_threshold: int,
                closed_in_pool: bool = False) -> int:
        """Plan one signal and its history up to `status`; returns its index."""
        rng = self.rng
        steps = PATH[: PATH.index(status) + 1] if not closed_in_pool else [S.RECORDED, S.DISCUSSED, S.CLOSED]
        if status == S.CLOSED and not closed_in_pool and rng.random() < 0.5:
            steps = [s for s in steps if s != S.ACTION_TAKEN]
        days = [recorded_on]
        for _step in steps[1:]:
            days.append(min(self.today, days[-1] + datetime.timedelta(days=rng.randint(7, 35))))
        passed_on = next((d for s, d in zip(steps, days, strict=True) if s == S.PASSED_ON), None)
        signal = Signal(
            region=self.region, theme=self.themes.get(theme) or next(iter(self.themes.values())), title=title,
            description=description, level=level, status=steps[-1], passed_on_on=passed_on, recorded_on=recorded_on,
            minutes=rng.choice([None, 20, 30, 45, 60]), low_threshold_contacts=low_threshold, created_by=author,
            **place,
        )
        index = len(self.signals)
        self.signals.append(signal)
        coordinator = self._coordinator(author)
        previous = ""
        for step, day in zip(steps, days, strict=True):
            note = POOL_NOTES.get(step, "")
            if step == S.CLOSED and closed_in_pool:
                note = CLOSED_IN_POOL
            by = author if step == S.RECORDED else coordinator
            minutes = rng.choice([15, 20, 30, 45]) if step in (S.DISCUSSED, S.PASSED_ON) else None
            if step in (S.ANSWERED, S.ACTION_TAKEN):
                note = ""
            self.changes.append((index, SignalStatusChange(
                from_status=previous, to_status=step, changed_on=day, note=note, minutes=minutes, changed_by=by,
            )))
            previous = step
        self.backings.append((index, SignalBacking(brugfiguur=author, backed_on=recorded_on)))
        return index

    def _back_and_evidence(self, index: int, backers: list[User], evidence_per_backer: tuple[int, int]) -> None:
        signal = self.signals[index]
        rng = self.rng
        last_day = max((c.changed_on for i, c in self.changes if i == index), default=signal.recorded_on)
        for n, user in enumerate(backers):
            day = min(last_day, signal.recorded_on + datetime.timedelta(days=rng.randint(1, 20)))
            self.backings.append((index, SignalBacking(
                brugfiguur=user, backed_on=day, note=BACKING_NOTES[(index + n) % len(BACKING_NOTES)],
            )))
        chosen: list[tuple[int, int]] = []
        for user in [signal.created_by, *backers]:
            own = self.cases.get(user.pk, {})
            pool = [pk for pks in own.values() for pk in pks]
            if not pool:
                continue
            for pk in rng.sample(pool, k=min(len(pool), rng.randint(*evidence_per_backer))):
                chosen.append((user.pk, pk))
        for user_pk, case_pk in chosen:
            self._add_evidence(index, user_pk, case_pk)

    def _add_evidence(self, index: int, user_pk: int, case_pk: int) -> None:
        if (index, case_pk) not in self.linked:
            self.linked.add((index, case_pk))
            self.evidence.append((index, SignalEvidence(case_id=case_pk, added_by_id=user_pk)))

    def _respond(self, index: int, responder: str, answer: str, action: str, recorded_by: User) -> None:
        signal = self.signals[index]
        days = {c.to_status: c.changed_on for i, c in self.changes if i == index}
        answered_on = days.get(S.ANSWERED) or days.get(S.ACTION_TAKEN) or days.get(S.CLOSED)
        if answered_on is None:
            return
        self.responses.append((index, SignalResponse(
            responder=responder, received_on=answered_on, kind=ResponseKind.ANSWER, text=answer,
            recorded_by=recorded_by,
        )))
        if action and (S.ACTION_TAKEN in days or signal.status == S.CLOSED):
            self.responses.append((index, SignalResponse(
                responder=responder, received_on=days.get(S.ACTION_TAKEN) or answered_on,
                kind=ResponseKind.ACTION_TAKEN, text=action, recorded_by=recorded_by,
            )))

    # --- the two kinds of region ---------------------------------------------------------------

    def rich(self) -> None:
        """`SIGNALS`, spread over the pool: each brugfiguur records some and backs others; evidence
        covers every school the pool serves."""
        rng, staff = self.rng, self.brugfiguren
        closed_seen = 0
        for n, spec in enumerate(SIGNALS):
            place = self._place(spec.level, spec.place)
            author = self._author_for(place, n)
            closed_in_pool = spec.status == S.CLOSED and closed_seen == 1
            closed_seen += spec.status == S.CLOSED
            # The further along, the longer ago it was recorded (about a month per step).
            recorded_on = self.today - datetime.timedelta(days=rng.randint(5, 30) + 35 * PATH.index(spec.status))
            index = self._signal(
                theme=spec.theme, title=spec.title, description=spec.description, level=spec.level, place=place,
                status=spec.status, author=author, recorded_on=recorded_on, low_threshold=spec.low_threshold,
                closed_in_pool=closed_in_pool,
            )
            others = [u for u in staff if u.pk != author.pk]
            backers = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
            self._back_and_evidence(index, backers, (1, 2))
            if spec.responder:
                school = place.get("school")
                by = self.school_contacts.get(school.pk) if school is not None else None
                self._respond(index, spec.responder, spec.answer, spec.action,
                              by or self.beleid or self._coordinator(author))

        self._cover_every_school()

    def _cover_every_school(self) -> None:
        """Every school the pool serves shows up in the evidence of a signal its brugfiguur records
        or backs (with a case of theirs at that school), so every school's figures count signals."""
        school_of = {pk: school for by_school in self.cases.values() for school, pks in by_school.items() for pk in pks}
        covered = {school_of.get(e.case_id) for _i, e in self.evidence}
        open_signals = [i for i, s in enumerate(self.signals) if s.status != S.CLOSED]
        for user in self.brugfiguren:
            mine = [i for i, b in self.backings if b.brugfiguur_id == user.pk and i in open_signals]
            for school_id in self.served.get(user.pk, []):
                cases = self.cases.get(user.pk, {}).get(school_id)
                if school_id in covered or not cases or not mine:
                    continue
                self._add_evidence(self.rng.choice(mine), user.pk, self.rng.choice(cases))
                covered.add(school_id)

    def bulk(self) -> None:
        """Plain signals for a generated region, in every status."""
        rng, staff = self.rng, self.brugfiguren
        municipalities = list(self.build.municipalities.values())
        zones = list(self.build.zones.values())
        for n in range(rng.randint(FLANDERS_SIGNALS_MIN, FLANDERS_SIGNALS_MAX)):
            spec = SIGNALS[rng.randrange(len(SIGNALS))]
            level = rng.choice([SignalLevel.MUNICIPALITY, SignalLevel.REGION, SignalLevel.ZONE, SignalLevel.FLANDERS])
            place: dict[str, Any] = {}
            if level == SignalLevel.MUNICIPALITY and municipalities:
                place = {"municipality": rng.choice(municipalities)}
            elif level == SignalLevel.ZONE and zones:
                place = {"zone": rng.choice(zones)}
            elif level in (SignalLevel.MUNICIPALITY, SignalLevel.ZONE):
                level = SignalLevel.REGION
            status = STATUS_ORDER[n % len(STATUS_ORDER)]
            author = staff[n % len(staff)]
            index = self._signal(
                theme=spec.theme, title=spec.title, description=spec.description, level=level, place=place,
                status=status, author=author, recorded_on=self.today - datetime.timedelta(days=rng.randint(20, 300)),
                low_threshold=rng.randint(0, 6),
            )
            others = [u for u in staff if u.pk != author.pk]
            self._back_and_evidence(index, rng.sample(others, k=min(len(others), rng.randint(0, 2))), (0, 3))
            self._respond(index, spec.responder or "Gemeentebestuur",
                          spec.answer or "We nemen dit knelpunt mee in het lokaal sociaal beleid.", spec.action,
                          self.beleid or self._coordinator(author))

    # --- writing -------------------------------------------------------------------------------

    def save(self) -> None:
        _create(self.build, Signal, self.signals)
        for rows, model in ((self.backings, SignalBacking), (self.evidence, SignalEvidence),
                            (self.changes, SignalStatusChange), (self.responses, SignalResponse)):
            for index, row in rows:
                row.signal = self.signals[index]
            _create(self.build, model, [row for _index, row in rows])


def _create(build: Build, model: type[models.Model], objs: list[Any]) -> None:
    model._default_manager.bulk_create(objs, batch_size=1000)
    build.created[model._meta.label_lower] += len(objs)
