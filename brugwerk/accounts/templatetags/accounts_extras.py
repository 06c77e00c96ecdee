"""Template tags of accounts: what other apps' pages may show about the user's own account."""

from django import template

from brugwerk.accounts import selectors

register = template.Library()


@register.simple_tag
def open_invitation_count(user) -> int:
    """How many invitations to a role `user` may still accept or decline (for a line on the start page)."""
    return len(selectors.invitations_open_for(user=user))
