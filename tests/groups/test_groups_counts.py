"""Group counts outside the pool (issue 8, finding 6). The school contact of the offering's school and
a co-organising partner know who came to a session, so a count split by "has a case" would tell them
which pupil has one. They see head counts only, with no number below 5, and no total from which a
hidden number could be worked out; the pool (every brugfiguur and the coordinator of the region)
sees the counts in full. Policy makers' figures never split by "has a case" either."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from brugwerk.groups.models import (
    AgeGroup,
    AnonymousAttendance,
    AttendanceStatus,
    AttendeeRole,
    Gender,
    GroupAttendance,
    GroupParticipant,
    OfferingKind,
)
from brugwerk.groups.selectors import SMALL_CELL, _small_cells_hidden
from tests import factories_cases as fc
from tests.conftest import client_for
from tests.records.groups import offering_in, session_of

OUTSIDE = ["schoolcontact", "partner"]
POOL = ["brugfiguur", "brugfiguur2", "coordinator"]


def dutch(message: str, plural: str | None = None, number: int = 1) -> str:
    """The message as a Dutch user reads it."""
    with translation.override("nl"):
        return translation.ngettext(message, plural, number) if plural else translation.gettext(message)


def count(session, number: int, role: str = AttendeeRole.PUPIL, gender: str = Gender.FEMALE) -> None:
    AnonymousAttendance.objects.create(session=session, role=role, gender=gender, age_group=AgeGroup.AGE_12_14,
                                       count=number)


@pytest.fixture
def workshop(world):
    """A pupil workshop at the school contact's school, co-organised by the partner: one session
    with five pupils present, four counted without names and one linked to the brugfiguur's case."""
    offering = offering_in(world, partners=[world.organisation], kind=OfferingKind.PUPIL_WORKSHOP,
                           title="Leerlingenatelier faalangst")
    session = session_of(offering, days_ago=3)
    count(session, 4)
    case = fc.CaseFactory(region=world.region, lead=world.brugfiguur, school=world.school,
                          young_person__first_name="Ilias", young_person__last_name="Haddad")
    participant = GroupParticipant.objects.create(offering=offering, case=case, added_by=world.brugfiguur)
    GroupAttendance.objects.create(session=session, participant=participant, status=AttendanceStatus.PRESENT)
    return offering


def split_texts(linked: int, anonymous: int, absent: int) -> list[str]:
    """Every way the offering page could tell a case apart: the split of those present, who was
    absent or excused, and how many participants are linked to a case."""
    return [
        dutch("%(linked)s with a case, %(anonymous)s without names") % {"linked": linked, "anonymous": anonymous},
        dutch("%(absent)s absent, %(excused)s excused") % {"absent": absent, "excused": 0},
        dutch("Participants with a case"),
        dutch("%(counter)s participant linked to a case: only who guides that case sees the name.",
              "%(counter)s participants linked to a case: only who guides those cases sees their names.", 1)
        % {"counter": 1},
    ]


def pages(world, persona: str, offering):
    client = client_for(world.persona(persona))
    detail = client.get(reverse("groups:offering_detail", args=[offering.pk]))
    listed = client.get(reverse("groups:offering_list"))
    assert detail.status_code == 200 and listed.status_code == 200
    return detail, listed


@pytest.mark.parametrize("persona", OUTSIDE)
def test_outside_the_pool_no_count_tells_who_has_a_case_before_or_after_the_case_participant_is_absent(
    world, workshop, persona
):
    # 5 present, of whom 1 with a case: the head count, and nothing split by "has a case".
    detail, listed = pages(world, persona, workshop)
    content = detail.content.decode()
    for text in split_texts(linked=1, anonymous=4, absent=0):
        assert text not in content
    session = detail.context["offering"].session_list[0]
    assert session.present_shown == 5
    assert (session.present_linked, session.present_anonymous, session.absent, session.excused) == (None,) * 4
    totals = detail.context["totals"]
    assert totals.present == 5 and totals.linked_participants is None
    assert detail.context["offering"].hidden_participants == 0
    assert listed.context["page"].object_list[0].present_total == 5

    # The case participant marked absent: four present, a small cell, so no number at all.
    GroupAttendance.objects.filter(participant__offering=workshop).update(status=AttendanceStatus.ABSENT)
    detail, listed = pages(world, persona, workshop)
    content = detail.content.decode()
    for text in split_texts(linked=0, anonymous=4, absent=1):
        assert text not in content
    assert dutch("%(counter)s present", "%(counter)s present", 4) % {"counter": 4} not in content
    session = detail.context["offering"].session_list[0]
    assert session.present_shown is None and session.present_total is None
    assert (session.absent, session.excused) == (None, None)
    totals = detail.context["totals"]
    assert totals.present is None and totals.average_present is None
    assert set(totals.by_role.values()) <= {None, 0} and totals.by_gender == {}
    assert listed.context["page"].object_list[0].present_total is None
    assert "Ilias" not in content and "Haddad" not in content


