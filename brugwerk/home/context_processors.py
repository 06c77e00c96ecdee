"""What every page's frame needs: the user's region, their roles there and the menu for them."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from brugwerk.accounts.models import Role
from brugwerk.accounts.selectors import current_region, regions_of, roles_in

ALL = frozenset(Role.values)
MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})
CASEWORKERS = frozenset({Role.COORDINATOR, Role.BRUGFIGUUR})
REFERRERS = frozenset({Role.COORDINATOR, Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER})

NOBODY: frozenset[str] = frozenset()

# (url name, label, roles that see it in the menu, roles that see it in the main bar rather than
# under "More"). The menu is a convenience: each page still asks the access policy.
MENU = [
    ("home:start", _("Start"), ALL, ALL),
    ("cases:case_list", _("Cases"), CASEWORKERS, CASEWORKERS),
    ("cases:agenda", _("Agenda"), CASEWORKERS, frozenset({Role.BRUGFIGUUR})),
    ("cases:referral_list", _("Referrals"), REFERRERS, REFERRERS),
    ("cases:waiting_list", _("Waiting list"), CASEWORKERS, frozenset({Role.COORDINATOR})),
    ("cases:caseload", _("Caseload"), frozenset({Role.COORDINATOR}), frozenset({Role.COORDINATOR})),
    ("timeuse:overview", _("Time use"), frozenset({Role.COORDINATOR, Role.BRUGFIGUUR, Role.BELEID}),
     frozenset({Role.BELEID})),
    ("cases:low_threshold_list", _("Contacts without a case"), frozenset({Role.BRUGFIGUUR}), NOBODY),
    ("cases:partner_inbox", _("Referred to us"), frozenset({Role.PARTNER}), frozenset({Role.PARTNER})),
    ("expertise:activity_list", _("School teams"),
     frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT}), NOBODY),
    ("expertise:figures", _("Expertise in figures"), frozenset({Role.BELEID}), NOBODY),
    ("groups:offering_list", _("Group offerings"),
     frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.PARTNER}), NOBODY),
    ("groups:figures", _("Group offerings in figures"), frozenset({Role.BELEID}), NOBODY),
    ("signals:signal_list", _("Signals"), CASEWORKERS, NOBODY),
    ("signals:policy_list", _("Signals to policy"), frozenset({Role.BELEID, Role.SCHOOLCONTACT}),
     frozenset({Role.BELEID})),
    ("cooperation:meeting_list", _("Network meetings"),
     frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.PARTNER, Role.BELEID}), NOBODY),
    ("cooperation:action_list", _("Open actions"),
     frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.PARTNER}), NOBODY),
    ("cooperation:agreement_overview", _("Cooperation agreements"),
     frozenset({Role.BRUGFIGUUR, Role.COORDINATOR, Role.SCHOOLCONTACT, Role.BELEID}), NOBODY),
    ("learning:session_list", _("Learning"), CASEWORKERS, NOBODY),
    ("learning:social_map_list", _("Social map"), ALL,
     frozenset({Role.BRUGFIGUUR, Role.SCHOOLCONTACT, Role.PARTNER})),
    ("learning:library_list", _("Library"), ALL, NOBODY),
    ("network:contact_finder", _("Who is my contact?"), ALL, ALL - {Role.BEHEERDER, Role.BELEID}),
    ("regions:school_list", _("Schools"), ALL, frozenset({Role.BELEID, Role.BEHEERDER})),
    ("network:organisation_list", _("Partners"), ALL, frozenset({Role.BEHEERDER})),
    ("pool:member_list", _("Pool"), ALL, frozenset({Role.BEHEERDER})),
    ("regions:overview", _("Region"), ALL, frozenset({Role.BELEID, Role.BEHEERDER})),
    ("accounts:user_list", _("Users"), MANAGERS, frozenset({Role.BEHEERDER})),
    ("audit:entry_list", _("Audit trail"), MANAGERS, frozenset({Role.BEHEERDER})),
    ("accounts:my_account", _("My account"), ALL, NOBODY),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified() and _needs_second_factor(user):
        return {}
    region = current_region(request)
    roles = roles_in(user=user, region=region)
    path = request.path
    items = [
        {"url": url, "label": label, "active": False, "main": bool(roles & main)}
        for name, label, allowed, main in MENU
        if roles & allowed and (url := _url(name))
    ]
    # The menu item whose address is the longest prefix of this page's is the current one.
    matching = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(str(item["url"])))["active"] = True
    labels = dict(Role.choices)
    return {
        "current_region": region,
        "user_regions": list(regions_of(user=user)),
        "user_role_labels": [labels[r] for r in Role.values if r in roles],
        "nav_items": [item for item in items if item["main"]],
        "nav_more": [item for item in items if not item["main"]],
        "nav_more_active": any(item["active"] for item in items if not item["main"]),
    }


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page of a feature this installation does not have (yet)
        return ""


def _needs_second_factor(user) -> bool:
    from brugwerk.accounts.selectors import second_factor_required

    return second_factor_required(user)
