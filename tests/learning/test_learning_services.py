"""The learning services and selectors: what a session of each kind must hold, the anonymised case
question, the private coaching note kept out of the audit trail, the library and social map written
through the directory helper, the search, and the time each participant spent learning."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.core.timeuse import Pillar
from brugwerk.learning import selectors, services
from brugwerk.learning.models import DEFAULT_LEARNING_THEMES, LearningKind, LearningSession, LearningTheme
from brugwerk.vocabularies import services as lists
from tests import factories as f
from tests.records.learning import make_entry, make_item, make_session, make_theme

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def third(world):
    """A third bridge figure of region A's pool."""
    user = f.user_with_role(Role.BRUGFIGUUR, world.region, username="bf3", first_name="Derde")
    f.PoolMemberFactory(region=world.region, user=user, home_base=world.municipality)
    return user


def intervision_values(world, **extra):
    return {
        "date": TODAY - datetime.timedelta(days=1),
        "duration_minutes": 120,
        "participants": [world.brugfiguur, world.brugfiguur2],
        "case_question": "Een jongere van veertien zorgt thuis voor de kleine broers; huiswerk lukt niet.",
        "learned": "Samen met het CLB kijken naar opvang na school.",
    } | extra


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Sessions -------------------------------------------------------------------------------------


def test_an_intervision_is_recorded_with_its_participants_and_an_audit_entry(world):
    theme = make_theme(world.region)
    session = services.session_create(
        actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
        values=intervision_values(world, themes=[theme]),
    )
    assert session.recorded_by == world.brugfiguur
    assert set(session.participants.all()) == {world.brugfiguur, world.brugfiguur2}
    assert list(session.themes.all()) == [theme]
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="learning.learningsession")
    assert entry.region_id == world.region.pk
    assert entry.changes["participants"] == sorted([world.brugfiguur.pk, world.brugfiguur2.pk])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"case_question": "  "}, "case_question"),
        ({"participants": []}, "participants"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"private_note": "Persoonlijk"}, "private_note"),
        ({"others_present": "CAW"}, "others_present"),  # not something an intervision holds
    ],
)
def test_an_intervision_without_what_it_needs_is_refused_and_nothing_is_written(world, extra, field):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
            values=intervision_values(world, **extra),
        )
    assert field in errors_of(excinfo)
    assert not LearningSession.objects.exists()


def test_an_intervision_needs_two_participants(world):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
            values=intervision_values(world, participants=[world.brugfiguur]),
        )
    assert "at least two" in errors_of(excinfo)["participants"][0]


def test_the_case_question_may_not_name_a_school_of_the_region(world):
    question = "Een leerling van het sint-amandscollege spijbelt."
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
            values=intervision_values(world, case_question=question),
        )
    assert "Sint-Amandscollege" in errors_of(excinfo)["case_question"][0]


def test_participants_come_from_the_regions_pool_only(world):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
            values=intervision_values(world, participants=[world.brugfiguur, world.foreign_brugfiguur]),
        )
    assert str(world.foreign_brugfiguur) in errors_of(excinfo)["participants"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.brugfiguur), region=world.region, kind=LearningKind.INTERVISION,
            values=intervision_values(world, participants=[world.brugfiguur, world.schoolcontact]),
        )
    assert "participants" in errors_of(excinfo)


def test_only_the_pool_records_sessions(world):
    for persona in ("schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"):
        with pytest.raises(PermissionDenied):
            services.session_create(
                actor=Actor(user=world.persona(persona)), region=world.region, kind=LearningKind.INTERVISION,
                values=intervision_values(world),
            )
    assert not LearningSession.objects.exists()


