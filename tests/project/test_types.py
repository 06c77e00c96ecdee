"""The type check stays honest: mypy (in `make test`) checks all of brugwerk/, and nothing of our
own is switched off; every `type: ignore` names its error code and says why on the same line."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")


def _mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_mypy_checks_all_of_brugwerk_and_make_test_runs_it():
    config = _mypy_config()
    assert config["files"] == ["brugwerk"]
    assert "mypy_django_plugin.main" in config["plugins"]
    assert config.get("check_untyped_defs") is True
    assert "ignore_errors" not in config
    assert "mypy brugwerk" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_no_module_of_ours_is_exempt():
    for override in _mypy_config().get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not [m for m in modules if m.startswith("brugwerk")], override
        assert set(override) <= {"module", "ignore_missing_imports"}, override


def test_every_type_ignore_names_its_code_and_a_reason():
    bad = []
    for path in sorted((ROOT / "brugwerk").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = IGNORE.search(line)
            if found and not re.match(r"\[[a-z-]+(, *[a-z-]+)*\]\s*#\s*\S", found["rest"]):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bad, "A type: ignore needs [code] and '# why' on the same line:\n" + "\n".join(bad)
