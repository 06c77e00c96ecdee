from brugwerk.timeuse import views

app_name = "timeuse"
urlpatterns = views.urlpatterns
