"""No role check outside the policy: nobody outside `brugwerk/access` reads a principal (the user's
roles) to decide something, and no module outside the rules keeps its own set of roles. They ask
`can`, `scope`, `may` (docs/access.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

BRUGWERK = Path(__file__).resolve().parents[2] / "brugwerk"
# Reading a user's principal is the mechanism's own business. (accounts provides the loader and
# drops a cached principal when roles change: `set_principal_loader`, `forget_principal`.)
PRIVATE = {"principal_of", "all_roles", "has_role", "regions_with"}
# Where role sets may be written: the roles themselves, and the rules each app registers.
ROLE_SET = re.compile(r"frozenset\(\s*[\{\[]\s*Role\.")


def _modules():
    for path in sorted(BRUGWERK.rglob("*.py")):
        relative = path.relative_to(BRUGWERK)
        if relative.parts[0] == "access" or "migrations" in relative.parts:
            continue
        yield relative, path.read_text(encoding="utf-8")


def _imported_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("brugwerk.access"):
            names.update(alias.name for alias in node.names)
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            names.add(node.attr)
    return names


def _reads_roles(relative: Path, source: str) -> set[str]:
    """What a module reads of a principal: only the rules, which are handed one, may."""
    names = _imported_names(source) & {"principal_of"}
    if relative.name != "rules.py":
        names |= _imported_names(source) & (PRIVATE - {"principal_of"})
    return names


def test_no_module_outside_access_reads_a_principal():
    offenders = {str(rel): sorted(_reads_roles(rel, src)) for rel, src in _modules()}
    assert {rel: names for rel, names in offenders.items() if names} == {}


def test_no_module_outside_the_rules_keeps_a_set_of_roles():
    offenders = [
        str(rel) for rel, src in _modules()
        if rel.name != "rules.py" and rel.parts[0] != "demo" and ROLE_SET.search(src)
    ]
    assert offenders == []


def test_the_menu_names_permissions_not_roles():
    """Role names appear in the frame only to show the user theirs (`Role.choices`), never a member."""
    source = (BRUGWERK / "home" / "context_processors.py").read_text(encoding="utf-8")
    assert re.findall(r"Role\.[A-Z]+\b", source) == []


def test_the_start_page_names_permissions_not_roles():
    """Which sections the start page shows is the policy's answer (`home.start_as_…`), not a role test."""
    source = (BRUGWERK / "home" / "selectors.py").read_text(encoding="utf-8")
    assert re.findall(r"Role\.[A-Z]+\b", source) == []
    assert len(re.findall(r'may\(user, "home\.start_as_[a-z]+"', source)) == 6
