"""Network and cooperation records for the region-wide access tests (see tests/records/__init__.py),
and small helpers the cooperation tests share to make them.

The matrix rows are asked of records with these links: the meeting is about the school contact's
school and was attended by the partner's organisation and by `lead` (not a persona); its action is
owned by `lead`; the cooperation agreement is of the school contact's school, which `lead` does not
serve in the matrix. The personal links (attendee, owner, serving bridge figure, notes) are tested in
tests/cooperation/test_cooperation_access.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from brugwerk.cooperation.models import (
    CooperationAgreement,
    MeetingAction,
    MeetingAgreement,
    MeetingKind,
    NetworkMeeting,
    ReferralChannel,
)
from tests.cooperation.factories import (
    CooperationAgreementFactory,
    MeetingActionFactory,
    MeetingAgreementFactory,
    NetworkMeetingFactory,
)
from tests.records import Records

MODELS = (NetworkMeeting, MeetingAgreement, MeetingAction, CooperationAgreement)

EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "NetworkMeeting":            ("V C",     "V C U D",   "V",           "V",     "V",    "—"),
    "MeetingAgreement":          ("V",       "V C U D",   "V",           "V",     "V",    "—"),
    "MeetingAction":             ("V",       "V C U D",   "V",           "V",     "—",    "—"),
    "CooperationAgreement":      ("V",       "V C U",     "V",           "—",     "V",    "—"),
}  # fmt: skip


def make_meeting(region, *, attendees=(), organisations=(), schools=(), **values: Any) -> NetworkMeeting:
    defaults = {
        "title": "Lokaal netwerk onderwijs-welzijn", "kind": MeetingKind.LOCAL_NETWORK,
        "date": timezone.localdate() - datetime.timedelta(days=7), "duration_minutes": 90, "place": "Stadhuis",
    }
    return NetworkMeetingFactory(
        region=region, pool_attendees=list(attendees), organisations=list(organisations), schools=list(schools),
        **(defaults | values),
    )


def make_action(meeting, *, owner=None, label: str = "", due_in_days: int = 14, **values: Any) -> MeetingAction:
    return MeetingActionFactory(
        meeting=meeting, description=values.pop("description", "Infomoment voor ouders plannen"),
        owner_user=owner, owner_label=label if owner is None else "",
        due_date=values.pop("due_date", timezone.localdate() + datetime.timedelta(days=due_in_days)), **values,
    )


def make_agreement(region, school, **values: Any) -> CooperationAgreement:
    defaults = {
        "version": 1, "valid_from": timezone.localdate() - datetime.timedelta(days=200),
        "agreed_days": "Elke dinsdag", "referral_channel": ReferralChannel.CARE_TEAM,
        "contacts": [{"name": "Griet Vanneste", "function": "zorgcoördinator", "phone": "056 11 22 33",
                      "email": "griet.vanneste@school.example"}],
        "role_profile_accepted": True, "role_profile_accepted_on": timezone.localdate() - datetime.timedelta(days=190),
        "last_evaluated_on": timezone.localdate() - datetime.timedelta(days=100),
        "next_evaluation_on": timezone.localdate() + datetime.timedelta(days=80),
    }
    return CooperationAgreementFactory(region=region, school=school, **(defaults | values))


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    slug = region.slug
    meeting = make_meeting(
        region, title=f"Netwerkoverleg {slug}", school=school, attendees=[lead], organisations=[organisation],
        schools=[school], notes=f"Werknota {slug}",
    )
    agreement = MeetingAgreementFactory(meeting=meeting, text=f"Afspraak {slug}: maandelijks overleg")
    action = make_action(meeting, owner=lead, description=f"Actie {slug}: folder verspreiden")
    cooperation = make_agreement(
        region, school, contacts=[{"name": f"Contactpersoon {slug}", "function": "directeur", "phone": "",
                                   "email": ""}],
    )
    today = timezone.localdate()
    return Records(
        existing={NetworkMeeting: meeting, MeetingAgreement: agreement, MeetingAction: action,
                  CooperationAgreement: cooperation},
        new={
            NetworkMeeting: lambda: NetworkMeeting(region=region, title="Nieuw overleg", kind=MeetingKind.OTHER,
                                                   date=today, duration_minutes=60),
            MeetingAgreement: lambda: MeetingAgreement(meeting=meeting, text="Nieuwe afspraak"),
            MeetingAction: lambda: MeetingAction(meeting=meeting, description="Nieuwe actie", owner_label="CAW",
                                                 due_date=today),
            CooperationAgreement: lambda: CooperationAgreement(region=region, school=school, valid_from=today),
        },
        names=[meeting.title, agreement.text, action.description, f"Contactpersoon {slug}", f"Werknota {slug}"],
    )


RECORD_URLS = [
    *[(f"cooperation:{name}", lambda a: {"pk": a[NetworkMeeting].pk})
      for name in ("meeting_detail", "meeting_update", "meeting_delete", "meeting_agreement_create",
                   "meeting_action_create")],
    *[(f"cooperation:{name}", lambda a: {"pk": a[MeetingAgreement].pk})
      for name in ("meeting_agreement_update", "meeting_agreement_delete")],
    *[(f"cooperation:{name}", lambda a: {"pk": a[MeetingAction].pk})
      for name in ("meeting_action_update", "meeting_action_done", "meeting_action_reopen", "meeting_action_delete")],
    ("cooperation:agreement_school", lambda a: {"pk": a[CooperationAgreement].school_id}),
    ("cooperation:agreement_edit", lambda a: {"pk": a[CooperationAgreement].school_id}),
    ("cooperation:agreement_version", lambda a: {"pk": a[CooperationAgreement].pk}),
]


def _list_filters(a) -> str:
    meeting = a[NetworkMeeting]
    return f"?school={meeting.school_id}&organisation={meeting.organisations.first().pk}&q=Netwerkoverleg"


LIST_URLS = [
    ("cooperation:meeting_list", lambda a: ""),
    ("cooperation:meeting_list", _list_filters),
    ("cooperation:action_list", lambda a: "?who=all"),
    ("cooperation:agreement_overview", lambda a: ""),
    ("cooperation:meeting_create", lambda a: ""),
]
