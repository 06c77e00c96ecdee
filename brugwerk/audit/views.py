"""The audit trail pages: the filtered trail of the current region and its CSV export."""

import csv
import json

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from brugwerk.access import Action
from brugwerk.audit import selectors
from brugwerk.audit.forms import AuditFilterForm
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor, record, record_list_view
from brugwerk.core.http import request_region, require_recent_password

ENTRIES_PER_PAGE = 50
CSV_COLUMNS = [
    "seq", "at", "who", "name", "action", "record_kind", "record_id", "record", "address", "details",
]


def _filter_form(request, region):
    events = selectors.audit_events_visible(user=request.user, region=region)
    return AuditFilterForm(request.GET or None, events=events)


def entry_list(request):
    region = request_region(request)
    if region is None or not selectors.audit_page_visible(user=request.user, region=region):
        raise Http404
    form = _filter_form(request, region)
    filters = form.filters()
    entries = selectors.audit_entries_for(user=request.user, region=region, filters=filters)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.details_text = _details(entry)
    record_list_view(
        actor=Actor.from_request(request), model=AuditEntry, region_id=region.pk,
        label=f"{region.name}: audit trail", details={"filters": filters.as_details(), "page": page.number},
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "region": region,
        "querystring": params.urlencode(),
        "can_export": selectors.audit_exportable(user=request.user, region=region),
    }
    return render(request, "audit/entry_list.html", context)


def _details(entry: AuditEntry) -> str:
    return json.dumps(entry.changes, ensure_ascii=False, sort_keys=True) if entry.changes else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(entry: AuditEntry) -> list[str]:
    return [
        _cell(v)
        for v in (
            entry.seq,
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_label,
            str(entry.actor) if entry.actor_id else "",
            entry.event,
            entry.subject_type,
            entry.subject_id,
            entry.subject_label,
            entry.ip,
            _details(entry),
        )
    ]


@require_recent_password
def entry_export(request):
    region = request_region(request)
    if region is None or not selectors.audit_exportable(user=request.user, region=region):
        raise Http404
    filters = _filter_form(request, region).filters()
    entries = selectors.audit_entries_for(user=request.user, region=region, filters=filters,
                                          action=Action.EXPORT)
    count = entries.count()
    export = record(
        actor=Actor.from_request(request), event=AuditEvent.EXPORT, subject_type=AuditEntry._meta.label_lower,
        subject_label=f"{region.name}: audit trail", region_id=region.pk,
        changes={"format": "csv", "filters": filters.as_details(), "rows": count},
    )
    writer = csv.writer(_Echo())
    # The file holds the trail as it was when the export was asked, without the entry recording it.
    entries = entries.filter(seq__lt=export.seq)
    rows = (writer.writerow(_csv_row(entry)) for entry in entries.iterator(chunk_size=1000))
    header = writer.writerow(CSV_COLUMNS)
    response = StreamingHttpResponse(_chain(header, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{region.slug}-{stamp}.csv"'
    return response


def _chain(first, rest):
    yield first
    yield from rest
