"""Demo records of learning: the learning themes, intervision, coaching and learning-network
meetings, a small library and a social map (see brugwerk/demo/build.py for how steps work).

Hand-made regions (W13 and the small second region) get a year of rich sessions: a monthly
intervision with the whole pool (anonymised case questions, what was learned), a coaching moment
about every six weeks per bridge figure (some with a private note), a learning-network meeting each
quarter; about 15 library items and about 40 services on the social map across the municipalities.
Generated Flanders regions get the same rhythm in bulk: intervision groups of at most six, four
coachings a year per bridge figure, a smaller library and one service per municipality besides the
social houses. Everything is written with bulk_create; a part the region already has is skipped.

Texts are invented and told anonymously; services are invented (their phone numbers have the demo's
"00" pattern) except two Flemish helplines everybody may know, with their public numbers.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.cases.models import LifeDomain
from brugwerk.demo import flanders, names
from brugwerk.learning.models import (
    DEFAULT_LEARNING_THEMES,
    LearningKind,
    LearningSession,
    LearningTheme,
    LibraryItem,
    LibraryKind,
    ServiceCost,
    SocialMapEntry,
)
from brugwerk.network.models import PartnerOrganisation, PartnerType
from brugwerk.regions.models import Municipality

if TYPE_CHECKING:
    from brugwerk.demo.build import Build

BATCH = 2000
INTERVISION_GROUP = 6  # bulk regions: the pool meets in groups of at most six
EXTERNAL_SUPERVISOR = "Griet Vanoverberghe (externe supervisor)"
EXTERNAL_COACH = "Hilde Lievens (externe coach)"

# (case question, what was learned, life domain, themes): anonymised, as intervision demands.
CASES = [
    ("Een leerling uit de tweede graad komt al weken niet naar school. Moeder zegt dat hij ziek is, maar hij is 's "
     "nachts online. Hoe spreek ik dit aan zonder het vertrouwen van moeder te verliezen?",
     "Eerst de zorg van moeder erkennen, dan samen met het CLB een gesprek over de afwezigheden plannen. De "
     "controlerende rol laten we bij de school.", "onderwijs",
     ["schoolverzuim", "gespreksvoering met jongeren en ouders"]),
    ("Een gezin met vier kinderen betaalt de schoolrekening al maanden niet; de school dreigt met een incassobureau. "
     "Welke rol neem ik op tussen school en gezin?",
     "We bemiddelen, we betalen niet. Een afbetalingsplan voorstellen en met het sociaal huis nagaan of het gezin "
     "alle tegemoetkomingen krijgt.", "financiën en inkomen", ["armoede en schoolkosten"]),
    ("Een meisje vertelt in vertrouwen dat ze thuis zorgt voor een zieke ouder en daardoor haar taken niet maakt. "
     "Ze wil niet dat de school het weet.",
     "Haar vraag respecteren en samen zoeken wat zij wel wil delen. Jonge mantelzorgers kunnen terecht bij het JAC.",
     "gezin en opvoeding", ["complexe gezinssituaties", "beroepsgeheim en privacy"]),
    ("De ouders spreken geen Nederlands; de oudercontacten lopen via hun zoon van dertien, die tolkt. Hoe pakken we "
     "dat anders aan?",
     "Een kind tolkt nooit over zijn eigen schoolloopbaan. Een sociaal tolk inplannen en de school helpen dat vast "
     "te regelen.", "taal", ["anderstaligheid", "samenwerking met de school"]),
    ("Een jongen is net verhuisd uit een andere regio en vindt geen aansluiting in de klas. Hij trekt zich terug. "
     "Wanneer is dit meer dan wennen?",
     "Kleine signalen enkele weken opvolgen; een buddy en een vrijetijdsactiviteit helpen. Blijft hij somber, dan "
     "warm doorverwijzen.", "mentaal welzijn", ["welbevinden en veerkracht"]),
    ("Een leerkracht vraagt om een leerling die stoort 'eens aan te pakken'. Hoe bewaak ik mijn neutrale rol?",
     "Helder zeggen wat een brugfiguur wel en niet doet, en eerst het verhaal van de leerling horen.",
     "onderwijs", ["samenwerking met de school"]),
    ("Een gezin moet binnen twee maanden uit een te kleine woning. De resultaten van de kinderen gaan achteruit.",
     "Woonnood gaat voor: samen naar het woonloket, en de school vragen tijdelijk soepel te zijn met taken.",
     "wonen", ["complexe gezinssituaties", "netwerk en doorverwijzing"]),
    ("Een leerling wil van richting veranderen, de ouders willen dat ze blijft. Ze vraagt mij om mee te praten.",
     "Geen partij kiezen: een gesprek met leerling, ouders en CLB begeleiden waarin ieder zijn redenen geeft.",
     "onderwijs", ["gespreksvoering met jongeren en ouders"]),
    ("Na een incident op sociale media wil een jongere niet meer naar school; hij voelt zich niet gehoord.",
     "Herstelgericht werken: een gesprek met de betrokkenen voorstellen en de jongere helpen zijn kant te vertellen.",
     "mentaal welzijn", ["welbevinden en veerkracht", "samenwerking met de school"]),
    ("Een vader belt steeds vaker, ook 's avonds en in het weekend. Hoe stel ik grenzen zonder het contact te "
     "verliezen?",
     "Vaste belmomenten afspreken en ze aanhouden; uitleggen waarom. Grenzen zijn ook zorg voor de relatie.",
     "gezin en opvoeding", ["grenzen en zelfzorg"]),
    ("Een jongere van zeventien wil geen hulp meer, terwijl de school vreest dat hij afhaakt.",
     "De keuze van een bekwame minderjarige respecteren, de deur openhouden en afspreken hoe hij ons terugvindt.",
     "onderwijs", ["schoolverzuim", "beroepsgeheim en privacy"]),
    ("Twee broers zitten in verschillende scholen, die elk iets anders van het gezin vragen. De ouders verliezen "
     "het overzicht.", "Eén aanspreekpunt voor het gezin afspreken en met beide scholen één overzicht van afspraken "
     "maken.", "administratie en juridisch", ["samenwerking met de school", "netwerk en doorverwijzing"]),
]
COACHING_TOPICS = [
    ("Grenzen bewaken", "grenzen en zelfzorg", "Wil leren neen zeggen als scholen extra taken vragen."),
    ("Tijd verdelen over de scholen", "samenwerking met de school", "Zoekt evenwicht tussen huisbezoeken en overleg."),
    ("Een zwaar dossier verwerken", "grenzen en zelfzorg", "Spreekt af om tijdig te ventileren bij de coach."),
    ("Moeilijke gesprekken met ouders", "gespreksvoering met jongeren en ouders", ""),
    ("Rol tegenover het zorgteam", "samenwerking met de school", ""),
    ("Werken met tolken", "anderstaligheid", ""),
]
NETWORKS = [
    ("Lerend netwerk brugfiguren West-Vlaanderen", "Brugfiguren van Brugge, Oostende en Roeselare", "VVSG",
     "Andere regio's werken met vaste aanwezigheidsdagen per school; dat maakt de brugfiguur zichtbaar."),
    ("Lerend netwerk armoede en onderwijs", "Lokale besturen, CAW en ervaringsdeskundigen", "procesbegeleider VVSG",
     "Ervaringsdeskundigen vragen om schoolkosten vooraf en per trimester te tonen."),
    ("Uitwisseling met de brugfiguren basisonderwijs", "Brugfiguren basisonderwijs", "",
     "Een warme overdracht bij de overstap naar het secundair voorkomt dat gezinnen uit beeld raken."),
    ("Lerend netwerk schoolverzuim", "CLB, AGODI en leerlingenbegeleiders", "netwerkcoördinator",
     "Vroeg samen zitten bij vijf halve dagen afwezigheid werkt beter dan wachten op de melding."),
]
LIBRARY = [
    (LibraryKind.PRACTICE, "Oudercafé aan de schoolpoort", "Een laagdrempelig moment waar ouders elkaar en de "
     "brugfiguur leren kennen.", "Maandelijks, een uur na het brengen. Koffie, geen agenda. Een tolk of een ouder die "
     "vertaalt helpt. Nodig telkens één partner uit die kort vertelt wat hij doet.", ["armoede en schoolkosten"]),
    (LibraryKind.PRACTICE, "Eerste huisbezoek in duo", "Bij een eerste kennismaking thuis gaan we met twee.",
     "Een collega of een partner gaat mee. Spreek vooraf af wie het gesprek leidt; na afloop tien minuten samen "
     "nabespreken.", ["gespreksvoering met jongeren en ouders", "grenzen en zelfzorg"]),
    (LibraryKind.METHOD, "Netwerkkaart met de jongere", "Samen tekenen wie belangrijk is, en wie kan helpen.",
     "Drie cirkels: thuis, school, vrije tijd. De jongere kiest zelf wie erop komt. Geschikt vanaf 12 jaar.",
     ["netwerk en doorverwijzing", "gespreksvoering met jongeren en ouders"]),
    (LibraryKind.METHOD, "Oplossingsgericht gesprek in vijf stappen", "Van klacht naar een kleine volgende stap.",
     "1. Wat gaat goed? 2. Wat wil je anders? 3. Schaalvraag. 4. Wat zou één stap hoger zijn? 5. Wie helpt?",
     ["gespreksvoering met jongeren en ouders"]),
    (LibraryKind.TOOL, "Checklist schoolkosten en tegemoetkomingen", "Wat een gezin kan aanvragen, en waar.",
     "Schooltoeslag, studietoelage, sociaal tarief UiTPAS, afbetalingsplan met de school, fonds van het OCMW.",
     ["armoede en schoolkosten"]),
    (LibraryKind.TOOL, "Sjabloon afsprakenkader met de school", "Wat de school en de brugfiguur van elkaar mogen "
     "verwachten.", "Aanwezigheidsdagen, contactpersonen, hoe aanmeldingen binnenkomen, wat we niet doen "
     "(geen tuchtgesprekken, geen controle van afwezigheden).", ["samenwerking met de school"]),
    (LibraryKind.READING, "Rechtspositie van de minderjarige: wat betekent het voor ons?", "Vanaf 12 jaar beslist "
     "een jongere mee over de hulp.", "Samenvatting van het decreet voor brugfiguren, met voorbeelden uit de praktijk.",
     ["beroepsgeheim en privacy"]),
    (LibraryKind.PRACTICE, "Warme overdracht naar het CAW", "De jongere leert de nieuwe hulpverlener kennen terwijl "
     "wij er nog bij zijn.", "Eerst toestemming vragen, dan samen bellen of samen naar het onthaal. Een week later "
     "even navragen hoe het ging.", ["netwerk en doorverwijzing"]),
    (LibraryKind.METHOD, "Werken met een sociaal tolk", "Zo verloopt een gesprek met een tolk vlot.",
     "Spreek tegen de ouder, niet tegen de tolk. Korte zinnen. Vooraf de tolk kort briefen over het doel.",
     ["anderstaligheid"]),
    (LibraryKind.TOOL, "Wie doet wat? Brugfiguur, CLB en leerlingenbegeleiding", "Een overzicht om aan ouders en "
     "leerkrachten te tonen.", "Per vraag wie het eerste aanspreekpunt is, met de vier domeinen van het CLB.",
     ["samenwerking met de school", "netwerk en doorverwijzing"]),
    (LibraryKind.PRACTICE, "Leerlingenatelier 'mijn talent'", "Vier namiddagen waarin leerlingen ontdekken waar ze "
     "goed in zijn.", "Samen met het jeugdwerk; afsluiten met een toonmoment voor ouders.",
     ["welbevinden en veerkracht"]),
    (LibraryKind.READING, "De OKI-indicatoren uitgelegd", "Wat de vier leerlingenkenmerken zeggen over een school.",
     "Thuistaal, opleiding moeder, schooltoeslag en buurt: wat ze meten en wat niet.", ["armoede en schoolkosten"]),
    (LibraryKind.METHOD, "Gedeeld beroepsgeheim in vier vragen", "Mag ik dit delen? Een korte toets.",
     "Weet de cliënt het en stemt hij in? Is het in zijn belang? Is het strikt nodig? Deelt de ander het beroepsgeheim "
     "en dezelfde opdracht?", ["beroepsgeheim en privacy"]),
    (LibraryKind.TOOL, "Stappenplan bij problematische afwezigheden", "Wat de school, het CLB en wij doen vanaf vijf "
     "halve dagen.", "Vanaf vijf halve dagen verwittigt de school het CLB. Wij gaan bij het gezin langs als de "
     "leerling of de ouders dat willen.", ["schoolverzuim"]),
    (LibraryKind.PRACTICE, "Intervisie volgens de incidentmethode", "Zo houden we onze maandelijkse intervisie.",
     "Inbrenger vertelt kort, ronde verhelderende vragen, iedereen zegt wat hij zou doen, inbrenger kiest. Altijd "
     "anoniem: geen namen, geen school.", ["grenzen en zelfzorg"]),
]
# Services that are not partners: (name, organisation, offer, for whom, life domains, cost, languages, hours).
SERVICES = [
    ("Voedselbedeling {m}", "vzw Voedselhulp {m}", "Wekelijks een voedselpakket, na een gesprek met het sociaal huis.",
     "Gezinnen met een laag inkomen", ["financiën en inkomen"], ServiceCost.FREE, "Nederlands, Frans", "do 13.30–16 u"),
    ("Huiswerkklas {m}", "vzw De Brugklas", "Begeleid huiswerk maken na school, met vrijwilligers, in stilte.",
     "Leerlingen van de eerste graad secundair", ["onderwijs"], ServiceCost.FREE, "Nederlands", "ma–do 16–18 u"),
    ("Taalcafé {m}", "Bibliotheek {m}", "Nederlands oefenen in een ontspannen sfeer, ook voor ouders van leerlingen.",
     "Anderstalige jongeren en volwassenen", ["taal"], ServiceCost.FREE, "Nederlands (oefentaal)", "di 19–21 u"),
    ("Sociale kruidenier {m}", "vzw Samen Winkelen", "Basisproducten tegen lage prijzen, met een gewone kassa.",
     "Inwoners met een krap budget (kaart van het sociaal huis)", ["financiën en inkomen"], ServiceCost.INCOME_RELATED,
     "Nederlands, Engels", "wo en za 9–12 u"),
    ("Vrijetijdsloket {m}", "Dienst Vrije Tijd {m}", "Info over sport, jeugdwerk en cultuur; UiTPAS met kansentarief.",
     "Kinderen, jongeren en gezinnen", ["vrije tijd"], ServiceCost.INCOME_RELATED, "Nederlands, Frans", "ma–vr 9–12 u"),
    ("Schuldbemiddeling {m}", "Sociaal Huis {m}", "Budgetbegeleiding en schuldbemiddeling, ook voor een eerste vraag.",
     "Gezinnen met schulden of betalingsachterstand", ["financiën en inkomen", "administratie en juridisch"],
     ServiceCost.FREE, "Nederlands", "op afspraak"),
    ("Woonwinkel {m}", "Woonwinkel Zuid", "Info over huren, premies en sociale woningen; hulp bij een aanvraag.",
     "Huurders en wie een woning zoekt", ["wonen"], ServiceCost.FREE, "Nederlands, Frans, Engels", "di 13–17 u"),
    ("Kringwinkel {m}", "Kringwinkel Zuid", "Tweedehands kleding, schoolspullen en fietsen tegen lage prijzen.",
     "Iedereen", ["financiën en inkomen", "mobiliteit"], ServiceCost.PAID, "Nederlands", "di–za 10–18 u"),
    ("Fietsbieb {m}", "vzw Fietsbieb", "Een fiets voor kinderen en jongeren huren voor een klein bedrag per jaar.",
     "Gezinnen met kinderen", ["mobiliteit"], ServiceCost.INCOME_RELATED, "Nederlands", "za 10–12 u"),
    ("Wijkgezondheidscentrum {m}", "vzw Wijkgezondheid", "Huisarts, verpleging en kinesitherapie zonder te betalen.",
     "Ingeschreven inwoners van de wijk", ["fysieke gezondheid"], ServiceCost.FREE, "Nederlands, Frans, Arabisch",
     "ma–vr 8.30–18 u"),
    ("Jeugdhuis {m}", "vzw Jeugdhuis {m}", "Ontmoeting, activiteiten en een luisterend oor voor jongeren.",
     "Jongeren van 12 tot 21", ["vrije tijd", "mentaal welzijn"], ServiceCost.FREE, "Nederlands", "wo en za 14–18 u"),
    ("Juridisch eerstelijnsadvies {m}", "Balie en Justitiehuis", "Gratis eerste juridisch advies van een advocaat.",
     "Iedereen met een juridische vraag", ["administratie en juridisch"], ServiceCost.FREE, "Nederlands, Frans",
     "eerste ma van de maand 17–19 u"),
]
# Partner organisations offer a service on the map: (what, offer, for whom, life domains, for the whole region?).
PARTNER_SERVICES: dict[str, tuple[str, str, str, list[str], bool]] = {
    PartnerType.CAW: ("Onthaal {o}", "Onthaal zonder afspraak voor vragen over geld, wonen, relaties en geweld.",
                      "Iedereen, ook jongeren alleen", ["financiën en inkomen", "wonen", "gezin en opvoeding"], True),
    PartnerType.JAC: ("{o}", "Anoniem en gratis praten over school, thuis, geld of relaties; chat en spreekuur.",
                      "Jongeren van 12 tot 25", ["mentaal welzijn", "gezin en opvoeding"], False),
    PartnerType.OCMW: ("Sociale dienst van {o}", "Leefloon, tussenkomsten en een fonds voor schoolkosten.",
                       "Inwoners van de gemeente", ["financiën en inkomen", "administratie en juridisch"], False),
    PartnerType.HUIS_VAN_HET_KIND: ("{o}", "Opvoedingsondersteuning, spelmomenten en infosessies voor ouders.",
                                    "Gezinnen met kinderen en jongeren", ["gezin en opvoeding"], False),
    PartnerType.YOUTH_CARE: ("Toegang jeugdhulp via {o}", "De weg naar jeugdhulp als de eerste lijn niet volstaat.",
                             "Jongeren en hun gezin, via een hulpverlener", ["mentaal welzijn", "gezin en opvoeding"],
                             True),
}
HELPLINES = [
    ("Awel", "Awel", "Luisterlijn voor kinderen en jongeren: bellen, chatten of mailen, anoniem.",
     "Kinderen en jongeren", ["mentaal welzijn"], "102", "https://www.awel.be"),
    ("Tele-Onthaal", "Tele-Onthaal", "Dag en nacht iemand om mee te praten, anoniem.", "Iedereen, ook ouders",
     ["mentaal welzijn"], "106", "https://www.tele-onthaal.be"),
]


def learning_step(build: Build) -> None:
    region = build.region
    assert region is not None
    themes = _themes(build)
    bulk = build.spec.slug.startswith(flanders.SLUG_PREFIX)
    rng = build.rng("learning")
    if not LearningSession.objects.filter(region=region).exists():
        _sessions(build, rng, themes, bulk=bulk)
    if not LibraryItem.objects.filter(region=region).exists():
        _library(build, rng, themes, LIBRARY[:8] if bulk else LIBRARY)
    if not SocialMapEntry.objects.filter(region=region).exists():
        _social_map(build, rng, rich=not bulk)


# --- helpers --------------------------------------------------------------------------------------


def _create(build: Build, model: type[models.Model], objs: list[Any]) -> list[Any]:
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    build.created[model._meta.label_lower] += len(objs)
    return objs


def _link(build: Build, field: Any, pairs: list[tuple[int, int]]) -> None:
    """Many-to-many rows for `field` (a ManyToManyField descriptor's field), as (owner id, other id)."""
    through = field.remote_field.through
    own, other = field.m2m_column_name(), field.m2m_reverse_name()
    _create(build, through, [through(**{own: a, other: b}) for a, b in pairs])


def _themes(build: Build) -> dict[str, LearningTheme]:
    region = build.region
    return build.ensure(
        LearningTheme,
        [LearningTheme(region=region, name=name, position=i) for i, name in enumerate(DEFAULT_LEARNING_THEMES, 1)],
        lambda t: t.name,
        LearningTheme.objects.filter(region=region),
    )


def _pool(build: Build) -> list[User]:
    return [build.users[p.username] for p in build.spec.pool]


def _coordinator(build: Build) -> User | None:
    return next((build.users[lg.username] for lg in build.spec.logins if lg.role == Role.COORDINATOR), None)


def _second_tuesdays(today: datetime.date, months: int) -> list[datetime.date]:
    """The second Tuesday of each of the last `months` months, outside July and August, not in the future."""
    days = []
    for back in range(months):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        first = datetime.date(year, month + 1, 1)
        day = first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)
        if day <= today and day.month not in (7, 8):
            days.append(day)
    return days


