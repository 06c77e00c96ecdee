from brugwerk.signals.views import urlpatterns  # noqa: F401

app_name = "signals"
