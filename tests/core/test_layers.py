"""The import contract (`.importlinter`): the layers, no cycle between apps, no app importing another
app's private module, views or forms. A violation fails `make test`."""

from __future__ import annotations

import copy
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
# Modules of the project that are not an app's: they may import any app (the URLconf lists them all).
PROJECT_MODULES = {"settings", "env", "urls", "wsgi"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("brugwerk", cache_dir=None, exclude_type_checking_imports=True)


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def cross_app_imports(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Every import of one app's module by another app's module (the project modules left out)."""
    found = []
    for importer in sorted(graph.modules):
        source = app_of(importer)
        if not source or source in PROJECT_MODULES:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            target = app_of(imported)
            if target and target != source:
                found.append((importer, imported))
    return found


def imports_of_private_parts(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return [
        (importer, imported)
        for importer, imported in cross_app_imports(graph)
        if app_of(imported) != "core"
        and any(part in {"views", "forms"} or part.startswith("_") for part in imported.split(".")[2:])
    ]


def test_the_import_contract_holds() -> None:
    assert lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True) == 0


def test_no_app_imports_another_apps_views_forms_or_private_modules(graph: grimp.ImportGraph) -> None:
    """Shared code lives in `brugwerk.core` (request helpers, form pages, widgets); an app's views,
    forms and `_private` modules are its own."""
    assert imports_of_private_parts(graph) == []


def test_core_imports_no_app(graph: grimp.ImportGraph) -> None:
    assert [(a, b) for a, b in cross_app_imports(graph) if app_of(a) == "core"] == []


def test_the_check_sees_a_violation(graph: grimp.ImportGraph) -> None:
    """The check above is not vacuous: an import of another app's view or private module is found."""
    graph = copy.deepcopy(graph)
    graph.add_import(importer="brugwerk.pool.services", imported="brugwerk.regions.views")
    graph.add_import(importer="brugwerk.groups.services", imported="brugwerk.cases.services._common")
    assert imports_of_private_parts(graph) == [
        ("brugwerk.groups.services", "brugwerk.cases.services._common"),
        ("brugwerk.pool.services", "brugwerk.regions.views"),
    ]
