"""Writing the partner organisations and fixed contact points of a demo region, shared by the
hand-made W13 data and the generated regions: one person keeps one phone number and address, even
when they are the contact point for several schools or zones."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from brugwerk.demo import names
from brugwerk.demo.spec import ContactPointSpec, OrganisationSpec


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    phone: str


@dataclass
class NetworkWriter:
    rng: random.Random
    area_code: str = "056"
    domain_suffix: str = ""  # keeps generated regions' addresses apart
    organisations: list[OrganisationSpec] = field(default_factory=list)
    contact_points: list[ContactPointSpec] = field(default_factory=list)
    _domains: dict[str, str] = field(default_factory=dict)

    def organisation(self, name: str, type_: str, seat: str | None) -> str:
        domain = names.ascii_slug(name.replace(" ", "-"))[:40] + self.domain_suffix
        self._domains[name] = domain
        self.organisations.append(
            OrganisationSpec(
                name, type_, seat, phone=names.phone(self.rng, self.area_code), email=f"info@{domain}.example"
            )
        )
        return name

    def person(self, first: str | None = None, last: str | None = None) -> Person:
        drawn_first, drawn_last = names.person(self.rng)
        return Person(first or drawn_first, last or drawn_last, names.phone(self.rng, self.area_code))

    def contact(self, organisation: str, function: str, person: Person | None = None, **scope: str) -> None:
        """A fixed contact point for exactly one school=, municipality= or zone=."""
        person = person or self.person()
        self.contact_points.append(
            ContactPointSpec(
                organisation,
                f"{person.first} {person.last}",
                function,
                person.phone,
                names.email(person.first, person.last, self._domains[organisation]),
                **scope,
            )
        )
