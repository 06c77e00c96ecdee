from django.urls import path

from brugwerk.accounts import views
from brugwerk.home.placeholder import placeholder

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweestaps/", views.otp_verify, name="otp_verify"),
    path("tweestaps/instellen/", views.otp_setup, name="otp_setup"),
    path("gebruikers/", placeholder, name="user_list"),
]
