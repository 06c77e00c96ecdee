"""Loading demo regions into the database.

A region is built by running `STEPS` in order, each with the same `Build` context. Every step is
idempotent: it looks up what already exists by natural key (a name within the region, a username)
and bulk-creates only what is missing, so a second run creates nothing and a run after a new step
was added fills in just that step. A later feature adds its demo records by appending a step that
reads the context (its schools, pool members, users ...) and draws from `build.rng("<step>")`.

The records are written with the ORM directly, not through the services: the demo is loaded by the
system, not by a user, so there is nobody whose permissions to check. One audit entry per run
records what was loaded (see `load`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.demo import flanders
from brugwerk.demo.casework import casework_step
from brugwerk.demo.cooperation import cooperation_step
from brugwerk.demo.expertise import expertise_step
from brugwerk.demo.groups import groups_step
from brugwerk.demo.learning import learning_step
from brugwerk.demo.oost import demo_oost
from brugwerk.demo.signals import signals_step
from brugwerk.demo.spec import RegionSpec
from brugwerk.demo.w13 import w13
from brugwerk.env import env_str
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Municipality, Region, School, Zone, ZoneMembership

DEFAULT_PASSWORD = "brugwerk-demo"
PASSWORD_ENV = "BRUGWERK_DEMO_PASSWORD"
SEED = 13
BATCH_SIZE = 500

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def demo_password() -> str:
    return env_str(PASSWORD_ENV, DEFAULT_PASSWORD) or DEFAULT_PASSWORD


@dataclass
class Build:
    """What the steps share while one region is built: its spec and the records made so far,
    keyed by their name in the spec."""

    spec: RegionSpec
    password_hash: str
    created: Counter[str]
    region: Region | None = None
    zones: dict[str, Zone] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    organisations: dict[str, PartnerOrganisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    pool_members: dict[str, PoolMember] = field(default_factory=dict)
    passwords_refreshed: int = 0
    casework_scale: float = 1.0  # fraction of the Flanders bulk casework (generated regions only)

    def rng(self, step: str) -> random.Random:
        """A random source per region and step, derived from the one seed, so that adding or
        skipping a step never changes what the others generate."""
        return random.Random(f"{SEED}/{self.spec.slug}/{step}")

    def ensure(self, model: type[M], wanted: Iterable[M], key: Callable[[M], K], existing: Iterable[M]) -> dict[K, M]:
        """The records of `wanted`, with those whose key already exists taken from `existing` and
        the others bulk-created. Returns all of them by key."""
        found = {key(obj): obj for obj in existing}
        missing = [obj for obj in wanted if key(obj) not in found]
        model._default_manager.bulk_create(missing, batch_size=BATCH_SIZE)
        self.created[model._meta.label_lower] += len(missing)
        found.update((key(obj), obj) for obj in missing)
        return found


def region_step(build: Build) -> None:
    spec = build.spec
    build.region, created = Region.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "description": spec.description}
    )
    build.created[Region._meta.label_lower] += int(created)


def geography_step(build: Build) -> None:
    spec, region = build.spec, build.region
    assert region is not None
    build.zones = build.ensure(
        Zone, [Zone(region=region, name=name) for name in spec.zones], lambda z: z.name, region.zones.all()
    )
    build.municipalities = build.ensure(
        Municipality,
        [
            Municipality(region=region, name=m.name, postal_code=m.postal_code, inhabitants=m.inhabitants)
            for m in spec.municipalities
        ],
        lambda m: m.name,
        region.municipalities.all(),
    )
    build.ensure(
        ZoneMembership,
        [
            ZoneMembership(
                zone=build.zones[zm.zone],
                municipality=build.municipalities[zm.municipality],
                valid_from=zm.valid_from,
                valid_until=zm.valid_until,
            )
            for zm in spec.zone_memberships
        ],
        lambda zm: (zm.zone_id, zm.municipality_id, zm.valid_from),
        ZoneMembership.objects.filter(zone__region=region),
    )


def schools_step(build: Build) -> None:
    region = build.region
    build.schools = build.ensure(
        School,
        [
            School(
                region=region,
                name=s.name,
                municipality=build.municipalities[s.municipality],
                postal_code=build.municipalities[s.municipality].postal_code,
                street=s.street,
                network=s.network,
                education_forms=list(s.education_forms),
                pupil_count=s.pupil_count,
            )
            for s in build.spec.schools
        ],
        lambda s: s.name,
        School.objects.filter(region=region),
    )


def network_step(build: Build) -> None:
    region = build.region
    build.organisations = build.ensure(
        PartnerOrganisation,
        [
            PartnerOrganisation(
                region=region,
                name=o.name,
                type=o.type,
                street=o.street,
                phone=o.phone,
                email=o.email,
                municipality=build.municipalities.get(o.municipality or ""),
            )
            for o in build.spec.organisations
        ],
        lambda o: o.name,
        PartnerOrganisation.objects.filter(region=region),
    )

    def scope_of(name: str | None, records: dict[str, Any]) -> Any:
        return records[name] if name else None

    build.ensure(
        ContactPoint,
        [
            ContactPoint(
                organisation=build.organisations[c.organisation],
                person_name=c.person_name,
                function=c.function,
                phone=c.phone,
                email=c.email,
                notes=c.notes,
                school=scope_of(c.school, build.schools),
                municipality=scope_of(c.municipality, build.municipalities),
                zone=scope_of(c.zone, build.zones),
            )
            for c in build.spec.contact_points
        ],
        lambda c: (c.organisation_id, c.person_name, c.school_id, c.municipality_id, c.zone_id),
        ContactPoint.objects.filter(organisation__region=region),
    )


def people_step(build: Build) -> None:
    region, logins = build.region, build.spec.logins
    existing = list(User.objects.filter(username__in=[login.username for login in logins]))
    # The demo promises one known password: reset it on users that exist already.
    build.passwords_refreshed += User.objects.filter(pk__in=[u.pk for u in existing]).update(
        password=build.password_hash
    )
    build.users = build.ensure(
        User,
        [
            User(
                username=login.username,
                first_name=login.first_name,
                last_name=login.last_name,
                email=login.email,
                password=build.password_hash,
            )
            for login in logins
        ],
        lambda u: u.username,
        existing,
    )
    build.ensure(
        Membership,
        [
            Membership(
                user=build.users[login.username],
                region=region,
                role=login.role,
                school=build.schools[login.school] if login.role == Role.SCHOOLCONTACT and login.school else None,
                organisation=(
                    build.organisations[login.organisation]
                    if login.role == Role.PARTNER and login.organisation
                    else None
                ),
            )
            for login in logins
        ],
        lambda m: (m.user_id, m.role),
        Membership.objects.filter(region=region, revoked_at__isnull=True),
    )


def pool_step(build: Build) -> None:
    region = build.region
    members = build.ensure(
        PoolMember,
        [
            PoolMember(
                region=region,
                user=build.users[p.username],
                fte=p.fte,
                home_base=build.municipalities[p.home_base],
                started_on=p.started_on,
            )
            for p in build.spec.pool
        ],
        lambda pm: pm.user_id,
        PoolMember.objects.filter(region=region),
    )
    build.pool_members = {p.username: members[build.users[p.username].pk] for p in build.spec.pool}
    Served = PoolMember.schools.through
    build.ensure(
        Served,
        [
            Served(poolmember=build.pool_members[p.username], school=build.schools[name])
            for p in build.spec.pool
            for name in p.schools
        ],
        lambda s: (s.poolmember_id, s.school_id),
        Served.objects.filter(poolmember__region=region),
    )


def life_domains_step(build: Build) -> None:
    """The default, editable list of life domains (docs/domain.md)."""
    from brugwerk.cases.models import DEFAULT_LIFE_DOMAINS, LifeDomain

    region = build.region
    assert region is not None
    build.ensure(
        LifeDomain,
        [LifeDomain(region=region, name=name, position=i) for i, name in enumerate(DEFAULT_LIFE_DOMAINS, 1)],
        lambda d: d.name,
        region.life_domains.all(),
    )


def casework_settings_step(build: Build) -> None:
    """The region's casework settings, with their defaults (`cases.CaseworkSettings`)."""
    from brugwerk.cases.models import CaseworkSettings

    region = build.region
    assert region is not None
    build.ensure(
        CaseworkSettings,
        [CaseworkSettings(region=region)],
        lambda s: s.region_id,
        CaseworkSettings.objects.filter(region=region),
    )


