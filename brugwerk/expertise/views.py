"""Pages of school-team expertise: the activities with school teams (list with filters, detail,
recording and changing one on a phone, its evaluation), the region's topics (the coordinator's),
a school's summary of the school year (also for its school contact) and the figures that name
nobody (also for policy makers)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brugwerk.access import Action, can, may
from brugwerk.audit.services import Actor, record_list_view, record_view
from brugwerk.cases.models import LifeDomain
from brugwerk.cases.selectors.contacts import contact_school_choices
from brugwerk.core.http import refused_as_missing, region_or_404, render_page_or_fragment, require
from brugwerk.core.pages import render_form, run_form
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.expertise import selectors, services
from brugwerk.expertise.forms import ActivityFilterForm, ActivityForm, EvaluationForm, school_year_start
from brugwerk.expertise.models import ExpertiseTopic, SchoolTeamActivity, school_year_of
from brugwerk.regions.models import Region
from brugwerk.regions.selectors import own_school_of, school_get
from brugwerk.vocabularies.pages import VocabularyPages, VocabularyTexts
from brugwerk.vocabularies.selectors import terms_for, terms_in_use

ACTIVITIES_PER_PAGE = 25


def _activities_region(request: AuthenticatedHttpRequest) -> Region:
    """The user's region, when they see activities there (the pool, a school contact)."""
    region = region_or_404(request)
    require(may(request.user, "expertise.list_activities", region=region))
    return region


def _list_crumbs() -> list[tuple[str, str]]:
    return [(reverse("expertise:activity_list"), _("School teams"))]


def _activity_crumbs(activity: SchoolTeamActivity) -> list[tuple[str, str]]:
    return [*_list_crumbs(), (reverse("expertise:activity_detail", args=[activity.pk]), _activity_title(activity))]


def _activity_title(activity: SchoolTeamActivity) -> str:
    kind = str(activity.get_kind_display())
    return _("%(kind)s at %(school)s") % {"kind": kind[:1].upper() + kind[1:], "school": activity.school.name}


def _year_links(view: str, start: datetime.date, **kwargs: Any) -> dict[str, str]:
    """Links to the previous and (unless it is still to come) the next school year of a page."""
    url = reverse(view, kwargs=kwargs or None)
    links = {"previous_year_url": f"{url}?jaar={start.year - 1}"}
    if start < school_year_of(timezone.localdate())[0]:
        links["next_year_url"] = f"{url}?jaar={start.year + 1}"
    return links


# --- Activities ----------------------------------------------------------------------------------


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _activities_region(request)
    user = request.user
    can_create = can(user, Action.CREATE, SchoolTeamActivity, region=region)
    form = ActivityFilterForm(
        request.GET,
        schools=selectors.schools_with_activities(user=user, region=region),
        topics=terms_for(user=user, model=ExpertiseTopic, region=region),
        show_mine=can_create,
    )
    activities = selectors.activities_for(user=user, region=region, filters=form.filters())
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=Actor.from_request(request),
        model=SchoolTeamActivity,
        region_id=region.pk,
        label=_("School-team activities"),
        details={"filters": form.query(), "page": page.number, "activities": [a.pk for a in page.object_list]},
    )
    context = {
        "form": form,
        "page": page,
        "can_create": can_create,
        "can_manage_topics": can(user, Action.CREATE, ExpertiseTopic, region=region),
        "can_see_figures": may(user, "expertise.view_figures", region=region),
        "own_school": own_school_of(user=user, region=region),
        "today": timezone.localdate(),
    }
    return render_page_or_fragment(request, "expertise/activity_list.html", "results", context)


def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = selectors.activity_get(user=user, pk=pk)
    record_view(actor=Actor.from_request(request), subject=activity)
    can_change = can(user, Action.CHANGE, activity)
    context = {
        "activity": activity,
        "title": _activity_title(activity),
        "breadcrumbs": _list_crumbs(),
        "can_change": can_change,
        "can_evaluate": can_change and activity.date <= timezone.localdate(),
        "today": timezone.localdate(),
        "can_delete": can(user, Action.DELETE, activity),
        "can_see_school": may(user, "expertise.list_activities", region=activity.region_id),
    }
    return render(request, "expertise/activity_detail.html", context)


