"""The project stands on its own: the domain facts it relies on are in docs/domain.md, every reference
points there, and the fixed and default lists in the code are written down in it, so that the page
and the code cannot drift apart.

The lists are found in the source (by parsing it, not by importing a module path), so a list that
moves to another app is still checked, and a new list fails here until docs/domain.md describes it
or it is named below as technical.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DOC = ROOT / "docs" / "domain.md"

# Folders that are not the project's own text: tools, caches, local data.
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "var", "__pycache__"}
# A domain brief outside the repository, by name or by the folder it lived in. Spelled in two
# parts so that this file does not match itself.
OUTSIDE_REFERENCE = re.compile("DOMAIN" + r"\.md|/work/" + "shared")

# Choices that are not domain facts: the audit trail's events and the days of the week.
TECHNICAL_CHOICES = {"AuditEvent", "Weekday"}
# Numbers the domain fixes, as module-level constants of brugwerk/.
DOMAIN_CONSTANTS = ("CONSENT_AGE", "SMALL_CELL", "HOURS_PER_WEEK")


@dataclass(frozen=True)
class Choices:
    name: str
    where: str
    members: tuple[tuple[str, str], ...]  # (value, English label)


def _project_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or (part.startswith(".") and part != ".ci") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.stat().st_size < 2_000_000:
            files.append(path)
    return files


@functools.cache
def _sources() -> tuple[tuple[Path, ast.Module], ...]:
    """Every Python module of brugwerk/, parsed once."""
    paths = sorted(path for path in (ROOT / "brugwerk").rglob("*.py") if "__pycache__" not in path.parts)
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"))) for path in paths)


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _default_lists() -> dict[str, tuple[str, ...]]:
    """Every module-level `DEFAULT_*` (and a seed migration's `DEFAULTS`) that is a list of strings."""
    lists = {}
    for path, tree in _sources():
        for name, value in _module_constants(tree).items():
            if not (name.startswith("DEFAULT_") or name == "DEFAULTS") or not isinstance(value, ast.Tuple | ast.List):
                continue
            items = [element.value for element in value.elts if isinstance(element, ast.Constant)]
            if items and len(items) == len(value.elts) and all(isinstance(item, str) for item in items):
                lists[f"{path.relative_to(ROOT)}:{name}"] = tuple(items)
    return lists


def _label(node: ast.expr) -> str | None:
    """The text of `_("...")` (or of a plain string)."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return str(node.args[0].value)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _choices() -> list[Choices]:
    """Every `TextChoices` and `IntegerChoices` class in brugwerk/, outside the migrations."""
    found = []
    for path, tree in _sources():
        if "migrations" in path.parts:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            if not bases & {"TextChoices", "IntegerChoices"}:
                continue
            members = []
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    value, label = statement.value.elts[0], _label(statement.value.elts[-1])
                    if isinstance(value, ast.Constant) and label is not None:
                        members.append((str(value.value), label))
            found.append(Choices(node.name, str(path.relative_to(ROOT)), tuple(members)))
    return found


@pytest.fixture(scope="module")
def domain_doc() -> str:
    return DOMAIN_DOC.read_text(encoding="utf-8")


def test_the_domain_page_is_in_the_repository(domain_doc):
    assert domain_doc.startswith("# The domain of Brugwerk")
    for section in ("## The three pillars", "## Roles", "## The region W13", "## Open questions"):
        assert section in domain_doc


def test_no_file_refers_to_a_domain_brief_outside_the_repository():
    offenders = []
    for path in _project_files():
        text = path.read_bytes()
        if b"\0" in text:
            continue  # compiled catalogs, images, databases
        for number, line in enumerate(text.decode("utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE_REFERENCE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "point these at docs/domain.md:\n" + "\n".join(offenders)


def test_the_search_finds_the_lists_it_checks():
    """The checks below would pass on nothing if the source scan broke: it finds the known lists."""
    defaults = {key.rsplit(":", 1)[-1] for key in _default_lists()}
    assert {"DEFAULT_LIFE_DOMAINS", "DEFAULT_TOPICS", "DEFAULT_SIGNAL_THEMES", "DEFAULT_LEARNING_THEMES"} <= defaults
    names = {choices.name for choices in _choices()}
    assert {"ContactType", "CloseReason", "ConsentPurpose", "Role", "PartnerType", "Pillar"} <= names
    assert all(choices.members for choices in _choices())


def test_every_default_list_is_written_down(domain_doc):
    missing = {
        where: [item for item in items if f"| {item} |" not in domain_doc]
        for where, items in _default_lists().items()
    }
    assert {where: items for where, items in missing.items() if items} == {}


def test_every_fixed_list_of_choices_is_written_down(domain_doc):
    missing = {}
    for choices in _choices():
        if choices.name in TECHNICAL_CHOICES:
            continue
        if f"`{choices.name}`" not in domain_doc:
            missing[f"{choices.where}:{choices.name}"] = ["the list itself"]
            continue
        rows = [f"| `{value}` | {label} |" for value, label in choices.members]
        absent = [row for row in rows if row not in domain_doc]
        if absent:
            missing[f"{choices.where}:{choices.name}"] = absent
    assert missing == {}


def test_the_numbers_the_domain_fixes_are_written_down(domain_doc):
    values = {}
    for _path, tree in _sources():
        constants = _module_constants(tree)
        for name in DOMAIN_CONSTANTS:
            if name in constants:
                values[name] = ast.unparse(constants[name])
    assert set(values) == set(DOMAIN_CONSTANTS)
    for name, value in values.items():
        number = re.sub(r"^Decimal\(['\"](.*)['\"]\)$", r"\1", value)
        assert f"`{name}` = {number}" in domain_doc, name


def test_the_demo_region_is_the_one_described():
    from brugwerk.demo import w13

    doc = DOMAIN_DOC.read_text(encoding="utf-8")
    for municipality in w13.MUNICIPALITIES:
        assert municipality.name in doc
    for zone, municipalities in w13.ZONES.items():
        assert f"| {zone} | {', '.join(municipalities)} |" in doc
    assert sum(school.pupil_count for school in w13.SCHOOLS) == 24_000
    assert "24,000" in doc
    assert sum(member.fte for member in w13.POOL) == 4.5
    assert "4.5 FTE" in doc
