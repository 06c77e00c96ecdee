"""The personal links of learning sessions that the matrix (tests/records/learning.py) leaves out: a
bridge figure sees the sessions they took part in, facilitated or recorded, and changes those they
recorded or facilitated and their own coaching; the private coaching note is only for the coached
bridge figure and the coach. `can()` and `scope()` agree on each."""

import pytest

from brugwerk.access import Action, can, may, scope
from brugwerk.access.policy import forget_principal
from brugwerk.accounts.models import Membership
from brugwerk.learning.models import LearningKind, LearningSession
from tests.records.learning import make_session


def allowed(user, action, session) -> bool:
    answer = can(user, action, session)
    assert answer == scope(user, LearningSession, action).filter(pk=session.pk).exists()
    return answer


@pytest.mark.parametrize(
    ("relation", "view", "change"),
    [("participant", True, False), ("facilitator", True, True), ("recorder", True, True), ("none", False, False)],
)
def test_a_bridge_figure_sees_and_changes_by_their_relation_to_the_session(world, relation, view, change):
    me, colleague = world.brugfiguur, world.brugfiguur2
    session = make_session(
        world.region,
        recorded_by=me if relation == "recorder" else colleague,
        participants=[me, colleague] if relation == "participant" else [colleague],
        kind=LearningKind.LEARNING_NETWORK,
        title="Lerend netwerk",
        facilitator=me if relation == "facilitator" else None,
    )
    assert allowed(me, Action.VIEW, session) is view
    assert allowed(me, Action.CHANGE, session) is change
    assert allowed(world.coordinator, Action.VIEW, session) and allowed(world.coordinator, Action.CHANGE, session)
    assert not allowed(world.foreign_coordinator, Action.VIEW, session)


def test_the_coached_bridge_figure_changes_their_coaching_and_reads_its_note(world):
    coaching = make_session(world.region, recorded_by=world.coordinator, participants=[world.brugfiguur],
                            kind=LearningKind.COACHING, facilitator_name="Externe coach", private_note="Privé")
    assert allowed(world.brugfiguur, Action.CHANGE, coaching)
    assert may(world.brugfiguur, "learning.read_coaching_note", obj=coaching)
    assert not may(world.coordinator, "learning.read_coaching_note", obj=coaching)
    assert not may(world.brugfiguur2, "learning.read_coaching_note", obj=coaching)
    intervision = make_session(world.region, recorded_by=world.brugfiguur2,
                               participants=[world.brugfiguur, world.brugfiguur2])
    assert not allowed(world.brugfiguur, Action.CHANGE, intervision)
    assert not may(world.brugfiguur, "learning.read_coaching_note", obj=intervision)


def test_the_coach_who_is_the_coordinator_reads_the_note(world):
    coaching = make_session(world.region, recorded_by=world.coordinator, participants=[world.brugfiguur],
                            kind=LearningKind.COACHING, facilitator=world.coordinator, private_note="Privé")
    assert may(world.coordinator, "learning.read_coaching_note", obj=coaching)


def test_a_bridge_figure_whose_role_ended_sees_their_sessions_no_more(world):
    session = make_session(world.region, recorded_by=world.brugfiguur, participants=[world.brugfiguur],
                           kind=LearningKind.COACHING, facilitator_name="Coach", private_note="Privé")
    assert allowed(world.brugfiguur, Action.VIEW, session)
    Membership.objects.filter(user=world.brugfiguur).update(revoked_at="2020-01-01T00:00:00Z")
    forget_principal(world.brugfiguur)
    assert not allowed(world.brugfiguur, Action.VIEW, session)
    assert not may(world.brugfiguur, "learning.read_coaching_note", obj=session)
