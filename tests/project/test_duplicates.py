"""No near-copy across apps (issue 9): the same logic written twice in two apps belongs in one place
below both (`brugwerk.core`, `brugwerk.audit.services`, or the lower app).

The finder is stdlib only: each module of an app's services, selectors, views, forms or models
(packages of those names included; migrations out) is tokenized into logical lines; names, strings
and numbers are folded to one token each, so a copy with other names is still a copy; every run of
`WINDOW` consecutive lines of one function body is hashed, and a hash found in two apps fails.

What is not counted, and why (the allowlist):
- imports, decorators, docstrings and comments: they say what is used, not what is done;
- code outside a function body: model and form field declarations, `Meta` blocks, `TextChoices`
  members, `urlpatterns` and module constants are Django's declarative boilerplate, alike by design
  (an abstract model is used where a whole model repeated: `brugwerk.vocabularies`);
- the `__init__` of a form, which only sets querysets, labels and widgets of its declared fields
  (declarations again, written in a method because they depend on the region or the user).
"""

from __future__ import annotations

import hashlib
import io
import keyword
import time
import tokenize
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "brugwerk"
KINDS = {"services", "selectors", "views", "forms", "models"}
WINDOW = 6
# Methods whose body is declarative (see the module docstring).
DECLARATIVE_METHODS = {"__init__"}
SKIPPED_TOKENS = {
    tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
    tokenize.ENDMARKER,
}


@dataclass(frozen=True)
class Line:
    number: int
    indent: int
    shape: str


@dataclass(frozen=True)
class Place:
    path: str
    app: str
    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.path}:{self.first}-{self.last}"


def modules(package: Path) -> Iterator[tuple[Path, str]]:
    """The modules of the kinds checked, with their app: `cases/services/casefile.py` and
    `signals/services.py` both count as services."""
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if len(parts) < 2 or "migrations" in parts or "tests" in parts:
            continue
        names = {Path(part).stem for part in parts[1:]}
        if names & KINDS:
            yield path, parts[0]


def logical_lines(source: str) -> list[Line]:
    """The logical lines of a module, each folded to its shape: keywords and operators kept, every
    other name `N`, every string `S`, every number `0`."""
    lines: list[Line] = []
    shape: list[str] = []
    start = 0
    indent = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NEWLINE and shape:
            lines.append(Line(start, indent, " ".join(shape)))
            shape = []
            continue
        if token.type in SKIPPED_TOKENS:
            continue
        if not shape:
            start, indent = token.start
        if token.type == tokenize.NAME:
            shape.append(token.string if keyword.iskeyword(token.string) else "N")
        elif token.type == tokenize.STRING or token.type in {tokenize.FSTRING_START, tokenize.FSTRING_END}:
            shape.append("S")
        elif token.type == tokenize.FSTRING_MIDDLE:
            continue
        elif token.type == tokenize.NUMBER:
            shape.append("0")
        else:
            shape.append(token.string)
    return lines


def function_bodies(lines: list[Line]) -> Iterator[list[Line]]:
    """The counted lines of each outermost function or method body (nested functions belong to
    theirs). Imports, decorators and docstrings are left out."""
    body: list[Line] = []
    owner_indent: int | None = None
    for line in lines:
        if owner_indent is not None and line.indent <= owner_indent:
            yield body
            body, owner_indent = [], None
        if owner_indent is None:
            if line.shape.startswith(("def N", "async def N")):
                owner_indent = line.indent
                body = []
            continue
        if line.shape.startswith(("import ", "from ", "@")) or line.shape == "S":
            continue
        body.append(line)
    if owner_indent is not None:
        yield body


def declarative(source_lines: list[str], line: Line) -> bool:
    text = source_lines[line.number - 1].strip()
    return any(text.startswith(f"def {name}(") for name in DECLARATIVE_METHODS)


def windows(path: Path, app: str, relative: str) -> Iterator[tuple[str, Place]]:
    source = path.read_text(encoding="utf-8")
    source_lines = source.splitlines()
    lines = logical_lines(source)
    # Leave out the bodies of declarative methods: find their `def` lines first.
    skipped: set[int] = set()
    for index, line in enumerate(lines):
        if line.shape.startswith("def N") and declarative(source_lines, line):
            for inner in lines[index + 1:]:
                if inner.indent <= line.indent:
                    break
                skipped.add(inner.number)
    for body in function_bodies(lines):
        body = [line for line in body if line.number not in skipped]
        for i in range(len(body) - WINDOW + 1):
            run = body[i:i + WINDOW]
            digest = hashlib.blake2b("\n".join(line.shape for line in run).encode(), digest_size=12).hexdigest()
            yield digest, Place(relative, app, run[0].number, run[-1].number)


