from django.urls import path

from brugwerk.home.placeholder import placeholder

app_name = "audit"
urlpatterns = [path("", placeholder, name="entry_list")]
