from django.urls import path

from brugwerk.home.placeholder import placeholder

app_name = "pool"
urlpatterns = [path("", placeholder, name="member_list")]
