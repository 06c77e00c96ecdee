"""Signals to policy, the domain layer: who sees and does what beyond the matrix (the personal links:
author, backer, a case's team, the school contact's school, beleid from "passed on"), what the
services refuse, what they record in the audit trail, and the time spent on signals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from brugwerk.access import Action, can, scope
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case
from brugwerk.core.timeuse import Pillar
from brugwerk.signals import selectors, services
from brugwerk.signals.models import (
    DEFAULT_SIGNAL_THEMES,
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
    SignalTheme,
)
from brugwerk.vocabularies import selectors as list_selectors
from brugwerk.vocabularies import services as lists
from tests import factories_cases as fc
from tests.records.signals import signal_of, theme_of


@pytest.fixture(autouse=True)
def _labels_in_english():
    """Kinds are translated labels; these tests compare them in English."""
    with translation.override("en"):
        yield

TODAY = timezone.localdate()


def actor(user):
    return Actor(user=user)


def values(world, **extra):
    return {"theme": theme_of(world.region), "title": "Geen bus naar school", "description": "Te weinig bussen.",
            "level": SignalLevel.REGION} | extra


def case_led_by(world, lead, region=None):
    region = region or world.region
    return fc.CaseFactory(region=region, young_person=fc.YoungPersonFactory(region=region), lead=lead)


# --- Creating and changing a signal ----------------------------------------------------------------


def test_a_brugfiguur_records_a_signal_starts_its_history_and_backs_it(world):
    signal = services.signal_create(actor=actor(world.brugfiguur), region=world.region, values=values(world))
    assert signal.status == SignalStatus.RECORDED and signal.created_by == world.brugfiguur
    assert signal.recorded_on == TODAY
    assert list(signal.backings.values_list("brugfiguur", flat=True)) == [world.brugfiguur.pk]
    change = signal.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", SignalStatus.RECORDED, world.brugfiguur)
    created = set(AuditEntry.objects.filter(event=AuditEvent.CREATE).values_list("subject_type", flat=True))
    assert {"signals.signal", "signals.signalstatuschange", "signals.signalbacking"} <= created


def test_a_coordinator_records_a_signal_for_the_pool_without_backing_it(world):
    signal = services.signal_create(actor=actor(world.coordinator), region=world.region, values=values(world))
    assert not signal.backings.exists()


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder", "foreign_brugfiguur"])
def test_only_the_pool_of_the_region_records_signals(world, persona):
    with pytest.raises(PermissionDenied):
        services.signal_create(actor=actor(world.persona(persona)), region=world.region, values=values(world))
    assert not Signal.objects.exists()


def test_the_level_needs_its_place_and_other_places_are_cleared(world):
    with pytest.raises(ValidationError) as error:
        services.signal_create(actor=actor(world.brugfiguur), region=world.region,
                               values=values(world, level=SignalLevel.SCHOOL))
    assert "school" in error.value.error_dict
    signal = services.signal_create(
        actor=actor(world.brugfiguur), region=world.region,
        values=values(world, level=SignalLevel.MUNICIPALITY, municipality=world.municipality, school=world.school),
    )
    assert signal.municipality == world.municipality and signal.school is None


def test_a_signal_never_points_to_another_regions_school_or_theme(world):
    foreign_theme = theme_of(world.other_region)
    with pytest.raises(ValidationError) as error:
        services.signal_create(
            actor=actor(world.brugfiguur), region=world.region,
            values=values(world, theme=foreign_theme, level=SignalLevel.SCHOOL, school=world.foreign_school),
        )
    assert {"theme", "school"} <= set(error.value.error_dict)
    assert not Signal.objects.exists()


def test_a_theme_out_of_use_is_refused_for_a_new_signal(world):
    theme = theme_of(world.region, "oud thema")
    theme.active = False
    theme.save()
    with pytest.raises(ValidationError):
        services.signal_create(actor=actor(world.brugfiguur), region=world.region, values=values(world, theme=theme))


def test_the_author_changes_their_signal_until_it_is_passed_on_the_coordinator_always(world):
    signal = signal_of(world.region, world.brugfiguur)
    services.signal_update(actor=actor(world.brugfiguur), signal=signal, values={"title": "Nieuwe titel"})
    assert Signal.objects.get().title == "Nieuwe titel"
    with pytest.raises(PermissionDenied):
        services.signal_update(actor=actor(world.brugfiguur2), signal=signal, values={"title": "Overgenomen"})
    Signal.objects.update(status=SignalStatus.PASSED_ON, passed_on_on=TODAY)
    signal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.signal_update(actor=actor(world.brugfiguur), signal=signal, values={"title": "Te laat"})
    services.signal_update(actor=actor(world.coordinator), signal=signal, values={"title": "Door coördinator"})
    assert Signal.objects.get().title == "Door coördinator"
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="signals.signal").count() == 2


# --- Backing ---------------------------------------------------------------------------------------


def test_a_second_brugfiguur_backs_a_signal_once_and_can_withdraw(world):
    signal = signal_of(world.region, world.brugfiguur)
    backing = services.signal_back(actor=actor(world.brugfiguur2), signal=signal, note="Zie ik ook in Menen.")
    assert backing.brugfiguur == world.brugfiguur2 and backing.backed_on == TODAY
    with pytest.raises(ValidationError):
        services.signal_back(actor=actor(world.brugfiguur2), signal=signal)
    assert not can(world.brugfiguur, Action.DELETE, backing)  # somebody else's backing
    services.signal_backing_withdraw(actor=actor(world.brugfiguur2), backing=backing)
    assert not SignalBacking.objects.filter(brugfiguur=world.brugfiguur2).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DELETE, subject_type="signals.signalbacking").exists()


@pytest.mark.parametrize("persona", ["coordinator", "beleid", "schoolcontact", "foreign_brugfiguur"])
def test_only_brugfiguren_of_the_region_back_signals(world, persona):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    with pytest.raises(PermissionDenied):
        services.signal_back(actor=actor(world.persona(persona)), signal=signal)


def test_a_closed_signal_takes_no_backing_or_evidence(world):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.signal_back(actor=actor(world.brugfiguur2), signal=signal)
    with pytest.raises(ValidationError):
        services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal,
                                     case=case_led_by(world, world.brugfiguur))


# --- Evidence --------------------------------------------------------------------------------------


def test_evidence_comes_from_cases_the_user_sees_and_counts_once(world):
    signal = signal_of(world.region, world.brugfiguur)
    own, colleagues = case_led_by(world, world.brugfiguur), case_led_by(world, world.brugfiguur2)
    services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal, case=own)
    with pytest.raises(ValidationError):
        services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal, case=own)
    with pytest.raises(PermissionDenied):
        services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal, case=colleagues)
    services.signal_evidence_add(actor=actor(world.brugfiguur2), signal=signal, case=colleagues)
    assert selectors.signal_get(user=world.brugfiguur, pk=signal.pk).evidence_count == 2


def test_evidence_from_another_regions_case_is_refused(world):
    signal = signal_of(world.region, world.brugfiguur)
    foreign = case_led_by(world, world.foreign_brugfiguur, region=world.other_region)
    for user in (world.coordinator, world.foreign_brugfiguur):
        with pytest.raises(PermissionDenied):
            services.signal_evidence_add(actor=actor(user), signal=signal, case=foreign)
    assert not SignalEvidence.objects.exists()


def test_only_the_cases_team_sees_which_case_is_evidence_everyone_else_the_count(world):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON, level=SignalLevel.SCHOOL,
                       school=world.school)
    case = case_led_by(world, world.brugfiguur)
    evidence = services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal, case=case)
    assert list(scope(world.brugfiguur, SignalEvidence)) == [evidence]
    assert list(scope(world.coordinator, SignalEvidence)) == [evidence]
    for persona in ("brugfiguur2", "beleid", "schoolcontact"):
        user = world.persona(persona)
        assert not scope(user, SignalEvidence).exists()
        found = selectors.signal_get(user=user, pk=signal.pk)
        assert found.evidence_count == 1 and found.my_evidence == []
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_type="signals.signalevidence")
    assert case.young_person.last_name not in entry.subject_label


def test_the_one_who_added_evidence_or_the_coordinator_removes_it(world):
    signal = signal_of(world.region, world.brugfiguur)
    evidence = services.signal_evidence_add(actor=actor(world.brugfiguur), signal=signal,
                                            case=case_led_by(world, world.brugfiguur))
    with pytest.raises(PermissionDenied):
        services.signal_evidence_remove(actor=actor(world.brugfiguur2), evidence=evidence)
    services.signal_evidence_remove(actor=actor(world.coordinator), evidence=evidence)
    assert not SignalEvidence.objects.exists()


# --- Status and responses --------------------------------------------------------------------------


def test_the_coordinator_moves_the_status_with_a_dated_history(world):
    signal = signal_of(world.region, world.brugfiguur)
    day = TODAY - datetime.timedelta(days=2)
    services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=SignalStatus.DISCUSSED,
                                  note="Besproken op de teamvergadering.", changed_on=TODAY, minutes=20)
    with pytest.raises(ValidationError):  # before the signal was recorded
        services.signal_status_change(actor=actor(world.coordinator), signal=signal,
                                      to_status=SignalStatus.PASSED_ON, changed_on=day)
    services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=SignalStatus.PASSED_ON)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.PASSED_ON and signal.passed_on_on == TODAY
    history = list(signal.status_changes.order_by("pk").values_list("from_status", "to_status", "minutes"))
    assert history[1:] == [(SignalStatus.RECORDED, SignalStatus.DISCUSSED, 20),
                           (SignalStatus.DISCUSSED, SignalStatus.PASSED_ON, None)]


def test_going_back_a_step_needs_a_note_and_the_same_status_is_refused(world):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    for to_status, field in ((SignalStatus.PASSED_ON, "to_status"), (SignalStatus.DISCUSSED, "note"),
                             ("unknown", "to_status")):
        with pytest.raises(ValidationError) as error:
            services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=to_status)
        assert field in error.value.error_dict
    services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=SignalStatus.DISCUSSED,
                                  note="Eerst meer cijfers verzamelen.")


@pytest.mark.parametrize("persona", ["brugfiguur", "beleid", "schoolcontact", "foreign_coordinator"])
def test_only_the_coordinator_moves_the_status(world, persona):
    signal = signal_of(world.region, world.brugfiguur)
    with pytest.raises(PermissionDenied):
        services.signal_status_change(actor=actor(world.persona(persona)), signal=signal,
                                      to_status=SignalStatus.DISCUSSED)
    assert SignalStatusChange.objects.count() == 1


def test_an_answer_from_policy_moves_the_signal_to_answered_and_an_action_to_action_taken(world):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    answer = {"responder": "Stad Kortrijk", "received_on": TODAY, "kind": ResponseKind.ANSWER,
              "text": "We bekijken een goedkoper abonnement."}
    services.signal_response_add(actor=actor(world.beleid), signal=signal, values=answer)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ANSWERED
    services.signal_response_add(actor=actor(world.coordinator), signal=signal,
                                 values=answer | {"kind": ResponseKind.ACTION_TAKEN, "text": "Abonnement -50%."})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ACTION_TAKEN
    assert [c.changed_by for c in signal.status_changes.order_by("pk")][1:] == [world.beleid, world.coordinator]


def test_no_answer_before_the_signal_is_passed_on_and_none_from_the_future(world):
    signal = signal_of(world.region, world.brugfiguur, status=SignalStatus.DISCUSSED)
    answer = {"responder": "Stad", "received_on": TODAY, "kind": ResponseKind.ANSWER, "text": "Ok."}
    with pytest.raises(PermissionDenied):  # beleid does not even see it yet
        services.signal_response_add(actor=actor(world.beleid), signal=signal, values=answer)
    with pytest.raises(ValidationError):
        services.signal_response_add(actor=actor(world.coordinator), signal=signal, values=answer)
    Signal.objects.update(status=SignalStatus.PASSED_ON, passed_on_on=TODAY)
    signal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.signal_response_add(actor=actor(world.beleid), signal=signal,
                                     values=answer | {"received_on": TODAY + datetime.timedelta(days=1), "text": ""})
    assert {"received_on", "text"} <= set(error.value.error_dict)
    assert not SignalResponse.objects.exists()


# --- Who sees what ---------------------------------------------------------------------------------


def test_beleid_sees_signals_from_passed_on_onward_only(world):
    made = {status: signal_of(world.region, world.brugfiguur, title=status, status=status)
            for status in SignalStatus.values if status != SignalStatus.CLOSED}
    made["closed"] = signal_of(world.region, world.brugfiguur, title="closed", status="closed", passed_on_on=TODAY)
    closed_early = signal_of(world.region, world.brugfiguur, title="nooit doorgegeven", status=SignalStatus.CLOSED,
                             passed_on_on=None)
    seen = set(selectors.signals_for(user=world.beleid, region=world.region))
    assert seen == {made[s] for s in ("passed_on", "answered", "action_taken", "closed")}
    assert closed_early not in seen
    assert len(selectors.signals_for(user=world.brugfiguur2, region=world.region)) == len(made) + 1


def test_beleid_sees_the_history_from_passed_on_only(world):
    signal = signal_of(world.region, world.brugfiguur)
    services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=SignalStatus.DISCUSSED,
                                  note="Intern: eerst nog navragen bij de scholen.")
    services.signal_status_change(actor=actor(world.coordinator), signal=signal, to_status=SignalStatus.PASSED_ON,
                                  note="Bezorgd aan de schepen van onderwijs.")
    history = selectors.signal_get(user=world.beleid, pk=signal.pk).history
    assert [c.to_status for c in history] == [SignalStatus.PASSED_ON]
    assert len(selectors.signal_get(user=world.brugfiguur2, pk=signal.pk).history) == 3


def test_a_school_contact_sees_school_level_signals_of_their_school_once_passed_on(world):
    mine = signal_of(world.region, world.brugfiguur, title="eigen school", status=SignalStatus.PASSED_ON,
                     level=SignalLevel.SCHOOL, school=world.school)
    signal_of(world.region, world.brugfiguur, title="andere school", status=SignalStatus.PASSED_ON,
              level=SignalLevel.SCHOOL, school=world.other_school)
    signal_of(world.region, world.brugfiguur, title="nog in de pool", level=SignalLevel.SCHOOL, school=world.school)
    signal_of(world.region, world.brugfiguur, title="gemeente", status=SignalStatus.PASSED_ON)
    assert list(selectors.signals_for(user=world.schoolcontact, region=world.region)) == [mine]
    assert can(world.schoolcontact, Action.CREATE, SignalResponse(signal=mine))


@pytest.mark.parametrize("persona", ["partner", "beheerder", "foreign_coordinator", "foreign_brugfiguur"])
def test_partners_administrators_and_other_regions_see_no_signal(world, persona):
    signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    user = world.persona(persona)
    for model in (Signal, SignalBacking, SignalStatusChange, SignalResponse):
        assert not scope(user, model).exists()


def test_beleid_can_never_open_a_case(world):
    fc.full_case(world)
    assert not scope(world.beleid, Case).exists()
    assert not can(world.beleid, Action.CREATE, Case, region=world.region)


# --- Themes ----------------------------------------------------------------------------------------


def test_the_default_themes_are_made_once_and_kept_by_the_coordinator(world):
    lists.terms_ensure_defaults(model=SignalTheme, region=world.region)
    lists.terms_ensure_defaults(model=SignalTheme, region=world.region)
    names = list(SignalTheme.objects.filter(region=world.region).values_list("name", flat=True))
    assert names == list(DEFAULT_SIGNAL_THEMES)
    theme = lists.term_create(actor=actor(world.coordinator), model=SignalTheme, region=world.region,
                              values={"name": "armoede", "position": 20})
    with pytest.raises(ValidationError):
        lists.term_create(actor=actor(world.coordinator), model=SignalTheme, region=world.region,
                          values={"name": "Armoede"})
    with pytest.raises(PermissionDenied):
        lists.term_update(actor=actor(world.brugfiguur), term=theme, values={"active": False})
    lists.term_update(actor=actor(world.coordinator), term=theme, values={"active": False})
    in_use = list_selectors.terms_in_use(user=world.brugfiguur, model=SignalTheme, region=world.region)
    assert list(in_use).count(theme) == 0


# --- Time and counts -------------------------------------------------------------------------------


def test_time_spent_sums_writing_and_discussions_per_kind_school_and_person(world):
    first = signal_of(world.region, world.brugfiguur, level=SignalLevel.SCHOOL, school=world.school, minutes=40)
    signal_of(world.region, world.brugfiguur, level=SignalLevel.SCHOOL, school=world.school, minutes=20)
    signal_of(world.region, world.brugfiguur2, minutes=None)
    for signal, minutes in ((first, 30), (Signal.objects.exclude(pk=first.pk).first(), 15)):
        services.signal_status_change(actor=actor(world.coordinator), signal=signal,
                                      to_status=SignalStatus.DISCUSSED, minutes=minutes)
    rows = selectors.time_spent(user=world.coordinator, region=world.region, start=TODAY, end=TODAY)
    by_kind = {(row.kind, row.school_id, row.person_id): (row.minutes, row.activities) for row in rows}
    assert by_kind[("writing up a signal", world.school.pk, world.brugfiguur.pk)] == (60, 2)
    discussed = [(m, n) for (kind, _s, person), (m, n) in by_kind.items() if person == world.coordinator.pk]
    assert sum(m for m, _n in discussed) == 45 and sum(n for _m, n in discussed) == 2
    assert all(row.pillar == Pillar.EXPERTISE for row in rows)
    yesterday = TODAY - datetime.timedelta(days=1)
    assert selectors.time_spent(user=world.coordinator, region=world.region, start=yesterday, end=yesterday) == []
    assert selectors.time_spent(user=world.foreign_coordinator, region=world.region, start=TODAY, end=TODAY) == []


def test_time_spent_is_an_empty_list_without_recorded_minutes(world):
    signal_of(world.region, world.brugfiguur)
    assert selectors.time_spent(user=world.coordinator, region=world.region, start=TODAY, end=TODAY) == []


def test_signal_counts_per_status_name_nobody(world):
    signal_of(world.region, world.brugfiguur, status=SignalStatus.PASSED_ON)
    signal_of(world.region, world.brugfiguur)
    counts = selectors.signal_counts(user=world.beleid, region=world.region)
    assert counts[SignalStatus.PASSED_ON] == 1 and counts[SignalStatus.RECORDED] == 0
    assert selectors.signal_counts(user=world.coordinator, region=world.region)[SignalStatus.RECORDED] == 1
