"""The W13 region "Zuid-West-Vlaanderen" as demo data (see docs/domain.md#the-region-w13).

Real: the 14 member municipalities with their postal codes, their approximate number of
inhabitants (rounded), the three primary-care zones of 2020–2024 and the kinds of partner
organisations. Invented: every school, every person and every phone number and address; the school
names sound Flemish but belong to no real school.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from brugwerk.access.roles import Role
from brugwerk.demo.contacts import NetworkWriter
from brugwerk.demo.spec import LoginSpec, MunicipalitySpec, PoolMemberSpec, RegionSpec, SchoolSpec, ZoneMembershipSpec
from brugwerk.network.models import PartnerType
from brugwerk.regions.models import EducationForm as F
from brugwerk.regions.models import SchoolNetwork as N

SLUG = "w13"
NAME = "W13 Zuid-West-Vlaanderen"
SEED = 13

MUNICIPALITIES = [
    MunicipalitySpec("Anzegem", "8570", 15_300),
    MunicipalitySpec("Avelgem", "8580", 10_300),
    MunicipalitySpec("Deerlijk", "8540", 12_000),
    MunicipalitySpec("Harelbeke", "8530", 28_800),
    MunicipalitySpec("Kortrijk", "8500", 79_000),
    MunicipalitySpec("Kuurne", "8520", 13_600),
    MunicipalitySpec("Lendelede", "8860", 6_000),
    MunicipalitySpec("Menen", "8930", 34_000),
    MunicipalitySpec("Spiere-Helkijn", "8587", 2_100),
    MunicipalitySpec("Waregem", "8790", 39_000),
    MunicipalitySpec("Wervik", "8940", 18_900),
    MunicipalitySpec("Wevelgem", "8560", 32_000),
    MunicipalitySpec("Zwevegem", "8550", 25_000),
    MunicipalitySpec("Wielsbeke", "8710", 9_900),
]

KORTRIJK, MENEN, WAREGEM = "Regio Kortrijk", "Regio Menen", "Regio Waregem"
ZONES = {
    KORTRIJK: ["Kortrijk", "Harelbeke", "Kuurne"],
    MENEN: ["Menen", "Wervik", "Wevelgem"],
    WAREGEM: ["Waregem", "Wielsbeke", "Anzegem", "Deerlijk", "Zwevegem", "Avelgem", "Spiere-Helkijn"],
}
ZONES_REDRAWN_ON = datetime.date(2025, 1, 1)
FIRST_REPORTED = datetime.date(2020, 1, 1)


def _zone_memberships() -> list[ZoneMembershipSpec]:
    rows = []
    for zone, municipalities in ZONES.items():
        for municipality in municipalities:
            # Zones were redrawn on 1 January 2025; the new boundaries are not known (docs/domain.md, open
            # question 1), so the demo assumes each municipality stayed in its zone. Two dated rows show the
            # history.
            rows.append(ZoneMembershipSpec(zone, municipality, FIRST_REPORTED, ZONES_REDRAWN_ON))
            rows.append(ZoneMembershipSpec(zone, municipality, ZONES_REDRAWN_ON))
    # Lendelede belonged to ELZ RITS (Izegem–Tielt), a zone outside W13, before 2025. The demo does
    # not invent a foreign zone inside W13: it gives Lendelede no zone before 2025 and places it in
    # Regio Kortrijk, its neighbour, from the redrawing on. A coordinator corrects this as data.
    rows.append(ZoneMembershipSpec(KORTRIJK, "Lendelede", ZONES_REDRAWN_ON))
    return rows


A, B, TR, DU, LM, SP, DL = (
    F.FIRST_GRADE_A,
    F.FIRST_GRADE_B,
    F.TRANSITION,
    F.DUAL,
    F.LABOUR_MARKET,
    F.SPECIAL,
    F.DUAL_LEARNING,
)
# Invented schools; pupil counts add up to 24,000, the order of magnitude docs/domain.md gives.
SCHOOLS = [
    SchoolSpec("Broeltorens College", "Kortrijk", N.KATHOLIEK, (A, TR), 1650, "Collegestraat 4"),
    SchoolSpec("GO! Campus Leiespiegel", "Kortrijk", N.GO, (A, B, DU, LM), 1140, "Leiekaai 31"),
    SchoolSpec(
        "Technisch Instituut Sint-Elooi", "Kortrijk", N.KATHOLIEK, (DU, LM, DL), 1480, "Smidsestraat 18"
    ),
    SchoolSpec("Stedelijk Instituut Overleie", "Kortrijk", N.OVSG, (A, DU, LM), 760, "Overleiestraat 90"),
    SchoolSpec("Handelsschool Sint-Godelieve", "Kortrijk", N.KATHOLIEK, (TR, DU), 890, "Handelslaan 7"),
    SchoolSpec("Buso De Kolibrie", "Kortrijk", N.KATHOLIEK, (SP,), 310, "Vogelzangweg 3"),
    SchoolSpec("Provinciaal Instituut Zuidpoort", "Kortrijk", N.POV, (TR, DU, LM), 1380, "Zuidpoortlaan 2"),
    SchoolSpec("College De Gaverbeek", "Waregem", N.KATHOLIEK, (A, TR), 1720, "Gaverstraat 15"),
    SchoolSpec("GO! Campus Biest", "Waregem", N.GO, (A, B, DU, LM), 870, "Biestplein 1"),
    SchoolSpec("Technicum Molenhoek", "Waregem", N.KATHOLIEK, (DU, LM, DL), 1150, "Molenhoekstraat 44"),
    SchoolSpec("Vestingcollege Menen", "Menen", N.KATHOLIEK, (A, TR, DU), 1440, "Vestingstraat 9"),
    SchoolSpec("GO! Campus Grensland", "Menen", N.GO, (A, B, LM, DL), 830, "Grenslaan 120"),
    SchoolSpec("Stedelijk Technicum Menen", "Menen", N.OVSG, (DU, LM), 640, "Ambachtenstraat 5"),
    SchoolSpec("College Ter Leie", "Harelbeke", N.KATHOLIEK, (A, TR, DU), 1460, "Leiedreef 21"),
    SchoolSpec("Technisch Instituut Bavikhove", "Harelbeke", N.KATHOLIEK, (LM, DU, DL), 720, "Dorpsplein 12"),
    SchoolSpec("Kasteelhof College", "Wevelgem", N.KATHOLIEK, (A, B, TR, DU), 1540, "Kasteelhofdreef 1"),
    SchoolSpec("GO! Campus Gullegem", "Wevelgem", N.GO, (DU, LM), 590, "Heulestraat 66"),
    SchoolSpec("Instituut De Tabaksbloem", "Wervik", N.KATHOLIEK, (A, B, DU, LM), 980, "Tabakstraat 8"),
    SchoolSpec("College Kanaalzone", "Zwevegem", N.KATHOLIEK, (A, TR, DU, LM), 1240, "Kanaalweg 17"),
    SchoolSpec("Instituut Het Sas", "Kuurne", N.KATHOLIEK, (DU, LM, DL), 690, "Sasstraat 2"),
    SchoolSpec("Middenschool Vichte", "Anzegem", N.KATHOLIEK, (A, B), 480, "Schoolweg 11"),
    SchoolSpec("Buso Het Spoor", "Deerlijk", N.GO, (SP,), 260, "Stationsstraat 40"),
    SchoolSpec("Scheldecollege", "Avelgem", N.KATHOLIEK, (A, TR, DU), 840, "Scheldelaan 25"),
    SchoolSpec("Middenschool Ter Mandel", "Wielsbeke", N.GO, (A, B), 420, "Mandelstraat 3"),
    SchoolSpec("Instituut Ter Heide", "Lendelede", N.KATHOLIEK, (A, B, LM), 520, "Heidestraat 14"),
]

# One CLB per school network; each school has its fixed contact at the CLB of its network.
CLB_OF_NETWORK: dict[str, str] = {
    N.GO: "CLB GO! Zuid-West-Vlaanderen",
    N.KATHOLIEK: "Vrij CLB Zuid-West-Vlaanderen",
    N.OVSG: "OVSG-CLB Kortrijk-Menen",
    N.POV: "Provinciaal CLB West-Vlaanderen",
}
# The welfare services of several municipalities, each with a fixed contact for its municipality.
OCMWS = {
    "Sociaal Huis Kortrijk": "Kortrijk",
    "Sociaal Huis Harelbeke": "Harelbeke",
    "OCMW Menen": "Menen",
    "Sociaal Huis Wevelgem": "Wevelgem",
    "Sociaal Huis Waregem": "Waregem",
    "OCMW Zwevegem": "Zwevegem",
}
# Organisations with a fixed contact per zone: (name, type, seat, function of the contact,
# whether one person answers for all zones).
ZONE_PARTNERS = [
    ("CAW Zuid-West-Vlaanderen", PartnerType.CAW, "Kortrijk", "onthaalmedewerker", False),
    ("JAC Kortrijk", PartnerType.JAC, "Kortrijk", "jongerenbegeleider", False),
    ("OverKop Kortrijk", PartnerType.JAC, "Kortrijk", "OverKop-begeleider", False),
    ("Konekti", PartnerType.YOUTH_CARE, "Kortrijk", "netwerkcoördinator jeugdhulp", False),
    ("LOP Kortrijk secundair onderwijs", PartnerType.LOP, "Kortrijk", "LOP-deskundige", True),
    ("Leersteuncentrum Leie-Schelde", PartnerType.LEARNING_SUPPORT, "Harelbeke", "ondersteuner", False),
    ("AGODI", PartnerType.AGODI, "Kortrijk", "dossierbeheerder leerplicht", True),
]
# Organisations with a fixed contact per municipality they work in.
MUNICIPALITY_PARTNERS = [
    ("Huis van het Kind Kortrijk", PartnerType.HUIS_VAN_HET_KIND, "Kortrijk", ["Kortrijk"], "coördinator"),
    ("Huis van het Kind Waregem", PartnerType.HUIS_VAN_HET_KIND, "Waregem", ["Waregem"], "coördinator"),
    (
        "Brugfiguren lager onderwijs Kortrijk",
        PartnerType.BRUGFIGUUR_LAGER,
        "Kortrijk",
        ["Kortrijk"],
        "brugfiguur basisonderwijs",
    ),
    (
        "Brugfiguren basisonderwijs Menen",
        PartnerType.BRUGFIGUUR_LAGER,
        "Menen",
        ["Menen"],
        "brugfiguur basisonderwijs",
    ),
    (
        "Onderwijsambassadeurs Zuid-West-Vlaanderen",
        PartnerType.EDUCATION_AMBASSADOR,
        "Kortrijk",
        ["Kortrijk", "Menen"],
        "onderwijsambassadeur",
    ),
]

CAW = "CAW Zuid-West-Vlaanderen"
SCHOOL_OF_SCHOOLCONTACT = "Stedelijk Instituut Overleie"  # served by bf-sofie, so the school contact sees a brugfiguur
PARTNER_LOGIN = LoginSpec(
    "caw", "Bart", "Claeys", Role.PARTNER, "bart.claeys@caw-zuid-west-vlaanderen.example", organisation=CAW
)
LOGINS = [
    LoginSpec("coordinator", "Katrien", "Soens", Role.COORDINATOR, "katrien.soens@w13.example"),
    LoginSpec("beheerder", "Wim", "Decock", Role.BEHEERDER, "wim.decock@w13.example"),
    LoginSpec(
        "school",
        "Els",
        "Mestdagh",
        Role.SCHOOLCONTACT,
        "els.mestdagh@broeltorens.example",
        school=SCHOOL_OF_SCHOOLCONTACT,
    ),
    PARTNER_LOGIN,
    LoginSpec("beleid", "Annelies", "Vercruysse", Role.BELEID, "annelies.vercruysse@w13.example"),
    LoginSpec("bf-sofie", "Sofie", "Vandenbussche", Role.BRUGFIGUUR, "sofie.vandenbussche@w13.example"),
    LoginSpec("bf-jonas", "Jonas", "Desmet", Role.BRUGFIGUUR, "jonas.desmet@w13.example"),
    LoginSpec("bf-fatima", "Fatima", "El Amrani", Role.BRUGFIGUUR, "fatima.elamrani@w13.example"),
    LoginSpec("bf-pieter", "Pieter", "Vanhoutte", Role.BRUGFIGUUR, "pieter.vanhoutte@w13.example"),
    LoginSpec("bf-lotte", "Lotte", "Verhaeghe", Role.BRUGFIGUUR, "lotte.verhaeghe@w13.example"),
]
# Five people started in early 2023, 4.5 FTE together, each mobile from a home base and serving
# schools selected on need (not every school: capacity is short, as docs/domain.md says).
POOL = [
    PoolMemberSpec(
        "bf-sofie",
        Decimal("1.00"),
        "Kortrijk",
        (
            "GO! Campus Leiespiegel",
            "Stedelijk Instituut Overleie",
            "Technisch Instituut Sint-Elooi",
            "Buso De Kolibrie",
        ),
        datetime.date(2023, 1, 9),
    ),
    PoolMemberSpec(
        "bf-jonas",
        Decimal("1.00"),
        "Wevelgem",
        (
            "GO! Campus Grensland",
            "Stedelijk Technicum Menen",
            "Instituut De Tabaksbloem",
            "GO! Campus Gullegem",
        ),
        datetime.date(2023, 1, 9),
    ),
    PoolMemberSpec(
        "bf-fatima",
        Decimal("1.00"),
        "Waregem",
        ("GO! Campus Biest", "Technicum Molenhoek", "Buso Het Spoor", "Middenschool Ter Mandel"),
        datetime.date(2023, 2, 1),
    ),
    PoolMemberSpec(
        "bf-pieter",
        Decimal("0.80"),
        "Harelbeke",
        (
            "Technisch Instituut Bavikhove",
            "Instituut Het Sas",
            "Provinciaal Instituut Zuidpoort",
            "Instituut Ter Heide",
        ),
        datetime.date(2023, 2, 1),
    ),
    PoolMemberSpec(
        "bf-lotte",
        Decimal("0.70"),
        "Zwevegem",
        ("College Kanaalzone", "Scheldecollege", "Middenschool Vichte"),
        datetime.date(2023, 3, 1),
    ),
]


def _network(rng: random.Random) -> NetworkWriter:
    net = NetworkWriter(rng, area_code="056")
    # CLB: one staff member follows two or three schools of its network.
    by_network: dict[str, list[SchoolSpec]] = defaultdict(list)
    for school in SCHOOLS:
        by_network[school.network].append(school)
    for network, schools in by_network.items():
        org = net.organisation(CLB_OF_NETWORK[network], PartnerType.CLB, "Kortrijk")
        staff = [net.person() for _ in range((len(schools) + 2) // 3)]
        for i, school in enumerate(schools):
            net.contact(org, "CLB-medewerker", staff[i % len(staff)], school=school.name)
    for name, municipality in OCMWS.items():
        org = net.organisation(name, PartnerType.OCMW, municipality)
        net.contact(org, "maatschappelijk werker jongeren", municipality=municipality)
    for name, type_, seat, function, one_person in ZONE_PARTNERS:
        org = net.organisation(name, type_, seat)
        shared = net.person()
        for zone in ZONES:
            if name == CAW and zone == KORTRIJK:
                # The partner login is the CAW's contact point for Regio Kortrijk.
                person = net.person(PARTNER_LOGIN.first_name, PARTNER_LOGIN.last_name)
            else:
                person = shared if one_person else net.person()
            net.contact(org, function, person, zone=zone)
    for name, type_, seat, municipalities, function in MUNICIPALITY_PARTNERS:
        org = net.organisation(name, type_, seat)
        for municipality in municipalities:
            net.contact(org, function, municipality=municipality)
    return net


def w13() -> RegionSpec:
    net = _network(random.Random(SEED))
    return RegionSpec(
        name=NAME,
        slug=SLUG,
        description=(
            "Welzijnsvereniging van de 14 gemeenten, OCMW's en het CAW van Zuid-West-Vlaanderen, "
            "met een regionale pool van brugfiguren voor het secundair onderwijs (demogegevens)."
        ),
        zones=list(ZONES),
        municipalities=list(MUNICIPALITIES),
        zone_memberships=_zone_memberships(),
        schools=list(SCHOOLS),
        organisations=net.organisations,
        contact_points=net.contact_points,
        logins=list(LOGINS),
        pool=list(POOL),
    )
