"""The registry: each app registers its own rules, the mechanism imports no domain app, and
docs/access.md lists exactly what is registered."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from brugwerk.access.docs import DOCS, documented_block, permissions_table, registered_kinds
from brugwerk.access.permissions import Permission
from brugwerk.access.registry import PERMISSIONS, REGISTERED_BY, RULES, register, register_permission, rule_for
from brugwerk.access.rules import Rule

ACCESS = Path(__file__).resolve().parents[2] / "brugwerk" / "access"


def _documented_kinds() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- matrix:start -->(.*?)<!-- matrix:end -->", text, re.S)
    assert block, "docs/access.md must hold the matrix between <!-- matrix:start --> and <!-- matrix:end -->"
    rows = [line for line in block.group(1).splitlines() if line.startswith("|")][2:]
    kinds = {line.strip("|").split("|")[0].strip().strip("`") for line in rows}
    return {re.sub(r" \(.*\)$", "", kind) for kind in kinds}  # "AuditEntry (account event)" is AuditEntry


def test_the_docs_matrix_lists_exactly_the_registered_record_kinds():
    documented = _documented_kinds()
    assert registered_kinds() - documented == set(), "registered, but missing from docs/access.md"
    assert documented - registered_kinds() == set(), "in docs/access.md, but no rule is registered"


def test_the_docs_list_every_permission_as_the_registry_gives_it():
    block = documented_block(DOCS.read_text(encoding="utf-8"))
    assert block == permissions_table(), "docs/access.md is behind the registry: run manage.py access_docs"
    call_command("access_docs", check=True)


def test_each_record_kind_is_registered_by_the_rules_of_its_own_app():
    for model in RULES:
        app = apps.get_app_config(model._meta.app_label)
        assert REGISTERED_BY[model] == f"{app.name}.rules", model._meta.label


def test_each_permission_is_named_after_an_app():
    labels = {config.label for config in apps.get_app_configs()}
    for name in PERMISSIONS:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", name), name
        assert name.split(".")[0] in labels, name


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_mechanism_imports_no_domain_app():
    for path in ACCESS.rglob("*.py"):
        outside = {m for m in _imports(path) if m.startswith("brugwerk.") and not m.startswith("brugwerk.access")}
        assert outside <= {"brugwerk.core"} | {m for m in outside if m.startswith("brugwerk.core.")}, (path, outside)


def test_a_record_kind_or_permission_is_registered_once():
    model = next(iter(RULES))
    with pytest.raises(ImproperlyConfigured):
        register(model, Rule("region", {}))
    with pytest.raises(ImproperlyConfigured):
        register_permission(Permission(next(iter(PERMISSIONS)), "twice"))


def test_a_kind_without_a_rule_names_the_module_to_add_it_to():
    from django.contrib.sessions.models import Session

    with pytest.raises(LookupError, match="sessions/rules.py"):
        rule_for(Session)
