"""Pages of casework: the case file (everything of one case on one page, made for a phone during a
home visit) and its small edit pages for the young person, the family, help questions, goals and
agreed actions. Each edit page saves through a service and goes back to its section of the file.

A closed case is read-only: its edit pages send the user back with the service's "reopen it first"
message and change nothing. Somebody who does not see the case gets 404 everywhere. Every page that
shows a form records the read in the audit trail, as the case file does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brugwerk.access import Action, can, get_object_or_404, scope
from brugwerk.accounts.models import User
from brugwerk.audit.services import Actor
from brugwerk.cases import services
from brugwerk.cases.forms.casefile import (
    AgreedActionForm,
    FamilyMemberForm,
    GoalForm,
    HelpQuestionForm,
    YoungPersonForm,
)
from brugwerk.cases.models import AgreedAction, Case, CaseShare, FamilyMember, Goal, HelpQuestion, LifeDomain
from brugwerk.cases.selectors import case_file_get
from brugwerk.cases.selectors.casefile import (
    case_file,
    family_member_for_page,
    goal_for_page,
    help_question_for_page,
    young_person_for_page,
)
from brugwerk.cases.selectors.lifecycle import case_for_page
from brugwerk.core.forms import model_values
from brugwerk.core.http import refused_as_missing, require
from brugwerk.core.pages import form_page, run_action
from brugwerk.core.types import AuthenticatedHttpRequest
from brugwerk.regions.selectors import municipalities_for, school_choices
from brugwerk.vocabularies.selectors import terms_in_use

# The sections of the case file the edit pages return to.
YOUNG_PERSON, FAMILY, HELP_QUESTIONS, TRAJECTORY = "young-person", "family", "help-questions", "trajectory"


def case_url(case_id: int, anchor: str = "") -> str:
    url = reverse("cases:case_detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def _crumbs(case: Case) -> list[tuple[str, str]]:
    return [(reverse("cases:case_list"), _("Cases")), (case_url(case.pk), str(case.young_person))]


# --- The case file ------------------------------------------------------------------------------


def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The case file. `case_file_get` records the view in the audit trail."""
    case = case_file_get(user=request.user, pk=pk)
    file = case_file(user=request.user, case=case)
    return render(request, "cases/casefile/case_detail.html", {"case": case, "file": file, "can": file.permissions})


# --- Shared by the edit pages -------------------------------------------------------------------


def _visible_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    return case_for_page(user=request.user, pk=pk)


def _refuse_if_closed(request: AuthenticatedHttpRequest, case: Case, anchor: str) -> HttpResponse | None:
    """A closed case is read-only: back to the file with the reason, nothing changed."""
    if case.is_open:
        return None
    messages.error(request, _("This case is closed and can no longer be changed. Reopen it first."))
    return redirect(case_url(case.pk, anchor))


def _edit_page(
    request: AuthenticatedHttpRequest,
    *,
    case: Case,
    form: Any,
    save: Callable[[], Any],
    title: str,
    anchor: str,
    done: str,
) -> HttpResponse:
    """Run the form through the service; on success back to the file's section with `done`. The
    selectors that gave the case and the record record the read, written when the form is shown
    (also again with errors)."""
    back = case_url(case.pk, anchor)
    return form_page(
        request, form=form, save=save, done=done, success_url=back, title=title, cancel_url=back,
        breadcrumbs=_crumbs(case),
    )


# --- The young person and the family -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def young_person_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _visible_case(request, pk)
    if refused := _refuse_if_closed(request, case, YOUNG_PERSON):
        return refused
    person = young_person_for_page(user=user, case=case)
    form = YoungPersonForm(
        request.POST or None,
        instance=person,
        schools=school_choices(user=user, region=case.region),
        municipalities=municipalities_for(user=user, region=case.region),
    )
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.young_person_update(
            actor=Actor.from_request(request), young_person=person, values=model_values(form)
        ),
        title=_("Change the details of the young person"),
        anchor=YOUNG_PERSON,
        done=_("The details were saved."),
    )


@require_http_methods(["GET", "POST"])
def family_member_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if refused := _refuse_if_closed(request, case, FAMILY):
        return refused
    require(can(request.user, Action.CREATE, FamilyMember(young_person=case.young_person)))
    form = FamilyMemberForm(request.POST or None)
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.family_member_add(
            actor=Actor.from_request(request), young_person=case.young_person, values=model_values(form)
        ),
        title=_("Add someone of the family or network"),
        anchor=FAMILY,
        done=_("The family member was added."),
    )


@require_http_methods(["GET", "POST"])
def family_member_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member, case = family_member_for_page(user=request.user, pk=pk)
    if refused := _refuse_if_closed(request, case, FAMILY):
        return refused
    require(can(request.user, Action.CHANGE, member))
    form = FamilyMemberForm(request.POST or None, instance=member)
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.family_member_update(
            actor=Actor.from_request(request), member=member, values=model_values(form)
        ),
        title=_("Change the family member"),
        anchor=FAMILY,
        done=_("The family member was saved."),
    )


# --- Help questions, goals, agreed actions --------------------------------------------------------


