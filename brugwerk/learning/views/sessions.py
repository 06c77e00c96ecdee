"""Pages of learning sessions: the list (a bridge figure's own, the coordinator's whole pool),
recording an intervision, a coaching or a learning-network meeting, its page and its edit page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brugwerk.access import Action, can, may
from brugwerk.audit.services import Actor
from brugwerk.cases.models import LifeDomain
from brugwerk.core.http import region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.learning import selectors, services
from brugwerk.learning.forms import SessionFilterForm, SessionForm
from brugwerk.learning.models import LearningKind, LearningSession, LearningTheme
from brugwerk.learning.views import learning_nav
from brugwerk.regions.models import Region
from brugwerk.vocabularies.selectors import terms_in_use

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SESSIONS_PER_PAGE = 25
KIND_OF_SLUG = {
    "intervisie": LearningKind.INTERVISION,
    "coaching": LearningKind.COACHING,
    "lerend-netwerk": LearningKind.LEARNING_NETWORK,
}
SLUG_OF_KIND: dict[str, str] = {kind: slug for slug, kind in KIND_OF_SLUG.items()}
CREATE_TITLES: dict[str, StrOrPromise] = {
    LearningKind.INTERVISION: gettext_lazy("Record an intervision"),
    LearningKind.COACHING: gettext_lazy("Record a coaching moment"),
    LearningKind.LEARNING_NETWORK: gettext_lazy("Record a learning-network meeting"),
}
INTROS: dict[str, StrOrPromise] = {
    LearningKind.INTERVISION: gettext_lazy(
        "Intervision is about a case, told anonymously: leave out names, the school and anything that would let "
        "someone recognise the young person or the family. The participants and the coordinator can read it."
    ),
    LearningKind.COACHING: gettext_lazy(
        "Coaching is personal. The coordinator sees that it took place and how long it took; the private note "
        "is only for the coached bridge figure and the coach."
    ),
    LearningKind.LEARNING_NETWORK: gettext_lazy(
        "A meeting of a learning network, with bridge figures of other regions or with partners: note what you "
        "take home for the pool."
    ),
}


def _pool_region(request: AuthenticatedHttpRequest) -> Region:
    """The user's region, when they belong to its pool (bridge figure or coordinator): the pages of
    sessions do not exist for anyone else."""
    region = region_or_404(request)
    require(can(request.user, Action.CREATE, LearningSession, region=region))
    return region


def _crumbs(session: LearningSession | None = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("learning:session_list"), _("Learning"))]
    if session is not None:
        crumbs.append((reverse("learning:session_detail", args=[session.pk]), str(session)))
    return crumbs


def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _pool_region(request)
    user = request.user
    form = SessionFilterForm(request.GET, people=selectors.pool_brugfiguren(user=user, region=region))
    context = {
        "form": form,
        "page": selectors.session_page(
            user=user, region=region, number=request.GET.get("page"), per_page=SESSIONS_PER_PAGE, **form.values()
        ),
        "kinds": [(reverse("learning:session_create", args=[SLUG_OF_KIND[kind]]), CREATE_TITLES[kind])
                  for kind in LearningKind.values],
        **learning_nav(request, region),
    }
    return render_page_or_fragment(request, "learning/session_list.html", "results", context)


def session_choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    _pool_region(request)
    kinds = [(reverse("learning:session_create", args=[SLUG_OF_KIND[kind]]), CREATE_TITLES[kind], INTROS[kind])
             for kind in LearningKind.values]
    context = {"kinds": kinds, "breadcrumbs": _crumbs(), "title": _("What did you do?")}
    return render(request, "learning/session_choose.html", context)


def _session_form(
    request: AuthenticatedHttpRequest, region: Region, kind: str, session: LearningSession | None
) -> SessionForm:
    user = request.user
    include = [p.pk for p in session.participants.all()] if session is not None else None
    facilitator = [session.facilitator_id] if session is not None and session.facilitator_id else None
    return SessionForm(
        request.POST or None,
        instance=session,
        kind=kind,
        people=selectors.pool_brugfiguren(user=user, region=region, include=include),
        facilitators=selectors.facilitator_choices(user=user, region=region, include=facilitator),
        themes=terms_in_use(
            user=user, model=LearningTheme, region=region,
            include=[t.pk for t in session.themes.all()] if session is not None else (),
        ),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
        private_note=session is None or may(user, "learning.read_coaching_note", obj=session),
    )


def session_create(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_OF_SLUG:
        raise Http404
    kind = KIND_OF_SLUG[kind]
    region = _pool_region(request)
    form = _session_form(request, region, kind, None)
    session = run_form(
        request,
        form,
        lambda: services.session_create(
            actor=Actor.from_request(request), region=region, kind=kind, values=form.values()
        ),
    )
    if session is not None:
        messages.success(request, _("The %(kind)s was recorded.") % {"kind": session.get_kind_display()})
        return redirect("learning:session_detail", pk=session.pk)
    return render_form(
        request,
        form=form,
        title=str(CREATE_TITLES[kind]),
        intro=str(INTROS[kind]),
        cancel_url=reverse("learning:session_list"),
        breadcrumbs=_crumbs(),
    )


def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = selectors.session_get(user=user, pk=pk)  # records the read
    note_shown = may(user, "learning.read_coaching_note", obj=session)
    context = {
        "session": session,
        "note_shown": note_shown,
        "can_change": can(user, Action.CHANGE, session),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "learning/session_detail.html", context)


def session_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _session_form(request, session.region, session.kind, session)
    saved = run_form(
        request,
        form,
        lambda: services.session_update(actor=Actor.from_request(request), session=session, values=form.values()),
    )
    if saved is not None:
        messages.success(request, _("The %(kind)s was saved.") % {"kind": saved.get_kind_display()})
        return redirect("learning:session_detail", pk=saved.pk)
    return render_form(
        request,
        form=form,
        title=_("Change %(session)s") % {"session": session},
        intro=str(INTROS[session.kind]),
        cancel_url=reverse("learning:session_detail", args=[session.pk]),
        breadcrumbs=_crumbs(session),
    )


urlpatterns = [
    path("", session_list, name="session_list"),
    path("bijeenkomsten/nieuw/", session_choose, name="session_choose"),
    path("bijeenkomsten/nieuw/<slug:kind>/", session_create, name="session_create"),
    path("bijeenkomsten/<int:pk>/", session_detail, name="session_detail"),
    path("bijeenkomsten/<int:pk>/wijzigen/", session_update, name="session_update"),
]
