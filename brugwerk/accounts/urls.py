from django.urls import path

from brugwerk.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweestaps/", views.otp_verify, name="otp_verify"),
    path("tweestaps/instellen/", views.otp_setup, name="otp_setup"),
    path("mijn-account/", views.my_account, name="my_account"),
    path("mijn-account/wachtwoord/", views.password_change, name="password_change"),
    path("mijn-account/e-mail/", views.my_email, name="my_email"),
    path("mijn-account/uitnodigingen/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("wachtwoord-instellen/<uidb64>/<token>/", views.password_set, name="password_set"),
    path("wachtwoord-bevestigen/", views.confirm_password, name="confirm_password"),
    path("gebruikers/", views.user_list, name="user_list"),
    path("gebruikers/nieuw/", views.user_create, name="user_create"),
    path("gebruikers/bestaande-toevoegen/", views.user_add_existing, name="user_add_existing"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user_detail"),
    path("gebruikers/<int:pk>/wijzigen/", views.user_edit, name="user_edit"),
    path("gebruikers/<int:pk>/wachtwoord/", views.user_set_password, name="user_set_password"),
    path("gebruikers/<int:pk>/tweestaps-herstellen/", views.user_otp_reset, name="user_otp_reset"),
    path("gebruikers/<int:pk>/rol/", views.role_grant, name="role_grant"),
    path("gebruikers/<int:pk>/rol/<int:membership_pk>/intrekken/", views.role_revoke, name="role_revoke"),
]