@pytest.mark.parametrize("persona", POOL)
def test_the_pool_still_sees_the_counts_in_full(world, workshop, persona):
    detail, listed = pages(world, persona, workshop)
    session = detail.context["offering"].session_list[0]
    assert (session.present_total, session.present_linked, session.present_anonymous) == (5, 1, 4)
    assert detail.context["totals"].linked_participants == 1
    assert split_texts(linked=1, anonymous=4, absent=0)[0] in detail.content.decode()
    GroupAttendance.objects.filter(participant__offering=workshop).update(status=AttendanceStatus.ABSENT)
    detail, listed = pages(world, persona, workshop)
    session = detail.context["offering"].session_list[0]
    assert (session.present_total, session.present_linked, session.absent) == (4, 0, 1)
    assert split_texts(linked=0, anonymous=4, absent=1)[1] in detail.content.decode()
    assert listed.context["page"].object_list[0].present_total == 4


@pytest.mark.parametrize("persona", OUTSIDE)
def test_outside_the_pool_no_total_gives_a_hidden_number_away(world, workshop, persona):
    """Sessions of 5, 3 and 8: the 3 is hidden, and with it the next smallest, so that the total of
    16 minus the numbers shown leaves two sessions, not one. The breakdown by role counts the linked
    participant as a pupil, so the total minus the breakdown is nothing either; there is no breakdown
    by gender (none is recorded of a participant linked to a case, so it would set them apart)."""
    for days_ago, number in ((2, 3), (1, 8)):
        count(session_of(workshop, days_ago=days_ago), number, role=AttendeeRole.PARENT, gender=Gender.MALE)
    detail, _listed = pages(world, persona, workshop)
    totals = detail.context["totals"]
    shown = [s.present_shown for s in detail.context["offering"].session_list]
    assert totals.present == 16
    assert shown.count(None) == 2 and sum(n for n in shown if n is not None) == 8
    assert totals.by_role == {AttendeeRole.PARENT: 11, AttendeeRole.PUPIL: 5}  # adds up to 16
    assert totals.by_gender == {}


def test_policy_makers_cannot_subtract_the_people_counted_without_names_from_those_present(world, workshop):
    """Before: 10 present, 9 pupils counted without names and every cell shown, so 1 with a case. The
    breakdown now counts everyone present (the linked participant as a pupil of unrecorded gender)."""
    count(workshop.sessions.get(), 5, gender=Gender.MALE)
    figures = client_for(world.beleid).get(reverse("groups:figures")).context["figures"]
    assert figures.present == 10
    for breakdown in (figures.by_role, figures.by_gender):
        hidden = [key for key, value in breakdown.items() if value is None]
        assert len(hidden) != 1
        if not hidden:
            assert sum(breakdown.values()) == figures.present
    assert figures.by_role == {AttendeeRole.PARENT: 0, AttendeeRole.PUPIL: 10}
    assert figures.by_gender == {Gender.FEMALE: None, Gender.MALE: 5, Gender.X: 0, Gender.UNKNOWN: None}  # 4, 1


def test_the_figures_hide_a_kind_with_few_people_and_one_more():
    assert _small_cells_hidden({"cafe": 7, "workshop": 2, "talk": 0}) == {"cafe": 7, "workshop": None, "talk": 0}
    assert _small_cells_hidden({"cafe": 7, "workshop": 2, "talk": 9}, total_shown=True) == {
        "cafe": None, "workshop": None, "talk": 9,
    }
    assert _small_cells_hidden({"a": 1, "b": 2, "c": 9}, total_shown=True) == {"a": None, "b": None, "c": 9}
    assert _small_cells_hidden({"a": SMALL_CELL, "b": 0}, total_shown=True) == {"a": SMALL_CELL, "b": 0}
