"""A synthetic dataset the size of all of Flanders, for load and scale testing.

About 25 regions (W13 counts as one) with about 300 municipalities, 1,000 secondary schools,
250,000 pupils and 300 brugfiguren in all. Every name here is generated (place names are built
from Flemish-sounding parts, so some may happen to match a real place); only the totals are meant
to be realistic. Each generated region gets a share of the totals that does not depend on how many
regions are built, so a run with `--regions 2` builds two regions of full-scale size.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from decimal import Decimal

from django.utils.text import slugify

from brugwerk.access.roles import Role
from brugwerk.demo import names
from brugwerk.demo.contacts import NetworkWriter
from brugwerk.demo.spec import LoginSpec, MunicipalitySpec, PoolMemberSpec, RegionSpec, SchoolSpec, ZoneMembershipSpec
from brugwerk.network.models import PartnerType
from brugwerk.regions.models import EducationForm as F
from brugwerk.regions.models import SchoolNetwork as N

SEED = 13
REGION_COUNT = 24  # generated regions; with W13 about 25 in all
SLUG_PREFIX = "fl-"
TOTAL_MUNICIPALITIES = 300
TOTAL_SCHOOLS = 1_000
TOTAL_PUPILS = 250_000
TOTAL_BRUGFIGUREN = 300
SINCE = datetime.date(2020, 1, 1)

PREFIXES = [
    "Aal",
    "Adegel",
    "Bever",
    "Bos",
    "Dender",
    "Eike",
    "Elver",
    "Ertve",
    "Gaver",
    "Geluw",
    "Hamme",
    "Heule",
    "Hoog",
    "Hulste",
    "Kalve",
    "Kerks",
    "Lange",
    "Lede",
    "Lier",
    "Maar",
    "Melle",
    "Merel",
    "Moer",
    "Nieuw",
    "Olle",
    "Oost",
    "Pitte",
    "Rode",
    "Schel",
    "Stene",
    "Velde",
    "Vier",
    "Vloes",
    "Walle",
    "West",
    "Wille",
    "Zand",
    "Zuid",
]
SUFFIXES = [
    "beke",
    "dijk",
    "donk",
    "gem",
    "hem",
    "hout",
    "hove",
    "kerke",
    "lo",
    "loo",
    "meer",
    "ode",
    "rode",
    "veld",
    "zele",
    "akker",
    "kapelle",
    "straten",
    "brugge",
    "ham",
]
SAINTS = [
    "Jozef",
    "Jan",
    "Maarten",
    "Michiel",
    "Barbara",
    "Vincentius",
    "Lodewijk",
    "Rita",
    "Niklaas",
    "Godelieve",
    "Victor",
    "Anna",
    "Franciscus",
    "Ursula",
    "Bernardus",
]
TREES = ["De Linde", "De Eik", "De Berk", "De Es", "De Beuk", "De Wilg", "De Hazelaar", "De Populier"]
A, B, TR, DU, LM, SP, DL = (
    F.FIRST_GRADE_A,
    F.FIRST_GRADE_B,
    F.TRANSITION,
    F.DUAL,
    F.LABOUR_MARKET,
    F.SPECIAL,
    F.DUAL_LEARNING,
)
# (name template, forms of education, relative size); "{s}" a saint, "{t}" a tree, "{m}" the municipality.
SCHOOL_KINDS: dict[str, list[tuple[str, tuple[str, ...], float]]] = {
    N.KATHOLIEK: [
        ("Sint-{s}college {m}", (A, TR), 1.3),
        ("Sint-{s}instituut {m}", (A, TR, DU), 1.2),
        ("Technisch Instituut Sint-{s} {m}", (DU, LM, DL), 1.0),
        ("Middenschool Sint-{s} {m}", (A, B), 0.6),
        ("Buso {t} {m}", (SP,), 0.3),
    ],
    N.GO: [
        ("GO! Atheneum {m}", (A, B, TR, DU), 1.1),
        ("GO! Campus {m}", (A, B, DU, LM), 0.9),
        ("GO! Middenschool {m}", (A, B), 0.6),
        ("GO! Buso {t} {m}", (SP,), 0.3),
    ],
    N.OVSG: [("Stedelijk Lyceum {m}", (A, TR), 1.0), ("Stedelijk Technicum {m}", (DU, LM), 0.8)],
    N.POV: [("Provinciaal Instituut {m}", (TR, DU, LM), 1.0)],
}
NETWORK_WEIGHTS = {N.KATHOLIEK: 60, N.GO: 25, N.OVSG: 10, N.POV: 5}
CLB_NAME: dict[str, str] = {
    N.KATHOLIEK: "Vrij CLB {c}",
    N.GO: "CLB GO! {c}",
    N.OVSG: "OVSG-CLB {c}",
    N.POV: "Provinciaal CLB {c}",
}
# (name template, type, function, one person for all zones?)
ZONE_PARTNERS = [
    ("CAW {c}", PartnerType.CAW, "onthaalmedewerker", False),
    ("JAC {c}", PartnerType.JAC, "jongerenbegeleider", False),
    ("Huis van het Kind {c}", PartnerType.HUIS_VAN_HET_KIND, "coördinator", False),
    ("Netwerk jeugdhulp {c}", PartnerType.YOUTH_CARE, "netwerkcoördinator jeugdhulp", False),
    ("Leersteuncentrum {c}", PartnerType.LEARNING_SUPPORT, "ondersteuner", False),
    ("LOP {c} secundair onderwijs", PartnerType.LOP, "LOP-deskundige", True),
    ("AGODI", PartnerType.AGODI, "dossierbeheerder leerplicht", True),
]
AREA_CODES = [
    "050",
    "051",
    "052",
    "053",
    "054",
    "055",
    "056",
    "057",
    "058",
    "059",
    "011",
    "012",
    "013",
    "014",
    "015",
    "016",
    "089",
]
FTES = [
    Decimal("0.50"),
    Decimal("0.60"),
    Decimal("0.80"),
    Decimal("0.80"),
    Decimal("0.90"),
    Decimal("1.00"),
    Decimal("1.00"),
    Decimal("1.00"),
]


def split(total: int, parts: int, rng: random.Random, spread: float = 0.3) -> list[int]:
    """`total` in `parts` whole shares that differ by up to about `spread` and add up exactly."""
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def plan(*, existing: list[RegionSpec], regions: int = REGION_COUNT) -> list[RegionSpec]:
    """The first `regions` generated regions. `existing` (W13 and the other hand-made regions) is
    counted in the totals and its place names are not reused."""
    rng = random.Random(f"{SEED}/flanders")
    sizes = {
        "municipalities": split(
            TOTAL_MUNICIPALITIES - sum(len(s.municipalities) for s in existing), REGION_COUNT, rng
        ),
        "schools": split(TOTAL_SCHOOLS - sum(len(s.schools) for s in existing), REGION_COUNT, rng),
        "brugfiguren": split(TOTAL_BRUGFIGUREN - sum(len(s.pool) for s in existing), REGION_COUNT, rng),
    }
    pupils = TOTAL_PUPILS - sum(s.pupil_total for s in existing)
    pupils_per_school = pupils / sum(sizes["schools"])
    taken = {m.name for s in existing for m in s.municipalities}
    place_names = [p + s for p, s in itertools.product(PREFIXES, SUFFIXES) if p + s not in taken]
    rng.shuffle(place_names)
    specs = []
    start = 0
    for i in range(min(regions, REGION_COUNT)):
        count = sizes["municipalities"][i]
        region_names = place_names[start : start + count]
        start += count
        specs.append(
            _region(
                i,
                region_names,
                sizes["schools"][i],
                round(sizes["schools"][i] * pupils_per_school),
                sizes["brugfiguren"][i],
            )
        )
    return specs


def _region(
    index: int, place_names: list[str], school_count: int, pupils: int, brugfiguren: int
) -> RegionSpec:
    rng = random.Random(f"{SEED}/flanders/{index}")
    postal_base = 1500 + index * 350
    municipalities = sorted(
        (
            MunicipalitySpec(name, str(postal_base + 10 * j), rng.randint(4_000, 60_000))
            for j, name in enumerate(place_names)
        ),
        key=lambda m: -(m.inhabitants or 0),
    )
    centre = municipalities[0].name
    slug = SLUG_PREFIX + slugify(centre)
    zone_count = max(2, min(4, len(municipalities) // 4))
    zone_of = {m.name: municipalities[j % zone_count].name for j, m in enumerate(municipalities)}
    zones = [f"Zone {municipalities[z].name}" for z in range(zone_count)]
    memberships = [ZoneMembershipSpec(f"Zone {zone_of[m.name]}", m.name, SINCE) for m in municipalities]

    schools = _schools(rng, municipalities, school_count, pupils)
    net = _network(rng, slug, centre, municipalities, zones, schools)
    logins = [
        LoginSpec(
            f"{slug}-coordinator", *names.person(rng), Role.COORDINATOR, f"{slug}-coordinator@{slug}.example"
        )
    ]
    pool = []
    for n in range(1, brugfiguren + 1):
        username = f"{slug}-bf{n:02d}"
        logins.append(LoginSpec(username, *names.person(rng), Role.BRUGFIGUUR, f"{username}@{slug}.example"))
        served = rng.sample(schools, k=min(len(schools), rng.randint(2, 5)))
        pool.append(
            PoolMemberSpec(
                username,
                rng.choice(FTES),
                rng.choice(municipalities).name,
                tuple(s.name for s in served),
                datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 900)),
            )
        )
    return RegionSpec(
        name=f"Regio {centre}",
        slug=slug,
        description="Generated region of the Flanders-scale demo dataset.",
        zones=zones,
        municipalities=municipalities,
        zone_memberships=memberships,
        schools=schools,
        organisations=net.organisations,
        contact_points=net.contact_points,
        logins=logins,
        pool=pool,
    )


def _schools(
    rng: random.Random, municipalities: list[MunicipalitySpec], count: int, pupils: int
) -> list[SchoolSpec]:
    drafts = []
    used: set[str] = set()
    networks, network_weights = zip(*NETWORK_WEIGHTS.items(), strict=True)
    for _ in range(count):
        municipality = rng.choices(municipalities, weights=[m.inhabitants or 1 for m in municipalities])[0]
        network = rng.choices(networks, weights=network_weights)[0]
        template, forms, size = rng.choice(SCHOOL_KINDS[network])
        name = template.format(s=rng.choice(SAINTS), t=rng.choice(TREES), m=municipality.name)
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base} campus {n}"
        used.add(name)
        drafts.append((name, municipality.name, network, forms, size * rng.uniform(0.6, 1.4)))
    total_weight = sum(d[4] for d in drafts)
    schools = [
        SchoolSpec(
            name,
            municipality,
            network,
            forms,
            max(60, round(pupils * weight / total_weight)),
            f"Schoolstraat {rng.randint(1, 150)}",
        )
        for name, municipality, network, forms, weight in drafts
    ]
    return schools


def _network(
    rng: random.Random,
    slug: str,
    centre: str,
    municipalities: list[MunicipalitySpec],
    zones: list[str],
    schools: list[SchoolSpec],
) -> NetworkWriter:
    net = NetworkWriter(rng, area_code=rng.choice(AREA_CODES), domain_suffix=f".{slug}")
    by_network: dict[str, list[SchoolSpec]] = defaultdict(list)
    for school in schools:
        by_network[school.network].append(school)
    for network, network_schools in sorted(by_network.items()):
        org = net.organisation(CLB_NAME[network].format(c=centre), PartnerType.CLB, centre)
        staff = [net.person() for _ in range((len(network_schools) + 2) // 3)]
        for i, school in enumerate(network_schools):
            net.contact(org, "CLB-medewerker", staff[i % len(staff)], school=school.name)
    for municipality in municipalities:
        org = net.organisation(f"Sociaal Huis {municipality.name}", PartnerType.OCMW, municipality.name)
        net.contact(org, "maatschappelijk werker jongeren", municipality=municipality.name)
    for template, type_, function, one_person in ZONE_PARTNERS:
        org = net.organisation(template.format(c=centre), type_, centre)
        shared = net.person()
        for zone in zones:
            net.contact(org, function, shared if one_person else None, zone=zone)
    org = net.organisation(f"Brugfiguren basisonderwijs {centre}", PartnerType.BRUGFIGUUR_LAGER, centre)
    net.contact(org, "brugfiguur basisonderwijs", municipality=centre)
    return net
