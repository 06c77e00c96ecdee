from django.urls import path

from brugwerk.home import views

app_name = "home"
urlpatterns = [
    path("", views.start, name="start"),
    path("regio-kiezen/", views.switch_region, name="switch_region"),
]
