"""The network meeting pages: the list with its filters (each role sees the meetings it may), one
meeting with who attended, its notes for the pool only, its agreements and actions, and recording,
changing and deleting a meeting, its agreements and its actions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.cooperation.models import MeetingAction, MeetingAgreement, MeetingKind, NetworkMeeting
from brugwerk.pool.models import PoolMember
from tests import factories as f
from tests.conftest import client_for
from tests.records.cooperation import make_action, make_meeting

LIST = reverse("cooperation:meeting_list")
CREATE = reverse("cooperation:meeting_create")


@pytest.fixture(autouse=True)
def _english(settings):
    """English pages, so texts can be compared whatever the Dutch catalog says (the tests of Dutch
    errors switch to Dutch themselves)."""
    settings.LANGUAGE_CODE = "en"


def url(name: str, obj) -> str:
    return reverse(f"cooperation:{name}", args=[obj.pk])


@pytest.fixture
def meetings(world):
    """A meeting about the school contact's school with CAW (the partner's organisation), attended by
    brugfiguur; one at the other school without partners, attended by brugfiguur2."""
    ours = make_meeting(
        world.region, title="Overleg Sint-Amands", kind=MeetingKind.SCHOOL_CONSULTATION, school=world.school,
        attendees=[world.brugfiguur], organisations=[world.organisation], notes="Directie twijfelt nog.",
    )
    other = make_meeting(
        world.region, title="Stuurgroep W13", kind=MeetingKind.REGIONAL_STEERING, school=world.other_school,
        attendees=[world.brugfiguur2], date=timezone.localdate() - datetime.timedelta(days=40),
    )
    return ours, other


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


# --- The list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator", "beleid"])
def test_the_pool_and_policy_makers_see_every_meeting_of_the_region(world, meetings, persona):
    response = client_for(world.persona(persona)).get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Overleg Sint-Amands", "Stuurgroep W13"]


def test_a_school_contact_sees_the_meetings_about_or_with_their_school_only(world, meetings):
    ours, other = meetings
    with_school = make_meeting(world.region, title="Lokaal netwerk Kortrijk", schools=[world.school])
    response = client_for(world.schoolcontact).get(LIST)
    assert titles(response) == [with_school.title, ours.title] or titles(response) == [ours.title, with_school.title]
    assert "Stuurgroep W13" not in response.content.decode()


def test_a_partner_sees_the_meetings_their_organisation_attended_only(world, meetings):
    response = client_for(world.partner).get(LIST)
    assert titles(response) == ["Overleg Sint-Amands"]


def test_the_list_does_not_exist_for_the_administrator(world, meetings):
    assert client_for(world.beheerder).get(LIST).status_code == 404


def test_another_regions_coordinator_sees_only_their_own_regions_meetings(world, meetings):
    response = client_for(world.foreign_coordinator).get(LIST)
    assert response.status_code == 200 and titles(response) == []


def test_the_list_filters_by_kind_school_partner_period_and_own_attendance(world, meetings):
    client = client_for(world.brugfiguur)
    assert titles(client.get(LIST, {"kind": MeetingKind.REGIONAL_STEERING})) == ["Stuurgroep W13"]
    assert titles(client.get(LIST, {"school": world.other_school.pk})) == ["Stuurgroep W13"]
    assert titles(client.get(LIST, {"organisation": world.organisation.pk})) == ["Overleg Sint-Amands"]
    since = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    assert titles(client.get(LIST, {"start": since})) == ["Overleg Sint-Amands"]
    assert titles(client.get(LIST, {"q": "stuurgroep"})) == ["Stuurgroep W13"]
    assert titles(client.get(LIST, {"mine": "on"})) == ["Overleg Sint-Amands"]
    # Nonsense in the address: shown as errors, ignored, never a crash.
    response = client.get(LIST, {"school": world.foreign_school.pk, "start": "gisteren", "kind": "x"})
    assert response.status_code == 200 and len(titles(response)) == 2


def test_the_list_answers_an_htmx_search_with_the_results_only(world, meetings):
    response = client_for(world.coordinator).get(LIST, {"q": "Stuurgroep"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "Stuurgroep W13" in content


def test_the_list_runs_a_flat_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)

    def fill(count):
        for i in range(count):
            make_meeting(world.region, title=f"Overleg {i}", school=world.school,
                         attendees=[world.brugfiguur, world.brugfiguur2], organisations=[world.organisation],
                         schools=[world.school, world.other_school])

    fill(2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        assert len(titles(client.get(LIST))) == 2
    fill(13)
    with django_assert_max_num_queries(len(small)):
        response = client.get(LIST)
    assert len(titles(response)) == 15


# --- One meeting -------------------------------------------------------------------------------------


def test_the_pool_reads_the_notes_agreements_and_actions_and_the_view_is_audited(world, meetings):
    ours, _ = meetings
    MeetingAgreement.objects.create(meeting=ours, text="De school plant een infoavond.")
    action = make_action(ours, owner=world.brugfiguur, description="Folder vertalen")
    response = client_for(world.brugfiguur2).get(url("meeting_detail", ours))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Directie twijfelt nog." in content and "De school plant een infoavond." in content
    assert "Folder vertalen" in content and str(world.brugfiguur) in content
    assert url("meeting_update", ours) not in content  # brugfiguur2 did not attend
    assert url("meeting_action_done", action) not in content
    entry = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_id=str(ours.pk)).latest("seq")
    assert entry.actor == world.brugfiguur2 and entry.changes["pool_attendees"] == [world.brugfiguur.pk]


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid"])
def test_those_outside_the_pool_never_read_the_notes(world, meetings, persona):
    ours, _ = meetings
    MeetingAgreement.objects.create(meeting=ours, text="De school plant een infoavond.")
    make_action(ours, owner=world.brugfiguur, description="Folder vertalen")
    response = client_for(world.persona(persona)).get(url("meeting_detail", ours))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Directie twijfelt nog." not in content and response.context["meeting"].visible_notes == ""
    assert "De school plant een infoavond." in content
    # Policy makers see what was agreed, not the pool's follow-up.
    assert ("Folder vertalen" in content) == (persona != "beleid")
    assert url("meeting_update", ours) not in content


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beheerder", "foreign_coordinator"])
def test_a_meeting_without_a_link_is_404(world, meetings, persona):
    _, other = meetings
    assert client_for(world.persona(persona)).get(url("meeting_detail", other)).status_code == 404


def test_the_meeting_page_runs_a_flat_number_of_queries(world, meetings, django_assert_max_num_queries):
    ours, _ = meetings
    make_action(ours, owner=world.brugfiguur, description="Eerste actie")
    client = client_for(world.coordinator)
    client.get(url("meeting_detail", ours))
    with CaptureQueriesContext(connection) as small:
        client.get(url("meeting_detail", ours))
    for i in range(11):
        MeetingAgreement.objects.create(meeting=ours, text=f"Afspraak {i}")
        make_action(ours, owner=world.brugfiguur2 if i % 2 else world.brugfiguur, description=f"Actie {i}")
    with django_assert_max_num_queries(len(small)):
        response = client.get(url("meeting_detail", ours))
    assert len(response.context["actions"]) == 12


# --- Recording a meeting -----------------------------------------------------------------------------


def meeting_post(world, **overrides) -> dict:
    return {
        "title": "Lokaal netwerk Kortrijk", "kind": MeetingKind.LOCAL_NETWORK, "date": "2026-03-10",
        "duration_minutes": "120", "place": "Huis van het Kind", "school": "", "municipality": world.municipality.pk,
        "zone": world.zone.pk, "pool_attendees": [world.brugfiguur.pk, world.brugfiguur2.pk],
        "organisations": [world.organisation.pk], "schools": [world.school.pk, world.other_school.pk],
        "other_attendees": "schepen van onderwijs", "notes": "Goede sfeer.",
    } | overrides


def test_the_coordinator_records_a_meeting_with_its_attendees(world):
    response = client_for(world.coordinator).post(CREATE, meeting_post(world))
    meeting = NetworkMeeting.objects.get(title="Lokaal netwerk Kortrijk")
    assert response.status_code == 302 and response["Location"] == url("meeting_detail", meeting)
    assert set(meeting.pool_attendees.all()) == {world.brugfiguur, world.brugfiguur2}
    assert list(meeting.organisations.all()) == [world.organisation]
    assert meeting.duration_minutes == 120 and meeting.created_by == world.coordinator
    entry = AuditEntry.objects.get(event=AuditEvent.CREATE, subject_id=str(meeting.pk),
                                   subject_type="cooperation.networkmeeting")
    assert entry.changes["pool_attendees"] == sorted([world.brugfiguur.pk, world.brugfiguur2.pk])


def test_a_brugfiguur_who_records_a_meeting_is_one_of_its_attendees(world):
    client = client_for(world.brugfiguur2)
    client.post(CREATE, meeting_post(world, pool_attendees=[world.brugfiguur.pk]))
    meeting = NetworkMeeting.objects.get()
    assert set(meeting.pool_attendees.all()) == {world.brugfiguur, world.brugfiguur2}
    assert client.get(url("meeting_update", meeting)).status_code == 200


@pytest.mark.parametrize("persona", ["schoolcontact", "partner", "beleid", "beheerder"])
def test_only_the_pool_records_meetings(world, persona):
    client = client_for(world.persona(persona))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, meeting_post(world)).status_code == 404
    assert not NetworkMeeting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"date": "31-02-2026"}, "date"),
        ({"kind": "borrel"}, "kind"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_records_nothing(world, overrides, field):
    response = client_for(world.coordinator).post(CREATE, meeting_post(world, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not NetworkMeeting.objects.exists()


def test_another_regions_school_or_partner_cannot_be_chosen(world):
    response = client_for(world.coordinator).post(
        CREATE, meeting_post(world, school=world.foreign_school.pk, organisations=[world.foreign_organisation.pk])
    )
    errors = response.context["form"].errors
    assert "school" in errors and "organisations" in errors
    assert not NetworkMeeting.objects.exists()


def test_only_pool_members_attend_as_bridge_figures(world):
    outsider = f.user_with_role("brugfiguur", world.region)  # a brugfiguur without a place in the pool
    response = client_for(world.coordinator).post(CREATE, meeting_post(world, pool_attendees=[outsider.pk]))
    assert "pool_attendees" in response.context["form"].errors
    assert not NetworkMeeting.objects.exists()


def test_a_missing_title_gives_a_dutch_error(world, settings):
    settings.LANGUAGE_CODE = "nl"
    response = client_for(world.coordinator).post(CREATE, meeting_post(world, title=""))
    assert "Dit veld is verplicht." in response.context["form"].errors["title"]


def test_an_attendee_changes_the_meeting_and_the_change_is_audited(world, meetings):
    ours, _ = meetings
    client = client_for(world.brugfiguur)
    data = meeting_post(world, title="Overleg Sint-Amands (verslag)", pool_attendees=[world.brugfiguur.pk])
    response = client.post(url("meeting_update", ours), data)
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.title == "Overleg Sint-Amands (verslag)" and list(ours.schools.all()) != []
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_id=str(ours.pk))
    assert entry.changes["title"]["new"] == "Overleg Sint-Amands (verslag)"


@pytest.mark.parametrize("persona", ["brugfiguur2", "schoolcontact", "partner", "beleid", "foreign_coordinator"])
def test_who_did_not_attend_cannot_change_a_meeting(world, meetings, persona):
    ours, _ = meetings
    client = client_for(world.persona(persona))
    assert client.get(url("meeting_update", ours)).status_code == 404
    assert client.post(url("meeting_update", ours), meeting_post(world, title="Overgenomen")).status_code == 404
    ours.refresh_from_db()
    assert ours.title == "Overleg Sint-Amands"


def test_only_the_coordinator_deletes_a_meeting_with_its_agreements_and_actions(world, meetings):
    ours, _ = meetings
    MeetingAgreement.objects.create(meeting=ours, text="Afspraak")
    make_action(ours, owner=world.brugfiguur)
    assert client_for(world.brugfiguur).post(url("meeting_delete", ours)).status_code == 404
    client = client_for(world.coordinator)
    assert client.get(url("meeting_delete", ours)).status_code == 200
    assert client.post(url("meeting_delete", ours))["Location"] == LIST
    assert not NetworkMeeting.objects.filter(pk=ours.pk).exists()
    assert not MeetingAgreement.objects.exists() and not MeetingAction.objects.exists()
    entry = AuditEntry.objects.get(event=AuditEvent.DELETE, subject_type="cooperation.networkmeeting")
    assert entry.changes["agreements"] == ["Afspraak"]


# --- Agreements --------------------------------------------------------------------------------------


def test_an_attendee_adds_changes_and_deletes_an_agreement(world, meetings):
    ours, _ = meetings
    client = client_for(world.brugfiguur)
    response = client.post(url("meeting_agreement_create", ours), {"text": "CAW komt elke maand naar school."})
    assert response["Location"] == url("meeting_detail", ours) + "#agreements"
    agreement = MeetingAgreement.objects.get(meeting=ours)
    client.post(url("meeting_agreement_update", agreement), {"text": "CAW komt om de twee weken."})
    agreement.refresh_from_db()
    assert agreement.text == "CAW komt om de twee weken."
    client.post(url("meeting_agreement_delete", agreement))
    assert not MeetingAgreement.objects.exists()
    entries = AuditEntry.objects.filter(subject_type="cooperation.meetingagreement").order_by("seq")
    events = entries.values_list("event", flat=True)
    assert list(events) == [AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.DELETE]


def test_an_empty_agreement_is_refused(world, meetings):
    ours, _ = meetings
    response = client_for(world.coordinator).post(url("meeting_agreement_create", ours), {"text": "   "})
    assert response.status_code == 200 and "text" in response.context["form"].errors
    assert not MeetingAgreement.objects.exists()


@pytest.mark.parametrize("persona", ["brugfiguur2", "schoolcontact", "partner", "beleid"])
def test_who_cannot_change_the_meeting_adds_no_agreement(world, meetings, persona):
    ours, _ = meetings
    response = client_for(world.persona(persona)).post(url("meeting_agreement_create", ours), {"text": "x"})
    assert response.status_code == 404 and not MeetingAgreement.objects.exists()


# --- Actions -----------------------------------------------------------------------------------------


def action_post(**overrides) -> dict:
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    return {"description": "Infoavond plannen", "owner_user": "", "owner_label": "", "due_date": due} | overrides


def test_the_coordinator_gives_an_action_to_a_brugfiguur_or_to_someone_outside(world, meetings):
    ours, _ = meetings
    client = client_for(world.coordinator)
    client.post(url("meeting_action_create", ours), action_post(owner_user=world.brugfiguur2.pk))
    client.post(url("meeting_action_create", ours), action_post(description="Affiche maken", owner_label="CAW"))
    actions = {a.description: a for a in MeetingAction.objects.all()}
    assert actions["Infoavond plannen"].owner_user == world.brugfiguur2
    assert actions["Affiche maken"].owner_label == "CAW" and actions["Affiche maken"].owner_user is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "owner_user"),
        ({"owner_label": "CAW", "owner_user": "me"}, "owner_label"),
        ({"owner_user": "foreign"}, "owner_user"),
        ({"owner_label": "CAW", "due_date": "2000-01-01"}, "due_date"),
        ({"owner_label": "CAW", "description": ""}, "description"),
    ],
)
def test_an_action_needs_one_owner_and_a_due_date_after_the_meeting(world, meetings, overrides, field):
    ours, _ = meetings
    people = {"me": world.brugfiguur.pk, "foreign": world.foreign_brugfiguur.pk}
    if overrides.get("owner_user") in people:
        overrides = overrides | {"owner_user": people[overrides["owner_user"]]}
    response = client_for(world.coordinator).post(url("meeting_action_create", ours), action_post(**overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not MeetingAction.objects.exists()


def test_the_owner_marks_an_action_done_and_can_open_it_again(world, meetings):
    _, other = meetings  # brugfiguur did not attend: only owning the action lets them mark it
    action = make_action(other, owner=world.brugfiguur)
    client = client_for(world.brugfiguur)
    assert client.get(url("meeting_action_done", action)).status_code == 200
    response = client.post(url("meeting_action_done", action), {"note": "Folder verstuurd.", "back": "actions"})
    assert response["Location"] == reverse("cooperation:action_list")
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == world.brugfiguur and action.done_note == "Folder verstuurd."
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_id=str(action.pk)).exists()
    # The owner does not change what, who or when: that stays with the meeting's organisers.
    assert client.get(url("meeting_action_update", action)).status_code == 404
    client.post(url("meeting_action_reopen", action))
    action.refresh_from_db()
    assert action.done_at is None and action.done_note == ""


@pytest.mark.parametrize("persona", ["brugfiguur", "schoolcontact", "partner", "beleid", "foreign_coordinator"])
def test_others_cannot_mark_an_action_done(world, meetings, persona):
    _, other = meetings
    action = make_action(other, owner=world.brugfiguur2)
    response = client_for(world.persona(persona)).post(url("meeting_action_done", action), {"note": "klaar"})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.done_at is None


def test_an_action_marked_done_twice_stays_as_it_was(world, meetings):
    ours, _ = meetings
    action = make_action(ours, owner=world.brugfiguur)
    client = client_for(world.brugfiguur)
    client.post(url("meeting_action_done", action), {"note": "eerste keer"})
    client.post(url("meeting_action_done", action), {"note": "tweede keer"})
    action.refresh_from_db()
    assert action.done_note == "eerste keer"


def test_the_organisers_change_and_delete_an_action(world, meetings):
    ours, _ = meetings
    action = make_action(ours, label="CAW")
    client = client_for(world.brugfiguur)  # attended
    client.post(url("meeting_action_update", action), action_post(owner_user=world.brugfiguur2.pk))
    action.refresh_from_db()
    assert action.owner_user == world.brugfiguur2 and action.owner_label == ""
    assert client.post(url("meeting_action_delete", action)).status_code == 302
    assert not MeetingAction.objects.exists()


def test_a_bridge_figure_who_left_the_pool_stays_an_attendee_when_the_meeting_is_changed(world, meetings):
    ours, _ = meetings
    ours.pool_attendees.add(world.brugfiguur2)
    PoolMember.objects.filter(user=world.brugfiguur2).update(active=False)
    client = client_for(world.coordinator)
    form = client.get(url("meeting_update", ours)).context["form"]
    assert world.brugfiguur2 in form.fields["pool_attendees"].queryset
    data = meeting_post(world, pool_attendees=[world.brugfiguur.pk, world.brugfiguur2.pk])
    assert client.post(url("meeting_update", ours), data).status_code == 302
    assert set(ours.pool_attendees.all()) == {world.brugfiguur, world.brugfiguur2}
    # ... but cannot be added to a new meeting.
    response = client.post(CREATE, meeting_post(world, pool_attendees=[world.brugfiguur2.pk]))
    assert response.status_code == 200 and "pool_attendees" in response.context["form"].errors
