"""The time overview: time per pillar, per school and per bridge figure for a period, as a page and
as a CSV file with the same figures. The coordinator sees the whole pool, a bridge figure their own
time, a policy maker the totals without persons; for anyone else the page does not exist."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record, record_list_view
from brugwerk.cases.timescope import time_scope
from brugwerk.core.http import region_or_404, require
from brugwerk.core.timeuse import TimeScope
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.pool.models import PoolMember
from brugwerk.regions.models import Region
from brugwerk.timeuse.forms import PeriodForm
from brugwerk.timeuse.periods import CUSTOM, PRESETS, Period
from brugwerk.timeuse.selectors import PILLARS, Figure, TimeOverview, time_overview


def _period(request: AuthenticatedHttpRequest, region: Region) -> tuple[PeriodForm, Period | None]:
    require(time_scope(user=request.user, region=region) is not None)
    form = PeriodForm(request.GET or None)
    return form, form.period_for(timezone.localdate())


def _details(period: Period) -> dict[str, Any]:
    return {"start": period.start, "end": period.end, "period": period.kind}


def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    form, period = _period(request, region)
    figures = None
    if period is not None:
        figures = time_overview(user=request.user, region=region, start=period.start, end=period.end)
    if figures is not None and figures.scope is TimeScope.POOL:
        record_list_view(
            actor=Actor.from_request(request),
            model=PoolMember,
            region_id=region.pk,
            label=f"{region.name}: time use of the pool",
            details={**_details(figures.period), "shown": [row.person_id for row in figures.persons]},
        )
    chosen = period.kind if period is not None else ""
    context = {
        "region": region,
        "form": form,
        "period": period,
        "figures": figures,
        "pillars": [pillar.label for pillar in PILLARS],
        "presets": [(kind, label, kind == chosen) for kind, label in PRESETS.items()],
        "custom": chosen == CUSTOM,
        "querystring": request.GET.urlencode(),
    }
    return render(request, "timeuse/overview.html", context)


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _figure_cells(figure: Figure, share: Decimal | None = None) -> list[Any]:
    return [figure.hours, figure.minutes, figure.activities, share]


def csv_rows(figures: TimeOverview) -> Iterator[list[Any]]:
    """The page's figures, one row per pillar, kind, school x pillar and person x pillar (persons
    only where the page shows them). No young person is named anywhere in it."""
    yield [
        _("Section"), _("Name"), _("Pillar"), _("Hours"), _("Minutes"), _("Activities"), _("Percentage of the total"),
        _("FTE"), _("Hours available"), _("Percentage of the hours available"),
    ]
    total = _("Total")
    labels = {pillar.value: str(pillar.label) for pillar in PILLARS}
    for row in figures.pillars:
        yield [_("Pillar"), row.label, row.label, *_figure_cells(row.figure, row.share)]
    yield [_("Pillar"), total, total, *_figure_cells(figures.total, Decimal(100) if figures.total.minutes else None)]
    for kind in figures.kinds:
        yield [_("Kind of activity"), kind.kind, kind.pillar_label, *_figure_cells(kind.figure)]
    for school in figures.schools:
        for label, figure in zip(labels.values(), school.pillars, strict=True):
            yield [_("School"), school.label, label, *_figure_cells(figure)]
        yield [_("School"), school.label, total, *_figure_cells(school.total, school.share)]
    for person in figures.persons:
        for label, figure in zip(labels.values(), person.pillars, strict=True):
            yield [_("Bridge figure"), person.label, label, *_figure_cells(figure)]
        yield [_("Bridge figure"), person.label, total, *_figure_cells(person.total), person.fte,
               person.hours_available, person.use]


def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview's figures as CSV; recorded in the audit trail. Wrong dates go back to the page,
    which shows what is wrong."""
    region = region_or_404(request)
    _form, period = _period(request, region)
    if period is None:
        return redirect(f"{reverse('timeuse:overview')}?{request.GET.urlencode()}")
    figures = time_overview(user=request.user, region=region, start=period.start, end=period.end)
    require(figures is not None)
    assert figures is not None
    record(
        actor=Actor.from_request(request),
        event=AuditEvent.EXPORT,
        subject_type=PoolMember._meta.label_lower,
        subject_label=f"{region.name}: time use",
        region_id=region.pk,
        changes={**_details(period), "format": "csv", "scope": str(figures.scope),
                 "persons": [row.person_id for row in figures.persons]},
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(figures):
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"tijd-{region.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("", overview, name="overview"),
    path("export.csv", export, name="export"),
]
