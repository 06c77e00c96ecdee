"""Finding 4 of issue 8: another region's coordinator could enumerate and pull in our accounts. "Add an
existing user" now sends an invitation: the answer is the same whether or not the login names an
account, the inviter sees nothing of the invitee, and only the invitee's acceptance (with the inviter's
rights checked again then) creates the role."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.accounts.models import INVITATION_VALID_DAYS, Membership, RoleInvitation
from brugwerk.audit.models import AuditEntry, AuditEvent
from tests.conftest import client_for

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))
ADD = reverse("accounts:user_add_existing")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _invite(client, login, role=Role.BRUGFIGUUR, **extra):
    return client.post(ADD, {"login": login, "role": role, **extra}, follow=True)


def _answer(client, invitation, answer):
    return client.post(reverse("accounts:invitation_answer", args=[invitation.pk]), {"answer": answer})


def _normalised(html: str, login: str) -> str:
    """The page without what differs per request (CSRF tokens) and the login as typed, which the
    list of invitations shows back."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(f'<th scope="row">{login}</th>', "<th>LOGIN</th>")


def test_other_regions_coordinator_gets_the_same_answer_whether_or_not_the_login_exists(
    world, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """The attack of the finding: as region B's coordinator, "add" region A's coordinator by username
    and by e-mail address, and a login that does not exist."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    TOTPDevice.objects.create(user=world.coordinator, name="phone", confirmed=True)
    world.coordinator.phone = "0470 12 34 56"
    world.coordinator.save()
    attacker = client_for(world.foreign_coordinator)
    answers = {}
    for login in ("coord", world.coordinator.email.upper(), "niemand@nergens.test"):
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True):
                response = _invite(attacker, login)
            redirect = response.redirect_chain
            content = response.content.decode()
            trail = [(e.event, e.subject_type, sorted(e.changes)) for e in AuditEntry.objects.filter(
                region=world.other_region, event=AuditEvent.CREATE)]
            answers[login] = (response.status_code, redirect, _normalised(content, login), trail)
            # Nothing of the person is shown, and nothing is granted.
            for detail in (world.coordinator.get_full_name(), world.coordinator.email, "0470 12 34 56"):
                assert detail not in content
            assert "Two-factor" not in content and "Last login" not in content
            assert not Membership.objects.filter(user=world.coordinator, region=world.other_region).exists()
            transaction.set_rollback(True)
    first, *others = answers.values()
    assert all(answer == first for answer in others)
    assert first[0] == 200 and first[1] == [(ADD, 302)]
    # Only the real account was mailed (twice: by username and by address), and only a link.
    assert [m.to for m in mailoutbox] == [[world.coordinator.email]] * 2
    for message in mailoutbox:
        assert "http://testserver/account/mijn-account/" in message.body
        for detail in ("Regio B", "coord-b", str(world.foreign_coordinator), "Bridge figure"):
            assert detail not in message.body


def test_only_the_invitees_acceptance_creates_the_role(world, mailoutbox, django_capture_on_commit_callbacks):
    attacker = client_for(world.foreign_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(attacker, "coord", Role.BRUGFIGUUR)
    invitation = RoleInvitation.objects.get()
    assert invitation.user == world.coordinator and invitation.is_open()
    assert not Membership.objects.filter(user=world.coordinator, region=world.other_region).exists()
    # Until then region B's coordinator cannot see the account.
    detail = reverse("accounts:user_detail", args=[world.coordinator.pk])
    assert attacker.get(detail).status_code == 404
    # The invitee sees it on their own account page (and a line on the start page) ...
    invitee = client_for(world.coordinator)
    page = invitee.get(reverse("accounts:my_account"))
    assert [i.pk for i in page.context["invitations"]] == [invitation.pk]
    assert "Bridge figure in Regio B" in page.content.decode()
    assert "invitation to a role" in invitee.get(reverse("home:start")).content.decode()
    # ... and accepting is what grants the role, on the inviter's authority.
    assert _answer(invitee, invitation, "accept").status_code == 302
    membership = Membership.objects.get(user=world.coordinator, region=world.other_region)
    assert (membership.role, membership.granted_by, membership.revoked_at) == (
        Role.BRUGFIGUUR, world.foreign_coordinator, None)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and not invitation.is_open()
    assert AuditEntry.objects.filter(event=AuditEvent.ROLE_GRANTED, region=world.other_region,
                                     actor=world.foreign_coordinator,
                                     subject_id=str(world.coordinator.pk)).exists()
    assert AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_type="accounts.roleinvitation",
                                  actor=world.coordinator).changes == {"answer": "accepted"}
    assert attacker.get(detail).status_code == 200  # now they work in region B too, by their own choice
    # An answered invitation cannot be answered again.
    _answer(invitee, invitation, "accept")
    assert Membership.objects.filter(user=world.coordinator, region=world.other_region).count() == 1


def test_a_declined_invitation_grants_nothing_and_the_inviter_cannot_tell(world):
    attacker = client_for(world.foreign_coordinator)
    _invite(attacker, "coord")
    _invite(attacker, "niemand")
    declined = RoleInvitation.objects.get(login="coord")
    assert _answer(client_for(world.coordinator), declined, "decline").status_code == 302
    declined.refresh_from_db()
    assert declined.declined_at is not None
    assert not Membership.objects.filter(user=world.coordinator, region=world.other_region).exists()
    # Recorded with the invitee's own account (region A), not in the inviting region's trail.
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_id=str(world.coordinator.pk))
    assert (entry.region_id, entry.changes) == (world.region.pk, {"invitation": declined.pk, "answer": "declined"})
    assert not AuditEntry.objects.filter(region=world.other_region, event=AuditEvent.UPDATE).exists()
    shown = attacker.get(ADD).context["invitations"]
    assert {i.login for i in shown} == {"coord", "niemand"}  # both still "not accepted (yet)"


def test_the_managers_list_shows_the_login_as_typed_and_nothing_of_the_account(world):
    _invite(client_for(world.foreign_coordinator), world.coordinator.email)
    page = client_for(world.foreign_coordinator).get(ADD).content.decode()
    assert world.coordinator.email in page  # what the inviter typed
    assert world.coordinator.get_full_name() not in page and "coord<" not in page
    # Region A's managers do not see region B's invitations; the invitee's region learns nothing either.
    assert client_for(world.coordinator).get(ADD).context["invitations"] == []
    assert client_for(world.beheerder).get(ADD).context["invitations"] == []


def test_someone_elses_invitation_cannot_be_answered(world):
    _invite(client_for(world.foreign_coordinator), "coord")
    invitation = RoleInvitation.objects.get()
    for persona in ("brugfiguur", "foreign_coordinator", "foreign_brugfiguur"):
        assert _answer(client_for(world.persona(persona)), invitation, "accept").status_code == 404
    assert not Membership.objects.filter(region=world.other_region, user=world.coordinator).exists()
    invitation.refresh_from_db()
    assert invitation.is_open()


def test_acceptance_asks_the_inviters_rights_again(world):
    _invite(client_for(world.foreign_coordinator), "coord")
    invitation = RoleInvitation.objects.get()
    Membership.objects.filter(user=world.foreign_coordinator).update(revoked_at=timezone.now())
    response = client_for(world.coordinator).post(
        reverse("accounts:invitation_answer", args=[invitation.pk]), {"answer": "accept"}, follow=True
    )
    assert "can no longer give you this role" in response.content.decode()
    assert not Membership.objects.filter(user=world.coordinator, region=world.other_region).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_expires(world, monkeypatch):
    _invite(client_for(world.foreign_coordinator), "coord")
    invitation = RoleInvitation.objects.get()
    later = timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    invitee = client_for(world.coordinator)
    assert invitee.get(reverse("accounts:my_account")).context["invitations"] == []
    response = invitee.post(reverse("accounts:invitation_answer", args=[invitation.pk]), {"answer": "accept"},
                            follow=True)
    assert "can no longer be answered" in response.content.decode()
    assert not Membership.objects.filter(user=world.coordinator, region=world.other_region).exists()


def test_the_administrator_invites_only_to_roles_without_case_content(world):
    client = client_for(world.beheerder)
    form = client.get(ADD).context["form"]
    assert [value for value, _label in form.fields["role"].choices if value] == [Role.BEHEERDER, Role.BELEID]
    response = _invite(client, "bf-b", Role.BRUGFIGUUR)
    assert response.context["form"].errors["role"]
    assert not RoleInvitation.objects.exists()


def test_an_invitation_the_inviter_may_not_give_this_person_reaches_nobody(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """The administrator "invites" someone who works in another region (only the coordinator may add
    them): the same answer as for anyone, but the invitation goes to nobody."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(world.beheerder), "bf-b", Role.BELEID)
    assert response.redirect_chain == [(ADD, 302)]
    invitation = RoleInvitation.objects.get()
    assert invitation.user is None and invitation.login == "bf-b"
    assert mailoutbox == []
    assert client_for(world.foreign_brugfiguur).get(reverse("accounts:my_account")).context["invitations"] == []


def test_nobody_invites_themselves(world):
    _invite(client_for(world.coordinator), "coord", Role.BELEID)
    assert RoleInvitation.objects.get().user is None


@pytest.mark.parametrize("data", [
    {"login": "", "role": Role.BELEID},
    {"login": "coord", "role": "superuser"},
    {"login": "coord", "role": Role.SCHOOLCONTACT},
    {"login": "coord", "role": Role.SCHOOLCONTACT, "school": "99999999999999999999"},
    {"login": "x" * 300, "role": Role.BELEID},
])
def test_bad_input_is_a_form_error_and_changes_nothing(world, data):
    response = client_for(world.foreign_coordinator).post(ADD, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not RoleInvitation.objects.exists()


def test_a_bad_answer_changes_nothing(world):
    _invite(client_for(world.foreign_coordinator), "coord")
    invitation = RoleInvitation.objects.get()
    response = client_for(world.coordinator).post(
        reverse("accounts:invitation_answer", args=[invitation.pk]), {"answer": "maybe"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_open()
    url = reverse("accounts:invitation_answer", args=[invitation.pk])
    assert client_for(world.coordinator).get(url).status_code == 405


def test_an_invitation_of_someone_in_the_same_region_works_like_the_others(world):
    _invite(client_for(world.coordinator), "bf2", Role.BELEID)
    invitation = RoleInvitation.objects.get()
    assert invitation.user == world.brugfiguur2
    _answer(client_for(world.brugfiguur2), invitation, "accept")
    assert world.brugfiguur2.memberships.filter(role=Role.BELEID, region=world.region).exists()


def test_a_known_and_an_unknown_login_take_the_same_way_through_the_database(world):
    """No extra queries that would make the answer for an existing account slower (the mail is sent
    after the answer, by the task queue)."""
    client = client_for(world.foreign_coordinator)
    client.get(ADD)  # warm the session
    counts = []
    for login in ("coord", "niemand"):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert client.post(ADD, {"login": login, "role": Role.BRUGFIGUUR}).status_code == 302
            transaction.set_rollback(True)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