def near_copies(package: Path) -> list[tuple[Place, Place]]:
    """Every pair of places in two different apps that share a window, one row per pair of runs
    (overlapping windows of the same two files are merged)."""
    seen: dict[str, list[Place]] = defaultdict(list)
    for path, app in modules(package):
        for digest, place in windows(path, app, str(path.relative_to(package))):
            seen[digest].append(place)
    pairs: dict[tuple[str, str], list[tuple[Place, Place]]] = defaultdict(list)
    for places in seen.values():
        for i, a in enumerate(places):
            for b in places[i + 1:]:
                if a.app != b.app:
                    first, second = sorted((a, b), key=lambda p: (p.path, p.first))
                    pairs[(first.path, second.path)].append((first, second))
    merged: list[tuple[Place, Place]] = []
    for runs in pairs.values():
        runs.sort(key=lambda pair: (pair[0].first, pair[1].first))
        current = runs[0]
        for a, b in runs[1:]:
            if a.first <= current[0].last and b.first <= current[1].last:
                current = (
                    Place(a.path, a.app, current[0].first, max(a.last, current[0].last)),
                    Place(b.path, b.app, current[1].first, max(b.last, current[1].last)),
                )
            else:
                merged.append(current)
                current = (a, b)
        merged.append(current)
    return sorted(merged, key=lambda pair: (pair[0].path, pair[0].first))


def test_no_near_copy_across_apps() -> None:
    started = time.monotonic()
    found = near_copies(PACKAGE)
    assert time.monotonic() - started < 10
    assert [f"{a} ~ {b}" for a, b in found] == []


PLANTED = '''
def {name}(*, actor, {arg}):
    """A docstring is not counted."""
    with transaction.atomic():
        {arg} = locked({arg})
        require(actor, Action.VIEW, {arg})
        require(actor, Action.DELETE, {arg})
        before = snapshot({arg})
        {arg}.delete()
        record(actor=actor, changes=before, label="{label}")
'''


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for app in ("alpha", "beta", "gamma"):
        (tmp_path / app).mkdir()
    (tmp_path / "alpha" / "services.py").write_text(PLANTED.format(name="alpha_delete", arg="thing", label="a"))
    (tmp_path / "beta" / "services").mkdir()
    # The same function with other names and strings, in a services package of another app.
    (tmp_path / "beta" / "services" / "things.py").write_text(
        "import os\n\n" + PLANTED.format(name="beta_remove", arg="record", label="b")
    )
    return tmp_path


def test_the_check_catches_a_renamed_copy_in_another_app(tree: Path) -> None:
    assert [(str(a), str(b)) for a, b in near_copies(tree)] == [
        ("alpha/services.py:4-10", "beta/services/things.py:6-12")
    ]


def test_the_check_leaves_copies_within_one_app_and_other_modules(tree: Path) -> None:
    (tree / "alpha" / "views.py").write_text(PLANTED.format(name="alpha_again", arg="x", label="c"))
    (tree / "gamma" / "helpers.py").write_text(PLANTED.format(name="gamma_delete", arg="y", label="d"))
    assert [(str(a), str(b)) for a, b in near_copies(tree)] == [
        ("alpha/services.py:4-10", "beta/services/things.py:6-12"),
        ("alpha/views.py:4-10", "beta/services/things.py:6-12"),
    ]


def test_the_check_leaves_declarations_and_short_runs(tree: Path) -> None:
    fields = "".join(f"    field_{i} = models.CharField(max_length={i}, blank=True)\n" for i in range(10))
    init = "    def __init__(self, *args, **kwargs):\n" + "".join(
        f"        self.fields['f{i}'].queryset = Thing.objects.filter(region=region)\n" for i in range(10)
    )
    for app in ("gamma", "delta"):
        (tree / app).mkdir(exist_ok=True)
        (tree / app / "models.py").write_text(f"class Thing(models.Model):\n{fields}\n{init}")
        (tree / app / "forms.py").write_text(
            "def short(x):\n    a = x\n    b = a\n    c = b\n    d = c\n    return d\n"
        )
    assert [(str(a), str(b)) for a, b in near_copies(tree)] == [
        ("alpha/services.py:4-10", "beta/services/things.py:6-12")
    ]
