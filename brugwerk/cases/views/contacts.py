"""Pages of casework: contacts."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
