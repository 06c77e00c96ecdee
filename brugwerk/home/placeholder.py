"""Temporary: a page that is still being built. Removed once every app has its own views."""

from django.http import HttpResponse


def placeholder(request, **kwargs):
    return HttpResponse("…")
