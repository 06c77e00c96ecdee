"""Audit of reads by construction. The selectors that return a young person, a family, case content
or the participants of a session record the read themselves (`record_read`, `record_list_read`),
for the user they were asked for: a page cannot show such a record without an entry.

Within a request (`ReadsMiddleware`) the reads are collected and written once the page is shown
(a 2xx answer): a form that saves and redirects, a refusal or an error shows nothing and leaves no
read. One page gives one entry per record: a record read twice gives one entry (with the details of
both, the later read's where they differ); the read of a case is left out when the page reads one
of its records and names the case (`details["case"]`, as the edit pages always did); and a record
the page already wrote a view or an export of (the handover summary) gets no second entry. Outside
a request (a shell, a task, a test calling a selector) the read is written at once. The entries are
those `services.record_view` and `services.record_list_view` write: a VIEW event with the record
(for a list: the model, a label and the ids shown) as the subject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from brugwerk.audit.context import Page, current_page
from brugwerk.audit.services import Actor, client_ip, record_list_view, record_view

CASE = "cases.case"


@dataclass
class _Read:
    user: Any
    write: Callable[[Actor], Any]
    details: dict[str, Any] | None
    subject_type: str
    subject_id: str = ""  # "" for a list


def _actor(user: Any, request: HttpRequest | None = None) -> Actor:
    return Actor(
        user=user if getattr(user, "is_authenticated", False) else None,
        ip=client_ip(request) if request is not None else None,
    )


def _add(read: _Read, key: tuple[str, str, str]) -> None:
    page = current_page.get()
    if page is None:
        read.write(_actor(read.user))
        return
    known = page.reads.get(key)
    if known is None:
        page.reads[key] = read
    elif read.details:  # the same record read again on this page: one entry, with both details
        known.details = _merged(known.details or {}, read.details)


def _merged(first: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    """The details of two reads of one record: lists of ids joined, any other value the later one."""
    merged = dict(first)
    for key, value in then.items():
        before = merged.get(key)
        if isinstance(before, list) and isinstance(value, list):
            merged[key] = before + [item for item in value if item not in before]
        else:
            merged[key] = value
    return merged


def _flush(page: Page) -> None:
    named = {
        str(read.details["case"])
        for read in page.reads.values()
        if read.subject_id and read.details and read.details.get("case") is not None
    }
    reads, page.reads = list(page.reads.values()), {}
    for read in reads:
        if read.subject_id and (read.subject_type, read.subject_id) in page.shown:
            continue  # the page wrote a view or an export of this record already
        if read.subject_type == CASE and read.subject_id in named:
            continue  # a record of this case was read on this page, and its entry names the case
        read.write(_actor(read.user, page.request))


def record_read(*, user: Any, subject: models.Model, details: dict[str, Any] | None = None) -> None:
    """`user` is shown `subject` (a young person, a case, a record of a case ...)."""
    read = _Read(
        user=user,
        write=lambda actor: record_view(actor=actor, subject=subject, details=read.details),
        details=dict(details) if details else None,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
    )
    _add(read, (read.subject_type, read.subject_id, ""))


def record_list_read(
    *, user: Any, model: type[models.Model], region_id: int | None, label: str, details: dict[str, Any]
) -> None:
    """`user` is shown a list of records of `model` (their ids in `details`)."""
    read = _Read(
        user=user,
        write=lambda actor: record_list_view(
            actor=actor, model=model, region_id=region_id, label=label, details=read.details or {}
        ),
        details=dict(details),
        subject_type=model._meta.label_lower,
    )
    _add(read, (read.subject_type, "", str(label)))


def page_name() -> str | None:
    """The URL name of the page being answered, for the `page` detail of an entry."""
    page = current_page.get()
    match = getattr(page.request, "resolver_match", None) if page is not None else None
    return match.url_name if match is not None else None


def on_page(**details: Any) -> dict[str, Any]:
    """`details` with the name of the page being answered first, as the entries of pages have it."""
    return {"page": page_name(), **details}


class ReadsMiddleware:
    """Collects the reads of one request and writes them when the answer shows a page (2xx)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = Page(request)
        token = current_page.set(page)
        try:
            response = self.get_response(request)
            if 200 <= response.status_code < 300:
                _flush(page)
        finally:
            current_page.reset(token)
        return response
