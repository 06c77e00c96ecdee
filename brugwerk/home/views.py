from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brugwerk.access import region_ids_of
from brugwerk.accounts.selectors import SESSION_REGION_KEY, current_region, roles_in
from brugwerk.audit.services import Actor, record_list_view
from brugwerk.home.selectors import start_page_for


def start(request):
    region = current_region(request)
    roles = roles_in(user=request.user, region=region)
    context = start_page_for(user=request.user, region=region, roles=roles)
    actor = Actor.from_request(request)
    region_id = region.pk if region is not None else None
    for shown in context["shown"]:
        if shown.ids:
            record_list_view(actor=actor, model=shown.model, region_id=region_id, label=shown.label,
                             details={"page": "start", "shown": shown.ids})
    return render(request, "home/start.html", context)


@require_POST
def switch_region(request):
    try:
        region_id = int(request.POST.get("region", ""))
    except ValueError:
        region_id = None
    if region_id in region_ids_of(request.user):
        request.session[SESSION_REGION_KEY] = region_id
    return redirect("home:start")
