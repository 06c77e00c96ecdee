"""Template helpers for showing contact details."""

import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone: str) -> str:
    """A phone number as written ("056 24 16 00", "+32 (0)56/24.16.00") as a tel: link target."""
    phone = (phone or "").strip()
    digits = re.sub(r"\(0\)", "", phone) if phone.startswith("+") else phone
    digits = re.sub(r"[^\d+]", "", digits)
    return f"tel:{digits}" if digits else ""
