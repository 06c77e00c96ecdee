"""Mail that every app sends the same way: a link back to this installation, a subject and a body
rendered from two templates (`<name>_subject.txt`, `<name>_body.txt`), in the installation's language
(we do not know the recipient's)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation


def base_url_of(request: HttpRequest) -> str:
    """The address of this installation as the request reached it (the host is checked against
    ALLOWED_HOSTS), without the trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")


def send_templated_mail(template: str, addresses: list[str], context: dict[str, Any]) -> int:
    """Render `<template>_subject.txt` and `<template>_body.txt` with `context` and send them to
    `addresses`. Returns the number of mails sent."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=addresses).send()
