"""Project-level guarantees: production settings are strict, migrations match the models, the
translation catalogs are compiled and complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "BRUGWERK_ENV": "production",
    "SECRET_KEY": "k" * 20 + "Xy7#pQ2$vL9@wR4!zT6&nB8*mC1^dF3%hJ5",
    "ALLOWED_HOSTS": "brugwerk.example.be",
    "DATABASE_URL": "postgres://brugwerk@127.0.0.1:5432/brugwerk_unused",
    "BRUGWERK_AUDIT_KEY": "audit-" + "a" * 26 + "Qm4!xR7#kP2$",
}


def manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    ours = ("BRUGWERK_", "DATABASE_URL", "SECRET_KEY", "DJANGO_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **(env or {})},
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "BRUGWERK_AUDIT_KEY"])
def test_production_refuses_to_start_without_required_setting(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_demo_mode_and_switching_off_two_factor():
    result = manage("check", env={**PRODUCTION_ENV, "BRUGWERK_DEMO_MODE": "true"})
    assert result.returncode != 0 and "BRUGWERK_DEMO_MODE" in result.stderr
    result = manage("check", env={"BRUGWERK_REQUIRE_2FA": "false"})
    assert result.returncode != 0 and "BRUGWERK_REQUIRE_2FA" in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(secret)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_short_audit_key():
    result = manage("check", env={**PRODUCTION_ENV, "BRUGWERK_AUDIT_KEY": "too-short"})
    assert result.returncode != 0
    assert "BRUGWERK_AUDIT_KEY must be at least 32 characters" in result.stderr


def test_audit_key_can_come_from_a_file(tmp_path):
    key = tmp_path / "audit-key"
    key.write_text(PRODUCTION_ENV["BRUGWERK_AUDIT_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "BRUGWERK_AUDIT_KEY"} | {"BRUGWERK_AUDIT_KEY_FILE": str(key)}
    result = manage("shell", "-v0", "-c", "from brugwerk.audit.keys import audit_key; print(audit_key().decode())",
                    env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION_ENV["BRUGWERK_AUDIT_KEY"]


def test_migrations_match_the_models():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def untranslated_entries(po: Path) -> list[str]:
    """msgids of a .po file whose msgstr is empty or marked fuzzy (a small reader, enough for Django's output)."""
    missing: list[str] = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstrs, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                current.append(line[6:].strip('"'))
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                current = []
                msgstrs.append(current)
                current.append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"') and current is not None:
                current.append(line.strip('"'))
        text = "".join(msgid)
        if not text:
            continue  # the header
        if fuzzy or not msgstrs or any(not "".join(m) for m in msgstrs):
            missing.append(text)
    return missing


@pytest.mark.parametrize("language", ["nl", "en"])
def test_translation_catalog_is_compiled(language):
    po = ROOT / "brugwerk" / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert po.exists() and mo.exists(), f"run `make messages` for {language}"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is older than {po}: run `make messages`"


def test_every_string_in_the_code_has_a_dutch_translation(tmp_path):
    """Extract the strings afresh (as `make messages` does) into a copy, then look for gaps."""
    copy = tmp_path / "brugwerk"
    shutil.copytree(ROOT / "brugwerk", copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-location", "--no-obsolete"],
        cwd=copy, env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brugwerk.settings",
            "PYTHONPATH": str(ROOT),
            "BRUGWERK_LOCALE_DIR": str(copy / "locale"),
        },
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    missing = untranslated_entries(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    assert not missing, f"{len(missing)} strings lack a Dutch translation, e.g. {missing[:8]}"
