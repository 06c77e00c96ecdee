"""Every user's own account page: their roles, two-factor status and changing their password."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership
from brugwerk.audit.models import AuditEntry, AuditEvent
from tests.conftest import PERSONAS, client_for
from tests.factories import PASSWORD

NEW = "Schelde-Leie-Kanaal-77"


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_user_sees_their_own_roles(world, persona):
    user = world.persona(persona)
    response = client_for(user).get(reverse("accounts:my_account"))
    assert response.status_code == 200
    assert [m.user_id for m in response.context["roles"]] == [user.pk]
    assert user.username in response.content.decode()


def test_my_account_lists_roles_in_every_region_but_not_revoked_ones(world):
    Membership.objects.create(user=world.brugfiguur, region=world.other_region, role=Role.BELEID)
    Membership.objects.create(
        user=world.brugfiguur, region=world.region, role=Role.BELEID, revoked_at=timezone.now()
    )
    roles = client_for(world.brugfiguur).get(reverse("accounts:my_account")).context["roles"]
    assert {(m.region.name, m.role) for m in roles} == {
        ("Regio A", Role.BRUGFIGUUR),
        ("Regio B", Role.BELEID),
    }


def test_my_account_shows_the_two_factor_status(world):
    client = client_for(world.brugfiguur)
    assert client.get(reverse("accounts:my_account")).context["has_second_factor"] is False
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    assert client.get(reverse("accounts:my_account")).context["has_second_factor"] is True


def test_my_account_view_is_recorded(world):
    client_for(world.partner).get(reverse("accounts:my_account"))
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_id=str(world.partner.pk))
    assert entry.region_id == world.region.pk


def test_user_changes_their_own_password_and_stays_logged_in(world):
    client = client_for(world.schoolcontact)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:my_account")
    world.schoolcontact.refresh_from_db()
    assert world.schoolcontact.check_password(NEW)
    assert client.get(reverse("accounts:my_account")).status_code == 200  # session kept
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_id=str(world.schoolcontact.pk))
    assert entry.changes == {"password": "changed"}
    assert entry.actor_id == world.schoolcontact.pk


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong-password-1", NEW, "old_password"),
        (PASSWORD, "kort", "new_password2"),
        (PASSWORD, "1234567890123", "new_password2"),
    ],
)
def test_wrong_old_password_or_weak_new_password_changes_nothing(world, old, new, field):
    response = client_for(world.schoolcontact).post(
        reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    world.schoolcontact.refresh_from_db()
    assert world.schoolcontact.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(event=AuditEvent.UPDATE).exists()


def test_password_confirmation_does_not_redirect_to_another_site(world):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("accounts:confirm_password") + "?next=https://evil.example/",
        {"password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("home:start")


# --- My e-mail address: only I change it, after re-entering my password ----------------------------


def test_changing_my_email_asks_for_my_password_first_and_tells_the_old_address(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.brugfiguur)
    url = reverse("accounts:my_email")
    response = client.post(url, {"email": "bram@nieuw.test"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:confirm_password"))
    world.brugfiguur.refresh_from_db()
    assert world.brugfiguur.email == "bf1@brugwerk.test"
    client.post(reverse("accounts:confirm_password"), {"password": PASSWORD, "next": url})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "bram@nieuw.test"})
    assert response.status_code == 302 and response.url == reverse("accounts:my_account")
    world.brugfiguur.refresh_from_db()
    assert world.brugfiguur.email == "bram@nieuw.test"
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_id=str(world.brugfiguur.pk))
    assert entry.changes == {"email": {"old": "bf1@brugwerk.test", "new": "bram@nieuw.test"}}
    assert (entry.actor_id, entry.region_id) == (world.brugfiguur.pk, world.region.pk)
    assert sorted(m.to[0] for m in mailoutbox) == ["bf1@brugwerk.test", "bram@nieuw.test"]
    assert all("Done by: yourself" in m.body and "contact your coordinator" in m.body for m in mailoutbox)


@pytest.mark.parametrize("email", ["BF2@brugwerk.test", "geen-adres", ""])
def test_my_email_must_be_a_free_address(world, email):
    client = client_for(world.brugfiguur)
    client.post(reverse("accounts:confirm_password"), {"password": PASSWORD, "next": "/"})
    response = client.post(reverse("accounts:my_email"), {"email": email})
    assert response.status_code == 200 and response.context["form"].errors["email"]
    world.brugfiguur.refresh_from_db()
    assert world.brugfiguur.email == "bf1@brugwerk.test"
    assert not AuditEntry.objects.filter(event=AuditEvent.UPDATE).exists()


def test_my_account_shows_my_open_invitations_only(world):
    from brugwerk.accounts.models import RoleInvitation

    mine = RoleInvitation.objects.create(region=world.other_region, role=Role.BELEID, login="bf1",
                                         user=world.brugfiguur, invited_by=world.foreign_coordinator)
    RoleInvitation.objects.create(region=world.other_region, role=Role.BELEID, login="bf2",
                                  user=world.brugfiguur2, invited_by=world.foreign_coordinator)
    response = client_for(world.brugfiguur).get(reverse("accounts:my_account"))
    assert [i.pk for i in response.context["invitations"]] == [mine.pk]
    assert reverse("accounts:invitation_answer", args=[mine.pk]) in response.content.decode()
