from brugwerk.cooperation.views import agreements, meetings

app_name = "cooperation"
urlpatterns = [*meetings.urlpatterns, *agreements.urlpatterns]
