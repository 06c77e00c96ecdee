"""`manage.py demo`: the W13 demo region, its logins, the isolated second region, running it twice,
and a small run of the Flanders-scale dataset."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.http import Http404
from django.test import RequestFactory

from brugwerk.access import get_object_or_404, scope
from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import verify_chain
from brugwerk.cases.models import CaseworkSettings
from brugwerk.demo import flanders, w13
from brugwerk.demo.build import DEFAULT_PASSWORD, specs_for
from brugwerk.network.models import ContactPoint, PartnerOrganisation, PartnerType
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import EducationForm, Municipality, Region, School, SchoolNetwork, Zone, ZoneMembership

W13_MUNICIPALITIES = {
    "Anzegem",
    "Avelgem",
    "Deerlijk",
    "Harelbeke",
    "Kortrijk",
    "Kuurne",
    "Lendelede",
    "Menen",
    "Spiere-Helkijn",
    "Waregem",
    "Wervik",
    "Wevelgem",
    "Zwevegem",
    "Wielsbeke",
}
W13_LOGINS = {
    "coordinator",
    "beheerder",
    "school",
    "caw",
    "beleid",
    "bf-sofie",
    "bf-jonas",
    "bf-fatima",
    "bf-pieter",
    "bf-lotte",
}
OOST_LOGINS = {"oost-coordinator", "oost-bf"}
MODELS = [
    Region,
    CaseworkSettings,
    Zone,
    Municipality,
    ZoneMembership,
    School,
    PartnerOrganisation,
    ContactPoint,
    User,
    Membership,
    PoolMember,
    PoolMember.schools.through,
]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The demo hashes its password once per run; a fast hasher keeps the login checks quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in MODELS}


def can_log_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password) is not None


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def test_w13_has_its_fourteen_municipalities_with_postal_codes(demo):
    w13 = Region.objects.get(slug="w13")
    assert w13.name == "W13 Zuid-West-Vlaanderen"
    municipalities = Municipality.objects.filter(region=w13)
    assert set(municipalities.values_list("name", flat=True)) == W13_MUNICIPALITIES
    assert all(
        len(code) == 4 and code.startswith("8")
        for code in municipalities.values_list("postal_code", flat=True)
    )
    assert municipalities.get(name="Kortrijk").postal_code == "8500"


def test_w13_has_three_zones_with_dated_membership(demo):
    w13 = Region.objects.get(slug="w13")
    assert set(Zone.objects.filter(region=w13).values_list("name", flat=True)) == {
        "Regio Kortrijk",
        "Regio Menen",
        "Regio Waregem",
    }
    kortrijk = ZoneMembership.objects.filter(municipality__region=w13, municipality__name="Kortrijk")
    assert [(m.zone.name, str(m.valid_from), str(m.valid_until)) for m in kortrijk] == [
        ("Regio Kortrijk", "2020-01-01", "2025-01-01"),
        ("Regio Kortrijk", "2025-01-01", "None"),
    ]
    waregem_zone_2020 = ZoneMembership.objects.filter(zone__name="Regio Waregem", valid_until="2025-01-01")
    assert waregem_zone_2020.count() == 7
    # Lendelede was in a zone outside W13 before 2025; the demo places it from the redrawing on only.
    lendelede = ZoneMembership.objects.filter(municipality__region=w13, municipality__name="Lendelede")
    assert [(m.zone.name, str(m.valid_from), m.valid_until) for m in lendelede] == [
        ("Regio Kortrijk", "2025-01-01", None)
    ]


def test_w13_has_about_25_schools_with_about_24000_pupils_spread_over_the_municipalities(demo):
    schools = School.objects.filter(region__slug="w13")
    assert 22 <= schools.count() <= 28
    assert 22_000 <= schools.aggregate(total=Sum("pupil_count"))["total"] <= 26_000
    assert schools.values("municipality").distinct().count() >= 12
    assert set(schools.values_list("network", flat=True)) <= set(SchoolNetwork.values)
    assert len(set(schools.values_list("network", flat=True))) >= 3
    for school in schools:
        assert school.education_forms and set(school.education_forms) <= set(EducationForm.values)
        assert school.municipality.region_id == school.region_id
        assert school.postal_code == school.municipality.postal_code


def test_w13_pool_has_five_brugfiguren_with_4_5_fte_a_home_base_and_schools(demo):
    pool = PoolMember.objects.filter(region__slug="w13").prefetch_related("schools")
    assert pool.count() == 5
    assert pool.aggregate(total=Sum("fte"))["total"] == Decimal("4.50")
    assert sorted(pool.values_list("fte", flat=True)) == [
        Decimal(x) for x in ("0.70", "0.80", "1.00", "1.00", "1.00")
    ]
    for member in pool:
        assert member.home_base.region.slug == "w13"
        assert member.schools.count() >= 3
        assert {s.region.slug for s in member.schools.all()} == {"w13"}
        assert member.user.memberships.filter(role=Role.BRUGFIGUUR, region__slug="w13").exists()


def test_w13_partners_have_fixed_contact_points_per_school_municipality_or_zone(demo):
    w13 = Region.objects.get(slug="w13")
    organisations = PartnerOrganisation.objects.filter(region=w13)
    assert {
        PartnerType.CAW,
        PartnerType.JAC,
        PartnerType.CLB,
        PartnerType.OCMW,
        PartnerType.HUIS_VAN_HET_KIND,
        PartnerType.BRUGFIGUUR_LAGER,
        PartnerType.YOUTH_CARE,
        PartnerType.LOP,
        PartnerType.LEARNING_SUPPORT,
        PartnerType.AGODI,
        PartnerType.EDUCATION_AMBASSADOR,
    } <= set(organisations.values_list("type", flat=True))
    names = set(organisations.values_list("name", flat=True))
    assert {"CAW Zuid-West-Vlaanderen", "JAC Kortrijk", "OverKop Kortrijk", "Konekti"} <= names
    contacts = ContactPoint.objects.filter(organisation__region=w13)
    # Every school has its fixed contact at the CLB; OCMWs answer per municipality, CAW per zone.
    assert set(contacts.filter(organisation__type=PartnerType.CLB).values_list("school", flat=True)) == set(
        School.objects.filter(region=w13).values_list("pk", flat=True)
    )
    assert not contacts.filter(organisation__type=PartnerType.OCMW, municipality__isnull=True).exists()
    assert contacts.filter(organisation__name="CAW Zuid-West-Vlaanderen", zone__isnull=False).count() == 3
    assert organisations.filter(type=PartnerType.OCMW).count() >= 4
    assert all(c.email.endswith(".example") for c in contacts)


def test_demo_has_a_login_for_every_role(demo):
    memberships = Membership.objects.filter(region__slug="w13", revoked_at__isnull=True).select_related(
        "user", "school", "organisation"
    )
    roles = {m.user.username: m.role for m in memberships}
    assert set(roles) == W13_LOGINS
    assert set(roles.values()) == set(Role.values)
    by_user = {m.user.username: m for m in memberships}
    assert by_user["school"].school.name == w13.SCHOOL_OF_SCHOOLCONTACT
    assert by_user["caw"].organisation.name == "CAW Zuid-West-Vlaanderen"
    assert by_user["coordinator"].role == Role.COORDINATOR


def test_demo_prints_the_logins_and_the_password(demo):
    for username in W13_LOGINS | OOST_LOGINS:
        assert f"\n{username} " in demo
    assert w13.SCHOOL_OF_SCHOOLCONTACT in demo
    assert DEFAULT_PASSWORD in demo


def test_second_region_is_isolated(demo):
    oost = Region.objects.get(slug="demo-oost")
    oost_coordinator = User.objects.get(username="oost-coordinator")
    w13_coordinator = User.objects.get(username="coordinator")
    oost_schools = set(School.objects.filter(region=oost))
    assert 2 <= len(oost_schools) <= 4
    assert set(scope(oost_coordinator, School)) == oost_schools
    assert not set(scope(w13_coordinator, School)) & oost_schools
    assert set(scope(User.objects.get(username="oost-bf"), PoolMember)) == set(
        PoolMember.objects.filter(region=oost)
    )
    assert list(
        scope(oost_coordinator, ContactPoint).values_list("organisation__region", flat=True).distinct()
    ) == [oost.pk]
    w13_school = School.objects.filter(region__slug="w13").first()
    with pytest.raises(Http404):
        get_object_or_404(oost_coordinator, School, pk=w13_school.pk)


def test_every_demo_login_authenticates_with_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("BRUGWERK_DEMO_PASSWORD", "eigen-demo-wachtwoord")
    output = run_demo()
    assert "eigen-demo-wachtwoord" in output
    for username in W13_LOGINS | OOST_LOGINS:
        assert can_log_in(username, "eigen-demo-wachtwoord"), username
    assert not can_log_in("coordinator", DEFAULT_PASSWORD)


def test_running_the_demo_twice_duplicates_nothing_and_resets_the_password(db, monkeypatch):
    monkeypatch.setenv("BRUGWERK_DEMO_PASSWORD", "eerste-wachtwoord")
    run_demo()
    before = counts()
    monkeypatch.setenv("BRUGWERK_DEMO_PASSWORD", "tweede-wachtwoord")
    run_demo()
    assert counts() == before
    assert can_log_in("bf-sofie", "tweede-wachtwoord")
    assert not can_log_in("bf-sofie", "eerste-wachtwoord")


def test_demo_writes_one_audit_entry_per_run_summing_up_the_load(db):
    run_demo()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_label, entry.event) == (None, "demo", AuditEvent.CREATE)
    assert entry.changes["created"]["regions.school"] == School.objects.count()
    assert entry.changes["regions"] == ["w13", "demo-oost"]
    assert entry.changes["created"]["cases.caseworksettings"] == 2  # one per region
    assert CaseworkSettings.objects.filter(region__slug__in=["w13", "demo-oost"]).count() == 2
    run_demo()
    second = AuditEntry.objects.order_by("-seq").first()
    assert second.event == AuditEvent.UPDATE and second.changes["created"] == {}
    assert AuditEntry.objects.count() == 2
    assert verify_chain()[0]


def test_demo_data_is_the_same_every_time():
    assert specs_for(scale="flanders") == specs_for(scale="flanders")


def test_full_flanders_plan_has_the_size_of_flanders():
    specs = specs_for(scale="flanders")
    assert 24 <= len(specs) <= 27
    assert 290 <= sum(len(s.municipalities) for s in specs) <= 310
    assert 980 <= sum(len(s.schools) for s in specs) <= 1020
    assert 240_000 <= sum(s.pupil_total for s in specs) <= 260_000
    assert sum(len(s.pool) for s in specs) == 300
    assert len({s.slug for s in specs}) == len(specs) and len({s.name for s in specs}) == len(specs)


def test_small_flanders_run_builds_regions_in_proportion(db):
    output = run_demo("--scale", "flanders", "--regions", "2", "--casework-scale", "0")
    generated = Region.objects.filter(slug__startswith=flanders.SLUG_PREFIX).annotate(
        municipalities_n=Count("municipalities", distinct=True),
        schools_n=Count("schools", distinct=True),
        pool_n=Count("pool_members", distinct=True),
        partners_n=Count("partner_organisations", distinct=True),
    )
    assert generated.count() == 2
    assert Region.objects.count() == 4  # with W13 and Demo-Oost
    for region in generated:
        # A 24th of Flanders: ~12 municipalities, ~40 schools, ~12 brugfiguren.
        assert 7 <= region.municipalities_n <= 17
        assert 25 <= region.schools_n <= 60
        assert 7 <= region.pool_n <= 18
        assert region.partners_n >= region.municipalities_n
        pupils = School.objects.filter(region=region).aggregate(total=Sum("pupil_count"))["total"]
        assert 150 <= pupils / region.schools_n <= 320  # 250,000 pupils over 1,000 schools
        assert Zone.objects.filter(region=region).count() >= 2
        assert ZoneMembership.objects.filter(zone__region=region).count() == region.municipalities_n
        schools = School.objects.filter(region=region)
        assert (
            ContactPoint.objects.filter(school__in=schools, organisation__type=PartnerType.CLB)
            .values("school")
            .distinct()
            .count()
            == region.schools_n
        )
        for member in PoolMember.objects.filter(region=region).prefetch_related("schools"):
            assert Decimal("0.05") <= member.fte <= Decimal("1.00")
            assert {s.region_id for s in member.schools.all()} == {region.pk}
            assert member.user.memberships.filter(region=region, role=Role.BRUGFIGUUR).exists()
        assert Membership.objects.filter(region=region, role=Role.COORDINATOR).count() == 1
    assert "generated regions" in output or "gegenereerde regio" in output


def test_flanders_run_is_idempotent_and_extends_region_by_region(db):
    run_demo("--scale", "flanders", "--regions", "1", "--casework-scale", "0")
    first = Region.objects.get(slug__startswith=flanders.SLUG_PREFIX)
    first_schools = set(School.objects.filter(region=first).values_list("name", flat=True))
    before = counts()
    run_demo("--scale", "flanders", "--regions", "1", "--casework-scale", "0")
    assert counts() == before
    run_demo("--scale", "flanders", "--regions", "2", "--casework-scale", "0")
    assert Region.objects.filter(slug__startswith=flanders.SLUG_PREFIX).count() == 2
    assert set(School.objects.filter(region=first).values_list("name", flat=True)) == first_schools
    assert User.objects.filter(username__startswith=first.slug).count() == before["accounts.User"] - len(
        W13_LOGINS | OOST_LOGINS
    )


def test_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run_demo()
    assert not Region.objects.exists()


def test_regions_option_needs_the_flanders_scale(db):
    with pytest.raises(CommandError):
        run_demo("--regions", "2")
    with pytest.raises(CommandError):
        run_demo("--scale", "flanders", "--regions", "-1")
