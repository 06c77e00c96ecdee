"""What other apps show on a school's page. `regions` sits below `network` and `pool`, so it does not
ask them: each registers its section at start-up (in its `AppConfig.ready`), and the school page shows
the registered sections in their `order`, and records in its audit entry which records each showed.

    register_school_section(SchoolSection(
        key="pool_members", context_name="pool_members", template="pool/partials/school_section.html", order=10,
        items=lambda *, user, school: pool_members_serving(user=user, school=school),
        audit_ids=lambda items: [member.pk for member in items],
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brugwerk.regions.models import School


@dataclass(frozen=True)
class SchoolSection:
    key: str  # the name of its records in the audit entry's details
    context_name: str  # the name of what it shows in the page's context
    template: str  # rendered with `school` and `items`
    order: int
    items: Callable[..., Any]  # (*, user, school) -> what the section shows
    audit_ids: Callable[[Any], list[int]]  # the ids of the records shown, for the audit entry


@dataclass(frozen=True)
class ShownSection:
    section: SchoolSection
    items: Any

    @property
    def template(self) -> str:
        return self.section.template


_sections: dict[str, SchoolSection] = {}


def register_school_section(section: SchoolSection) -> None:
    _sections[section.key] = section


def school_sections(*, user: Any, school: School) -> list[ShownSection]:
    """Every registered section with what it shows `user` for `school`, in order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.key))
    return [ShownSection(section, section.items(user=user, school=school)) for section in ordered]


def audit_details(shown: list[ShownSection]) -> dict[str, list[int]]:
    """Which records the sections showed, by section key (sorted, so the entry does not depend on
    the order the apps registered in)."""
    return {item.section.key: item.section.audit_ids(item.items) for item in sorted(shown, key=lambda s: s.section.key)}