def _activity_form(
    request: AuthenticatedHttpRequest, region: Region, instance: SchoolTeamActivity | None = None
) -> ActivityForm:
    user = request.user
    return ActivityForm(
        request.POST or None,
        schools=contact_school_choices(user=user, region=region),
        topics=terms_in_use(user=user, model=ExpertiseTopic, region=region),
        facilitators=selectors.facilitator_choices(user=user, region=region),
        life_domains=terms_in_use(user=user, model=LifeDomain, region=region),
        user=user,
        instance=instance,
    )


def _save_activity(request: AuthenticatedHttpRequest, form: ActivityForm, save: Any) -> SchoolTeamActivity | None:
    """`run_form` with the activity's values (a form field per activity kind) given to the service."""
    return run_form(request, form, lambda: save(form.activity_values()))


def _render_activity_form(
    request: AuthenticatedHttpRequest,
    form: ActivityForm,
    *,
    title: str,
    cancel_url: str,
    breadcrumbs: list,
    submit: str,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
        "submit_label": submit,
        "more_open": form.more_has_errors(),
    }
    return render(request, "expertise/activity_form.html", context)


def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _activities_region(request)
    require(can(request.user, Action.CREATE, SchoolTeamActivity, region=region))
    form = _activity_form(request, region)
    activity = _save_activity(
        request,
        form,
        lambda values: services.activity_create(actor=Actor.from_request(request), region=region, values=values),
    )
    if activity is not None:
        messages.success(request, _("The activity was recorded. You can add the evaluation now or later."))
        return redirect("expertise:activity_detail", pk=activity.pk)
    return _render_activity_form(
        request, form, title=_("Record an activity with a school team"),
        cancel_url=reverse("expertise:activity_list"), breadcrumbs=_list_crumbs(), submit=_("Record the activity"),
    )


def activity_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _activity_form(request, activity.region, activity)
    saved = _save_activity(
        request,
        form,
        lambda values: services.activity_update(actor=Actor.from_request(request), activity=activity, values=values),
    )
    if saved is not None:
        messages.success(request, _("The activity was saved."))
        return redirect("expertise:activity_detail", pk=saved.pk)
    return _render_activity_form(
        request, form, title=_("Change: %(activity)s") % {"activity": _activity_title(activity)},
        cancel_url=reverse("expertise:activity_detail", args=[activity.pk]), breadcrumbs=_activity_crumbs(activity),
        submit=_("Save"),
    )


def activity_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {"evaluation_score": str(activity.evaluation_score or ""), "evaluation_text": activity.evaluation_text}
    form = EvaluationForm(request.POST or None, initial=initial)
    saved = run_form(
        request,
        form,
        lambda: services.activity_evaluate(
            actor=Actor.from_request(request), activity=activity, score=form.score(),
            text=form.cleaned_data.get("evaluation_text") or "",
        ),
    )
    if saved is not None:
        messages.success(request, _("The evaluation was saved."))
        return redirect("expertise:activity_detail", pk=activity.pk)
    return render_form(
        request,
        form=form,
        title=_("Evaluation: %(activity)s") % {"activity": _activity_title(activity)},
        intro=_("A score from 1 to 5 and a few words, as the school team saw it. You can change it later."),
        cancel_url=reverse("expertise:activity_detail", args=[activity.pk]),
        breadcrumbs=_activity_crumbs(activity),
        submit_label=_("Save the evaluation"),
    )


@refused_as_missing()
def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, action=Action.DELETE)
    if request.method == "POST":
        services.activity_delete(actor=Actor.from_request(request), activity=activity)
        messages.success(request, _("The activity was deleted."))
        return redirect("expertise:activity_list")
    context = {"activity": activity, "title": _activity_title(activity), "breadcrumbs": _activity_crumbs(activity)}
    return render(request, "expertise/activity_confirm_delete.html", context)


