from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("brugwerk.home.urls")),
    path("account/", include("brugwerk.accounts.urls")),
    path("regio/", include("brugwerk.regions.urls")),
    path("netwerk/", include("brugwerk.network.urls")),
    path("pool/", include("brugwerk.pool.urls")),
    path("audit/", include("brugwerk.audit.urls")),
    path("werk/", include("brugwerk.cases.urls")),
    path("werk/agenda/", include("brugwerk.agenda.urls")),
    path("expertise/", include("brugwerk.expertise.urls")),
    path("signalen/", include("brugwerk.signals.urls")),
    path("groepen/", include("brugwerk.groups.urls")),
    path("samenwerking/", include("brugwerk.cooperation.urls")),
    path("leren/", include("brugwerk.learning.urls")),
    path("tijd/", include("brugwerk.timeuse.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
]
