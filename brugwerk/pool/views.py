"""Pages of the pool: who is in it, how many FTE, from where, for which schools."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from brugwerk.access import Action, can
from brugwerk.audit.services import Actor, record_list_view, record_view
from brugwerk.core.forms import model_values
from brugwerk.core.http import region_or_404, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.pool import selectors, services
from brugwerk.pool.forms import PoolMemberCreateForm, PoolMemberForm
from brugwerk.pool.models import PoolMember
from brugwerk.regions.selectors import municipalities_for, school_choices


def _crumbs(member: PoolMember | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("pool:member_list"), _("Pool"))]
    if member is not None:
        crumbs.append((reverse("pool:member_detail", args=[member.pk]), str(member)))
    return crumbs


def member_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    pool = selectors.pool_of(user=request.user, region=region)
    record_list_view(
        actor=Actor.from_request(request),
        model=PoolMember,
        region_id=region.pk,
        label=_("Pool of %(region)s") % {"region": region.name},
        details={"pool_members": [member.pk for member in pool.members]},
    )
    context = {
        "region": region,
        "pool": pool,
        "can_create": can(request.user, Action.CREATE, PoolMember, region=region),
    }
    return render(request, "pool/member_list.html", context)


def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.pool_member_get(user=request.user, pk=pk)
    record_view(actor=Actor.from_request(request), subject=member)
    context = {"member": member, "can_change": can(request.user, Action.CHANGE, member)}
    return render(request, "pool/member_detail.html", context)


def member_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = region_or_404(request)
    user = request.user
    require(can(user, Action.CREATE, PoolMember, region=region))
    form = PoolMemberCreateForm(
        request.POST or None,
        candidates=selectors.pool_candidates(user=user, region=region),
        schools=school_choices(user=user, region=region),
        municipalities=municipalities_for(user=user, region=region),
        initial={"active": True},
    )
    member = run_form(
        request,
        form,
        lambda: services.pool_member_create(
            actor=Actor.from_request(request), region=region, values=model_values(form)
        ),
    )
    if member is not None:
        messages.success(request, _("%(name)s joined the pool.") % {"name": member})
        return redirect("pool:member_detail", pk=member.pk)
    return render_form(
        request,
        form=form,
        title=_("Add a bridge figure to the pool"),
        cancel_url=reverse("pool:member_list"),
        breadcrumbs=_crumbs(),
    )


def member_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = selectors.pool_member_get(user=user, pk=pk, action=Action.CHANGE)
    title, crumbs = _("Change %(name)s in the pool") % {"name": member}, _crumbs(member)
    form = PoolMemberForm(
        request.POST or None,
        instance=member,
        schools=school_choices(user=user, region=member.region),
        municipalities=municipalities_for(user=user, region=member.region),
    )
    saved = run_form(
        request,
        form,
        lambda: services.pool_member_update(
            actor=Actor.from_request(request), member=member, values=model_values(form)
        ),
    )
    if saved is not None:
        messages.success(request, _("%(name)s was saved.") % {"name": saved})
        return redirect("pool:member_detail", pk=saved.pk)
    return render_form(
        request,
        form=form,
        title=title,
        breadcrumbs=crumbs,
        cancel_url=reverse("pool:member_detail", args=[member.pk]),
    )
