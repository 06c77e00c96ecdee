"""The project's URLs plus the benchmark floor: a logged-in page through every middleware, rendering
the page frame with no content of its own."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return render(request, "base.html", {})


urlpatterns = [path("bench/floor/", floor), path("", include("brugwerk.urls"))]
