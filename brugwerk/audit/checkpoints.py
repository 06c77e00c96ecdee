"""Checkpoints of the audit chain, kept outside the database.

A checkpoint is the head of the chain at one moment (the last entry's number and hash, and when it was
taken), sealed with the audit key. `manage.py audit_checkpoint` appends one as a JSON line to a file
(BRUGWERK_AUDIT_CHECKPOINT_FILE) and mails it to the data-protection officer; `manage.py audit_verify`
checks that every checkpointed entry still has its hash and that the chain is not shorter than the last
checkpoint. So even someone who holds the audit key and can write the database cannot rewrite or cut the
chain before the last checkpoint without it showing.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from brugwerk.audit.keys import keyed_hash

# Sealed text starts with this, so a checkpoint's seal can never pass for an entry's hash or back.
DOMAIN = "brugwerk-audit-checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # when it was taken, ISO 8601 in UTC
    mac: str
    line: int = 0  # where it was read from, for messages

    @staticmethod
    def sealed_text(seq: int, hash: str, at: str) -> str:
        return json.dumps([DOMAIN, seq, hash, at], separators=(",", ":"))

    @classmethod
    def seal(cls, *, seq: int, hash: str, at: datetime, key: bytes | None = None) -> Checkpoint:
        stamp = at.isoformat(timespec="seconds")
        return cls(seq=seq, hash=hash, at=stamp, mac=keyed_hash(cls.sealed_text(seq, hash, stamp), key=key))

    def is_sealed_with(self, key: bytes | None = None) -> bool:
        expected = keyed_hash(self.sealed_text(self.seq, self.hash, self.at), key=key)
        return hmac.compare_digest(expected, self.mac)

    def to_json(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at, "mac": self.mac}, sort_keys=True)

    def describe(self) -> str:
        return f"checkpoint #{self.seq} of {self.at}"


def checkpoint_path(path: str | Path | None = None) -> Path | None:
    """The file given, else the configured one (none in the tests unless a test sets it)."""
    chosen = path or settings.BRUGWERK_AUDIT_CHECKPOINT_FILE
    return Path(chosen) if chosen else None


def read_checkpoints(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in the file, and one problem per line that is not a checkpoint sealed with this
    key (a forged line, a line sealed with another key, or a damaged one). A missing file holds none."""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                seq=data["seq"], hash=data["hash"], at=data["at"], mac=data["mac"], line=number
            )
            if not (isinstance(checkpoint.seq, int) and checkpoint.seq >= 0) or not all(
                isinstance(v, str) for v in (checkpoint.hash, checkpoint.at, checkpoint.mac)
            ):
                raise ValueError("wrong types")
        except (ValueError, TypeError, KeyError):
            problems.append(f"line {number} of {path} is not a checkpoint")
            continue
        if not checkpoint.is_sealed_with():
            problems.append(f"line {number} of {path} ({checkpoint.describe()}) is not sealed with this audit key")
            continue
        checkpoints.append(checkpoint)
    return checkpoints, problems


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Append one line and flush it to disk. The file is readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(checkpoint.to_json() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
