"""The audit trail's view of the request being answered: what a page has read so far (collected by
`reads`, written when the page is shown) and the entries already written for it. No imports of the
rest of the audit app, so `services` and `reads` can both use it."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

# Entries of these events already say that the page showed their subject: no read of it is added.
SHOWING_EVENTS = frozenset({"view", "export"})


@dataclass
class Page:
    request: HttpRequest
    reads: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    shown: set[tuple[str, str]] = field(default_factory=set)  # subjects of entries written that show them


current_page: ContextVar[Page | None] = ContextVar("brugwerk_audit_page", default=None)


def note_written(entry: Any) -> None:
    page = current_page.get()
    if page is not None and entry.subject_id and entry.event in SHOWING_EVENTS:
        page.shown.add((entry.subject_type, entry.subject_id))
