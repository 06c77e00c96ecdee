"""A second, small and wholly invented region, so that a demo user can see that one region's
records stay invisible to another's users."""

from __future__ import annotations

import datetime
from decimal import Decimal

from brugwerk.access.roles import Role
from brugwerk.demo.spec import (
    ContactPointSpec,
    LoginSpec,
    MunicipalitySpec,
    OrganisationSpec,
    PoolMemberSpec,
    RegionSpec,
    SchoolSpec,
    ZoneMembershipSpec,
)
from brugwerk.network.models import PartnerType
from brugwerk.regions.models import EducationForm as F
from brugwerk.regions.models import SchoolNetwork as N

SLUG = "demo-oost"
ZONE = "Zone Demo-Oost"
SINCE = datetime.date(2020, 1, 1)


def demo_oost() -> RegionSpec:
    return RegionSpec(
        name="Regio Demo-Oost",
        slug=SLUG,
        description="An invented second region: its records are invisible to W13 and the other way round.",
        zones=[ZONE],
        municipalities=[
            MunicipalitySpec("Oostervoorde", "", 21_000),
            MunicipalitySpec("Beverkerke", "", 8_500),
        ],
        zone_memberships=[
            ZoneMembershipSpec(ZONE, "Oostervoorde", SINCE),
            ZoneMembershipSpec(ZONE, "Beverkerke", SINCE),
        ],
        schools=[
            SchoolSpec(
                "Atheneum Oostervoorde",
                "Oostervoorde",
                N.GO,
                (F.FIRST_GRADE_A, F.TRANSITION, F.DUAL),
                640,
                "Stationsplein 2",
            ),
            SchoolSpec(
                "Sint-Jorisinstituut Beverkerke",
                "Beverkerke",
                N.KATHOLIEK,
                (F.FIRST_GRADE_A, F.FIRST_GRADE_B, F.LABOUR_MARKET),
                910,
                "Kerkstraat 19",
            ),
            SchoolSpec("Buso De Wilg", "Oostervoorde", N.KATHOLIEK, (F.SPECIAL,), 180, "Wilgenlaan 5"),
        ],
        organisations=[
            OrganisationSpec(
                "CAW Demo-Oost",
                PartnerType.CAW,
                "Oostervoorde",
                phone="09 00 12 34",
                email="info@caw-demo-oost.example",
            )
        ],
        contact_points=[
            ContactPointSpec(
                "CAW Demo-Oost",
                "Hanne Opsomer",
                "onthaalmedewerker",
                "09 00 12 35",
                "hanne.opsomer@caw-demo-oost.example",
                zone=ZONE,
            )
        ],
        logins=[
            LoginSpec(
                "oost-coordinator", "Noor", "Benali", Role.COORDINATOR, "noor.benali@demo-oost.example"
            ),
            LoginSpec("oost-bf", "Tom", "Peeters", Role.BRUGFIGUUR, "tom.peeters@demo-oost.example"),
        ],
        pool=[
            PoolMemberSpec(
                "oost-bf",
                Decimal("0.90"),
                "Oostervoorde",
                ("Atheneum Oostervoorde", "Sint-Jorisinstituut Beverkerke"),
                datetime.date(2024, 9, 1),
            )
        ],
    )