# --- A school's summary --------------------------------------------------------------------------


def school_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What the pool did with this school's team this school year (or `?jaar=`), per topic and kind."""
    user = request.user
    school = school_get(user=user, pk=pk)
    start = school_year_start(request.GET.get("jaar"))
    summary = selectors.school_summary(user=user, school=school, today=start)
    if summary is None:
        raise Http404
    record_list_view(
        actor=Actor.from_request(request),
        model=SchoolTeamActivity,
        region_id=school.region_id,
        label=_("School-team activities at %(school)s") % {"school": school.name},
        details={"school": school.pk, "school_year": str(summary.start), "activities": [
            a.pk for a in summary.activities
        ]},
    )
    context = {
        "school": school,
        "summary": summary,
        "can_create": can(user, Action.CREATE, SchoolTeamActivity, region=school.region),
        "today": timezone.localdate(),
        **_year_links("expertise:school_summary", summary.start, pk=school.pk),
    }
    return render(request, "expertise/school_summary.html", context)


def my_school(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A school contact's way in: the summary of their own school."""
    region = region_or_404(request)
    school = own_school_of(user=request.user, region=region)
    if school is None:
        raise Http404
    return redirect("expertise:school_summary", pk=school.pk)


# --- Figures -------------------------------------------------------------------------------------


def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The region's school-team expertise in figures that name nobody (also for policy makers)."""
    region = region_or_404(request)
    start = school_year_start(request.GET.get("jaar")) or school_year_of(timezone.localdate())[0]
    result = selectors.expertise_figures(user=request.user, region=region, start=start, end=school_year_of(start)[1])
    if result is None:
        raise Http404
    context = {
        "region": region,
        "figures": result,
        "can_list": may(request.user, "expertise.list_activities", region=region),
        **_year_links("expertise:figures", result.start),
    }
    return render(request, "expertise/figures.html", context)


# --- The region's topics -------------------------------------------------------------------------

TOPICS = VocabularyPages(
    model=ExpertiseTopic,
    namespace="expertise",
    kind="topic",
    parent_crumbs=_list_crumbs,
    usage="activities",
    offer_defaults=True,  # a region made before this app existed
    texts=VocabularyTexts(
        title=gettext_lazy("Topics of school-team activities"),
        intro=gettext_lazy(
            "The region's own list: the topics bridge figures choose from when they record an activity with a "
            "school team. Take a topic out of use instead of deleting it; the activities keep it."
        ),
        crumb=gettext_lazy("Topics"),
        column=gettext_lazy("Topic"),
        empty=gettext_lazy("This region has no topics yet."),
        add=gettext_lazy("Add a topic"),
        create_title=gettext_lazy("Add a topic"),
        update_title=gettext_lazy("Change topic %(name)s"),
        added=gettext_lazy("Topic %(name)s was added."),
        saved=gettext_lazy("Topic %(name)s was saved."),
        position_help=gettext_lazy("Topics are listed by this number, then by name."),
        active_help=gettext_lazy("A topic out of use is no longer offered; activities keep it."),
        usage=gettext_lazy("Activities"),
        defaults_button=gettext_lazy("Add the default list of topics"),
        defaults_done=gettext_lazy("The region's list of topics is ready."),
    ),
)


urlpatterns = [
    path("", activity_list, name="activity_list"),
    path("nieuw/", activity_create, name="activity_create"),
    path("<int:pk>/", activity_detail, name="activity_detail"),
    path("<int:pk>/wijzigen/", activity_update, name="activity_update"),
    path("<int:pk>/evaluatie/", activity_evaluate, name="activity_evaluate"),
    path("<int:pk>/verwijderen/", activity_delete, name="activity_delete"),
    path("scholen/<int:pk>/", school_summary, name="school_summary"),
    path("mijn-school/", my_school, name="my_school"),
    path("cijfers/", figures, name="figures"),
    *TOPICS.urls(),
]
