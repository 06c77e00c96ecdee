"""User management pages: the managers (coordinator, administrator) of a region see, add and change
its people; everyone else, and managers of other regions, get a 404."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEntry, AuditEvent
from tests import factories as f
from tests.conftest import client_for
from tests.factories import PASSWORD

NON_MANAGERS = ["brugfiguur", "schoolcontact", "partner", "beleid"]
STRONG = "Kanaal-Leie-Brug-2026"


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"  # the assertions read Django's own (translated) messages


def _entries(event, **kwargs):
    return AuditEntry.objects.filter(event=event, **kwargs)


def _create_data(world, **overrides):
    data = {
        "first_name": "Nele",
        "last_name": "Nieuw",
        "email": "nele@school.test",
        "username": "nele",
        "role": Role.SCHOOLCONTACT,
        "school": world.school.pk,
        "organisation": "",
    }
    data.update(overrides)
    return data


# --- The list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "beheerder"])
def test_managers_see_the_users_of_their_region_with_roles_and_two_factor(world, persona):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    response = client_for(world.persona(persona)).get(reverse("accounts:user_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert str(world.brugfiguur) in content
    assert str(world.schoolcontact) in content
    assert "Sint-Amandscollege" in content  # the school of the school contact's role
    assert "coord-b" not in content and "bf-b" not in content  # region B stays invisible
    rows = {u.pk: u for u in response.context["page"].object_list}
    assert rows[world.brugfiguur.pk].has_second_factor is True
    assert rows[world.brugfiguur2.pk].has_second_factor is False


@pytest.mark.parametrize("persona", NON_MANAGERS)
def test_user_list_is_not_found_for_other_roles(world, persona):
    assert client_for(world.persona(persona)).get(reverse("accounts:user_list")).status_code == 404


def test_user_list_records_who_saw_which_people(world):
    client_for(world.coordinator).get(reverse("accounts:user_list"), {"q": "bf"})
    entry = _entries(AuditEvent.VIEW, subject_type="accounts.user").get()
    assert entry.region_id == world.region.pk
    assert entry.actor_id == world.coordinator.pk
    assert entry.changes["query"] == "bf"
    assert set(entry.changes["shown"]) == {world.brugfiguur.pk, world.brugfiguur2.pk}


def test_user_list_searches_by_name_and_email(world):
    client = client_for(world.coordinator)
    world.partner.first_name, world.partner.last_name = "Pieter", "Partnerman"
    world.partner.save()
    by_name = client.get(reverse("accounts:user_list"), {"q": "partnerman"}).context["page"].object_list
    assert [u.pk for u in by_name] == [world.partner.pk]
    by_email = client.get(reverse("accounts:user_list"), {"q": "beleid@brugwerk"}).context["page"].object_list
    assert [u.pk for u in by_email] == [world.beleid.pk]


def test_user_list_filters_people_without_two_factor(world):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    page = client_for(world.beheerder).get(reverse("accounts:user_list"), {"twofa": "no"}).context["page"]
    shown = {u.pk for u in page.object_list}
    assert world.brugfiguur.pk not in shown and world.brugfiguur2.pk in shown


def test_user_list_live_search_returns_only_the_results_fragment(world):
    response = client_for(world.coordinator).get(
        reverse("accounts:user_list"), {"q": "bf1"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and 'id="user-results"' in content
    assert str(world.brugfiguur) in content


def test_user_list_survives_nonsense_parameters(world):
    response = client_for(world.coordinator).get(
        reverse("accounts:user_list"), {"page": "x'", "twofa": "maybe"}
    )
    assert response.status_code == 200


def test_user_list_runs_the_same_number_of_queries_for_more_people(world, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    client.get(reverse("accounts:user_list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:user_list"))
    for n in range(20):
        user = f.user_with_role(Role.SCHOOLCONTACT, world.region, school=world.school, username=f"extra{n}")
        f.MembershipFactory(user=user, region=world.region, role=Role.BELEID)
        TOTPDevice.objects.create(user=user, name="phone", confirmed=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:user_list"))
    assert len(response.context["page"].object_list) > 20


# --- One person ----------------------------------------------------------------------------------


def test_user_detail_shows_roles_with_who_granted_them_and_the_revoked_ones(world):
    old = Membership.objects.create(
        user=world.brugfiguur, region=world.region, role=Role.BELEID, granted_by=world.beheerder
    )
    client = client_for(world.coordinator)
    client.post(reverse("accounts:role_revoke", args=[world.brugfiguur.pk, old.pk]))
    response = client.get(reverse("accounts:user_detail", args=[world.brugfiguur.pk]))
    assert response.status_code == 200
    assert [m.role for m, _can in response.context["active_roles"]] == [Role.BRUGFIGUUR]
    assert [m.role for m in response.context["revoked_roles"]] == [Role.BELEID]
    assert str(world.beheerder) in response.content.decode()
    view = _entries(AuditEvent.VIEW, subject_type="accounts.user", subject_id=str(world.brugfiguur.pk)).get()
    assert view.region_id == world.region.pk


@pytest.mark.parametrize(
    "name",
    [
        "accounts:user_detail",
        "accounts:user_edit",
        "accounts:role_grant",
        "accounts:user_set_password",
        "accounts:user_otp_reset",
    ],
)
def test_coordinator_of_region_b_gets_404_on_people_of_region_a(world, name):
    client = client_for(world.foreign_coordinator)
    assert client.get(reverse(name, args=[world.brugfiguur.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.brugfiguur.pk]), {"role": Role.BELEID}).status_code == 404


def test_coordinator_of_region_b_cannot_revoke_a_role_in_region_a(world):
    membership = world.brugfiguur.memberships.get()
    url = reverse("accounts:role_revoke", args=[world.brugfiguur.pk, membership.pk])
    assert client_for(world.foreign_coordinator).post(url).status_code == 404
    membership.refresh_from_db()
    assert membership.revoked_at is None


@pytest.mark.parametrize("persona", NON_MANAGERS)
def test_user_detail_is_not_found_for_other_roles_even_for_themselves(world, persona):
    user = world.persona(persona)
    assert client_for(user).get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404


def test_coordinator_sees_who_accessed_the_person_but_the_administrator_does_not(world):
    url = reverse("accounts:user_detail", args=[world.brugfiguur.pk])
    link = f"subject_type=accounts.user&amp;subject_id={world.brugfiguur.pk}"
    assert link in client_for(world.coordinator).get(url).content.decode()
    assert link not in client_for(world.beheerder).get(url).content.decode()


# --- Creating people -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "role"), [("coordinator", Role.SCHOOLCONTACT), ("beheerder", Role.BELEID)])
def test_manager_creates_a_user_with_an_unusable_password_and_a_link_by_mail(
    world, persona, role, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.persona(persona)).post(
            reverse("accounts:user_create"), _create_data(world, role=role)
        )
    user = User.objects.get(username="nele")
    assert response.status_code == 302 and response.url == reverse("accounts:user_detail", args=[user.pk])
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.role, membership.region_id) == (role, world.region.pk)
    assert membership.school_id == (world.school.pk if role == Role.SCHOOLCONTACT else None)
    assert membership.granted_by == world.persona(persona)
    assert _entries(AuditEvent.CREATE, subject_id=str(user.pk), region=world.region).exists()
    assert _entries(AuditEvent.ROLE_GRANTED, subject_id=str(user.pk), region=world.region).exists()
    # One mail, to the new person only: the invitation to set their first password.
    assert [m.to for m in mailoutbox] == [["nele@school.test"]]
    assert "/account/wachtwoord-instellen/" in mailoutbox[0].body and "nele" in mailoutbox[0].body
    assert "/account/wachtwoord-instellen/" not in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "beheerder"])
def test_the_new_user_form_offers_only_the_roles_the_manager_may_grant(world, persona):
    form = client_for(world.persona(persona)).get(reverse("accounts:user_create")).context["form"]
    offered = [value for value, _label in form.fields["role"].choices if value]
    if persona == "coordinator":
        assert offered == list(Role.values)
    else:
        assert offered == [Role.BEHEERDER, Role.BELEID]  # no role that sees case data
        assert "school" not in form.fields and "organisation" not in form.fields


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER])
def test_administrator_cannot_create_an_account_with_a_role_that_sees_case_data(world, role):
    data = _create_data(world, role=role, organisation=world.organisation.pk)
    response = client_for(world.beheerder).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not User.objects.filter(username="nele").exists()


def test_manager_creates_a_partner_for_an_organisation_of_the_region(world):
    data = _create_data(world, role=Role.PARTNER, school="", organisation=world.organisation.pk)
    client_for(world.coordinator).post(reverse("accounts:user_create"), data)
    assert User.objects.get(username="nele").memberships.get().organisation == world.organisation


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "BF1"}, "username", "already taken"),
        ({"email": "BF1@brugwerk.test"}, "email", "already exists"),
        ({"school": ""}, "school", "Choose the school"),
        ({"role": Role.PARTNER, "school": "", "organisation": ""}, "organisation", "Choose the partner"),
        ({"school": "foreign"}, "school", "valid choice"),
        ({"username": "has space"}, "username", "valid username"),
        ({"role": "superuser"}, "role", "valid choice"),
    ],
)
def test_bad_input_for_a_new_user_rerenders_with_errors_and_changes_nothing(world, overrides, field, message):
    if overrides.get("school") == "foreign":
        overrides["school"] = world.foreign_school.pk
    client = client_for(world.coordinator)
    users, entries = User.objects.count(), AuditEntry.objects.count()
    response = client.post(reverse("accounts:user_create"), _create_data(world, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == users
    assert AuditEntry.objects.count() == entries


def test_new_user_form_offers_only_schools_of_the_region(world):
    form = client_for(world.coordinator).get(reverse("accounts:user_create")).context["form"]
    assert set(form.fields["school"].queryset) == {world.school, world.other_school}
    assert set(form.fields["organisation"].queryset) == {world.organisation}


def test_new_user_form_says_when_the_region_has_no_schools_yet(world):
    empty = f.RegionFactory(name="Regio Leeg", slug="regio-leeg")
    manager = f.user_with_role(Role.COORDINATOR, empty, username="coord-leeg")
    response = client_for(manager).get(reverse("accounts:user_create"))
    assert "has no schools yet" in response.content.decode()
    data = {
        "first_name": "A",
        "last_name": "B",
        "email": "ab@x.test",
        "username": "ab",
        "role": Role.SCHOOLCONTACT,
    }
    response = client_for(manager).post(reverse("accounts:user_create"), data)
    assert response.context["form"].errors["school"]
    assert not User.objects.filter(username="ab").exists()


@pytest.mark.parametrize("persona", NON_MANAGERS)
def test_other_roles_cannot_create_users(world, persona):
    response = client_for(world.persona(persona)).post(reverse("accounts:user_create"), _create_data(world))
    assert response.status_code == 404
    assert not User.objects.filter(username="nele").exists()


# --- People who already have an account ------------------------------------------------------------


# Adding someone who already has an account is an invitation they accept (or not): see
# tests/accounts/test_accounts_invitations.py.


def test_administrator_cannot_give_a_person_of_another_region_a_role(world):
    Membership.objects.create(user=world.brugfiguur, region=world.other_region, role=Role.BRUGFIGUUR)
    url = reverse("accounts:role_grant", args=[world.brugfiguur.pk])
    page = client_for(world.beheerder).get(url)
    assert "coordinator of the region only" in page.content.decode()
    response = client_for(world.beheerder).post(url, {"role": Role.BELEID})
    assert response.context["form"].errors["role"]
    assert not world.brugfiguur.memberships.filter(role=Role.BELEID).exists()
    detail = client_for(world.beheerder).get(reverse("accounts:user_detail", args=[world.brugfiguur.pk]))
    assert detail.context["can_grant"] is False


def test_new_user_with_a_taken_username_points_to_adding_the_existing_user(world):
    response = client_for(world.beheerder).post(
        reverse("accounts:user_create"), _create_data(world, username="bf-b")
    )
    assert "Add an existing user" in " ".join(response.context["form"].errors["username"])


# --- Roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "beheerder"])
def test_manager_grants_and_revokes_a_role_with_audit_entries_and_the_owner_is_told(
    world, persona, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.persona(persona))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:role_grant", args=[world.brugfiguur.pk]), {"role": Role.BELEID})
    assert response.status_code == 302
    membership = world.brugfiguur.memberships.get(role=Role.BELEID, revoked_at__isnull=True)
    assert _entries(AuditEvent.ROLE_GRANTED, subject_id=str(world.brugfiguur.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:role_revoke", args=[world.brugfiguur.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.revoked_at is not None
    assert _entries(AuditEvent.ROLE_REVOKED, subject_id=str(world.brugfiguur.pk)).exists()
    assert [m.to for m in mailoutbox] == [[world.brugfiguur.email]] * 2
    granted, revoked = (m.body for m in mailoutbox)
    role_label = "Administrator" if persona == "beheerder" else "Coordinator"
    assert "You were given the role Policy maker in Regio A." in granted
    assert "Your role Policy maker in Regio A was revoked." in revoked
    for body in (granted, revoked):
        assert f"Done by: {role_label} of Regio A" in body
        assert "If you did not expect this, contact your coordinator." in body
        assert str(world.persona(persona)) not in body  # the role, not the person


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER])
def test_administrator_cannot_grant_a_role_that_sees_case_data(world, role):
    url = reverse("accounts:role_grant", args=[world.beleid.pk])
    form = client_for(world.beheerder).get(url).context["form"]
    assert [value for value, _label in form.fields["role"].choices if value] == [Role.BEHEERDER, Role.BELEID]
    data = {"role": role, "school": world.school.pk, "organisation": world.organisation.pk}
    response = client_for(world.beheerder).post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["role"]
    assert not world.beleid.memberships.filter(role=role).exists()


def test_coordinator_grants_a_role_that_sees_case_data(world):
    url = reverse("accounts:role_grant", args=[world.beleid.pk])
    response = client_for(world.coordinator).post(url, {"role": Role.BRUGFIGUUR})
    assert response.status_code == 302
    assert world.beleid.memberships.filter(role=Role.BRUGFIGUUR, granted_by=world.coordinator).exists()


def test_granting_a_role_the_person_already_holds_is_an_error(world):
    url = reverse("accounts:role_grant", args=[world.brugfiguur.pk])
    response = client_for(world.coordinator).post(url, {"role": Role.BRUGFIGUUR})
    assert response.status_code == 200
    assert "already holds this role" in response.content.decode()
    assert world.brugfiguur.memberships.count() == 1


def test_granting_a_school_contact_role_needs_a_school_of_the_region(world):
    url = reverse("accounts:role_grant", args=[world.brugfiguur.pk])
    response = client_for(world.coordinator).post(
        url, {"role": Role.SCHOOLCONTACT, "school": world.foreign_school.pk}
    )
    assert response.context["form"].errors["school"]
    assert world.brugfiguur.memberships.count() == 1


def test_revoke_asks_for_confirmation_first(world):
    membership = world.brugfiguur.memberships.get()
    url = reverse("accounts:role_revoke", args=[world.brugfiguur.pk, membership.pk])
    assert client_for(world.coordinator).get(url).status_code == 200
    membership.refresh_from_db()
    assert membership.revoked_at is None


# --- Changing an account: the administrator only --------------------------------------------------


def test_administrator_edits_name_email_phone_and_active_with_an_audit_diff(world):
    url = reverse("accounts:user_edit", args=[world.brugfiguur.pk])
    data = {
        "first_name": "Bram",
        "last_name": "Brug",
        "email": "bram@brugwerk.test",
        "phone": "0470 00 00 00",
    }
    response = client_for(world.beheerder).post(url, data)  # is_active unticked: the account is closed
    assert response.status_code == 302
    world.brugfiguur.refresh_from_db()
    assert (world.brugfiguur.first_name, world.brugfiguur.phone, world.brugfiguur.is_active) == (
        "Bram",
        "0470 00 00 00",
        False,
    )
    entry = _entries(AuditEvent.UPDATE, subject_id=str(world.brugfiguur.pk)).get()
    assert entry.changes["first_name"]["new"] == "Bram"
    assert entry.changes["is_active"] == {"old": True, "new": False}
    assert entry.region_id == world.region.pk


def test_coordinator_cannot_edit_accounts(world):
    url = reverse("accounts:user_edit", args=[world.brugfiguur.pk])
    assert client_for(world.coordinator).get(url).status_code == 404
    detail = client_for(world.coordinator).get(reverse("accounts:user_detail", args=[world.brugfiguur.pk]))
    assert url not in detail.content.decode()


def test_editing_with_an_email_of_someone_else_is_an_error(world):
    url = reverse("accounts:user_edit", args=[world.beleid.pk])
    data = {
        "first_name": "Bram",
        "last_name": "Brug",
        "email": world.brugfiguur2.email.upper(),
        "is_active": "on",
    }
    response = client_for(world.beheerder).post(url, data)
    assert response.context["form"].errors["email"]
    world.beleid.refresh_from_db()
    assert world.beleid.first_name != "Bram"
    assert not _entries(AuditEvent.UPDATE).exists()


@pytest.mark.parametrize("persona", ["brugfiguur", "coordinator", "schoolcontact", "partner"])
def test_administrator_cannot_change_the_email_of_someone_with_a_role_that_sees_case_data(world, persona):
    subject = world.persona(persona)
    url = reverse("accounts:user_edit", args=[subject.pk])
    page = client_for(world.beheerder).get(url)
    assert page.context["form"].fields["email"].disabled
    assert "Only this person can change their e-mail address" in page.content.decode()
    data = {"first_name": "Bram", "last_name": "Brug", "email": "bram@elders.test", "is_active": "on"}
    response = client_for(world.beheerder).post(url, data)
    assert response.status_code == 302  # the other details are saved, the address is not
    subject.refresh_from_db()
    assert subject.email == f"{subject.username}@brugwerk.test" and subject.first_name == "Bram"
    assert "email" not in _entries(AuditEvent.UPDATE, subject_id=str(subject.pk)).get().changes


def test_a_role_that_sees_case_data_keeps_the_email_locked_after_it_was_revoked(world):
    membership = world.brugfiguur.memberships.get()
    client_for(world.beheerder).post(reverse("accounts:role_revoke", args=[world.brugfiguur.pk, membership.pk]))
    page = client_for(world.beheerder).get(reverse("accounts:user_edit", args=[world.brugfiguur.pk]))
    assert page.context["form"].fields["email"].disabled


def test_administrator_changes_the_email_of_a_policy_maker_and_both_addresses_are_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:user_edit", args=[world.beleid.pk])
    data = {"first_name": world.beleid.first_name, "last_name": "Beleid", "email": "beleid@stad.test",
            "is_active": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.beheerder).post(url, data).status_code == 302
    world.beleid.refresh_from_db()
    assert world.beleid.email == "beleid@stad.test"
    assert sorted(m.to[0] for m in mailoutbox) == ["beleid@brugwerk.test", "beleid@stad.test"]
    assert "e-mail address" in mailoutbox[0].body and "Done by: Administrator of Regio A" in mailoutbox[0].body


def test_closing_an_account_tells_its_owner(world, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("accounts:user_edit", args=[world.brugfiguur.pk])
    data = {"first_name": world.brugfiguur.first_name, "last_name": world.brugfiguur.last_name,
            "email": world.brugfiguur.email}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.beheerder).post(url, data)  # "active" unticked
    assert [m.to for m in mailoutbox] == [[world.brugfiguur.email]]
    assert "Your account was closed" in mailoutbox[0].body


# --- Passwords: nobody sets or learns another person's password -----------------------------------


def _link_in(message) -> str:
    match = re.search(r"http://testserver(/account/wachtwoord-instellen/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_administrator_sends_a_password_link_and_learns_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("accounts:user_set_password", args=[world.brugfiguur.pk])
    client = client_for(world.beheerder)
    page = client.get(url)
    assert page.status_code == 200 and "new_password1" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    world.brugfiguur.refresh_from_db()
    assert world.brugfiguur.check_password(PASSWORD)  # nothing set, the old password still works
    assert not world.brugfiguur.check_password(STRONG)
    assert [m.to for m in mailoutbox] == [[world.brugfiguur.email]]
    link = _link_in(mailoutbox[0])
    assert link not in response.content.decode() and "wachtwoord-instellen" not in response.content.decode()
    assert "Done by: Administrator of Regio A" in mailoutbox[0].body
    entry = _entries(AuditEvent.UPDATE, subject_id=str(world.brugfiguur.pk)).get()
    assert entry.changes == {"password": "link sent"}
    assert not any(link.split("/")[-2] in e.canonical() for e in AuditEntry.objects.all())


def test_the_owner_sets_the_password_with_the_link_once(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.coordinator).post(reverse("accounts:user_create"), _create_data(world))
    user = User.objects.get(username="nele")
    link = _link_in(mailoutbox[0])
    client = Client()
    form_url = client.get(link).url  # Django keeps the token out of the address bar
    assert client.get(form_url).context["validlink"]
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    entry = _entries(AuditEvent.UPDATE, subject_id=str(user.pk)).get()
    assert (entry.changes, entry.actor_id, entry.region_id) == (
        {"password": "set with a one-time link"}, user.pk, world.region.pk)
    assert not any(STRONG in e.canonical() for e in AuditEntry.objects.all())
    # The link is spent: the password it was made for has changed.
    again = Client()
    response = again.get(link)
    assert response.status_code == 200 and response.context["validlink"] is False
    response = again.post(link, {"new_password1": "Ander-Wachtwoord-77", "new_password2": "Ander-Wachtwoord-77"})
    assert response.status_code == 200 and response.context["validlink"] is False
    user.refresh_from_db()
    assert user.check_password(STRONG)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "too short"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
        ("nele.nieuw.2026", "too similar"),
    ],
)
def test_weak_passwords_are_refused_on_the_link_page(
    world, password, message, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.coordinator).post(
            reverse("accounts:user_create"), _create_data(world, username="nele.nieuw")
        )
    user = User.objects.get(username="nele.nieuw")
    client = Client()
    form_url = client.get(_link_in(mailoutbox[0])).url
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not _entries(AuditEvent.UPDATE, subject_id=str(user.pk)).exists()


def test_a_forged_link_sets_nothing(world):
    uid = urlsafe_base64_encode(force_bytes(world.brugfiguur.pk))
    client = Client()
    response = client.get(reverse("accounts:password_set", args=[uid, "abc-0123456789abcdef"]))
    assert response.status_code == 200 and response.context["validlink"] is False
    response = client.post(reverse("accounts:password_set", args=[uid, "zetten"]),
                           {"new_password1": STRONG, "new_password2": STRONG})
    assert response.context["validlink"] is False
    world.brugfiguur.refresh_from_db()
    assert not world.brugfiguur.check_password(STRONG)


def test_coordinator_cannot_send_password_links(world, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("accounts:user_set_password", args=[world.brugfiguur.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.coordinator).post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 404
    assert mailoutbox == []


def test_administrator_resets_two_factor_which_clears_the_password_and_mails_a_link(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    url = reverse("accounts:user_otp_reset", args=[world.brugfiguur.pk])
    client = client_for(world.beheerder)
    assert client.get(url).status_code == 200  # the confirmation page changes nothing
    assert TOTPDevice.objects.filter(user=world.brugfiguur).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.brugfiguur).exists()
    world.brugfiguur.refresh_from_db()
    assert not world.brugfiguur.has_usable_password()
    entry = _entries(AuditEvent.OTP_REMOVED, subject_id=str(world.brugfiguur.pk), region=world.region).get()
    assert entry.changes == {"devices": 1, "password": "cleared"}
    assert [m.to for m in mailoutbox] == [[world.brugfiguur.email]]
    assert "two-factor authentication" in mailoutbox[0].body and _link_in(mailoutbox[0])


def test_coordinator_cannot_reset_two_factor(world):
    TOTPDevice.objects.create(user=world.brugfiguur, name="phone", confirmed=True)
    assert (
        client_for(world.coordinator)
        .post(reverse("accounts:user_otp_reset", args=[world.brugfiguur.pk]))
        .status_code
        == 404
    )
    assert TOTPDevice.objects.filter(user=world.brugfiguur).exists()
