from django.urls import path

from brugwerk.pool import views

app_name = "pool"
urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("nieuw/", views.member_create, name="member_create"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/wijzigen/", views.member_update, name="member_update"),
]