class _Sessions:
    """Sessions with their participants and themes, written together."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.rows: list[tuple[LearningSession, list[User], list[LearningTheme]]] = []

    def add(self, session: LearningSession, people: list[User], themes: list[LearningTheme]) -> None:
        self.rows.append((session, people, themes))

    def write(self) -> None:
        _create(self.build, LearningSession, [s for s, _p, _t in self.rows])
        _link(self.build, LearningSession._meta.get_field("participants"),
              [(s.pk, p.pk) for s, people, _t in self.rows for p in people])
        _link(self.build, LearningSession._meta.get_field("themes"),
              [(s.pk, t.pk) for s, _p, themes in self.rows for t in themes])


def _sessions(build: Build, rng: random.Random, themes: dict[str, LearningTheme], *, bulk: bool) -> None:
    region, pool, coordinator = build.region, _pool(build), _coordinator(build)
    if not pool:
        return
    today = timezone.localdate()
    domains = {d.name: d for d in LifeDomain.objects.filter(region=region)}
    out = _Sessions(build)
    # An intervision needs at least two: the pool meets as one group, or in bulk regions in groups of
    # at most six of about equal size; a pool of one has no intervision.
    count = -(-len(pool) // INTERVISION_GROUP) if bulk else 1
    groups = [pool[i::count] for i in range(count)] if len(pool) >= 2 else []
    for g, group in enumerate(groups):
        for n, day in enumerate(_second_tuesdays(today, 12)):
            people = list(group)
            if len(people) > 3 and rng.random() < 0.5:
                people.remove(rng.choice(people))  # someone is ill or on leave
            question, learned, domain, theme_names = CASES[(n + g) % len(CASES)]
            led_by_coordinator = coordinator is not None and n % 3 != 2
            out.add(
                LearningSession(
                    region=region, kind=LearningKind.INTERVISION, date=day, duration_minutes=120,
                    facilitator=coordinator if led_by_coordinator else None,
                    facilitator_name="" if led_by_coordinator else EXTERNAL_SUPERVISOR,
                    case_question=question, learned=learned, life_domain=domains.get(domain),
                    recorded_by=people[n % len(people)],
                ),
                people,
                [themes[name] for name in theme_names if name in themes],
            )
    every, count = (91, 4) if bulk else (42, 8)
    for i, person in enumerate(pool):
        for k in range(count):
            title, theme_name, note = COACHING_TOPICS[(i + k) % len(COACHING_TOPICS)]
            by_coordinator = coordinator is not None and (i + k) % 2 == 0
            out.add(
                LearningSession(
                    region=region, kind=LearningKind.COACHING,
                    date=today - datetime.timedelta(days=5 + 3 * i + every * k),
                    duration_minutes=rng.choice([45, 60, 90]),
                    title=title, facilitator=coordinator if by_coordinator else None,
                    facilitator_name="" if by_coordinator else EXTERNAL_COACH,
                    private_note=note if not bulk and rng.random() < 0.5 else "", recorded_by=person,
                ),
                [person],
                [themes[theme_name]] if theme_name in themes else [],
            )
    for k, (title, others, facilitator, learned) in enumerate(NETWORKS):
        people = [pool[k % len(pool)], pool[(k + 1) % len(pool)]]
        people = list(dict.fromkeys(people + ([rng.choice(pool)] if rng.random() < 0.5 else [])))
        out.add(
            LearningSession(
                region=region, kind=LearningKind.LEARNING_NETWORK,
                date=today - datetime.timedelta(days=20 + 91 * k), duration_minutes=180, title=title,
                others_present=others, facilitator_name=facilitator, learned=learned, recorded_by=people[0],
            ),
            people,
            [themes["netwerk en doorverwijzing"]] if "netwerk en doorverwijzing" in themes else [],
        )
    out.write()


def _library(build: Build, rng: random.Random, themes: dict[str, LearningTheme], items: list[tuple]) -> None:
    authors = _pool(build) + [c for c in [_coordinator(build)] if c is not None]
    rows = [
        LibraryItem(region=build.region, kind=kind, title=title, summary=summary, body=body,
                    author=authors[i % len(authors)] if authors else None)
        for i, (kind, title, summary, body, _themes) in enumerate(items)
    ]
    _create(build, LibraryItem, rows)
    _link(build, LibraryItem._meta.get_field("themes"),
          [(item.pk, themes[name].pk) for item, spec in zip(rows, items, strict=True) for name in spec[4]
           if name in themes])


def _area_code(build: Build) -> str:
    return next((o.phone.split()[0] for o in build.organisations.values() if o.phone), "056")


def _social_map(build: Build, rng: random.Random, *, rich: bool) -> None:
    region = build.region
    domains = {d.name: d for d in LifeDomain.objects.filter(region=region)}
    area = _area_code(build)
    added_by = next(iter(_pool(build)), None)
    rows: list[tuple[SocialMapEntry, list[str]]] = []

    def add(municipality: Municipality | None, name: str, provider: str, offers: str, for_whom: str,
            domain_names: list[str], *, partner: PartnerOrganisation | None = None, **reach: Any) -> None:
        if not reach:
            street = f"{rng.choice(['Markt', 'Kerkstraat', 'Stationsstraat', 'Schoolstraat'])} {rng.randint(1, 90)}"
            place = f"{street}, {municipality.postal_code} {municipality.name}" if municipality else street
            email = f"info@{names.ascii_slug(name.replace(' ', '-'))}.example"
            reach = {"address": place, "phone": names.phone(rng, area), "email": email}
        rows.append((SocialMapEntry(region=region, municipality=municipality, service_name=name, provider=provider,
                                    partner=partner, offers=offers, for_whom=for_whom, added_by=added_by, **reach),
                     domain_names))

    for organisation in build.organisations.values():
        service = PARTNER_SERVICES.get(organisation.type)
        if service is None:
            continue
        what, offers, for_whom, domain_names, region_wide = service
        add(None if region_wide else organisation.municipality, what.format(o=organisation.name), "", offers,
            for_whom, domain_names, partner=organisation, phone=organisation.phone, email=organisation.email,
            address=organisation.street, opening_hours="ma–vr 9–12 u en op afspraak", languages="Nederlands, Frans")
    municipalities = sorted(build.municipalities.values(), key=lambda m: -(m.inhabitants or 0))
    drawn = 0  # the kinds of services take turns, so that every kind is somewhere on the map
    for i, municipality in enumerate(municipalities):
        count = (3 if i == 0 else 1 if (municipality.inhabitants or 0) < 5000 else 2) if rich else 1
        for _k in range(count):
            name, provider, offers, for_whom, domain_names, cost, languages, hours = SERVICES[drawn % len(SERVICES)]
            drawn += 1
            m = municipality.name
            provider = provider.format(m=m)
            partner = build.organisations.get(provider)  # the social house is often a partner
            add(municipality, name.format(m=m), "" if partner else provider, offers, for_whom, domain_names,
                partner=partner)
            rows[-1][0].cost, rows[-1][0].languages, rows[-1][0].opening_hours = cost, languages, hours
    if rich:
        for name, provider, offers, for_whom, domain_names, phone, website in HELPLINES:
            add(None, name, provider, offers, for_whom, domain_names, phone=phone, website=website,
                opening_hours="elke dag", languages="Nederlands")
    entries = _create(build, SocialMapEntry, [entry for entry, _d in rows])
    _link(build, SocialMapEntry._meta.get_field("life_domains"),
          [(entry.pk, domains[name].pk) for entry, (_e, domain_names) in zip(entries, rows, strict=True)
           for name in domain_names if name in domains])
