"""What every page's frame needs: the user's region, their roles there and the menu for them."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from brugwerk.access import featured, may
from brugwerk.access.roles import Role
from brugwerk.accounts.selectors import current_region, regions_of, roles_in

# (url name, label, the permission that shows it). Who sees an entry, and whether in the main bar
# (the page is one of their daily tasks) or under "More", is the policy's: each app declares its
# permissions in its rules.py (docs/access.md). The menu is a convenience: each page still asks.
MENU = [
    ("home:start", _("Start"), "home.view_start"),
    ("cases:case_list", _("Cases"), "cases.view_cases"),
    ("agenda:agenda", _("Agenda"), "agenda.view_agenda"),
    ("cases:referral_list", _("Referrals"), "cases.view_referrals"),
    ("cases:waiting_list", _("Waiting list"), "cases.view_waiting_list"),
    ("cases:caseload", _("Caseload"), "cases.view_caseload"),
    ("timeuse:overview", _("Time use"), "timeuse.view_overview"),
    ("cases:low_threshold_list", _("Contacts without a case"), "cases.view_low_threshold_contacts"),
    ("cases:partner_inbox", _("Referred to us"), "cases.view_partner_inbox"),
    ("expertise:activity_list", _("School teams"), "expertise.list_activities"),
    ("expertise:figures", _("Expertise in figures"), "expertise.figures_in_menu"),
    ("groups:offering_list", _("Group offerings"), "groups.view_offerings"),
    ("groups:figures", _("Group offerings in figures"), "groups.figures_in_menu"),
    ("signals:signal_list", _("Signals"), "signals.view_signals"),
    ("signals:policy_list", _("Signals to policy"), "signals.answer_signals"),
    ("cooperation:meeting_list", _("Network meetings"), "cooperation.view_meetings"),
    ("cooperation:action_list", _("Open actions"), "cooperation.view_actions"),
    ("cooperation:agreement_overview", _("Cooperation agreements"), "cooperation.view_agreements"),
    ("learning:session_list", _("Learning"), "learning.view_sessions"),
    ("learning:social_map_list", _("Social map"), "learning.view_social_map"),
    ("learning:library_list", _("Library"), "learning.view_library"),
    ("network:contact_finder", _("Who is my contact?"), "network.find_contact"),
    ("regions:school_list", _("Schools"), "regions.view_schools"),
    ("network:organisation_list", _("Partners"), "network.view_organisations"),
    ("pool:member_list", _("Pool"), "pool.view_members"),
    ("regions:overview", _("Region"), "regions.view_overview"),
    ("accounts:user_list", _("Users"), "accounts.manage_users"),
    ("audit:entry_list", _("Audit trail"), "audit.view_trail"),
    ("accounts:my_account", _("My account"), "accounts.view_my_account"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified() and _needs_second_factor(user):
        return {}
    region = current_region(request)
    roles = roles_in(user=user, region=region)  # to name them, not to decide anything
    path = request.path
    items = [
        {"url": url, "label": label, "active": False, "main": featured(user, permission, region=region)}
        for name, label, permission in MENU
        if may(user, permission, region=region) and (url := _url(name))
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
