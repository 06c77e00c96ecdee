"""Test migrations forward on a populated demo database: the rows and the audit chain survive.

    .venv/bin/python scripts/migration_check.py --base <rev> [--head <rev>] [--database-url URL]

1. The base revision is exported (`git archive`) into a temporary directory; with that code the
   database is migrated and the W13 demo is loaded (`manage.py demo`); then one demo user per role
   follows --crawl-pages links, so the audit trail holds reads of many record kinds.
2. A snapshot is taken: the row count and highest id of every table, read from the database's own
   catalog (not from the models, so a table that a migration renames, moves or drops shows), the
   applied migrations, and the audit trail (`manage.py audit_verify`: exit code and output; the
   number of entries and the hash of the last one).
3. With the head code (the working tree, unless --head names a revision) the same database is
   migrated, the same snapshot taken, and `makemigrations --check --dry-run` must find nothing.
4. The snapshots are compared: every table keeps its row count and highest id, a table that
   disappeared is accounted for by a rename (--rename OLD=NEW, or inferred when exactly one new table
   holds the same rows), the audit chain verifies before and after, with the same entries.
   Django's bookkeeping tables (applied migrations, content types, permissions) may only grow, and
   no id sequence may fall behind its table's highest id. Shown but not failed: the base's migration
   files that the head edited, and audit entries whose record kind names a model the head no longer has.

Exit status: 0 when everything is equal, 1 on a difference, 2 when a step could not run.
The temporary directory and the database are removed afterwards, also on failure (--keep keeps them).
A PostgreSQL database named in --database-url is created by the check and must not exist yet
(--replace-database drops an existing one first). Both steps share one audit key and one var/ folder.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# Django's own bookkeeping: a migration may add to these (new migrations, the content types and
# permissions of a new or moved model), but never remove from them.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
AUDIT_TABLE = "audit_auditentry"

# Environment variables of the caller that must not reach the two checkouts: each step gets exactly
# the settings below, so the caller's own database, key or var/ folder never leaks in.
SCRUBBED_PREFIXES = ("BRUGWERK_", "DJANGO_")
SCRUBBED_NAMES = {"DATABASE_URL", "SECRET_KEY", "PYTHONPATH", "ALLOWED_HOSTS", "EMAIL_BACKEND", "EMAIL_HOST"}

# The model labels of a checkout, printed as JSON (run with that checkout's code).
MODEL_LABELS_SNIPPET = (
    "import json, os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'brugwerk.settings'); "
    "django.setup(); from django.apps import apps; "
    "print(json.dumps(sorted(m._meta.label_lower for m in apps.get_models())))"
)


# --- Snapshots and their comparison (pure: tests/project/test_migration_check.py) -----------------


@dataclass(frozen=True)
class TableStat:
    rows: int
    max_id: int | None = None


@dataclass(frozen=True)
class AuditStat:
    verify_ok: bool
    verify_output: str = ""
    entries: int | None = None
    last_hash: str | None = None
    subject_types: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    tables: Mapping[str, TableStat]
    audit: AuditStat
    migrations: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    # The id the table's sequence hands out next (PostgreSQL; SQLite's AUTOINCREMENT), by table.
    next_ids: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """One table (or pair of tables) in the report."""

    table: str
    before: TableStat | None
    after: TableStat | None
    status: str  # equal, changed, grew, renamed, renamed (inferred), merged, dropped (empty), new (empty), gone, new
    ok: bool
    note: str = ""


@dataclass
class Comparison:
    lines: list[Line] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_migrations: list[str] = field(default_factory=list)
    removed_migrations: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        problems = [f"{line.table}: {line.status}{' - ' + line.note if line.note else ''}" for line in self.lines
                    if not line.ok]
        problems += self.audit_problems
        problems += [f"migration record removed: {name}" for name in self.removed_migrations]
        return problems

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def equal_tables(self) -> int:
        return sum(1 for line in self.lines if line.status == "equal")


def parse_renames(values: Iterable[str]) -> dict[str, str]:
    """`OLD=NEW` (or `OLD1,OLD2=NEW` when several tables are merged into one) into {old: new}."""
    renames: dict[str, str] = {}
    for value in values:
        olds, sep, new = value.partition("=")
        if not sep or not olds.strip() or not new.strip():
            raise ValueError(f"--rename needs OLD=NEW, not {value!r}")
        for old in olds.split(","):
            if old.strip() in renames:
                raise ValueError(f"table {old.strip()!r} is renamed twice")
            renames[old.strip()] = new.strip()
    return renames


def compare(
    before: Snapshot,
    after: Snapshot,
    *,
    renames: Mapping[str, str] | None = None,
    allowed: Iterable[str] = (),
    bookkeeping: frozenset[str] = BOOKKEEPING_TABLES,
) -> Comparison:
    """What changed between two snapshots, table by table, and whether each change is accounted for."""
    renames = dict(renames or {})
    allowed = set(allowed)
    result = Comparison()
    gone = sorted(set(before.tables) - set(after.tables))
    new = sorted(set(after.tables) - set(before.tables))
    targets: dict[str, list[str]] = {}
    for old, target in renames.items():
        if old in gone:
            targets.setdefault(target, []).append(old)
        elif old not in before.tables:
            result.lines.append(Line(old, None, None, "renamed", False, f"--rename names {old}, which the base lacks"))

    for table in sorted(set(before.tables) & set(after.tables)):
        b, a = before.tables[table], after.tables[table]
        if table in targets:
            continue  # rows were moved into it: counted with the rename below
        if table in renames:
            result.lines.append(Line(table, b, a, "renamed", False, f"--rename {table}=... but {table} still exists"))
        elif b == a:
            result.lines.append(Line(table, b, a, "equal", True))
        elif table in bookkeeping and a.rows >= b.rows:
            result.lines.append(Line(table, b, a, "grew", True, f"+{a.rows - b.rows} (bookkeeping)"))
        elif table in allowed:
            result.lines.append(Line(table, b, a, "changed", True, "accepted by --allow"))
        else:
            result.lines.append(Line(table, b, a, "changed", False, _difference(b, a)))

    # Explicit renames and merges: the rows of the old tables must all be in the new one.
    for target, olds in sorted(targets.items()):
        a = after.tables.get(target)
        rows_before = sum(before.tables[old].rows for old in olds)
        label = f"{','.join(olds)} -> {target}"
        for old in olds:
            gone.remove(old)
        if target in new:
            new.remove(target)
        if a is None:
            result.lines.append(Line(label, None, None, "renamed", False, f"{target} does not exist after"))
        elif len(olds) == 1:
            b = before.tables[olds[0]]
            if target in before.tables:  # the rows moved into a table that existed already
                b = TableStat(b.rows + before.tables[target].rows, None)
                ok = a.rows == b.rows
            else:
                ok = a == b
            result.lines.append(Line(label, b, a, "renamed", ok, "" if ok else _difference(b, a)))
        else:
            rows_before += before.tables[target].rows if target in before.tables else 0
            b = TableStat(rows_before, None)
            ok = a.rows == rows_before
            result.lines.append(Line(label, b, a, "merged", ok, "" if ok else _difference(b, TableStat(a.rows))))

    # A table that vanished with rows, and exactly one new table with the same rows and highest id:
    # a rename nobody declared. Accepted, and shown as inferred.
    for old in list(gone):
        b = before.tables[old]
        if b.rows == 0:
            continue
        candidates = [t for t in new if after.tables[t] == b]
        rivals = [t for t in gone if before.tables[t] == b]
        if len(candidates) == 1 and len(rivals) == 1:
            result.lines.append(Line(f"{old} -> {candidates[0]}", b, b, "renamed (inferred)", True))
            gone.remove(old)
            new.remove(candidates[0])

    for table in gone:
        b = before.tables[table]
        if b.rows == 0:
            result.lines.append(Line(table, b, None, "dropped (empty)", True))
        else:
            result.lines.append(Line(table, b, None, "gone", False, f"{b.rows} rows not accounted for (--rename?)"))
    for table in new:
        a = after.tables[table]
        if a.rows == 0:
            result.lines.append(Line(table, None, a, "new (empty)", True))
        elif table in allowed:
            result.lines.append(Line(table, None, a, "new", True, "accepted by --allow"))
        else:
            result.lines.append(Line(table, None, a, "new", False, f"{a.rows} rows from nowhere"))

    # A table rebuilt by a migration (copied rather than renamed) may restart its id sequence: the next
    # record would take an id that is in use.
    behind_before = _sequences_behind(before)
    for table, (next_id, max_id) in sorted(_sequences_behind(after).items()):
        message = f"next id {next_id} is not above the highest id {max_id}"
        if table in behind_before:
            result.warnings.append(f"{table}: {message} (so already before the migrations)")
        else:
            result.lines.append(Line(table, before.tables.get(table), after.tables[table], "sequence", False, message))

    result.audit_problems = _audit_problems(before.audit, after.audit)
    result.new_migrations = sorted(after.migrations - before.migrations)
    result.removed_migrations = sorted(before.migrations - after.migrations)
    result.warnings += _audit_warnings(before, after)
    return result


def edited_migrations(base: Mapping[str, bytes], head: Mapping[str, bytes]) -> list[str]:
    """Migration files of the base that the head changed or removed. A database that applied them
    does not run them again, so an edit must not change what they did (import paths may move)."""
    changed = [path for path in sorted(base) if path in head and head[path] != base[path]]
    removed = [f"{path} (removed)" for path in sorted(base) if path not in head]
    return changed + removed


def migration_files(tree: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(tree)): path.read_bytes()
        for path in tree.glob("brugwerk/*/migrations/[0-9]*.py")
    }


def _sequences_behind(snapshot: Snapshot) -> dict[str, tuple[int, int]]:
    """Tables whose sequence would hand out an id in use: {table: (next id, highest id)}."""
    behind = {}
    for table, next_id in snapshot.next_ids.items():
        stat = snapshot.tables.get(table)
        if stat is not None and stat.max_id is not None and next_id <= stat.max_id:
            behind[table] = (next_id, stat.max_id)
    return behind


def _difference(b: TableStat, a: TableStat) -> str:
    parts = []
    if a.rows != b.rows:
        parts.append(f"rows {b.rows} -> {a.rows} ({a.rows - b.rows:+d})")
    if a.max_id != b.max_id:
        parts.append(f"max id {b.max_id} -> {a.max_id}")
    return ", ".join(parts)


def _audit_problems(b: AuditStat, a: AuditStat) -> list[str]:
    problems = []
    if not b.verify_ok:
        problems.append(f"audit chain does not verify BEFORE the migrations: {_last_line(b.verify_output)}")
    if not a.verify_ok:
        problems.append(f"audit chain does not verify AFTER the migrations: {_last_line(a.verify_output)}")
    if b.entries is None or a.entries is None:
        problems.append(f"audit entries not counted (before {b.entries}, after {a.entries})")
    elif a.entries != b.entries:
        problems.append(f"audit entries {b.entries} -> {a.entries} ({a.entries - b.entries:+d})")
    if b.last_hash != a.last_hash:
        problems.append(f"hash of the last audit entry changed: {b.last_hash} -> {a.last_hash}")
    return problems


def _audit_warnings(before: Snapshot, after: Snapshot) -> list[str]:
    """Audit entries name their record by model label (`cases.appointment`): a model that moved app
    leaves entries whose label names no model any more. The entries cannot be rewritten (the chain is
    hashed), so this is shown, not failed: the audit pages must still find them."""
    if not before.models or not after.models:
        return []
    lost = {
        label: count
        for label, count in after.audit.subject_types.items()
        if label in before.models and label not in after.models
    }
    return [
        f"{count} audit entries name the record kind {label!r}, a model that no longer exists"
        for label, count in sorted(lost.items())
    ]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _stat(stat: TableStat | None) -> str:
    if stat is None:
        return "-"
    return f"{stat.rows}" + (f" (max id {stat.max_id})" if stat.max_id is not None else "")


def format_report(
    comparison: Comparison, before: Snapshot, after: Snapshot, *, verbose: bool = False, edited: Sequence[str] = ()
) -> str:
    """A short table: every table that is not simply equal (all of them with verbose), then the audit."""
    shown = [line for line in comparison.lines if verbose or line.status != "equal"]
    rows_before = sum(s.rows for s in before.tables.values())
    rows_after = sum(s.rows for s in after.tables.values())
    out = [
        f"Tables: {len(before.tables)} before, {len(after.tables)} after; "
        f"{comparison.equal_tables} equal in rows and highest id; {rows_before} rows before, {rows_after} after."
    ]
    if shown:
        width = max(len("table"), *(len(line.table) for line in shown))
        col = max(len("before"), *(len(_stat(x)) for line in shown for x in (line.before, line.after)))
        out.append(f"  {'table':<{width}}  {'before':>{col}}  {'after':>{col}}  status")
        for line in shown:
            status = ("" if line.ok else "FAIL ") + line.status + (f" - {line.note}" if line.note else "")
            out.append(f"  {line.table:<{width}}  {_stat(line.before):>{col}}  {_stat(line.after):>{col}}  {status}")
    out.append(
        f"Audit: before {_audit_summary(before.audit)}; after {_audit_summary(after.audit)}."
    )
    if comparison.new_migrations:
        out.append(f"Migrations applied by the head ({len(comparison.new_migrations)}): "
                   + ", ".join(comparison.new_migrations))
    else:
        out.append("Migrations applied by the head: none.")
    if edited:
        out.append(f"Note: {len(edited)} migrations of the base were edited by the head (a database that applied "
                   "them does not rerun them; check the edits keep what they did): " + ", ".join(edited))
    out += [f"Warning: {warning}" for warning in comparison.warnings]
    if comparison.ok:
        out.append("EQUAL: every row and the audit chain are the same before and after.")
    else:
        out.append(f"DIFFERENT ({len(comparison.failures)}):")
        out += [f"  - {failure}" for failure in comparison.failures]
    return "\n".join(out)


def _audit_summary(audit: AuditStat) -> str:
    state = "verifies" if audit.verify_ok else "BROKEN"
    head = f", last hash {audit.last_hash[:12]}…" if audit.last_hash else ""
    return f"{state}, {audit.entries} entries{head}"


# --- Reading a database's catalog ------------------------------------------------------------------


class CannotRun(Exception):
    """The check cannot be made (a bad revision, an existing database ...): exit 2, nothing compared."""


class Database:
    """The database both steps share: created before, measured from its catalog, removed after."""

    def __init__(self, url: str, workdir: Path) -> None:
        import dj_database_url  # the project's own dependency, so this runs in its virtualenv

        self.url = url or f"sqlite:///{workdir / 'migration-check.sqlite3'}"
        self.config = dj_database_url.parse(self.url)
        engine = self.config["ENGINE"]
        if engine.endswith("sqlite3"):
            self.kind = "sqlite"
        elif engine.endswith("postgresql"):
            self.kind = "postgresql"
        else:
            raise CannotRun(f"Only SQLite and PostgreSQL are supported, not {engine}.")
        self.name = str(self.config["NAME"])
        self.created = False

    def describe(self) -> str:
        return f"{self.kind} {self.name}"

    def create(self, *, replace: bool) -> None:
        if self.kind == "sqlite":
            path = Path(self.name)
            if path.exists():
                if not replace:
                    raise CannotRun(f"{path} exists; the check makes its own database (--replace-database).")
                self._remove_sqlite()
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            with self._maintenance() as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
                if exists and not replace:
                    raise CannotRun(
                        f"Database {self.name} exists; the check makes its own (--replace-database drops it first)."
                    )
                if exists:
                    conn.execute(f"DROP DATABASE {self._quoted()} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {self._quoted()}")
        self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        if self.kind == "sqlite":
            self._remove_sqlite()
        else:
            with self._maintenance() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self._quoted()} WITH (FORCE)")
        self.created = False

    def _remove_sqlite(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(self.name + suffix).unlink(missing_ok=True)

    def _quoted(self) -> str:
        return '"' + self.name.replace('"', '""') + '"'

    def _conninfo(self, dbname: str) -> dict[str, Any]:
        info = {
            "dbname": dbname,
            "user": self.config.get("USER") or None,
            "password": self.config.get("PASSWORD") or None,
            "host": self.config.get("HOST") or None,
            "port": self.config.get("PORT") or None,
        }
        return {k: v for k, v in info.items() if v is not None}

    def _maintenance(self):
        import psycopg

        try:
            return psycopg.connect(**self._conninfo("postgres"), autocommit=True)
        except psycopg.OperationalError as exc:
            raise CannotRun(f"Cannot reach PostgreSQL for {self.name}: {exc}".strip()) from exc

    def snapshot(self) -> Snapshot:
        """Every table's rows, highest id and next id, the applied migrations, and the audit trail's
        figures (its verification is `measure`'s: it needs the checkout's code and key)."""
        if self.kind == "sqlite":
            conn: Any = sqlite3.connect(self.name)
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )]
            columns = {t: {r[1] for r in conn.execute(f"PRAGMA table_info({_ident(t)})")} for t in tables}  # noqa: S608
        else:
            import psycopg

            conn = psycopg.connect(**self._conninfo(self.name), autocommit=True)
            rows = conn.execute(
                "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c "
                "JOIN information_schema.tables t USING (table_schema, table_name) "
                "WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchall()
            columns = {}
            for schema, table, column in rows:
                name = table if schema == "public" else f"{schema}.{table}"
                columns.setdefault(name, set()).add(column)
            tables = sorted(columns)
        try:
            stats = {}
            for table in tables:
                has_id = "id" in columns[table]
                sql = f"SELECT COUNT(*){', MAX(id)' if has_id else ''} FROM {_ident(table)}"  # noqa: S608
                row = conn.execute(sql).fetchone()
                stats[table] = TableStat(int(row[0]), int(row[1]) if has_id and row[1] is not None else None)
            next_ids = self._next_ids(conn, [t for t in tables if stats[t].max_id is not None])
            migrations: frozenset[str] = frozenset()
            if "django_migrations" in stats:
                migrations = frozenset(f"{app}.{name}" for app, name in conn.execute(
                    "SELECT app, name FROM django_migrations"
                ).fetchall())
            audit = AuditStat(verify_ok=False)
            if AUDIT_TABLE in stats and {"seq", "hash", "subject_type"} <= columns[AUDIT_TABLE]:
                last = conn.execute(f"SELECT hash FROM {AUDIT_TABLE} ORDER BY seq DESC LIMIT 1").fetchone()  # noqa: S608
                kinds = dict(conn.execute(
                    f"SELECT subject_type, COUNT(*) FROM {AUDIT_TABLE} GROUP BY subject_type"  # noqa: S608
                ).fetchall())
                audit = AuditStat(False, "", stats[AUDIT_TABLE].rows, last[0] if last else None, kinds)
            return Snapshot(tables=stats, audit=audit, migrations=migrations, next_ids=next_ids)
        finally:
            conn.close()

    def _next_ids(self, conn: Any, tables: Sequence[str]) -> dict[str, int]:
        if self.kind == "sqlite":
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
                return {}
            wanted = set(tables)
            return {name: int(seq) + 1 for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence")
                    if name in wanted}
        next_ids = {}
        for table in tables:
            sequence = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_ident(table)]).fetchone()[0]
            if sequence:
                last, called = conn.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()  # noqa: S608
                next_ids[table] = int(last) + (1 if called else 0)
        return next_ids


def _ident(table: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))


# --- Running the two checkouts --------------------------------------------------------------------


class StepFailed(Exception):
    pass


class Runner:
    def __init__(self, *, python: str, env: Mapping[str, str], log: Path, quiet: bool) -> None:
        self.python = python
        self.env = dict(env)
        self.log = log
        self.quiet = quiet
        self.current: subprocess.Popen[str] | None = None

    def run(
        self, tree: Path, args: Sequence[str], *, check: bool = True, label: str = ""
    ) -> subprocess.CompletedProcess[str]:
        command = [self.python, *args]
        shown = label or " ".join(args)
        started = time.perf_counter()
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n$ (cd {tree} && {' '.join(command)})\n")
        self.current = subprocess.Popen(  # noqa: S603 - our own interpreter, arguments from this script
            command, cwd=tree, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        output, _ = self.current.communicate()
        code = self.current.returncode
        self.current = None
        with self.log.open("a", encoding="utf-8") as log:
            log.write(output + f"[exit {code}]\n")
        if not self.quiet:
            print(f"  {tree.name}: {shown}  [exit {code}, {time.perf_counter() - started:.0f} s]", flush=True)
        if check and code != 0:
            raise StepFailed(f"`{' '.join(args)}` in {tree} failed with exit {code}:\n{_tail(output)}")
        return subprocess.CompletedProcess(command, code, output, "")

    def stop(self) -> None:
        if self.current is not None and self.current.poll() is None:
            self.current.terminate()
            try:
                self.current.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.current.kill()


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def git(*args: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False  # noqa: S607
    )
    if done.returncode != 0:
        raise CannotRun(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def export(revision: str, into: Path) -> str:
    """The tree of `revision` into a fresh directory (no worktree to clean up in the repository)."""
    sha = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    archive = subprocess.run(  # noqa: S603
        ["git", "-C", str(REPO), "archive", "--format=tar", sha], capture_output=True, check=True  # noqa: S607
    ).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return sha


def step_env(*, database_url: str, var_dir: Path, audit_key: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES) and k not in SCRUBBED_NAMES
    }
    env.update(
        {
            "BRUGWERK_ENV": "development",
            "BRUGWERK_DEMO_MODE": "true",
            "BRUGWERK_REQUIRE_2FA": "false",
            "BRUGWERK_VAR_DIR": str(var_dir),
            "BRUGWERK_AUDIT_KEY": audit_key,
            "BRUGWERK_AUDIT_CHECKPOINT_FILE": str(var_dir / "audit-checkpoints.jsonl"),
            "DATABASE_URL": database_url,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


CRAWL_SKIPPED = ("/static/", "/i18n/", "/logout", "/accounts/logout", "/switch")


def crawl_demo(pages_per_user: int) -> None:
    """Inside a checkout (its code on sys.path): log in as one demo user per role and follow the
    same-site links from the start page with GET only, so the audit trail holds the reads (and the
    record kinds) a real database has, not just the demo's one entry. Prints a JSON summary."""
    from collections import deque
    from html.parser import HTMLParser
    from urllib.parse import urljoin, urlsplit

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brugwerk.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.hrefs.append(href)

    users = list(get_user_model().objects.filter(is_active=True).order_by("username"))
    try:  # one user per role when the checkout has memberships; else the first few users
        from brugwerk.accounts.models import Membership

        by_role: dict[str, Any] = {}
        for membership in Membership.objects.select_related("user").order_by("user__username"):
            if membership.user.is_active:
                by_role.setdefault(str(membership.role), membership.user)
        chosen = list(by_role.values()) or users[:6]
    except ImportError:
        chosen = users[:6]
    summary: dict[str, Any] = {"users": [], "pages": 0, "errors": 0}
    for user in chosen:
        client = Client()
        client.force_login(user)
        queue, seen, visited = deque(["/"]), {"/"}, 0
        while queue and visited < pages_per_user:
            url = queue.popleft()
            visited += 1
            try:
                response = client.get(url)
            except Exception:  # noqa: BLE001 - a page that fails in the base is no reason to stop populating
                summary["errors"] += 1
                continue
            targets = [response["Location"]] if response.status_code == 302 else []
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                parser = Links()
                parser.feed(response.content.decode(errors="replace"))
                targets += parser.hrefs
            for href in targets:
                parts = urlsplit(urljoin(url, href))
                if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                    continue
                if parts.path.startswith(CRAWL_SKIPPED) or "logout" in parts.path:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        summary["users"].append(user.get_username())
        summary["pages"] += visited
    print(json.dumps(summary))