def test_a_coaching_is_with_one_bridge_figure_and_a_coach(world):
    actor = Actor(user=world.brugfiguur)
    base = {"date": TODAY, "duration_minutes": 60, "facilitator_name": "Hilde, externe coach"}
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=actor, region=world.region, kind=LearningKind.COACHING,
                                values=base | {"participants": [world.brugfiguur, world.brugfiguur2]})
    assert "participants" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=actor, region=world.region, kind=LearningKind.COACHING,
                                values=base | {"participants": [world.brugfiguur], "facilitator_name": ""})
    assert "facilitator" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=actor, region=world.region, kind=LearningKind.COACHING,
                                values=base | {"participants": [world.brugfiguur], "facilitator": world.coordinator})
    assert "facilitator_name" in errors_of(excinfo)  # both a coach from the list and one from outside
    session = services.session_create(
        actor=actor, region=world.region, kind=LearningKind.COACHING,
        values=base | {"participants": [world.brugfiguur], "private_note": "Ik wil leren neen zeggen."},
    )
    assert session.private_note == "Ik wil leren neen zeggen."


def test_the_private_coaching_note_stays_out_of_the_audit_trail(world):
    session = services.session_create(
        actor=Actor(user=world.coordinator), region=world.region, kind=LearningKind.COACHING,
        values={"date": TODAY, "duration_minutes": 60, "participants": [world.brugfiguur],
                "facilitator": world.coordinator, "private_note": "Geheim: twijfelt aan de job."},
    )
    services.session_update(actor=Actor(user=world.brugfiguur), session=session,
                            values={"private_note": "Geheim, bijgewerkt."})
    entries = AuditEntry.objects.filter(subject_type="learning.learningsession").order_by("seq")
    assert [e.event for e in entries] == [AuditEvent.CREATE, AuditEvent.UPDATE]
    assert all("Geheim" not in str(e.changes) for e in entries)
    assert entries[0].changes["has_private_note"] is True
    assert entries[1].changes["private_note"] == {"changed": True}


def test_only_the_coached_and_the_coach_write_the_private_note(world):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=Actor(user=world.coordinator), region=world.region, kind=LearningKind.COACHING,
            values={"date": TODAY, "duration_minutes": 60, "participants": [world.brugfiguur],
                    "facilitator_name": "Externe coach", "private_note": "Door de coördinator"},
        )
    assert "private_note" in errors_of(excinfo)
    session = make_session(world.region, recorded_by=world.coordinator, participants=[world.brugfiguur],
                           kind=LearningKind.COACHING, facilitator_name="Externe coach")
    with pytest.raises(ValidationError):
        services.session_update(actor=Actor(user=world.coordinator), session=session,
                                values={"private_note": "Toch iets"})
    session.refresh_from_db()
    assert session.private_note == ""


def test_with_a_private_note_the_people_of_a_coaching_cannot_change(world):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur],
                           kind=LearningKind.COACHING, facilitator_name="Coach", private_note="Persoonlijk")
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(actor=Actor(user=world.coordinator), session=session,
                                values={"participants": [world.brugfiguur2]})
    assert "private note" in errors_of(excinfo)["participants"][0]
    assert list(session.participants.all()) == [world.brugfiguur]


def test_a_learning_network_meeting_needs_its_name(world):
    values = {"date": TODAY, "duration_minutes": 180, "participants": [world.brugfiguur],
              "others_present": "Brugfiguren van Brugge"}
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                kind=LearningKind.LEARNING_NETWORK, values=values)
    assert "title" in errors_of(excinfo)
    session = services.session_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                      kind=LearningKind.LEARNING_NETWORK, values=values | {"title": "Lerend netwerk"})
    assert session.others_present == "Brugfiguren van Brugge"


def test_a_session_is_changed_by_its_recorder_and_the_coordinator_not_by_a_participant(world, third):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur, third])
    services.session_update(actor=Actor(user=world.brugfiguur), session=session, values={"learned": "Iets nieuws"})
    services.session_update(actor=Actor(user=world.coordinator), session=session,
                            values={"participants": [world.brugfiguur, third, world.brugfiguur2]})
    with pytest.raises(PermissionDenied):
        services.session_update(actor=Actor(user=third), session=session, values={"learned": "Van mij"})
    session.refresh_from_db()
    assert session.learned == "Iets nieuws" and session.participants.count() == 3
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_id=str(session.pk)).count() == 2


