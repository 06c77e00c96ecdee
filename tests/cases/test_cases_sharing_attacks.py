"""Issue 8, finding 3: a share must not survive a change of school, a transfer or a new lead.

The attack: a case led by A is shared with B (co-guidance, or a stand-in); the case moves to another
school (through the real page), is transferred (also out of the region) or gets a new lead (page and
service). Afterwards B must neither read the case nor write in it (a goal), every share shows as
ended, each with its audit entry, and the pages say beforehand and afterwards which shares end."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case, CaseShare, CaseStatus, Goal, ShareKind
from brugwerk.cases.services import case_assign_lead, case_transfer
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def new_lead(world):
    """C: a third brugfiguur of the region, the only one serving the other school."""
    user = f.user_with_role(Role.BRUGFIGUUR, world.region, first_name="Chris", last_name="Nieuw")
    member = f.PoolMemberFactory(region=world.region, user=user, home_base=world.school.municipality)
    member.schools.add(world.other_school)
    return user


@pytest.fixture
def case(world, new_lead) -> Case:
    """Led by A (the brugfiguur persona) at the school."""
    return fc.CaseFactory(
        region=world.region, lead=world.brugfiguur, school=world.school, young_person__school=world.school,
        young_person__first_name="Sofie", young_person__last_name="Gedeeld",
    )


def share(case, user, kind: str) -> CaseShare:
    today = timezone.localdate()
    ends_on = today + datetime.timedelta(days=14) if kind == ShareKind.STAND_IN else None
    return fc.CaseShareFactory(case=case, user=user, granted_by=case.lead, kind=kind, starts_on=today, ends_on=ends_on)


def goal_post(client, case):
    return client.post(
        reverse("cases:goal_create", args=[case.pk]),
        {"description": "Doel van wie het dossier niet meer volgt", "status": "planned",
         "start_date": timezone.localdate().isoformat()},
    )


def change_school_page(world, case, new_lead):
    response = client_for(world.brugfiguur).post(
        reverse("cases:case_transfer", args=[case.pk]),
        {"to_school": world.other_school.pk, "to_lead": "", "note": "Verhuisd; warme overdracht gedaan."},
        follow=True,
    )
    assert response.status_code == 200  # the lead handed the case over: back to their cases, not a 404
    assert response.redirect_chain == [(reverse("cases:case_list"), 302)]
    return response


def transfer_service(world, case, new_lead):
    case_transfer(actor=Actor(user=world.coordinator), case=case, to_school=world.other_school, to_lead=new_lead,
                  note="Andere school.")


def moved_away(world, case, new_lead):
    case_transfer(actor=Actor(user=world.brugfiguur), case=case, to_school=None, note="Verhuisd naar Gent.")


def assign_page(world, case, new_lead):
    response = client_for(world.coordinator).post(
        reverse("cases:case_assign", args=[case.pk]), {"lead": new_lead.pk, "note": "Langdurig verlof."}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain
    return response


def assign_service(world, case, new_lead):
    case_assign_lead(actor=Actor(user=world.brugfiguur), case=case, lead=new_lead, note="Ik stop.")


CHANGES = {
    "change_of_school_page": (change_school_page, "transfer"),
    "transfer_service": (transfer_service, "transfer"),
    "moved_out_of_the_region": (moved_away, "transfer"),
    "new_lead_page": (assign_page, "new_lead"),
    "new_lead_service": (assign_service, "new_lead"),
}


@pytest.mark.parametrize("kind", [ShareKind.CO_GUIDANCE, ShareKind.STAND_IN])
@pytest.mark.parametrize("change", list(CHANGES))
def test_the_sharer_loses_the_case_when_it_changes_hands(world, case, new_lead, kind, change):
    shared = share(case, world.brugfiguur2, kind)
    sharer = client_for(world.brugfiguur2)
    assert sharer.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200  # the share works
    last_entry = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    make, because = CHANGES[change]
    make(world, case, new_lead)

    case.refresh_from_db()
    assert case.lead == (world.brugfiguur if change == "moved_out_of_the_region" else new_lead)
    assert (case.status == CaseStatus.CLOSED) == (change == "moved_out_of_the_region")
    # B reads nothing and writes nothing any more.
    assert sharer.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    goals = Goal.objects.filter(case=case).count()
    assert goal_post(sharer, case).status_code == 404
    assert Goal.objects.filter(case=case).count() == goals
    # The share is ended the way a revoke ends it, and the trail says so, naming the transfer.
    shared.refresh_from_db()
    assert shared.revoked_at is not None
    entry = AuditEntry.objects.get(
        seq__gt=last_entry, event=AuditEvent.UPDATE, subject_type="cases.caseshare", subject_id=str(shared.pk)
    )
    assert "revoked_at" in entry.changes and entry.changes["ended_with"] == because
    assert entry.changes["transfer"] == case.transfers.latest("transferred_at", "pk").pk
    assert not CaseShare.objects.filter(case=case).not_over(timezone.localdate()).exists()


@pytest.mark.parametrize("change", ["new_lead_service", "transfer_service"])
def test_a_share_still_to_come_ends_too(world, case, new_lead, change):
    """A stand-in planned for next week was arranged with the old lead: it does not start later."""
    today = timezone.localdate()
    planned = fc.CaseShareFactory(
        case=case, user=world.brugfiguur2, granted_by=case.lead, kind=ShareKind.STAND_IN,
        starts_on=today + datetime.timedelta(days=7), ends_on=today + datetime.timedelta(days=21),
    )
    CHANGES[change][0](world, case, new_lead)
    planned.refresh_from_db()
    assert planned.revoked_at is not None
    assert not planned.is_active_on(today + datetime.timedelta(days=8))


def test_the_new_lead_keeps_guiding_and_a_share_to_them_ends_in_their_lead(world, case, new_lead):
    """Assigning the co-guide as lead: their share ends (they lead now) and they keep the case."""
    shared = share(case, new_lead, ShareKind.CO_GUIDANCE)
    case_assign_lead(actor=Actor(user=world.coordinator), case=case, lead=new_lead)
    shared.refresh_from_db()
    assert shared.revoked_at is not None
    assert client_for(new_lead).get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert goal_post(client_for(new_lead), case).status_code == 302


@pytest.mark.parametrize(("name", "persona"), [("case_transfer", "brugfiguur"), ("case_assign", "coordinator")])
def test_the_page_says_beforehand_and_afterwards_which_shares_end(world, case, new_lead, name, persona):
    share(case, world.brugfiguur2, ShareKind.CO_GUIDANCE)
    client = client_for(world.persona(persona))
    url = reverse(f"cases:{name}", args=[case.pk])
    ending = f"The sharing with {world.brugfiguur2} (co-guidance) ends with this change."
    assert ending in client.get(url).content.decode()
    data = (
        {"to_school": world.other_school.pk, "to_lead": "", "note": "Andere school."}
        if name == "case_transfer" else {"lead": new_lead.pk}
    )
    response = client.post(url, data, follow=True)
    assert f"The sharing with {world.brugfiguur2} (co-guidance) has ended." in response.content.decode()


def test_without_shares_the_page_announces_nothing(world, case, new_lead):
    content = client_for(world.brugfiguur).get(reverse("cases:case_transfer", args=[case.pk])).content.decode()
    assert "ends with this change" not in content and 'id="ending-shares"' not in content


def test_a_refused_change_of_school_ends_no_share(world, case, new_lead):
    shared = share(case, world.brugfiguur2, ShareKind.CO_GUIDANCE)
    writes = AuditEntry.objects.filter(subject_type__startswith="cases.").exclude(event=AuditEvent.VIEW)
    before = writes.count()
    response = client_for(world.brugfiguur).post(
        reverse("cases:case_transfer", args=[case.pk]), {"to_school": world.other_school.pk, "note": "  "}
    )
    assert response.status_code == 200 and response.context["form"].errors
    shared.refresh_from_db()
    assert shared.revoked_at is None
    assert writes.count() == before
    assert client_for(world.brugfiguur2).get(reverse("cases:case_detail", args=[case.pk])).status_code == 200


def test_an_earlier_revoked_share_is_left_as_it_was(world, case, new_lead):
    revoked_at = timezone.now() - datetime.timedelta(days=2)
    old = share(case, world.brugfiguur2, ShareKind.CO_GUIDANCE)
    CaseShare.objects.filter(pk=old.pk).update(revoked_at=revoked_at)
    case_assign_lead(actor=Actor(user=world.coordinator), case=case, lead=new_lead)
    old.refresh_from_db()
    assert old.revoked_at == revoked_at
    assert not AuditEntry.objects.filter(subject_type="cases.caseshare", subject_id=str(old.pk)).exists()