def measure(runner: Runner, tree: Path, database: Database) -> Snapshot:
    verify = runner.run(tree, ["manage.py", "audit_verify"], check=False)
    labels = runner.run(tree, ["-c", MODEL_LABELS_SNIPPET], label="(the model labels)")
    snapshot = database.snapshot()
    audit = snapshot.audit
    counted = re.search(r"intact: (\d+) entries", verify.stdout)
    if counted and audit.entries is not None and int(counted.group(1)) != audit.entries:
        verify_ok = False  # the command walked another number of entries than the table holds
    else:
        verify_ok = verify.returncode == 0
    audit = AuditStat(verify_ok, verify.stdout.strip(), audit.entries, audit.last_hash, audit.subject_types)
    models = frozenset(json.loads(labels.stdout.strip().splitlines()[-1]))
    return Snapshot(snapshot.tables, audit, snapshot.migrations, models, snapshot.next_ids)


def _interrupt(signum: int, frame: object) -> None:
    """A SIGTERM ends the check as Ctrl-C does: through the `finally` that cleans up."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="revision whose code loads the demo (e.g. 2b6d01d, main)")
    parser.add_argument("--head", help="revision whose migrations are tested (default: this working tree, "
                                       "uncommitted changes included)")
    parser.add_argument("--database-url", default="", help="default: a SQLite file in the temporary directory; "
                        "postgres://postgres@127.0.0.1:5432/NAME makes (and drops) the database NAME")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="a table the head renames (OLD1,OLD2=NEW when merged); repeatable")
    parser.add_argument("--allow", action="append", default=[], metavar="TABLE",
                        help="accept a change in this table's rows (e.g. a migration that seeds it); repeatable")
    parser.add_argument("--replace-database", action="store_true", help="drop the database first if it exists")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and the database")
    parser.add_argument("--python", default=sys.executable, help="interpreter for both checkouts (default: this one)")
    parser.add_argument("--crawl-pages", type=int, default=40, metavar="N",
                        help="after the demo, with the base code, follow N pages as one user per role so the audit "
                        "trail holds their reads (default 40; 0: the demo's entries only)")
    parser.add_argument("--crawl-inside-checkout", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="list every table, not only the differences")
    parser.add_argument("--quiet", action="store_true", help="do not print each command as it runs")
    options = parser.parse_args(argv)
    if options.crawl_inside_checkout is not None:  # run by the check itself, in a checkout
        crawl_demo(options.crawl_inside_checkout)
        return 0
    try:
        renames = parse_renames(options.rename)
    except ValueError as exc:
        parser.error(str(exc))

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="brugwerk-migcheck-"))
    try:
        database = Database(options.database_url, workdir)
    except CannotRun as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        print(exc, file=sys.stderr)
        return 2
    var_dir = workdir / "var"
    var_dir.mkdir()
    log = workdir / "commands.log"
    runner = Runner(
        python=options.python,
        env=step_env(database_url=database.url, var_dir=var_dir, audit_key=secrets.token_hex(32)),
        log=log,
        quiet=options.quiet,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    timings: dict[str, float] = {}
    try:
        base_tree = workdir / "base"
        base_sha = export(options.base, base_tree)
        if options.head:
            head_tree = workdir / "head"
            head_sha = export(options.head, head_tree)
            head_name = f"{options.head} ({head_sha[:10]})"
        else:
            head_tree = REPO
            dirty = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
            head_name = f"working tree {REPO} (at {git('rev-parse', '--short=10', 'HEAD')}{dirty})"
        print(f"Migration check on {database.describe()}\n  base: {options.base} ({base_sha[:10]})\n"
              f"  head: {head_name}\n  work: {workdir}", flush=True)
        database.create(replace=options.replace_database)

        t = time.perf_counter()
        runner.run(base_tree, ["manage.py", "migrate", "--noinput"])
        runner.run(base_tree, ["manage.py", "demo"])
        timings["base: migrate + demo"] = time.perf_counter() - t
        if options.crawl_pages > 0:
            t = time.perf_counter()
            crawl = [str(Path(__file__).resolve()), "--base", "-", "--crawl-inside-checkout", str(options.crawl_pages)]
            crawled = runner.run(base_tree, crawl, label=f"(crawl {options.crawl_pages} pages per role)")
            summary = json.loads(crawled.stdout.strip().splitlines()[-1])
            print(f"  crawled {summary['pages']} pages as {', '.join(summary['users'])} "
                  f"({summary['errors']} failed in the base)", flush=True)
            timings["base: crawl"] = time.perf_counter() - t
        t = time.perf_counter()
        before = measure(runner, base_tree, database)
        timings["base: measure"] = time.perf_counter() - t

        t = time.perf_counter()
        runner.run(head_tree, ["manage.py", "migrate", "--noinput"])
        timings["head: migrate"] = time.perf_counter() - t
        t = time.perf_counter()
        after = measure(runner, head_tree, database)
        missing = runner.run(head_tree, ["manage.py", "makemigrations", "--check", "--dry-run"], check=False)
        timings["head: measure + makemigrations"] = time.perf_counter() - t

        comparison = compare(before, after, renames=renames, allowed=options.allow)
        print()
        edited = edited_migrations(migration_files(base_tree), migration_files(head_tree))
        print(format_report(comparison, before, after, verbose=options.verbose, edited=edited))
        failed = not comparison.ok
        if missing.returncode != 0:
            failed = True
            print(f"MISSING MIGRATIONS in the head (makemigrations --check --dry-run):\n{_tail(missing.stdout)}")
        else:
            print("makemigrations --check --dry-run: no missing migrations in the head.")
        timings["total"] = time.perf_counter() - started
        print("Time: " + "; ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()))
        return 1 if failed else 0
    except CannotRun as exc:
        print(exc, file=sys.stderr)
        return 2
    except StepFailed as exc:
        where = f"full log: {log}" if options.keep else "--keep keeps the full log"
        print(f"\nA step could not run, nothing compared:\n{exc}\n({where})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        return 130
    finally:
        runner.stop()
        if options.keep:
            print(f"Kept: {workdir} and the database {database.describe()}.")
        else:
            try:
                database.drop()
            finally:
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
