from brugwerk.cases.views import casefile, contacts, handover, lifecycle, overview, partner, referrals, search

app_name = "cases"
urlpatterns = [
    *referrals.urlpatterns,
    *casefile.urlpatterns,
    *contacts.urlpatterns,
    *lifecycle.urlpatterns,
    *handover.urlpatterns,
    *partner.urlpatterns,
    *search.urlpatterns,
    *overview.urlpatterns,
]