# The steps that build one region, in order. Later features append theirs.
STEPS: list[Callable[[Build], None]] = [
    region_step,
    geography_step,
    schools_step,
    network_step,
    people_step,
    pool_step,
    life_domains_step,
    casework_settings_step,
    casework_step,
    expertise_step,
    signals_step,
    groups_step,
    cooperation_step,
    learning_step,
]


def build_region(spec: RegionSpec, *, password_hash: str, created: Counter[str], casework_scale: float = 1.0) -> Build:
    """Build (or complete) one region, all of it or nothing."""
    build = Build(spec=spec, password_hash=password_hash, created=created, casework_scale=casework_scale)
    with transaction.atomic():
        for step in STEPS:
            step(build)
    return build


@dataclass
class LoadResult:
    specs: list[RegionSpec]
    builds: list[Build]
    created: Counter[str]
    password: str

    @property
    def passwords_refreshed(self) -> int:
        return sum(b.passwords_refreshed for b in self.builds)


def specs_for(*, scale: str = "w13", regions: int | None = None) -> list[RegionSpec]:
    """The regions of a scale: "w13" is W13 and the small second region; "flanders" adds the
    generated regions (all of them, or the first `regions`)."""
    specs = [w13(), demo_oost()]
    if scale == "flanders":
        specs += flanders.plan(existing=specs, regions=flanders.REGION_COUNT if regions is None else regions)
    elif scale != "w13":
        raise ValueError(f"Unknown demo scale {scale!r}")
    return specs


@transaction.atomic
def load(
    *, scale: str = "w13", regions: int | None = None, password: str | None = None, casework_scale: float = 1.0
) -> LoadResult:
    """Load the demo and write one audit entry that sums it up, in the same transaction."""
    password = password if password is not None else demo_password()
    # One hash for every demo login: hashing ~300 passwords one by one would take minutes, and the
    # demo logins share their password anyway. Validators deliberately do not apply here.
    password_hash = make_password(password)
    specs = specs_for(scale=scale, regions=regions)
    created: Counter[str] = Counter()
    builds = [
        build_region(spec, password_hash=password_hash, created=created, casework_scale=casework_scale)
        for spec in specs
    ]
    result = LoadResult(specs=specs, builds=builds, created=created, password=password)
    record(
        actor=Actor(user=None),
        actor_label="demo",
        event=AuditEvent.CREATE if sum(created.values()) else AuditEvent.UPDATE,
        subject_type="demo",
        subject_label=f"Demo data ({scale})",
        changes={
            "scale": scale,
            "regions": [spec.slug for spec in specs],
            "created": {label: n for label, n in sorted(created.items()) if n},
            "passwords_refreshed": result.passwords_refreshed,
        },
    )
    return result