def _life_domains(request: AuthenticatedHttpRequest, case: Case, current: int | None = None) -> Any:
    """The region's life domains in use (and the question's own, should it be out of use now)."""
    return terms_in_use(user=request.user, model=LifeDomain, region=case.region_id, include=[current])


@require_http_methods(["GET", "POST"])
def help_question_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if refused := _refuse_if_closed(request, case, HELP_QUESTIONS):
        return refused
    require(can(request.user, Action.CREATE, HelpQuestion(case=case)))
    form = HelpQuestionForm(request.POST or None, life_domains=_life_domains(request, case))
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.help_question_add(
            actor=Actor.from_request(request),
            case=case,
            life_domain=form.cleaned_data["life_domain"],
            description=form.cleaned_data["description"],
            status=form.cleaned_data["status"],
        ),
        title=_("Add a help question"),
        anchor=HELP_QUESTIONS,
        done=_("The help question was added."),
    )


@require_http_methods(["GET", "POST"])
def help_question_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = help_question_for_page(user=request.user, pk=pk)
    case = question.case
    if refused := _refuse_if_closed(request, case, HELP_QUESTIONS):
        return refused
    require(can(request.user, Action.CHANGE, question))
    domain_id = question.life_domain_id
    form = HelpQuestionForm(
        request.POST or None, instance=question, life_domains=_life_domains(request, case, domain_id)
    )

    def save() -> HelpQuestion:
        values = model_values(form)
        if values["life_domain"].pk == domain_id:  # unchanged: it may be out of use by now
            del values["life_domain"]
        return services.help_question_update(actor=Actor.from_request(request), help_question=question, values=values)

    return _edit_page(
        request,
        case=case,
        form=form,
        save=save,
        title=_("Change the help question"),
        anchor=HELP_QUESTIONS,
        done=_("The help question was saved."),
    )


@require_http_methods(["GET", "POST"])
def goal_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if refused := _refuse_if_closed(request, case, TRAJECTORY):
        return refused
    require(can(request.user, Action.CREATE, Goal(case=case)))
    form = GoalForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.goal_add(actor=Actor.from_request(request), case=case, **model_values(form)),
        title=_("Add a goal"),
        anchor=TRAJECTORY,
        done=_("The goal was added."),
    )


@require_http_methods(["GET", "POST"])
def goal_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    goal = goal_for_page(user=request.user, pk=pk)
    case = goal.case
    if refused := _refuse_if_closed(request, case, TRAJECTORY):
        return refused
    require(can(request.user, Action.CHANGE, goal))
    form = GoalForm(request.POST or None, instance=goal)
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.goal_update(actor=Actor.from_request(request), goal=goal, values=model_values(form)),
        title=_("Change the goal"),
        anchor=TRAJECTORY,
        done=_("The goal was saved."),
    )


def _team(request: AuthenticatedHttpRequest, case: Case) -> Any:
    """Who of the pool can own an action: the case's lead and those it is shared with today."""
    shares = scope(request.user, CaseShare.objects.all()).filter(case=case)
    shared = shares.active_on(timezone.localdate()).values("user_id")
    return User.objects.filter(Q(pk=case.lead_id) | Q(pk__in=shared)).order_by("first_name", "last_name", "pk")


@require_http_methods(["GET", "POST"])
def action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if refused := _refuse_if_closed(request, case, TRAJECTORY):
        return refused
    require(can(request.user, Action.CREATE, AgreedAction(case=case)))
    form = AgreedActionForm(
        request.POST or None,
        goals=scope(request.user, Goal).filter(case=case),
        team=_team(request, case),
        initial={"goal": request.GET.get("goal")} if request.GET.get("goal", "").isdigit() else None,
    )
    return _edit_page(
        request,
        case=case,
        form=form,
        save=lambda: services.action_add(actor=Actor.from_request(request), case=case, **model_values(form)),
        title=_("Add an agreed action"),
        anchor=TRAJECTORY,
        done=_("The agreed action was added."),
    )


@refused_as_missing()
@require_POST
def action_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(request.user, AgreedAction.objects.select_related("case"), Action.VIEW, pk=pk)
    run_action(
        request, lambda: services.action_complete(actor=Actor.from_request(request), action=action),
        _("The agreed action is marked as done."),
    )
    return redirect(case_url(action.case_id, TRAJECTORY))


urlpatterns = [
    path("dossiers/<int:pk>/", case_detail, name="case_detail"),
    path("dossiers/<int:pk>/jongere/", young_person_update, name="young_person_update"),
    path("dossiers/<int:pk>/gezin/nieuw/", family_member_create, name="family_member_create"),
    path("gezin/<int:pk>/", family_member_update, name="family_member_update"),
    path("dossiers/<int:pk>/hulpvragen/nieuw/", help_question_create, name="help_question_create"),
    path("hulpvragen/<int:pk>/", help_question_update, name="help_question_update"),
    path("dossiers/<int:pk>/doelen/nieuw/", goal_create, name="goal_create"),
    path("doelen/<int:pk>/", goal_update, name="goal_update"),
    path("dossiers/<int:pk>/acties/nieuw/", action_create, name="action_create"),
    path("acties/<int:pk>/afgerond/", action_complete, name="action_complete"),
]
