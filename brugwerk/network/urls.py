from django.urls import path

from brugwerk.network import views

app_name = "network"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("wie-is-mijn-contact/", views.contact_finder, name="contact_finder"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisaties/<int:pk>/wijzigen/", views.organisation_update, name="organisation_update"),
    path(
        "organisaties/<int:pk>/contactpunten/nieuw/", views.contact_point_create, name="contact_point_create"
    ),
    path("contactpunten/<int:pk>/wijzigen/", views.contact_point_update, name="contact_point_update"),
    path("contactpunten/<int:pk>/verwijderen/", views.contact_point_delete, name="contact_point_delete"),
]
