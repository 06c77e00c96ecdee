"""docs/access.md from the registry: the record kinds its matrix must list, and the table of named
permissions (`manage.py access_docs` writes it, `--check` fails when the page is behind)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from brugwerk.access.policy import Principal
from brugwerk.access.registry import PERMISSIONS, RULES
from brugwerk.access.roles import Role

DOCS = Path(settings.BASE_DIR) / "docs" / "access.md"
PERMISSIONS_START = "<!-- permissions:start -->"
PERMISSIONS_END = "<!-- permissions:end -->"
_REGION = 1


def registered_kinds() -> set[str]:
    """The names of the record kinds with a rule."""
    return {model.__name__ for model in RULES}


def _holder(role: str) -> Principal:
    """Someone who holds `role` in a region (a school contact for a school, a partner for an
    organisation there) and nothing else."""
    return Principal(
        user_id=-1,
        roles={_REGION: frozenset({role})},
        schools={_REGION: frozenset({-1})} if role == Role.SCHOOLCONTACT else {},
        organisations={_REGION: frozenset({-1})} if role == Role.PARTNER else {},
    )


def _cell(name: str, role: str) -> str:
    permission = PERMISSIONS[name]
    holder = _holder(role)
    if not permission.allows(holder, _REGION):
        return "—"
    return "main" if holder.has_role(_REGION, permission.main_for) else "yes"


def permissions_table() -> str:
    """Each permission, asked of a holder of each role in their region: "yes", "main" (yes, and the
    page is in their main bar), or "—". Permissions asked of one record (a session, a school) show
    what holds without one."""
    roles = list(Role.values)
    lines = [
        "| permission | " + " | ".join(roles) + " | what it opens |",
        "|---|" + "---|" * len(roles) + "---|",
    ]
    for name in sorted(PERMISSIONS):
        cells = " | ".join(_cell(name, role) for role in roles)
        lines.append(f"| `{name}` | {cells} | {PERMISSIONS[name].description} |")
    return "\n".join(lines)


def documented_block(text: str) -> str | None:
    start, end = text.find(PERMISSIONS_START), text.find(PERMISSIONS_END)
    if start < 0 or end < start:
        return None
    return text[start + len(PERMISSIONS_START):end].strip()


def with_table(text: str) -> str:
    start, end = text.index(PERMISSIONS_START), text.index(PERMISSIONS_END)
    return text[: start + len(PERMISSIONS_START)] + "\n" + permissions_table() + "\n" + text[end:]
