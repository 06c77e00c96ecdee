"""What a demo region is made of, as plain data: the W13 module writes one by hand, the Flanders
module generates many. `brugwerk.demo.build` loads any of them; records refer to each other by
name (their natural key within the region), never by id, so a spec can be loaded twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    postal_code: str
    inhabitants: int | None = None


@dataclass(frozen=True)
class ZoneMembershipSpec:
    zone: str
    municipality: str
    valid_from: datetime.date
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    municipality: str
    network: str  # regions.models.SchoolNetwork
    education_forms: tuple[str, ...]  # regions.models.EducationForm
    pupil_count: int
    street: str = ""


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    type: str  # network.models.PartnerType
    municipality: str | None = None
    street: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ContactPointSpec:
    """Exactly one of school, municipality and zone is set, as the model demands."""

    organisation: str
    person_name: str
    function: str
    phone: str
    email: str
    school: str | None = None
    municipality: str | None = None
    zone: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class LoginSpec:
    username: str
    first_name: str
    last_name: str
    role: str  # accounts.models.Role
    email: str = ""
    school: str | None = None  # for a school contact
    organisation: str | None = None  # for a partner


@dataclass(frozen=True)
class PoolMemberSpec:
    username: str  # a LoginSpec with role brugfiguur
    fte: Decimal
    home_base: str
    schools: tuple[str, ...]
    started_on: datetime.date | None = None


@dataclass
class RegionSpec:
    name: str
    slug: str
    description: str = ""
    zones: list[str] = field(default_factory=list)
    municipalities: list[MunicipalitySpec] = field(default_factory=list)
    zone_memberships: list[ZoneMembershipSpec] = field(default_factory=list)
    schools: list[SchoolSpec] = field(default_factory=list)
    organisations: list[OrganisationSpec] = field(default_factory=list)
    contact_points: list[ContactPointSpec] = field(default_factory=list)
    logins: list[LoginSpec] = field(default_factory=list)
    pool: list[PoolMemberSpec] = field(default_factory=list)

    @property
    def pupil_total(self) -> int:
        return sum(s.pupil_count for s in self.schools)
