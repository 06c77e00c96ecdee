from django.urls import path

from brugwerk.home.placeholder import placeholder

app_name = "network"
urlpatterns = [
    path("", placeholder, name="organisation_list"),
    path("wie-is-mijn-contact/", placeholder, name="contact_finder"),
]
