"""The agenda's pages, under /werk/agenda/ (where they were when the agenda was part of casework)."""

from django.urls import path

from brugwerk.agenda.views import (
    agenda,
    appointment_create,
    appointment_delete,
    appointment_update,
    calendar_feed,
    calendar_feed_ics,
    presence_day_create,
    presence_day_delete,
    presence_day_end,
)

app_name = "agenda"

urlpatterns = [
    path("", agenda, name="agenda"),
    path("afspraken/nieuw/", appointment_create, name="appointment_create"),
    path("afspraken/<int:pk>/", appointment_update, name="appointment_update"),
    path("afspraken/<int:pk>/verwijderen/", appointment_delete, name="appointment_delete"),
    path("aanwezigheid/nieuw/", presence_day_create, name="presence_day_create"),
    path("aanwezigheid/<int:pk>/beeindigen/", presence_day_end, name="presence_day_end"),
    path("aanwezigheid/<int:pk>/verwijderen/", presence_day_delete, name="presence_day_delete"),
    path("kalender/", calendar_feed, name="calendar_feed"),
    path("kalender/<str:token>.ics", calendar_feed_ics, name="calendar_feed_ics"),
]
