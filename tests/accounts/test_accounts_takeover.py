"""Finding 1 of issue 8: no single account can obtain, for itself or for an account it controls, access
to case content it did not already have.

`test_no_sequence_of_administrator_actions_reaches_case_content` plays the administrator (beheerder)
of region A as an attacker, through the real pages (django.test.Client, two-factor on). It scripts
every sequence, up to three long, of the account actions open to them: create a user (each role the
form offers, with an e-mail address the attacker controls), grant a role (every role, also those the
form does not offer) to a target, send a password link (or set a password, where a page asks for one),
reset the second factor, change the target's e-mail address to one the attacker controls, and add an
existing user (every role). Targets: the accounts the attacker created, the region's coordinator and a
brugfiguur who leads a case. The attacker reads every response and every mail sent to an address they
control. After each sequence they try, for every account, each password they know or can set through a
one-time link found in their mailbox or on a page, enrol an authenticator where asked (they just logged
in, so they can), accept any invitation shown, and open the case, its referral and the partner's page
of its referral out: none may answer 200.

The world is built once; each sequence runs in a savepoint that is rolled back, and a sequence whose
resulting state was seen before is not extended again (unless it now has more steps left).
The focused tests below replay the attacks of the finding as written.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password, is_password_usable
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.cases.models import Case, Referral, ReferralOut
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.factories_cases import casework_in

ATTACKER_DOMAIN = "@attacker.test"
CHOSEN = "Vlieger-Maan-Kaas-4711"  # every password the attacker types anywhere
LINK = re.compile(r"/account/wachtwoord-instellen/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/")
INVITATION_FORM = re.compile(r'action="(/account/mijn-account/uitnodigingen/\d+/)"')
SECRET = re.compile(r'data-testid="otp-secret">([A-Z2-7 ]+)<')
MAX_STEPS = 3

LOGIN_URL = reverse("accounts:login")
SETUP_URL = reverse("accounts:otp_setup")
VERIFY_URL = reverse("accounts:otp_verify")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.BRUGWERK_REQUIRE_2FA = True
    settings.LANGUAGE_CODE = "en"


def request(client: Client, method: str, url: str, data: dict | None = None):
    """One request, with the mails and other tasks it enqueues for after the commit run as they
    would be in production (the test's transaction never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if method == "get":
            return client.get(url)
        return client.post(url, data or {})


def controlled(address: str) -> bool:
    return address.lower().endswith(ATTACKER_DOMAIN)


def mailbox_links() -> set[str]:
    """The one-time links in the mails the attacker can read."""
    return {
        link for message in mail.outbox if any(controlled(to) for to in message.to)
        for link in LINK.findall(message.body)
    }


def link_owner(link: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(link.split("/")[-3])))
    except (ValueError, TypeError):
        return None


def link_valid(link: str) -> bool:
    user = User.objects.filter(pk=link_owner(link)).first()
    return user is not None and default_token_generator.check_token(user, link.split("/")[-2])


def pass_second_factor(client: Client) -> bool:
    """After the password: enrol an authenticator if asked to set one up (the page shows its key); an
    account that already has one the attacker does not hold stops here."""
    response = client.get(reverse("home:start"))
    if response.status_code == 200:
        return True
    if response.status_code != 302 or not response.url.startswith(SETUP_URL):
        return False
    page = request(client, "get", SETUP_URL).content.decode()
    found = SECRET.search(page)
    if not found:
        return False
    key = base64.b32decode(found.group(1).replace(" ", ""))
    response = request(client, "post", SETUP_URL, {"token": f"{totp(key):06d}"})
    return response.status_code == 302


def log_in(client: Client, username: str, password: str) -> bool:
    response = request(client, "post", LOGIN_URL, {"username": username, "password": password})
    return response.status_code == 302 and pass_second_factor(client)


def use_link(client: Client, link: str, password: str) -> bool:
    response = request(client, "get", link)
    if response.status_code == 302:
        response = request(client, "get", response.url)
        link = response.wsgi_request.path
    if response.status_code != 200 or 'name="new_password1"' not in response.content.decode():
        return False
    response = request(client, "post", link, {"new_password1": password, "new_password2": password})
    return response.status_code == 302