# --- Themes, library, social map ------------------------------------------------------------------


def test_default_themes_are_given_once(world):
    lists.terms_ensure_defaults(model=LearningTheme, region=world.region)
    lists.terms_ensure_defaults(model=LearningTheme, region=world.region)
    assert list(LearningTheme.objects.filter(region=world.region).values_list("name", flat=True)) == list(
        DEFAULT_LEARNING_THEMES
    )


def test_a_theme_name_is_unique_in_its_region(world):
    make_theme(world.region, "schoolverzuim")
    with pytest.raises(ValidationError):
        lists.term_create(actor=Actor(user=world.coordinator), model=LearningTheme, region=world.region,
                          values={"name": "schoolverzuim", "position": 1, "active": True})
    with pytest.raises(PermissionDenied):
        lists.term_create(actor=Actor(user=world.brugfiguur), model=LearningTheme, region=world.region,
                          values={"name": "nieuw", "position": 1, "active": True})


def test_a_library_item_records_its_author_and_refuses_another_regions_theme(world):
    foreign_theme = make_theme(world.other_region, "elders")
    values = {"kind": "method", "title": "Netwerkkaart", "summary": "Breng het netwerk van het gezin in kaart."}
    with pytest.raises(ValidationError) as excinfo:
        services.library_item_create(actor=Actor(user=world.brugfiguur), region=world.region,
                                     values=values | {"themes": [foreign_theme]})
    assert "themes" in errors_of(excinfo)
    item = services.library_item_create(actor=Actor(user=world.brugfiguur), region=world.region, values=values)
    assert item.author == world.brugfiguur
    with pytest.raises(PermissionDenied):
        services.library_item_update(actor=Actor(user=world.partner), item=item, values={"title": "Van de partner"})


def test_a_social_map_entry_needs_a_way_to_reach_it_and_a_municipality_of_the_region(world):
    values = {"service_name": "Voedselbank", "offers": "Voedselpakketten", "for_whom": "Gezinnen"}
    with pytest.raises(ValidationError) as excinfo:
        services.social_map_entry_create(actor=Actor(user=world.brugfiguur), region=world.region, values=values)
    assert "phone" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.social_map_entry_create(
            actor=Actor(user=world.brugfiguur), region=world.region,
            values=values | {"phone": "056 00 00 00", "municipality": world.foreign_school.municipality},
        )
    assert "municipality" in errors_of(excinfo)
    entry = services.social_map_entry_create(actor=Actor(user=world.coordinator), region=world.region,
                                             values=values | {"website": "https://voedselbank.example"})
    assert entry.added_by == world.coordinator
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="learning.socialmapentry").count() == 1


def test_social_map_search_by_municipality_includes_region_wide_services_and_searches_every_word(world):
    other = f.MunicipalityFactory(region=world.region, name="Menen")
    make_entry(world.region, "Huiswerkklas Kortrijk", municipality=world.municipality)
    make_entry(world.region, "Huiswerkklas Menen", municipality=other)
    make_entry(world.region, "Awel", municipality=None, offers="Luisterlijn voor kinderen en jongeren")
    make_entry(world.other_region, "Huiswerkklas Elders")
    found = selectors.social_map_for(user=world.schoolcontact, region=world.region, municipality=world.municipality)
    assert {e.service_name for e in found} == {"Huiswerkklas Kortrijk", "Awel"}
    found = selectors.social_map_for(user=world.partner, region=world.region, query="huiswerk menen")
    assert [e.service_name for e in found] == ["Huiswerkklas Menen"]
    found = selectors.social_map_for(user=world.partner, region=world.region, query="luisterlijn")
    assert [e.service_name for e in found] == ["Awel"]


