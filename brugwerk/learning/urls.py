from brugwerk.learning.views import sessions, shared

app_name = "learning"
urlpatterns = [*sessions.urlpatterns, *shared.urlpatterns]