@dataclass(repr=False)
class Attack:
    """The attacker, the region's records and what the attacker knows on the current path."""

    client: Client
    world: object
    case_urls: list[str]
    created: tuple[int, ...] = ()
    passwords: frozenset[str] = frozenset()
    seen_links: frozenset[str] = frozenset()
    path: tuple = ()
    explored: dict = field(default_factory=dict)
    effects: dict = field(default_factory=dict)  # (action, the target's condition) -> what it did
    logins: dict = field(default_factory=dict)  # an account's condition -> what a login there reached
    sequences: int = 0
    requests: int = 0

    def act(self, method: str, url: str, data: dict | None = None):
        self.requests += 1
        response = request(self.client, method, url, data)
        if response.status_code == 200:
            self.seen_links |= set(LINK.findall(response.content.decode()))
        return response

    # --- The actions ---------------------------------------------------------------------------

    def targets(self) -> list[int]:
        return [self.world.coordinator.pk, self.world.brugfiguur.pk, *self.created]

    def role_data(self, role: str) -> dict:
        return {
            "role": role,
            "school": self.world.school.pk if role == Role.SCHOOLCONTACT else "",
            "organisation": self.world.organisation.pk if role == Role.PARTNER else "",
        }

    def actions(self) -> list[tuple]:
        """Every action with every parameter: also the roles the forms do not offer (a forged post)."""
        found: list[tuple] = [("create", role) for role in Role.values]
        for target in self.targets():
            found += [("grant", target, role) for role in Role.values]
            found += [("password", target), ("reset 2FA", target), ("e-mail", target)]
            found += [("add existing", target, role) for role in Role.values]
        return found

    def perform(self, action: tuple) -> None:
        """Post the action's form as the attacker would. A page that asks for a new password is given
        one (the attacker then knows it); a page that does not ignores the fields."""
        kind, *args = action
        if kind == "create":
            n = len(self.created) + 1
            data = {"first_name": "Eva", "last_name": f"Nieuw{n}", "email": f"evil{n}{ATTACKER_DOMAIN}",
                    "username": f"evil{n}", **self.role_data(args[0])}
            response = self.act("post", reverse("accounts:user_create"), data)
            match = re.fullmatch(r"/account/gebruikers/(\d+)/", response.get("Location", ""))
            if response.status_code == 302 and match:
                self.created = (*self.created, int(match.group(1)))
        elif kind == "grant":
            self.act("post", reverse("accounts:role_grant", args=[args[0]]), self.role_data(args[1]))
        elif kind == "password":
            self.passwords |= {CHOSEN}
            self.act("post", reverse("accounts:user_set_password", args=[args[0]]),
                     {"new_password1": CHOSEN, "new_password2": CHOSEN})
        elif kind == "reset 2FA":
            self.act("post", reverse("accounts:user_otp_reset", args=[args[0]]))
        elif kind == "e-mail":
            target = User.objects.get(pk=args[0])  # what the user's page shows the attacker
            data = {"first_name": target.first_name, "last_name": target.last_name,
                    "email": f"mail{target.pk}-{len(self.path)}{ATTACKER_DOMAIN}", "phone": target.phone}
            if target.is_active:
                data["is_active"] = "on"
            self.act("post", reverse("accounts:user_edit", args=[args[0]]), data)
        elif kind == "add existing":
            login = User.objects.get(pk=args[0]).username
            self.act("post", reverse("accounts:user_add_existing"), {"login": login, **self.role_data(args[1])})

    # --- What the attacker holds after a sequence ----------------------------------------------------

    def links(self) -> set[str]:
        return {link for link in mailbox_links() | self.seen_links if link_valid(link)}

    def conditions(self) -> dict[int, tuple]:
        """Per account, everything that could matter for what the attacker can do with it: its roles
        (also revoked ones, in every region), open invitations, password, authenticators, e-mail
        address, and whether the attacker holds a password or a valid link for it. Without what
        differs between equal states (primary keys of created accounts, salts, link tokens)."""
        invitation_model = _invitation_model()
        roles: dict[int, list] = {}
        for user_id, region, role, revoked in Membership.objects.values_list(
            "user_id", "region__slug", "role", "revoked_at"
        ):
            roles.setdefault(user_id, []).append((region, role, revoked is None))
        invited: dict[int, list] = {}
        if invitation_model is not None:
            for user_id, region, role in invitation_model.objects.open().filter(user__isnull=False).values_list(
                "user_id", "region__slug", "role"
            ):
                invited.setdefault(user_id, []).append((region, role))
        devices: dict[int, int] = {}
        for user_id in TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True):
            devices[user_id] = devices.get(user_id, 0) + 1
        links_for = {link_owner(link) for link in self.links()}
        return {
            user.pk: (
                "created" if user.pk in self.created else user.username,
                user.is_active, tuple(sorted(roles.get(user.pk, []))), tuple(sorted(invited.get(user.pk, []))),
                is_password_usable(user.password), controlled(user.email), devices.get(user.pk, 0),
                any(check_password(p, user.password) for p in self.passwords), user.pk in links_for,
            )
            for user in User.objects.all()
        }

    @staticmethod
    def state(conditions: dict[int, tuple]) -> tuple:
        return tuple(sorted(conditions.values(), key=repr))

    def reachable(self, conditions: dict[int, tuple]) -> list[str]:
        """Every way the attacker opens a case page now: for each account, each password they know and
        each one-time link they hold, each tried in a savepoint of its own. An account in a condition
        tried before is not tried again (what its session reaches follows from its own roles)."""
        hits = []
        links = self.links()
        for user in User.objects.order_by("pk"):
            if conditions[user.pk] in self.logins:
                hits += self.logins[conditions[user.pk]]
                continue
            found = []
            tries = [("password", p) for p in sorted(self.passwords) if check_password(p, user.password)]
            tries += [("link", link) for link in sorted(links) if link_owner(link) == user.pk]
            for how, secret in tries:
                savepoint, outbox = transaction.savepoint_create(), len(mail.outbox)
                client = Client()
                password = secret if how == "password" else CHOSEN
                if (how == "password" or use_link(client, secret, password)) and log_in(client, user.username,
                                                                                        password):
                    account = request(client, "get", reverse("accounts:my_account")).content.decode()
                    for url in INVITATION_FORM.findall(account):
                        request(client, "post", url, {"answer": "accept"})
                    found += [f"{user.username} ({how}): {url}" for url in self.case_urls
                              if request(client, "get", url).status_code == 200]
                transaction.savepoint_rollback(savepoint)
                del mail.outbox[outbox:]
            self.logins[conditions[user.pk]] = found
            hits += found
        return hits

    # --- Every sequence ------------------------------------------------------------------------

    def key(self, action: tuple, conditions: dict[int, tuple]) -> tuple:
        kind, *args = action
        if kind == "create":
            return (kind, *args, len(self.created))
        return (kind, *args[1:], conditions[args[0]])

    @staticmethod
    def effect(action: tuple, before: dict[int, tuple], after: dict[int, tuple]) -> tuple:
        """What an action did: the target's new condition (None: unchanged) and the conditions of new
        accounts, if nothing else changed; else ("elsewhere",), which is never used to predict."""
        target = action[1] if action[0] != "create" else None
        changed = {pk for pk in before if after.get(pk) != before[pk]}
        if changed - {target}:
            return ("elsewhere",)
        new = tuple(sorted((after[pk] for pk in after if pk not in before), key=repr))
        return ("here", after[target] if target in changed else None, new)

    def predict(self, action: tuple, conditions: dict[int, tuple], effect: tuple) -> tuple:
        predicted = dict(conditions)
        if effect[1] is not None:
            predicted[action[1]] = effect[1]
        return tuple(sorted([*predicted.values(), *effect[2]], key=repr))

    def explore(self, steps_left: int) -> None:
        conditions = self.conditions()
        state = self.state(conditions)
        for action in self.actions():
            self.sequences += 1
            key = self.key(action, conditions)
            known = self.effects.get(key)
            if known is not None and known[0] == "here":
                predicted = self.predict(action, conditions, known)
                if predicted == state or self.explored.get(predicted, -1) >= steps_left - 1:
                    continue  # it did this before to a target in the same condition: nothing new there
            savepoint, outbox = transaction.savepoint_create(), len(mail.outbox)
            before = (self.created, self.passwords, self.seen_links, self.path)
            self.path = (*self.path, action)
            self.perform(action)
            after = self.conditions()
            effect = self.effect(action, conditions, after)
            assert known is None or effect == known, (
                f"{' → '.join(map(str, self.path))}: the same action on a target in the same condition did "
                f"something else than before ({known} then, {effect} now), so the shortcut is unsound here"
            )
            self.effects[key] = effect
            new_state = self.state(after)
            if new_state != state and new_state not in self.explored:
                hits = self.reachable(after)
                assert not hits, f"{' → '.join(map(str, self.path))} reaches case content: {hits}"
            if new_state != state and self.explored.get(new_state, -1) < steps_left - 1:
                self.explored[new_state] = steps_left - 1
                if steps_left > 1:
                    self.explore(steps_left - 1)
            transaction.savepoint_rollback(savepoint)
            del mail.outbox[outbox:]
            self.created, self.passwords, self.seen_links, self.path = before


