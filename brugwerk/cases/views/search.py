"""Pages of casework: search."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
