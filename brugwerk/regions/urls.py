from django.urls import path

from brugwerk.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("zones/nieuw/", views.zone_create, name="zone_create"),
    path("zones/<int:pk>/wijzigen/", views.zone_update, name="zone_update"),
    path("gemeenten/nieuw/", views.municipality_create, name="municipality_create"),
    path("gemeenten/<int:pk>/wijzigen/", views.municipality_update, name="municipality_update"),
    path("zonelidmaatschappen/nieuw/", views.zone_membership_create, name="zone_membership_create"),
    path("zonelidmaatschappen/<int:pk>/beeindigen/", views.zone_membership_end, name="zone_membership_end"),
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/nieuw/", views.school_create, name="school_create"),
    path("scholen/<int:pk>/", views.school_detail, name="school_detail"),
    path("scholen/<int:pk>/wijzigen/", views.school_update, name="school_update"),
]
