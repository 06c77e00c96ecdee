"""The personal links of the cooperation rules that the matrix (tests/records/cooperation.py) does not
show: a bridge figure who attended a meeting changes it, the owner of an action marks it done, the
bridge figure serving a school writes its agreement (never an earlier version), and the notes stay
with the pool. can() and scope() agree on each."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from brugwerk.access import Action, can, scope, where
from brugwerk.accounts.models import Membership
from brugwerk.accounts.services import membership_revoke
from brugwerk.audit.services import Actor
from brugwerk.cooperation import services
from brugwerk.cooperation.models import CooperationAgreement, MeetingAction, NetworkMeeting
from brugwerk.pool.models import PoolMember
from tests.records.cooperation import make_action, make_agreement, make_meeting

ACTIONS = (Action.VIEW, Action.CHANGE, Action.DELETE, Action.EXPORT)


def rights(user, obj) -> set[Action]:
    allowed = {a for a in ACTIONS if can(user, a, obj)}
    in_scope = {a for a in ACTIONS if scope(user, type(obj), a).filter(pk=obj.pk).exists()}
    assert allowed == in_scope
    return allowed


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_a_brugfiguur_changes_the_meetings_they_attended_only(world):
    attended = make_meeting(world.region, attendees=[world.brugfiguur])
    other = make_meeting(world.region, attendees=[world.brugfiguur2])
    assert rights(world.brugfiguur, attended) == {Action.VIEW, Action.CHANGE}
    assert rights(world.brugfiguur, other) == {Action.VIEW}
    membership_revoke(actor=Actor(user=world.beheerder), membership=Membership.objects.get(user=world.brugfiguur))
    assert rights(fresh(world.brugfiguur), attended) == set()


def test_the_owner_of_an_action_marks_it_done_but_does_not_change_the_meeting(world):
    meeting = make_meeting(world.region, attendees=[world.brugfiguur2])
    action = make_action(meeting, owner=world.brugfiguur)
    assert rights(world.brugfiguur, action) == {Action.VIEW, Action.CHANGE}
    assert rights(world.brugfiguur, meeting) == {Action.VIEW}
    services.meeting_action_done(actor=Actor(user=world.brugfiguur), action=action, note="ok")
    with pytest.raises(PermissionDenied):
        services.meeting_action_update(actor=Actor(user=world.brugfiguur), action=action, description="Anders",
                                       due_date=action.due_date, owner_label="CAW")
    assert MeetingAction.objects.get(pk=action.pk).description == action.description


def test_school_contacts_see_meetings_about_or_with_their_school_partners_those_they_attended(world):
    about = make_meeting(world.region, school=world.school)
    with_school = make_meeting(world.region, schools=[world.school, world.other_school])
    with_partner = make_meeting(world.region, organisations=[world.organisation])
    elsewhere = make_meeting(world.region, school=world.other_school)
    assert set(scope(world.schoolcontact, NetworkMeeting)) == {about, with_school}
    assert set(scope(world.partner, NetworkMeeting)) == {with_partner}
    assert rights(world.schoolcontact, elsewhere) == set()
    action = make_action(with_partner, label="CAW")
    assert rights(world.partner, action) == {Action.VIEW}
    assert rights(world.beleid, action) == set()
    assert rights(world.beleid, with_partner) == {Action.VIEW}


def test_the_notes_are_read_by_the_pool_only(world):
    meeting = make_meeting(world.region, school=world.school, organisations=[world.organisation])
    readers = {
        persona for persona in ("brugfiguur", "coordinator", "schoolcontact", "partner", "beleid", "beheerder")
        if NetworkMeeting.objects.filter(where(world.persona(persona), "cooperation.read_meeting_notes"),
                                         pk=meeting.pk).exists()
    }
    assert readers == {"brugfiguur", "coordinator"}


def test_the_brugfiguur_serving_the_school_writes_its_agreement_never_an_earlier_version(world):
    current = make_agreement(world.region, world.school)
    assert rights(world.brugfiguur, current) == {Action.VIEW}
    assert not can(world.brugfiguur, Action.CREATE, CooperationAgreement(region=world.region, school=world.school))
    member = PoolMember.objects.get(user=world.brugfiguur)
    member.schools.add(world.school)
    assert rights(world.brugfiguur, current) == {Action.VIEW, Action.CHANGE}
    assert can(world.brugfiguur, Action.CREATE, CooperationAgreement(region=world.region, school=world.school))
    assert not can(world.brugfiguur, Action.CREATE,
                   CooperationAgreement(region=world.region, school=world.other_school))
    new = services.cooperation_agreement_save(
        actor=Actor(user=world.brugfiguur), school=world.school, values={"agreed_days": "Elke woensdag"}
    )
    current.refresh_from_db()
    assert new.version == 2 and rights(world.brugfiguur, current) == {Action.VIEW}
    assert rights(world.coordinator, current) == {Action.VIEW}
    member.active = False
    member.save()
    assert rights(world.brugfiguur, new) == {Action.VIEW}


def test_a_school_contact_reads_only_their_own_schools_agreement(world):
    ours = make_agreement(world.region, world.school)
    theirs = make_agreement(world.region, world.other_school)
    assert rights(world.schoolcontact, ours) == {Action.VIEW}
    assert rights(world.schoolcontact, theirs) == set()
    assert rights(world.partner, ours) == set()
    with pytest.raises(PermissionDenied):
        services.cooperation_agreement_save(actor=Actor(user=world.schoolcontact), school=world.school,
                                            values={"agreed_days": "Elke dag"})
    assert CooperationAgreement.objects.filter(school=world.school).count() == 1


def test_services_refuse_what_the_policy_refuses(world):
    meeting = make_meeting(world.region, attendees=[world.brugfiguur2])
    for persona in ("schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"):
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=Actor(user=world.persona(persona)), region=world.region,
                                    values={"title": "x", "kind": "other", "date": meeting.date,
                                            "duration_minutes": 30})
    with pytest.raises(PermissionDenied):
        services.meeting_agreement_add(actor=Actor(user=world.brugfiguur), meeting=meeting, text="x")
    with pytest.raises(PermissionDenied):
        services.meeting_delete(actor=Actor(user=world.brugfiguur2), meeting=meeting)
    assert NetworkMeeting.objects.count() == 1
