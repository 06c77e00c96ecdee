"""The named permissions as a matrix: every persona × every permission, in the persona's own region
and in the other one, written out by hand (never computed from the apps' rules.py). And the menu per
role, which must be what it was when home kept its own table of roles.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory, override_settings

import tests.conftest
from brugwerk.access import featured, may, regions_where, where
from brugwerk.access.registry import PERMISSIONS
from brugwerk.cooperation.models import NetworkMeeting
from brugwerk.home.context_processors import MENU, navigation
from brugwerk.regions.models import School
from tests import factories as f
from tests.conftest import PERSONAS

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# What a role may in a region where it holds that role: Y yes · M yes, and the page is in the main
# bar of its menu · — no. In any other region: always —.
COLUMNS = ("brugfiguur", "coordinator", "schoolcontact", "partner", "beleid", "beheerder")
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # permission                              brugfiguur coordinator schoolcontact partner beleid beheerder
    "home.view_start":                         ("M",      "M",        "M",          "M",    "M",   "M"),
    "home.start_as_brugfiguur":                ("Y",      "—",        "—",          "—",    "—",   "—"),
    "home.start_as_coordinator":               ("—",      "Y",        "—",          "—",    "—",   "—"),
    "home.start_as_schoolcontact":             ("—",      "—",        "Y",          "—",    "—",   "—"),
    "home.start_as_partner":                   ("—",      "—",        "—",          "Y",    "—",   "—"),
    "home.start_as_beleid":                    ("—",      "—",        "—",          "—",    "Y",   "—"),
    "home.start_as_beheerder":                 ("—",      "—",        "—",          "—",    "—",   "Y"),
    "cases.view_cases":                        ("M",      "M",        "—",          "—",    "—",   "—"),
    "agenda.view_agenda":                       ("M",      "Y",        "—",          "—",    "—",   "—"),
    "cases.view_referrals":                    ("M",      "M",        "M",          "M",    "—",   "—"),
    "cases.view_waiting_list":                 ("Y",      "M",        "—",          "—",    "—",   "—"),
    "cases.triage_referrals":                  ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "cases.view_caseload":                     ("—",      "M",        "—",          "—",    "—",   "—"),
    "cases.view_figures":                      ("—",      "Y",        "—",          "—",    "Y",   "—"),
    "cases.view_low_threshold_contacts":       ("Y",      "—",        "—",          "—",    "—",   "—"),
    "cases.record_contacts":                   ("Y",      "—",        "—",          "—",    "—",   "—"),
    "cases.guide_cases":                       ("Y",      "—",        "—",          "—",    "—",   "—"),
    "agenda.keep_calendar_feed":                ("Y",      "—",        "—",          "—",    "—",   "—"),
    "cases.view_partner_inbox":                ("—",      "—",        "—",          "M",    "—",   "—"),
    "timeuse.view_overview":                   ("Y",      "Y",        "—",          "—",    "M",   "—"),
    "expertise.list_activities":               ("Y",      "Y",        "Y",          "—",    "—",   "—"),
    "expertise.view_figures":                  ("Y",      "Y",        "—",          "—",    "Y",   "—"),
    "expertise.figures_in_menu":               ("—",      "—",        "—",          "—",    "Y",   "—"),
    "expertise.record_for_others":             ("—",      "Y",        "—",          "—",    "—",   "—"),
    "groups.view_offerings":                   ("Y",      "Y",        "Y",          "Y",    "—",   "—"),
    "groups.view_counts_in_full":              ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "groups.view_figures":                     ("—",      "Y",        "—",          "—",    "Y",   "—"),
    "groups.figures_in_menu":                  ("—",      "—",        "—",          "—",    "Y",   "—"),
    "signals.view_signals":                    ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "signals.answer_signals":                  ("—",      "—",        "Y",          "—",    "M",   "—"),
    "cooperation.view_meetings":               ("Y",      "Y",        "Y",          "Y",    "Y",   "—"),
    "cooperation.view_actions":                ("Y",      "Y",        "Y",          "Y",    "—",   "—"),
    "cooperation.view_agreements":             ("Y",      "Y",        "Y",          "—",    "Y",   "—"),
    "cooperation.read_meeting_notes":          ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "cooperation.own_actions":                 ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "cooperation.record_meetings_of_others":   ("—",      "Y",        "—",          "—",    "—",   "—"),
    "learning.view_sessions":                  ("Y",      "Y",        "—",          "—",    "—",   "—"),
    "learning.coordinate_sessions":            ("—",      "Y",        "—",          "—",    "—",   "—"),
    "learning.view_social_map":                ("M",      "Y",        "M",          "M",    "Y",   "Y"),
    "learning.view_library":                   ("Y",      "Y",        "Y",          "Y",    "Y",   "Y"),
    "network.find_contact":                    ("M",      "M",        "M",          "M",    "Y",   "Y"),
    "network.view_organisations":              ("Y",      "Y",        "Y",          "Y",    "Y",   "M"),
    "regions.view_schools":                    ("Y",      "Y",        "Y",          "Y",    "M",   "M"),
    "regions.view_overview":                   ("Y",      "Y",        "Y",          "Y",    "M",   "M"),
    "pool.view_members":                       ("Y",      "Y",        "Y",          "Y",    "Y",   "M"),
    "accounts.manage_users":                   ("—",      "Y",        "—",          "—",    "—",   "M"),
    "audit.view_trail":                        ("—",      "Y",        "—",          "—",    "—",   "M"),
    "accounts.view_my_account":                ("Y",      "Y",        "Y",          "Y",    "Y",   "Y"),
    "accounts.handle_personal_data":           ("Y",      "Y",        "Y",          "Y",    "—",   "Y"),
}  # fmt: skip
# Asked of one record, not of a region: tested below on their records.
OF_A_RECORD = {"expertise.view_school_activities", "learning.read_coaching_note"}

ROLE_OF_PERSONA = {
    "brugfiguur": "brugfiguur", "brugfiguur2": "brugfiguur", "coordinator": "coordinator",
    "schoolcontact": "schoolcontact", "partner": "partner", "beleid": "beleid", "beheerder": "beheerder",
    "foreign_coordinator": "coordinator", "foreign_brugfiguur": "brugfiguur",
}
FOREIGN = {"foreign_coordinator", "foreign_brugfiguur"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield tests.conftest.build_world()
        transaction.set_rollback(True)


def _cell(persona: str, name: str, where_: str) -> str:
    own_region = "other" if persona in FOREIGN else "own"
    if where_ != own_region:
        return "—"
    return EXPECTED[name][COLUMNS.index(ROLE_OF_PERSONA[persona])]


def _region(world, persona: str, where_: str):
    return world.region if where_ == "own" else world.other_region


def test_every_permission_is_in_the_table():
    assert set(EXPECTED) | OF_A_RECORD == set(PERMISSIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("where_", ["own", "other"])
@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_cell(world, persona, name, where_):
    user = world.persona(persona)
    region = _region(world, persona, where_)
    want = _cell(persona, name, where_)
    got = {"may": may(user, name, region=region), "main": featured(user, name, region=region),
           "by id": may(user, name, region=region.pk)}
    assert got == {"may": want != "—", "main": want == "M", "by id": want != "—"}, (persona, name, where_)
    assert (region.pk in regions_where(user, name)) == (want != "—")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PERMISSIONS))
def test_nobody_anonymous_or_without_region_holds_a_permission(world, name):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), name, region=world.region)
    assert not may(world.coordinator, name)  # no region, no record: refused
    assert not regions_where(AnonymousUser(), name)


def test_an_unknown_permission_fails_loudly_for_everyone():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(LookupError):
        may(AnonymousUser(), "cases.view_everything", region=1)


@pytest.mark.django_db
def test_inactive_and_revoked_grant_no_permission(world):
    user = f.user_with_role("coordinator", world.region, username="leaving")
    assert may(user, "cases.view_caseload", region=world.region)
    user.is_active = False
    assert not may(user, "cases.view_caseload", region=world.region)


@pytest.mark.django_db
def test_school_activities_are_asked_of_the_school(world):
    name = "expertise.view_school_activities"
    assert may(world.schoolcontact, name, obj=world.school)
    assert not may(world.schoolcontact, name, obj=world.other_school)
    assert not may(world.schoolcontact, name, obj=world.foreign_school)
    for persona in ("brugfiguur", "coordinator"):
        assert may(world.persona(persona), name, obj=world.other_school)
        assert not may(world.persona(persona), name, obj=world.foreign_school)
    for persona in ("partner", "beleid", "beheerder", "foreign_coordinator"):
        assert not may(world.persona(persona), name, obj=world.school)


@pytest.mark.django_db
def test_permissions_as_filters_agree_with_may(world):
    """`where` gives the records of the regions (or schools) where `may` says yes."""
    for persona in PERSONAS:
        user = world.persona(persona)
        schools = set(School.objects.filter(where(user, "cooperation.view_agreements")))
        assert schools == {s for s in School.objects.all() if may(user, "cooperation.view_agreements", obj=s)}
        readable = NetworkMeeting.objects.filter(where(user, "cooperation.read_meeting_notes"))
        assert not readable.exclude(region_id__in=regions_where(user, "cooperation.read_meeting_notes")).exists()


# --- The menu -------------------------------------------------------------------------------------
# The menu as home's own table of roles gave it before the permissions (url name: roles that see
# it, roles that see it in the main bar).
ALL = set(COLUMNS)
CASEWORKERS = {"coordinator", "brugfiguur"}
MANAGERS = {"coordinator", "beheerder"}
REFERRERS = {"coordinator", "brugfiguur", "schoolcontact", "partner"}
MENU_BEFORE = {
    "home:start": (ALL, ALL),
    "cases:case_list": (CASEWORKERS, CASEWORKERS),
    "agenda:agenda": (CASEWORKERS, {"brugfiguur"}),
    "cases:referral_list": (REFERRERS, REFERRERS),
    "cases:waiting_list": (CASEWORKERS, {"coordinator"}),
    "cases:caseload": ({"coordinator"}, {"coordinator"}),
    "timeuse:overview": ({"coordinator", "brugfiguur", "beleid"}, {"beleid"}),
    "cases:low_threshold_list": ({"brugfiguur"}, set()),
    "cases:partner_inbox": ({"partner"}, {"partner"}),
    "expertise:activity_list": ({"brugfiguur", "coordinator", "schoolcontact"}, set()),
    "expertise:figures": ({"beleid"}, set()),
    "groups:offering_list": ({"brugfiguur", "coordinator", "schoolcontact", "partner"}, set()),
    "groups:figures": ({"beleid"}, set()),
    "signals:signal_list": (CASEWORKERS, set()),
    "signals:policy_list": ({"beleid", "schoolcontact"}, {"beleid"}),
    "cooperation:meeting_list": ({"brugfiguur", "coordinator", "schoolcontact", "partner", "beleid"}, set()),
    "cooperation:action_list": ({"brugfiguur", "coordinator", "schoolcontact", "partner"}, set()),
    "cooperation:agreement_overview": ({"brugfiguur", "coordinator", "schoolcontact", "beleid"}, set()),
    "learning:session_list": (CASEWORKERS, set()),
    "learning:social_map_list": (ALL, {"brugfiguur", "schoolcontact", "partner"}),
    "learning:library_list": (ALL, set()),
    "network:contact_finder": (ALL, ALL - {"beheerder", "beleid"}),
    "regions:school_list": (ALL, {"beleid", "beheerder"}),
    "network:organisation_list": (ALL, {"beheerder"}),
    "pool:member_list": (ALL, {"beheerder"}),
    "regions:overview": (ALL, {"beleid", "beheerder"}),
    "accounts:user_list": (MANAGERS, {"beheerder"}),
    "audit:entry_list": (MANAGERS, {"beheerder"}),
    "accounts:my_account": (ALL, set()),
}


def test_every_menu_entry_names_a_registered_permission():
    assert [name for name, _label, _permission in MENU] == list(MENU_BEFORE)
    assert {permission for _name, _label, permission in MENU} <= set(PERMISSIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_of_each_role_is_what_it_was(world, persona):
    from django.urls import reverse

    user = world.persona(persona)
    user.is_verified = lambda: True
    request = RequestFactory().get("/")
    request.user, request.session = user, {}
    context = navigation(request)
    role = ROLE_OF_PERSONA[persona]
    want_main = [reverse(n) for n, (seen, main) in MENU_BEFORE.items() if role in seen and role in main]
    want_more = [reverse(n) for n, (seen, main) in MENU_BEFORE.items() if role in seen and role not in main]
    assert [item["url"] for item in context["nav_items"]] == want_main
    assert [item["url"] for item in context["nav_more"]] == want_more
