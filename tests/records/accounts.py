"""Records of accounts beyond users and roles (which tests/access/test_access_matrix.py and
tests/access/test_isolation.py build themselves): invitations to a role. The invitee's own rights and
the managers' pages are tested in tests/access/test_access_matrix.py (test_the_invitee_sees_and_answers_*)
and tests/accounts/test_accounts_invitations.py."""

from __future__ import annotations

from brugwerk.access.roles import Role
from brugwerk.accounts.models import RoleInvitation
from tests.records import Records

MODELS = (RoleInvitation,)

# The row is asked of an invitation to a brugfiguur role (one that sees case content), sent to
# somebody who is not the persona: only the region's coordinator sends one, both managers see them.
EXPECTED = {
    # record kind       brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "RoleInvitation":   ("—",       "V C",       "—",           "—",     "—",    "V"),
}  # fmt: skip


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    invitation = RoleInvitation.objects.create(
        region=region, role=Role.BELEID, login=lead.username, user=lead, invited_by=colleague
    )
    return Records(
        existing={RoleInvitation: invitation},
        new={RoleInvitation: lambda: RoleInvitation(region=region, role=Role.BRUGFIGUUR, login="newcomer",
                                                    user=newcomer)},
    )

RECORD_URLS = [
    ("accounts:invitation_answer", lambda side: {"pk": side[RoleInvitation].pk}),
]
