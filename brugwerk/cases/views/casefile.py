"""Pages of casework: casefile."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
