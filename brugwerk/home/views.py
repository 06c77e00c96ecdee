from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brugwerk.access import region_ids_of
from brugwerk.accounts.selectors import SESSION_REGION_KEY, current_region, roles_in
from brugwerk.home.selectors import start_page_for


def start(request):
    region = current_region(request)
    roles = roles_in(user=request.user, region=region)
    context = start_page_for(user=request.user, region=region, roles=roles)  # records what it shows
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