def _invitation_model():
    try:
        return apps.get_model("accounts", "RoleInvitation")
    except LookupError:
        return None


def _world_under_attack():
    """build_world, a case in region A led by the brugfiguur, passwords the attacker does not know,
    and an authenticator for everyone who needs one (the attacker holds only their own)."""
    world = build_world()
    records = casework_in(world.region, school=world.school, organisation=world.organisation,
                          contact_point=world.contact_point, lead=world.brugfiguur, colleague=world.brugfiguur2,
                          referrer=world.schoolcontact)
    for user in User.objects.exclude(pk=world.beheerder.pk):
        user.set_password(secrets.token_urlsafe(16))
        user.save(update_fields=["password"])
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    case_urls = [
        reverse("cases:case_detail", args=[records[Case].pk]),
        reverse("cases:referral_detail", args=[records[Referral].pk]),
        reverse("cases:partner_referral", args=[records[ReferralOut].pk]),
    ]
    return world, case_urls


def _attacker_client(world) -> Client:
    device = TOTPDevice.objects.create(user=world.beheerder, name="phone", confirmed=True)
    client = Client()
    assert request(client, "post", LOGIN_URL, {"username": "beheer", "password": PASSWORD}).status_code == 302
    response = request(client, "post", VERIFY_URL, {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_no_sequence_of_administrator_actions_reaches_case_content(settings):
    world, case_urls = _world_under_attack()
    settings.BRUGWERK_REQUIRE_2FA = False  # first: the pages are real, and answer those who may see them
    for user, urls in ((world.coordinator, case_urls[:2]), (world.partner, case_urls[2:])):
        owner = Client()
        owner.force_login(User.objects.get(pk=user.pk), backend="brugwerk.accounts.backends.UsernameOrEmailBackend")
        assert [owner.get(url).status_code for url in urls] == [200] * len(urls)
    settings.BRUGWERK_REQUIRE_2FA = True
    attack = Attack(client=_attacker_client(world), world=world, case_urls=case_urls)
    assert [attack.client.get(url).status_code for url in case_urls] == [404] * len(case_urls)
    conditions = attack.conditions()
    attack.explored[attack.state(conditions)] = MAX_STEPS
    assert attack.reachable(conditions) == []
    attack.explore(MAX_STEPS)
    assert attack.sequences > 500  # the sequences were really tried


# --- The attacks of the finding, as written ----------------------------------------------------------


@pytest.fixture
def attacked(db):
    world, case_urls = _world_under_attack()
    return world, case_urls, _attacker_client(world)


def test_administrator_cannot_create_a_coordinator_set_its_password_and_open_a_case(attacked):
    """As beheerder: create a user with role coordinator, set its password, log in as it."""
    world, case_urls, attacker = attacked
    data = {"first_name": "Eva", "last_name": "Kwaad", "email": f"eva{ATTACKER_DOMAIN}", "username": "eva",
            "role": Role.COORDINATOR}
    response = request(attacker, "post", reverse("accounts:user_create"), data)
    assert response.status_code == 200 and response.context["form"].errors["role"]
    assert not User.objects.filter(username="eva").exists()
    # With a role the administrator may give, the account exists, but its password is not theirs to set.
    response = request(attacker, "post", reverse("accounts:user_create"), {**data, "role": Role.BELEID})
    eva = User.objects.get(username="eva")
    request(attacker, "post", reverse("accounts:user_set_password", args=[eva.pk]),
            {"new_password1": CHOSEN, "new_password2": CHOSEN})
    eva.refresh_from_db()
    assert not eva.has_usable_password()
    assert not log_in(Client(), "eva", CHOSEN)
    # And it cannot be made a coordinator afterwards, neither by a grant nor by an invitation.
    request(attacker, "post", reverse("accounts:role_grant", args=[eva.pk]), {"role": Role.COORDINATOR})
    request(attacker, "post", reverse("accounts:user_add_existing"), {"login": "eva", "role": Role.COORDINATOR})
    assert list(eva.memberships.values_list("role", flat=True)) == [Role.BELEID]
    assert not _invitation_model().objects.filter(user=eva).exists()
    # The attacker does own the mailbox: the link gives a policy maker's session, which opens no case.
    (link,) = mailbox_links()
    client = Client()
    assert use_link(client, link, CHOSEN) and log_in(client, "eva", CHOSEN)
    assert [client.get(url).status_code for url in case_urls] == [404] * len(case_urls)


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur"])
def test_administrator_cannot_take_over_an_existing_coordinator_or_brugfiguur(attacked, persona):
    """As beheerder: reset the 2FA and the password of an existing coordinator (or brugfiguur) and log in."""
    world, case_urls, attacker = attacked
    victim = User.objects.get(pk=world.persona(persona).pk)
    request(attacker, "post", reverse("accounts:user_otp_reset", args=[victim.pk]))
    request(attacker, "post", reverse("accounts:user_set_password", args=[victim.pk]),
            {"new_password1": CHOSEN, "new_password2": CHOSEN})
    request(attacker, "post", reverse("accounts:user_edit", args=[victim.pk]),
            {"first_name": victim.first_name, "last_name": victim.last_name,
             "email": f"victim{ATTACKER_DOMAIN}", "is_active": "on"})
    request(attacker, "post", reverse("accounts:user_otp_reset", args=[victim.pk]))
    victim.refresh_from_db()
    assert not TOTPDevice.objects.filter(user=victim).exists()
    assert not victim.has_usable_password()  # nobody can log in until the owner sets one ...
    assert victim.email == f"{victim.username}@brugwerk.test"  # ... with the link sent to their own address
    assert not log_in(Client(), victim.username, CHOSEN)
    assert mailbox_links() == set()
    owner_mail = [m for m in mail.outbox if m.to == [victim.email]]
    assert owner_mail and all(LINK.search(m.body) for m in owner_mail)
    for message in mail.outbox:  # what the owner is told holds no case data
        assert "Yasmine" not in message.body and "Case-regio-a" not in message.body
    assert all("do not use the link and contact your coordinator" in m.body for m in owner_mail)
    # The owner, who reads their mailbox, gets back in (new password, new authenticator).
    client = Client()
    assert use_link(client, LINK.search(owner_mail[-1].body).group(0), "Eigen-Nieuw-Wachtwoord-9")
    assert log_in(client, victim.username, "Eigen-Nieuw-Wachtwoord-9")
    assert client.get(case_urls[0]).status_code == 200
