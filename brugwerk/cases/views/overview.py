"""Pages of casework: overview. The coordinator's caseload of the pool."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from brugwerk.access import may
from brugwerk.audit.services import Actor, record_list_view
from brugwerk.cases.selectors.overview import pool_caseload
from brugwerk.core.http import region_or_404, require
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.pool.models import PoolMember


def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per bridge figure: open cases, cases per FTE, opened and closed this month, contacts in the
    last 30 days and referrals waiting at their schools; and the region's totals."""
    region = region_or_404(request)
    require(may(request.user, "cases.view_caseload", region=region))
    overview = pool_caseload(user=request.user, region=region)
    record_list_view(
        actor=Actor.from_request(request),
        model=PoolMember,
        region_id=region.pk,
        label=f"{region.name}: caseload of the pool",
        details={"page": "caseload", "shown": [row.member.pk for row in overview.rows]},
    )
    return render(request, "cases/overview/caseload.html", {"region": region, "overview": overview})


urlpatterns = [
    path("caseload/", caseload, name="caseload"),
]