def test_library_search_looks_in_title_summary_and_description(world):
    theme = make_theme(world.region)
    make_item(world.region, "Oudercafé", body="Koffie en een babbel aan de schoolpoort.").themes.add(theme)
    make_item(world.region, "Netwerkkaart", summary="Het netwerk van een gezin tekenen.", kind="tool")
    assert [i.title for i in selectors.library_items_for(user=world.beleid, region=world.region, query="koffie")] == [
        "Oudercafé"
    ]
    assert [i.title for i in selectors.library_items_for(user=world.beleid, region=world.region, kind="tool")] == [
        "Netwerkkaart"
    ]
    assert [i.title for i in selectors.library_items_for(user=world.beleid, region=world.region, theme=theme)] == [
        "Oudercafé"
    ]


# --- Time -----------------------------------------------------------------------------------------


def test_time_spent_sums_each_participants_minutes_per_kind_in_the_database(world, third, django_assert_num_queries):
    a, b = world.brugfiguur, world.brugfiguur2
    make_session(world.region, recorded_by=a, participants=[a, b, third], duration_minutes=120, days_ago=3)
    make_session(world.region, recorded_by=b, participants=[a, b], duration_minutes=90, days_ago=10)
    make_session(world.region, recorded_by=a, participants=[a], kind=LearningKind.COACHING, duration_minutes=60,
                 facilitator_name="Coach", days_ago=5)
    make_session(world.region, recorded_by=a, participants=[a, b], duration_minutes=499, days_ago=400)
    start, end = TODAY - datetime.timedelta(days=30), TODAY
    with django_assert_num_queries(2):  # the user's roles, then one aggregate
        rows = selectors.time_spent(user=world.coordinator, region=world.region, start=start, end=end)
    got = {(r.kind, r.person_id): (r.minutes, r.activities) for r in rows}
    assert got == {
        ("intervision", a.pk): (210, 2),
        ("intervision", b.pk): (210, 2),
        ("intervision", third.pk): (120, 1),
        ("individual coaching", a.pk): (60, 1),
    }
    assert {r.pillar for r in rows} == {Pillar.LEARNING} and {r.school_id for r in rows} == {None}


def test_time_spent_shows_a_bridge_figure_only_the_sessions_they_see(world, third):
    make_session(world.region, recorded_by=world.brugfiguur2, participants=[world.brugfiguur2, third])
    make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur, third])
    start, end = TODAY - datetime.timedelta(days=30), TODAY
    rows = selectors.time_spent(user=world.brugfiguur, region=world.region, start=start, end=end)
    assert {r.person_id for r in rows} == {world.brugfiguur.pk, third.pk}
    # Policy makers count the whole region's time (sums only), like the coordinator.
    region_wide = selectors.time_spent(user=world.coordinator, region=world.region, start=start, end=end)
    assert {r.person_id for r in region_wide} == {world.brugfiguur.pk, world.brugfiguur2.pk, third.pk}
    assert selectors.time_spent(user=world.beleid, region=world.region, start=start, end=end) == region_wide
    assert selectors.time_spent(user=world.foreign_coordinator, region=world.region, start=start, end=end) == []


def test_recent_sessions_are_the_users_latest_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    for days in (30, 2, 10, 5):
        make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur, world.brugfiguur2],
                     days_ago=days, title=f"{days} dagen")
    make_session(world.region, recorded_by=world.brugfiguur2, participants=[world.brugfiguur2], title="Niet van mij",
                 kind=LearningKind.COACHING, facilitator_name="Coach")
    with django_assert_num_queries(4):  # roles, sessions, their participants, their themes
        recent = selectors.recent_sessions(user=world.brugfiguur, region=world.region)
    assert [s.title for s in recent] == ["2 dagen", "5 dagen", "10 dagen"]
    assert selectors.recent_sessions(user=world.partner, region=world.region) == []
