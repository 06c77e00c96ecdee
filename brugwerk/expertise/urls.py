from brugwerk.expertise import views

app_name = "expertise"
urlpatterns = views.urlpatterns
