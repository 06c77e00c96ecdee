from django.urls import path

from brugwerk.home.placeholder import placeholder

app_name = "regions"
urlpatterns = [
    path("", placeholder, name="overview"),
    path("scholen/", placeholder, name="school_list"),
    path("scholen/<int:pk>/", placeholder, name="school_detail"),
]
